import CSVCore
import Foundation

/// A CSV file with its name, so that every data error names the file and the line. Parsing is
/// the shared `CSVCore` reader; this adds the file name and column lookups that throw.
public struct CSVTable: Sendable {
    public let source: String
    public let header: [String]
    /// Data rows with the 1-based line on which each row starts.
    public let rows: [(line: Int, fields: [String])]

    public init(parsing text: String, source: String) throws(ClassificationError) {
        let reader: CSVReader
        do { reader = try CSVReader(text) } catch { throw .invalidData("\(source): \(error.description)") }
        guard !reader.header.isEmpty else { throw .invalidData("\(source): file is empty, a header row was expected") }
        self.source = source
        header = reader.header.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = reader.rows.map { (line: $0.line, fields: $0.fields) }
    }

    /// The index of a named column, or an error naming the file and the columns it does have.
    public func column(_ name: String) throws(ClassificationError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw .invalidData("\(source): column '\(name)' is missing (have: \(header.joined(separator: ", ")))")
        }
        return index
    }
}

extension Array where Element == String {
    /// The field at `index`, "" when the row is short.
    func field(_ index: Int) -> String { index < count ? self[index] : "" }
}

/// Errors that name the place (file and line, or input field) so that a person can fix the input.
public enum ClassificationError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidData(String)
    case invalidInput(String)
    case invalidModel(String)

    public var description: String {
        switch self {
        case .invalidData(let m): "invalid data: \(m)"
        case .invalidInput(let m): "invalid input: \(m)"
        case .invalidModel(let m): "invalid model artefact: \(m)"
        }
    }
}
