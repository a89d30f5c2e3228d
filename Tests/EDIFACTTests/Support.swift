import EDIFACT
import Foundation

/// Repo-relative fixture access (tests never read outside the repository).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let edifact = root.appendingPathComponent("Fixtures/edifact")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: edifact.appendingPathComponent(name)))
    }

    static func allEdifact(in folder: String? = nil) throws -> [String] {
        let path = folder.map { edifact.appendingPathComponent($0).path } ?? edifact.path
        return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".edi") }.sorted()
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent(relative)), as: UTF8.self)
    }
}

func parse(_ text: String, options: EDIFACTReader.Options = .init()) -> Document {
    EDIFACTReader.read(Array(text.utf8), options: options)
}

/// Feeds the input in chunks of `size` bytes, as a network or file stream would.
func parseChunked(_ bytes: [UInt8], size: Int, options: EDIFACTReader.Options = .init()) -> Document {
    var reader = EDIFACTReader(options: options)
    var builder = DocumentBuilder()
    var i = 0
    while i < bytes.count {
        reader.feed(Array(bytes[i..<min(i + size, bytes.count)]))
        while let e = reader.next() { builder.add(e) }
        i += size
    }
    reader.finish()
    while let e = reader.next() { builder.add(e) }
    return builder.document
}

/// The tree without trailers and positions: what must survive a write/read round trip.
func content(_ d: Document) -> [[Segment]] {
    d.interchanges.map { ic in
        var s = [ic.header]
        for g in ic.groups {
            s.append(g.header)
            for m in g.messages { s += m.body }
        }
        for m in ic.messages { s.append(m.segments[0]); s += m.body }
        return s
    }
}
