import Foundation
import HubContent
import JSONCore
import Screening

/// `customs-hub --version`: the tool's version and the versions of the content it would load,
/// read from pack headers, the list manifest and the model file's header (nothing is trained or
/// loaded in full).
enum VersionReport {
    static let tool = "0.1.0"

    static func print() throws {
        var fields: [(String, JSONValue)] = [("customs_hub", .string(tool))]
        let root: ContentRoot
        do { root = try ContentRoot.locate() } catch {
            Output.json(.object(JSONObject(fields + [("content", .null)])))
            throw Diagnostics.fail("\(error)", exit: Exit.configuration)
        }
        fields.append(("content", .string(root.url.path)))
        fields.append(("data", .string(DataFolder.url.path)))
        fields.append(("packs", .array(packs(root))))
        fields.append(("lists", .array(lists(root))))
        fields.append(("model", model(root)))
        Output.json(.object(JSONObject(fields)))
    }

    /// The first line of every pack file is its header: `{"pack", "version", ...}`.
    static func packs(_ root: ContentRoot) -> [JSONValue] {
        let dir = root.file("Data/packs")
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "jsonl" {
            guard let input = try? InputFile(url.path), let line = try? input.nextLine(limit: 1 << 16),
                  let header = try? JSONParser.parse(line), let pack = header["pack"]?.stringValue,
                  let version = header["version"]?.stringValue else { continue }
            out.append((pack, version))
        }
        return out.sorted { $0.0 < $1.0 }.map { .object(JSONObject([("pack", .string($0.0)), ("version", .string($0.1))])) }
    }

    /// The sanctions lists named in the manifest: the folder names their version.
    static func lists(_ root: ContentRoot) -> [JSONValue] {
        guard let data = try? root.read("Data/sanctions/manifest.json"), let manifest = try? ListManifest.decode(data) else { return [] }
        return manifest.lists.map { e in
            var o = JSONObject([("list", .string(e.id)), ("version", .string(e.folder))])
            if let p = e.published { o["published"] = .string(p) }
            return .object(o)
        }
    }

    /// The model `classify` would use, from the file's header; null when none is trained yet.
    static func model(_ root: ContentRoot) -> JSONValue {
        let candidates = [DataFolder.url.appendingPathComponent(ClassificationContentPaths.model), root.file(ClassificationContentPaths.model)]
        for url in candidates {
            guard let input = try? InputFile(url.path), let head = (try? input.nextChunk(limit: 1 << 30)) ?? nil else { continue }
            var offset = 7 + 4
            func string() -> String? {
                guard head.count >= offset + 4 else { return nil }
                var n = 0
                for k in 0..<4 { n |= Int(head[offset + k]) << (8 * k) }
                offset += 4
                guard n < 4096, head.count >= offset + n else { return nil }
                defer { offset += n }
                return String(decoding: head[offset..<offset + n], as: UTF8.self)
            }
            guard head.starts(with: Array("CHHSCLS".utf8)), let version = string(), let trainedAt = string() else { continue }
            return .object(JSONObject([("version", .string(version)), ("trained_at", .string(trainedAt)), ("file", .string(url.path))]))
        }
        return .null
    }
}

/// Where the classifier's files live, relative to the content or data folder.
enum ClassificationContentPaths {
    static let model = ClassificationContent.modelPath
    static let corrections = ClassificationContent.correctionsPath
}
