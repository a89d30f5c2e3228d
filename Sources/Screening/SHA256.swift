import Crypto

/// The SHA-256 of a list's bytes as lowercase hex, so a list version names exactly which bytes it
/// was built from (swift-crypto; only used at load time).
enum SHA256Digest {
    static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let text = String(byte, radix: 16)
            return byte < 0x10 ? "0" + text : text
        }.joined()
    }
}
