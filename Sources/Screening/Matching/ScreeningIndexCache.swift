import CustomsModel
import Digests
import Foundation

/// A built `ScreeningIndex` as bytes, so that a process can start screening without parsing the
/// lists, normalising 56 k names and building the index again (about 1.5 CPU-s on the full lists).
/// Pure: the edge reads the list files, asks for their `key`, and reads and writes the cache file.
///
/// What is stored is the index's `Parts` (the parsed entries, the normalised names, the interned
/// tokens, the deletion variants and the mined spelling pairs); everything else is derived from
/// them by the same code as a cold build. A cache is never trusted blindly: it is refused when its
/// magic, byte order, format, key (the list files' bytes) or SHA-256 checksum differ, or when any
/// count or id in it is out of range, and the caller then builds the index from the lists.
public enum ScreeningIndexCache {
    static let magic: [UInt8] = Array("CHSCRIDX".utf8)
    static let byteOrderMark: UInt32 = 0x0102_0304
    /// Bump when the stored parts, their encoding, or what normalisation and loading produce
    /// change: an older cache is then rebuilt instead of read.
    public static let format: UInt32 = 1

    /// The key of an index built from `inputs` (names and bytes, in a stable order: the manifest,
    /// each list file, and anything else the index depends on).
    public static func key(_ inputs: [(name: String, bytes: Data)]) -> String {
        var all: [UInt8] = Array("screening-index format \(format)\n".utf8)
        all.reserveCapacity(inputs.reduce(all.count) { $0 + $1.name.utf8.count + $1.bytes.count + 24 })
        for (name, bytes) in inputs {
            all += Array("\(name)\n\(bytes.count)\n".utf8)
            all += bytes
        }
        return Digests.sha256(all)
    }

    public static func encode(_ index: ScreeningIndex, key: String) -> [UInt8] {
        var w = CacheWriter()
        w.u32(UInt32(index.versions.count))
        for v in index.versions {
            w.string(v.listID)
            w.string(v.name)
            w.u8(v.published == nil ? 0 : 1)
            w.u64((v.published?.timeIntervalSinceReferenceDate ?? 0).bitPattern)
            w.string(v.version)
            w.u64(UInt64(v.entryCount))
        }
        w.u32(UInt32(index.entities.count))
        for e in index.entities { w.entity(e) }
        w.u32(UInt32(index.names.count))
        for name in index.names {
            w.i32(name.entity)
            w.i32(name.nameIndex)
            let n = name.normalised
            w.u32(UInt32(n.tokens.count))
            for t in n.tokens {
                w.string(t.text)
                w.u8(Codes.role(t.role))
                w.u8(t.isFamily ? 1 : 0)
            }
            w.optionalString(n.legalForm)
            w.strings(n.notes)
        }
        w.array(index.nameTokenStart)
        w.array(index.nameTokenIDs)
        w.array(index.vocabularyStart)
        w.array(index.vocabularyBytes)
        w.array(index.deletionKeys)
        w.array(index.deletionTokens)
        w.array(index.equivalentPairs.sorted())

        var out = magic
        withUnsafeBytes(of: byteOrderMark) { out += $0 }
        withUnsafeBytes(of: format.littleEndian) { out += $0 }
        out += Array(key.utf8)
        out += Array(Digests.sha256(w.out).utf8)
        withUnsafeBytes(of: UInt64(w.out.count).littleEndian) { out += $0 }
        return out + w.out
    }

    /// The index stored in `bytes`, or why it cannot be used (then build it from the lists).
    public static func decode(_ bytes: [UInt8], key: String) throws(ScreeningCacheError) -> ScreeningIndex {
        ScreeningIndex(parts: try parts(bytes, key: key))
    }

