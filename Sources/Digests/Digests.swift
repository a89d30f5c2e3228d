import Crypto

/// Lowercase hex of bytes and of their SHA-256: how the hub writes every digest, key hash, token
/// and signature (decision chain, list versions, idempotency, sessions, callback HMACs), so that
/// they all compare as the same text. swift-crypto does the hashing.
public enum Digests {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two lowercase hex digits per byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of `bytes` as 64 lowercase hex digits.
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        // The digest's bytes read through a buffer: iterating `SHA256Digest` as a sequence cost
        // about 3,800 instructions a digest, against a few hundred.
        SHA256.hash(data: Array(bytes)).withUnsafeBytes { hex($0) }
    }

    /// The SHA-256 of a text's UTF-8 as 64 lowercase hex digits. A native string's bytes are hashed
    /// where they are (the order's canonical text and each filing body, every order): no copy.
    public static func sha256(_ text: String) -> String {
        let inPlace = text.utf8.withContiguousStorageIfAvailable { bytes in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return hasher.finalize().withUnsafeBytes { hex($0) }
        }
        return inPlace ?? sha256(Array(text.utf8))
    }
}
