import ChildProcess
import DocumentExtraction
import Documents
import Foundation

/// Repo-relative fixture access (tests never read outside the repository).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let documents = root.appendingPathComponent("Fixtures/documents")

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: documents.appendingPathComponent(relative)))
    }

    /// The fixture files in a folder; a missing folder throws (naming it) instead of giving zero cases.
    static func list(_ sub: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: documents.appendingPathComponent(sub).path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The expected document of a fixture file, from `expected/` of its set (`layouts/` for the layout set).
    static func expected(_ file: String, set: String = "") throws -> ExtractedDocument {
        let id = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return try JSONDecoder().decode(ExtractedDocument.self, from: Data(contentsOf: documents.appendingPathComponent("\(set)expected/\(id).json")))
    }
}

/// Word boxes typed by hand: one line of words per entry, `x` positions in points.
func page(_ rows: [(y: Double, words: [(x: Double, text: String)])], number: Int = 1, confidence: Double = 1) -> PageText {
    var words: [Word] = []
    for row in rows {
        for w in row.words {
            let width = Double(w.text.count) * 5
            words.append(Word(text: w.text, box: DocumentExtraction.Box(x0: w.x, y0: row.y, x1: w.x + width, y1: row.y + 10), confidence: confidence))
        }
    }
    return PageText(number: number, width: 595, height: 842, source: .text, words: words)
}

/// Splits a phrase into words placed one after another from `x` (5 points per character, 3 between words).
func phrase(_ x: Double, _ text: String) -> [(x: Double, text: String)] {
    var out: [(x: Double, text: String)] = []
    var at = x
    for w in text.split(separator: " ") {
        out.append((at, String(w)))
        at += Double(w.count) * 5 + 3
    }
    return out
}