    static func parts(_ bytes: [UInt8], key: String) throws(ScreeningCacheError) -> ScreeningIndex.Parts {
        let keyBytes = Array(key.utf8)
        let header = magic.count + 8 + keyBytes.count + 64 + 8
        guard bytes.count >= header, Array(bytes[0..<magic.count]) == magic else { throw ScreeningCacheError("not a screening index cache") }
        var r = CacheReader(bytes, from: magic.count)
        guard try r.raw(UInt32.self) == byteOrderMark else { throw ScreeningCacheError("written on a machine of the other byte order") }
        let fileFormat = UInt32(littleEndian: try r.raw(UInt32.self))
        guard fileFormat == format else { throw ScreeningCacheError("format \(fileFormat), this build reads format \(format)") }
        guard Array(try r.take(keyBytes.count)) == keyBytes else { throw ScreeningCacheError("stale: built from other list files or another build") }
        let checksum = Array(try r.take(64))
        let length = UInt64(littleEndian: try r.raw(UInt64.self))
        guard length == UInt64(bytes.count - header) else { throw ScreeningCacheError("truncated: \(bytes.count - header) payload bytes, expected \(length)") }
        let payload = Array(bytes[header...])
        guard Array(Digests.sha256(payload).utf8) == checksum else { throw ScreeningCacheError("corrupt: checksum mismatch") }
        return try decodePayload(payload)
    }

    static func decodePayload(_ payload: [UInt8]) throws(ScreeningCacheError) -> ScreeningIndex.Parts {
        var r = CacheReader(payload, from: 0)
        var versions: [ListVersion] = []
        for _ in 0..<(try r.count()) {
            let listID = try r.string(), name = try r.string()
            let hasDate = try r.u8() == 1
            let seconds = Double(bitPattern: try r.u64())
            let version = try r.string()
            let entries = try r.u64()
            guard entries <= UInt64(Int32.max) else { throw ScreeningCacheError("entry count \(entries) out of range") }
            versions.append(ListVersion(listID: listID, name: name, published: hasDate ? Date(timeIntervalSinceReferenceDate: seconds) : nil,
                                        version: version, entryCount: Int(entries)))
        }
        var entities: [ListedEntity] = []
        let entityCount = try r.count()
        entities.reserveCapacity(entityCount)
        for _ in 0..<entityCount { entities.append(try r.entity()) }

        var parts = ScreeningIndex.Parts(versions: versions, entities: entities)
        let nameCount = try r.count()
        var scoringCounts: [Int] = []
        scoringCounts.reserveCapacity(nameCount)
        for i in 0..<nameCount {
            let e = try r.i32(), n = try r.i32()
            guard e >= 0, Int(e) < entities.count, n >= 0, Int(n) < entities[Int(e)].names.count else {
                throw ScreeningCacheError("name \(i): entry \(e) name \(n) out of range")
            }
            var tokens: [NameToken] = []
            for _ in 0..<(try r.count()) {
                let text = try r.string()
                tokens.append(NameToken(text: text, role: try Codes.role(try r.u8()), isFamily: try r.u8() == 1))
            }
            let legalForm = try r.optionalString()
            let notes = try r.strings()
            let normalised = NormalisedName(original: entities[Int(e)].names[Int(n)].text, tokens: tokens, legalForm: legalForm, notes: notes)
            scoringCounts.append(tokens.count(where: \.scores))
            parts.nameEntity.append(e)
            parts.nameIndex.append(n)
            parts.normalised.append(normalised)
        }
        parts.nameTokenStart = try r.array(Int32.self)
        parts.nameTokenIDs = try r.array(Int32.self)
        let vocabularyStart = try r.array(Int32.self)
        let vocabularyBytes = try r.array(UInt8.self)
        let keys = try r.array(UInt64.self)
        let tokens = try r.array(Int32.self)
        let pairs = try r.array(UInt64.self)
        guard r.atEnd else { throw ScreeningCacheError("\(payload.count - r.offset) bytes after the last table") }

        // Every table consistent with the others, every id in range: a cache that passed the
        // checksum but came from a faulty writer still cannot make the index read out of bounds.
        try checkStarts(vocabularyStart, total: vocabularyBytes.count, what: "vocabulary")
        let vocabularyCount = vocabularyStart.count - 1
        parts.vocabulary = (0..<vocabularyCount).map { Array(vocabularyBytes[Int(vocabularyStart[$0])..<Int(vocabularyStart[$0 + 1])]) }
        guard parts.nameTokenStart.count == nameCount + 1 else { throw ScreeningCacheError("name token table has \(parts.nameTokenStart.count) starts for \(nameCount) names") }
        try checkStarts(parts.nameTokenStart, total: parts.nameTokenIDs.count, what: "name token")
        for i in 0..<nameCount {
            let count = Int(parts.nameTokenStart[i + 1] - parts.nameTokenStart[i])
            guard count > 0, count == scoringCounts[i] else { throw ScreeningCacheError("name \(i): \(count) token ids for \(scoringCounts[i]) scoring tokens") }
        }
        guard parts.nameTokenIDs.allSatisfy({ $0 >= 0 && Int($0) < vocabularyCount }) else { throw ScreeningCacheError("name token id out of range") }
        guard keys.count == tokens.count else { throw ScreeningCacheError("\(keys.count) deletion keys for \(tokens.count) tokens") }
        for i in keys.indices.dropFirst() where keys[i] < keys[i - 1] { throw ScreeningCacheError("deletion keys out of order at \(i)") }
        guard tokens.allSatisfy({ $0 >= 0 && Int($0) < vocabularyCount }) else { throw ScreeningCacheError("deletion token id out of range") }
        for key in pairs {
            let x = Int64(key >> 32), y = Int64(key & 0xFFFF_FFFF)
            guard x < vocabularyCount, y < vocabularyCount else { throw ScreeningCacheError("spelling pair \(x)/\(y) out of range") }
        }
        parts.deletion = (keys, tokens)
        parts.equivalentPairs = pairs
        return parts
    }

