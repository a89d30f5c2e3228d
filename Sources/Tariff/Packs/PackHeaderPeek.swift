import Foundation
import JSONCore

extension PackParser {
    /// The header of a pack from the start of its file (blank lines and `#` comments before it are
    /// skipped), or nil when `prefix` holds no complete, valid header line. Lets a library decide
    /// whether a file is needed before parsing its tens of thousands of rules.
    public static func header(peeking prefix: Data, file: String) -> PackHeader? {
        let bytes = Array(prefix)
        var start = 0
        var lineNo = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: 0x0A) else { return nil }
            let line = bytes[start..<end]
            start = end + 1
            lineNo += 1
            guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }), first != 0x23 else { continue }
            guard let object = (try? JSONParser.parse(line))?.objectValue else { return nil }
            var f = Fields(object: object, file: file, line: lineNo)
            guard let header = f.header(), f.issues.isEmpty else { return nil }
            return header
        }
        return nil
    }
}
