import AdapterKit
import JSONCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The CLI's `ReferenceSource`: a counter in a file, taken under an exclusive lock and written back
/// before the number is used, so two processes never get the same number. The hub's store replaces
/// it with a database sequence.
struct FileReferenceCounter: ReferenceSource {
    let path: String

    /// `$CUSTOMS_HUB_SEQUENCE_FILE`, else `$XDG_STATE_HOME/customs-hub/reference-sequence`
    /// (`~/.local/state/…` without XDG_STATE_HOME).
    static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["CUSTOMS_HUB_SEQUENCE_FILE"], !p.isEmpty { return p }
        let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/state")
        return state + "/customs-hub/reference-sequence"
    }

    func next(adapter: String) throws -> Int {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw CounterError("cannot open the reference counter \(path): errno \(errno)") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw CounterError("cannot lock the reference counter \(path): errno \(errno)") }
        let size = 32
        var buffer = [UInt8](repeating: 0, count: size)
        let n = pread(fd, &buffer, size, 0)
        let text = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.isEmpty || Int(text) != nil else { throw CounterError("the reference counter \(path) holds \"\(text)\", not a number") }
        let value = (Int(text) ?? 0) + 1
        let out = Array("\(value)\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, out, out.count, 0) == out.count, fsync(fd) == 0 else {
            throw CounterError("cannot write the reference counter \(path): errno \(errno)")
        }
        return value
    }

    struct CounterError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}

/// The render inputs every rendering command takes: a context file, an explicit first sequence
/// number, or the persistent counter.
struct RenderInputs {
    var context: RenderContext
    /// The first number when given (`--sequence` or the context file); each further order takes the next.
    var first: Int?
    var counter: FileReferenceCounter
    var taken = 0

    /// Context files are read in order; a later one adds rates and overrides the sequence and values.
    init(contextFiles: [String], sequence: Int?, sequenceFile: String?) throws {
        context = RenderContext()
        for file in contextFiles {
            let more = try RenderContext.parse(try JSONParser.parse(try RecordInput.read(file)))
            context.sequence = more.sequence ?? context.sequence
            context.rates += more.rates
            context.values.merge(more.values) { _, new in new }
        }
        first = sequence ?? context.sequence
        counter = FileReferenceCounter(path: sequenceFile ?? FileReferenceCounter.defaultPath())
    }

    /// The context for the next order, with its own reference number.
    mutating func next(adapter: String) throws -> RenderContext {
        var c = context
        if let first {
            c.sequence = first + taken
        } else {
            c.sequence = try counter.next(adapter: adapter)
        }
        taken += 1
        return c
    }
}
