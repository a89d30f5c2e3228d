import CustomsModel
import Foundation
import JSONCore
import Mapping

/// Turns a mapping's output tree into message bytes. JSON is built in; XML and EDIFACT writers
/// register here from their own targets, so adapters of every format render the same way.
public protocol MessageWriter: Sendable {
    var format: MappingSpec.Format { get }
    func write(_ tree: JSONValue, spec: MappingSpec) throws -> [UInt8]
}

/// Reads a message's bytes into the tree inbound mappings read.
public protocol MessageReader: Sendable {
    var format: MappingSpec.Format { get }
    func read(_ bytes: [UInt8]) throws -> JSONValue
    /// Every message tree in the input, in order (an EDIFACT file may hold many interchanges).
    func readAll(_ bytes: [UInt8]) throws -> [JSONValue]
}

extension MessageReader {
    public func readAll(_ bytes: [UInt8]) throws -> [JSONValue] { [try read(bytes)] }
}

/// Checks a rendered XML or EDIFACT message against a named schema or grammar (`cds-declaration`,
/// `D96B`), so that no filing leaves that its gateway would reject on structure.
public protocol MessageValidator: Sendable {
    var format: MappingSpec.Format { get }
    func knows(_ schema: String) -> Bool
    /// Problems found, one line each; empty when the message is valid.
    func validate(_ body: [UInt8], schema: String) throws -> [String]
}

public struct JSONMessageWriter: MessageWriter {
    public init() {}
    public var format: MappingSpec.Format { .json }
    public func write(_ tree: JSONValue, spec: MappingSpec) throws -> [UInt8] { Array(JSONWriter.write(tree).utf8) }
}

public struct JSONMessageReader: MessageReader {
    public init() {}
    public var format: MappingSpec.Format { .json }
    public func read(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser.parse(bytes) }
}
