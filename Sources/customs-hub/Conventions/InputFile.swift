#if canImport(Glibc)
// With Hummingbird/NIO linked into this target, `stat` resolves through Dispatch's C module, which
// MemberImportVisibility then wants imported by name.
#if canImport(CDispatch)
import CDispatch
#endif
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input of a command (a path, or `-`/nothing for stdin), read with plain POSIX calls so every
/// failure is a sentence a person can act on (closed stdin, a directory, a missing file) and every
/// read is bounded: a whole document by `maxDocumentBytes`, one line by `maxLineBytes`.
/// Regular files, pipes, FIFOs and terminals all read the same way; nothing here can trap.
final class InputFile {
    static let maxDocumentBytes = 64 << 20
    static let maxLineBytes = 4 << 20

    let name: String
    private let fd: Int32
    private let owned: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private(set) var lineNumber = 0

    /// Opens `path`; `-` or nil is stdin.
    init(_ path: String?) throws(InputError) {
        if path == nil || path == "-" {
            name = "stdin"
            fd = 0
            owned = false
        } else {
            let path = path!
            name = path
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            if opened < 0 { throw InputError("\(path): cannot open: \(Self.reason(errno))") }
            fd = opened
            owned = true
        }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let e = errno
            if owned { close(fd) }
            throw InputError(e == EBADF ? "\(name) is closed; give a file or pipe input" : "\(name): \(Self.reason(e))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            if owned { close(fd) }
            throw InputError("\(name) is a directory; give a file")
        }
        if (st.st_mode & S_IFMT) == S_IFREG && Int(st.st_size) > Self.maxDocumentBytes {
            if owned { close(fd) }
            throw InputError("\(name) is \(st.st_size) bytes, larger than the \(Self.maxDocumentBytes)-byte limit")
        }
    }

    deinit { if owned { close(fd) } }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "is a directory"
        case EBADF: "closed"
        default: String(cString: strerror(code))
        }
    }

    /// Where each read lands before it is appended: one copy of a contiguous block, so reading is as
    /// quick in a debug build as in a release one (appending 64 Ki zeros one by one was not: an
    /// endless stdin took 15 CPU-s to reach the 64 MiB limit).
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    /// Fills the buffer with up to 64 KiB more; false at end of input.
    private func fill() throws(InputError) -> Bool {
        if eof { return false }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        var n: Int
        repeat {
            n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        } while n < 0 && errno == EINTR
        if n < 0 {
            let e = errno
            throw InputError(e == EBADF ? "\(name) is closed; give a file or pipe input" : "\(name): cannot read: \(Self.reason(e))")
        }
        if n == 0 {
            eof = true
            return false
        }
        chunk.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
        return true
    }

    /// The next piece of the input as it arrives (at most 64 KiB), nil at the end; refused once
    /// more than `limit` bytes have been read in all.
    func nextChunk(limit: Int = maxDocumentBytes) throws(InputError) -> [UInt8]? {
        if start < buffer.count {
            defer { buffer.removeAll(keepingCapacity: true); start = 0 }
            return Array(buffer[start...])
        }
        buffer.removeAll(keepingCapacity: true)
        start = 0
        guard try fill() else { return nil }
        total += buffer.count
        if total > limit { throw InputError("\(name) is larger than the \(limit)-byte limit") }
        // Handed out: the next call must read on, not hand the same bytes out again.
        start = buffer.count
        return buffer
    }
    private var total = 0

    /// The whole input, refused past `limit` bytes.
    func readAll(limit: Int = maxDocumentBytes) throws(InputError) -> [UInt8] {
        while try fill() {
            if buffer.count - start > limit { throw InputError("\(name) is larger than the \(limit)-byte limit") }
        }
        return Array(buffer[start...])
    }

    /// The index of the first `\\n` at or after `from` (memchr: a byte loop is slow in a debug build).
    private static func newline(in bytes: [UInt8], from: Int) -> Int? {
        guard from < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { p -> Int? in
            guard let hit = memchr(p.baseAddress! + from, 0x0A, p.count - from) else { return nil }
            return p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The next line without its `\\n` (a trailing `\\r` is kept for the caller), nil at the end.
    /// A line longer than `limit` is refused before more of it is read.
    func nextLine(limit: Int = maxLineBytes) throws(InputError) -> [UInt8]? {
        var scanned = start
        while true {
            if let nl = Self.newline(in: buffer, from: scanned) {
                lineNumber += 1
                if nl - start > limit { throw InputError("\(name) line \(lineNumber) is longer than the \(limit)-byte line limit") }
                let line = Array(buffer[start..<nl])
                start = nl + 1
                return line
            }
            let seen = buffer.count - start
            if seen > limit {
                throw InputError("\(name) line \(lineNumber + 1) is longer than the \(limit)-byte line limit")
            }
            let more = try fill()
            scanned = start + seen
            if !more {
                if start >= buffer.count { return nil }
                lineNumber += 1
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
        }
    }
}
