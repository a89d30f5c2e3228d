import AdapterKit
import Foundation

/// Reads secrets from where adapter files point (`{env: NAME}`, `{file: PATH}`) at the moment they
/// are needed, so a rotated secret is picked up without a restart and no secret is ever stored.
public struct Secrets: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) { self.environment = environment }

    public struct Missing: Error, Sendable, CustomStringConvertible {
        public var reference: String
        public var description: String { "secret \(reference) is not set" }
    }

    public func value(_ reference: AdapterDefinition.SecretReference) throws(Missing) -> String {
        switch reference {
        case .environment(let name):
            guard let v = environment[name], !v.isEmpty else { throw Missing(reference: reference.description) }
            return v
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw Missing(reference: reference.description) }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw Missing(reference: reference.description) }
            return text
        }
    }
}
