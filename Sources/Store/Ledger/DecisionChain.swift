import Digests
import Foundation

/// The hash chain over decision records. Each record's hash covers its own fields and the hash of
/// the record before it, so changing any field of any row, or deleting a row, breaks every hash
/// after it; the chain head (hash and length) catches the deletion of the newest rows.
///
/// Pure: both engines call `seal` inside the append transaction, and `audit verify` replays it.
public enum DecisionChain {
    /// The `previousHash` of the first record.
    public static let genesis = String(repeating: "0", count: 64)

    /// The record with `previousHash` and `hash` set, chained after `previous`.
    public static func seal(_ record: DecisionRecord, after previous: String) -> DecisionRecord {
        var r = record
        r.previousHash = previous
        r.hash = hash(r)
        return r
    }

    /// SHA-256 over every field but the id (assigned by the engine) and the hash itself. Fields are
    /// length-prefixed so that no two different records hash the same text. A record about a
    /// document draft adds the draft's id at the end (records without one hash as they always did).
    public static func hash(_ r: DecisionRecord) -> String {
        var fields: [String] = [
            r.orderID.map(String.init) ?? "-", r.lineNumber.map(String.init) ?? "-", r.kind, r.actor, r.inputDigest, r.input, r.output,
            r.confidence.map { "\($0)" } ?? "-", r.evidence, r.version, String(r.decidedAt), r.corrects.map(String.init) ?? "-",
            r.previousHash,
        ]
        if let document = r.documentID { fields.append("document:\(document)") }
        // The same text as UTF-8 bytes, written once into a buffer sized for it (appending to a
        // `String` piece by piece grew and checked it on every append).
        var text: [UInt8] = []
        text.reserveCapacity(fields.reduce(fields.count * 8) { $0 + $1.utf8.count })
        for field in fields {
            text.append(contentsOf: String(field.utf8.count).utf8)
            text.append(UInt8(ascii: ":"))
            text.append(contentsOf: field.utf8)
            text.append(UInt8(ascii: "\n"))
        }
        return Digests.sha256(text)
    }

    /// Where a chain first fails.
    public struct Break: Sendable, Hashable, Codable, CustomStringConvertible {
        public var recordID: Int64?
        public var reason: String
        public init(recordID: Int64?, reason: String) { self.recordID = recordID; self.reason = reason }
        public var description: String { recordID.map { "decision \($0): \(reason)" } ?? reason }
        enum CodingKeys: String, CodingKey { case recordID = "record_id", reason }
    }

    /// Replays a stretch of the chain. Feed records in id order, starting from `previous`
    /// (the genesis for the first stretch); returns the first break and the hash to carry on from.
    public static func verify(_ records: [DecisionRecord], previous: String) -> (break: Break?, last: String) {
        var prev = previous
        for r in records {
            if r.previousHash != prev {
                return (Break(recordID: r.id, reason: "previous hash does not match the record before it (a record was changed, removed or inserted)"), prev)
            }
            if hash(r) != r.hash {
                return (Break(recordID: r.id, reason: "contents do not match the record's hash (the record was changed)"), prev)
            }
            prev = r.hash
        }
        return (nil, prev)
    }
}
