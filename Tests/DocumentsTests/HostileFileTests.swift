import CPoppler
import Documents
import Foundation
import Testing

/// Hostile and broken files are refused with a reason, within fixed limits.
@Suite struct HostileFileTests {
    static func refusal(_ bytes: [UInt8], limits: ReadLimits = ReadLimits()) -> DocumentReadError.Reason? {
        do {
            _ = try AnyDocumentReader(limits: limits).pages(bytes)
            return nil
        } catch { return error.reason }
    }

    /// A PDF from object bodies, with a correct cross-reference table.
    static func pdf(_ objects: [[UInt8]], root: Int = 1) -> [UInt8] {
        var out = Array("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for o in offsets { out += Array(String(format: "%010d 00000 n \n", o).utf8) }
        out += Array("trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        _ = compress2(&out, &size, input, uLong(input.count), 9)
        return Array(out.prefix(Int(size)))
    }

    @Test func aPDFBombIsRefused() {
        let zeros = [UInt8](repeating: 0x20, count: 48 << 20)
        let packed = Self.deflate(zeros)
        let stream = Array("<< /Length \(packed.count) /Filter /FlateDecode >>\nstream\n".utf8) + packed + Array("\nendstream".utf8)
        let bytes = Self.pdf([
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".utf8),
            stream,
        ])
        #expect(bytes.count < 100_000)
        var limits = ReadLimits()
        limits.maxInflatedBytes = 16 << 20
        #expect(Self.refusal(bytes, limits: limits) == .bomb)
    }

    @Test func deepNestingIsRefused() {
        let deep = Array(String(repeating: "[", count: 50_000).utf8) + Array(String(repeating: "]", count: 50_000).utf8)
        let bytes = Self.pdf([Array("<< /Type /Catalog /Pages 2 0 R /X ".utf8) + deep + Array(" >>".utf8), Array("<< /Type /Pages /Kids [] /Count 0 >>".utf8)])
        #expect(Self.refusal(bytes) == .tooDeep)
    }

    @Test func tenThousandPagesAreRefused() {
        let n = 10_000
        var objects: [[UInt8]] = [Array("<< /Type /Catalog /Pages 2 0 R >>".utf8)]
        let kids = (0..<n).map { "\($0 + 3) 0 R" }.joined(separator: " ")
        objects.append(Array("<< /Type /Pages /Kids [\(kids)] /Count \(n) >>".utf8))
        for _ in 0..<n { objects.append(Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".utf8)) }
        #expect(Self.refusal(Self.pdf(objects)) == .tooManyPages)
    }

    @Test func anEncryptedPDFIsRefused() throws {
        #expect(Self.refusal(try Fixtures.bytes("small/encrypted.pdf")) == .encrypted)
    }

    @Test func anImageInAPDFClaimingHugeDimensionsIsRefused() {
        let bytes = Self.pdf([
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /I 4 0 R >> >> >>".utf8),
            Array("<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Length 1 >>\nstream\n\0\nendstream".utf8),
        ])
        #expect(Self.refusal(bytes) == .imageTooLarge)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let t = Array(type.utf8)
        let len = UInt32(data.count)
        let crc = UInt32(crc32(crc32(0, t, uInt(t.count)), data, uInt(data.count)))
        return [UInt8(len >> 24), UInt8(len >> 16 & 0xFF), UInt8(len >> 8 & 0xFF), UInt8(len & 0xFF)] + t + data
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    @Test func aPNGClaiming100000By100000IsRefusedBeforeDecoding() {
        let ihdr = Self.be32(100_000) + Self.be32(100_000) + [8, 0, 0, 0, 0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Self.chunk("IHDR", ihdr)
            + Self.chunk("IDAT", Self.deflate([0, 0, 0])) + Self.chunk("IEND", [])
        #expect(Self.refusal(png) == .imageTooLarge)
    }

    @Test func aTIFFClaiming100000By100000IsRefused() {
        func entry(_ tag: UInt16, _ type: UInt16, _ value: UInt32) -> [UInt8] {
            [UInt8(tag & 0xFF), UInt8(tag >> 8), UInt8(type & 0xFF), UInt8(type >> 8), 1, 0, 0, 0,
             UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        }
        let entries = [entry(256, 4, 100_000), entry(257, 4, 100_000), entry(258, 3, 1), entry(259, 3, 1), entry(262, 3, 0),
                       entry(273, 4, 200), entry(278, 4, 100_000), entry(279, 4, 1)]
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, UInt8(entries.count), 0] + entries.flatMap { $0 } + [0, 0, 0, 0]
        tiff += [UInt8](repeating: 0, count: 220 - tiff.count)
        #expect(Self.refusal(tiff) == .imageTooLarge)
    }

    @Test func malformedAndTruncatedFilesAreRefused() throws {
        let png = try Fixtures.bytes("small/label.png")
        let jpg = try Fixtures.bytes("small/label.jpg")
        let tif = try Fixtures.bytes("small/label.tif")
        let pdf = try Fixtures.bytes("text/invoice-en-classic.pdf")
        #expect(Self.refusal(Array(png.prefix(png.count / 2))) == .malformed)
        #expect(Self.refusal(Array(jpg.prefix(jpg.count / 2))) == .malformed)
        #expect(Self.refusal(Array(tif.prefix(40))) == .malformed)
        #expect(Self.refusal(Array(pdf.prefix(pdf.count * 2 / 3))) == .malformed)
        #expect(Self.refusal(Array(png.prefix(8)) + [UInt8](repeating: 0x41, count: 200)) == .malformed)
        #expect(Self.refusal(Array("%PDF-1.4\ngarbage\n%%EOF\n".utf8)) == .malformed)
        #expect(Self.refusal(Array("hello, world".utf8)) == .unsupportedFormat)
        #expect(Self.refusal([]) == .empty)
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        var limits = ReadLimits()
        limits.maxBytes = 1000
        #expect(Self.refusal(Array("%PDF-1.4\n".utf8) + [UInt8](repeating: 0x20, count: 2000), limits: limits) == .tooLarge)
    }

    /// OCR is bounded by the CPU time it spends on a page, so that a loaded machine reads a scan as an
    /// idle one does; a page that needs more is a timeout that says so, not a malformed file.
    @Test func aScanBeyondItsOCRBudgetIsATimeoutInCPUTime() throws {
        let scan = try Fixtures.bytes("scans/packing-en-classic.png")
        var limits = ReadLimits()
        limits.ocrCPUMilliseconds = 1
        do {
            let pages = try AnyDocumentReader(limits: limits).pages(scan)
            Issue.record("read \(pages.count) page(s) within 1 ms of CPU time")
        } catch {
            #expect(error.reason == .timeout)
            #expect(error.message.contains("ms of CPU time"), "\(error.message)")
        }
        // The default budget reads it.
        #expect(try !AnyDocumentReader(limits: ReadLimits()).pages(scan).flatMap(\.words).isEmpty)
    }
}