    static func checkStarts(_ starts: [Int32], total: Int, what: String) throws(ScreeningCacheError) {
        guard starts.first == 0, Int(starts.last ?? -1) == total else { throw ScreeningCacheError("\(what) table does not span its \(total) entries") }
        for i in starts.indices.dropFirst() where starts[i] < starts[i - 1] { throw ScreeningCacheError("\(what) table out of order at \(i)") }
    }

    /// One byte per enum case, fixed here (not the declaration order) so reordering a case cannot
    /// change what an old cache means.
    enum Codes {
        static let roles: [TokenRole] = [.word, .particle, .number, .initial, .stopWord, .legalForm, .honorific]
        static let qualities: [NameQuality] = [.primary, .strong, .weak, .former]
        static let types: [EntityType] = [.person, .organization, .vessel, .aircraft]

        static func role(_ r: TokenRole) -> UInt8 { UInt8(roles.firstIndex(of: r)!) }
        static func role(_ b: UInt8) throws(ScreeningCacheError) -> TokenRole { try pick(roles, b, "token role") }
        static func quality(_ q: NameQuality) -> UInt8 { UInt8(qualities.firstIndex(of: q)!) }
        static func quality(_ b: UInt8) throws(ScreeningCacheError) -> NameQuality { try pick(qualities, b, "name quality") }
        static func type(_ t: EntityType) -> UInt8 { UInt8(types.firstIndex(of: t)!) }
        static func type(_ b: UInt8) throws(ScreeningCacheError) -> EntityType { try pick(types, b, "entity type") }

        static func pick<T>(_ table: [T], _ b: UInt8, _ what: String) throws(ScreeningCacheError) -> T {
            guard Int(b) < table.count else { throw ScreeningCacheError("unknown \(what) \(b)") }
            return table[Int(b)]
        }
    }
}

/// Why a screening index cache was not used.
public struct ScreeningCacheError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Native byte order (the header's mark refuses a file from a machine of the other order).
struct CacheWriter {
    var out: [UInt8] = []

    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v) { out += $0 } }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v) { out += $0 } }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { bytes in
            u32(UInt32(bytes.count))
            out += bytes
        }
    }
    mutating func optionalString(_ s: String?) {
        u8(s == nil ? 0 : 1)
        if let s { string(s) }
    }
    mutating func strings(_ a: [String]) {
        u32(UInt32(a.count))
        for s in a { string(s) }
    }
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        u32(UInt32(a.count))
        a.withUnsafeBytes { out += $0 }
    }

    mutating func entity(_ e: ListedEntity) {
        string(e.listID)
        string(e.entryID)
        u8(ScreeningIndexCache.Codes.type(e.type))
        u32(UInt32(e.names.count))
        for n in e.names {
            string(n.text)
            u8(ScreeningIndexCache.Codes.quality(n.quality))
            optionalString(n.familyName)
        }
        strings(e.countries.map(\.rawValue))
        strings(e.addresses)
        u32(UInt32(e.birthDates.count))
        for b in e.birthDates {
            i32(Int32(clamping: b.fromYear))
            i32(Int32(clamping: b.toYear))
            i32(Int32(clamping: b.month ?? -1))
            i32(Int32(clamping: b.day ?? -1))
        }
        u32(UInt32(e.identifiers.count))
        for i in e.identifiers {
            string(i.kind)
            string(i.value)
            optionalString(i.country)
        }
        strings(e.programmes)
    }
}

struct CacheReader {
    let data: [UInt8]
    var offset: Int

    init(_ data: [UInt8], from offset: Int) {
        self.data = data
        self.offset = offset
    }

    var atEnd: Bool { offset == data.count }

    mutating func take(_ n: Int) throws(ScreeningCacheError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= data.count - offset else { throw ScreeningCacheError("truncated at byte \(offset) (wanted \(n) more)") }
        defer { offset += n }
        return data[offset..<(offset + n)]
    }

    mutating func raw<T: BitwiseCopyable>(_ type: T.Type) throws(ScreeningCacheError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= data.count - offset else { throw ScreeningCacheError("truncated at byte \(offset)") }
        let at = offset
        offset += size
        return data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: T.self) }
    }

    mutating func u8() throws(ScreeningCacheError) -> UInt8 { try raw(UInt8.self) }
    mutating func u64() throws(ScreeningCacheError) -> UInt64 { try raw(UInt64.self) }
    mutating func i32() throws(ScreeningCacheError) -> Int32 { try raw(Int32.self) }

    /// A count of following items, each at least one byte: never more than the bytes left.
    mutating func count() throws(ScreeningCacheError) -> Int {
        let n = Int(try raw(UInt32.self))
        guard n <= data.count - offset else { throw ScreeningCacheError("count \(n) at byte \(offset - 4) exceeds the file") }
        return n
    }

    mutating func string() throws(ScreeningCacheError) -> String {
        let n = try count()
        return String(decoding: try take(n), as: UTF8.self)
    }

    mutating func optionalString() throws(ScreeningCacheError) -> String? {
        if try u8() == 0 { return nil }
        return try string()
    }

    mutating func strings() throws(ScreeningCacheError) -> [String] {
        var out: [String] = []
        for _ in 0..<(try count()) { out.append(try string()) }
        return out
    }

    mutating func array<T: BitwiseCopyable>(_ type: T.Type) throws(ScreeningCacheError) -> [T] {
        let n = Int(try raw(UInt32.self))
        let size = MemoryLayout<T>.stride
        guard n <= (data.count - offset) / size else { throw ScreeningCacheError("table of \(n) at byte \(offset - 4) exceeds the file") }
        let start = offset
        offset += n * size
        return [T](unsafeUninitializedCapacity: n) { buffer, initialised in
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + n * size)]))
            }
            initialised = n
        }
    }

    mutating func entity() throws(ScreeningCacheError) -> ListedEntity {
        let listID = try string(), entryID = try string()
        let type = try ScreeningIndexCache.Codes.type(try u8())
        var names: [ListedName] = []
        for _ in 0..<(try count()) {
            let text = try string()
            let quality = try ScreeningIndexCache.Codes.quality(try u8())
            names.append(ListedName(text: text, quality: quality, familyName: try optionalString()))
        }
        let countries = try strings().map(CountryCode.init(rawValue:))
        let addresses = try strings()
        var birthDates: [BirthDate] = []
        for _ in 0..<(try count()) {
            var b = BirthDate(year: Int(try i32()))
            b.toYear = Int(try i32())
            let month = try i32(), day = try i32()
            b.month = month < 0 ? nil : Int(month)
            b.day = day < 0 ? nil : Int(day)
            birthDates.append(b)
        }
        var identifiers: [EntityIdentifier] = []
        for _ in 0..<(try count()) {
            let kind = try string(), value = try string()
            identifiers.append(EntityIdentifier(kind: kind, value: value, country: try optionalString()))
        }
        let programmes = try strings()
        return ListedEntity(
            listID: listID, entryID: entryID, type: type, names: names, countries: countries, addresses: addresses, birthDates: birthDates,
            identifiers: identifiers, programmes: programmes)
    }
}
