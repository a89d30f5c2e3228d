import Crypto
import Foundation

/// Checks that a callback really comes from the gateway: an HMAC over the body with a shared
/// secret, compared in constant time, and for Standard Webhooks a timestamp inside the tolerance.
public enum CallbackVerifier {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missingHeader(String)
        case badSignature
        case stale(seconds: Int)

        public var description: String {
            switch self {
            case .missingHeader(let h): "missing signature header \(h)"
            case .badSignature: "signature does not match"
            case .stale(let s): "timestamp is \(s) s away from now, outside the tolerance"
            }
        }
    }

    /// `headers` keys are compared case-insensitively. `now` comes from the caller's clock.
    public static func verify(
        _ signature: AdapterDefinition.Signature, secret: [UInt8], headers: [String: String], body: [UInt8], now: Date
    ) throws(Failure) {
        let lower = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        let key = SymmetricKey(data: secret)
        switch signature.scheme {
        case "standard-webhooks":
            guard let id = lower["webhook-id"] else { throw .missingHeader("webhook-id") }
            guard let ts = lower["webhook-timestamp"], let seconds = Int(ts) else { throw .missingHeader("webhook-timestamp") }
            guard let sig = lower[signature.header.lowercased()] else { throw .missingHeader(signature.header) }
            let skew = abs(Int(now.timeIntervalSince1970) - seconds)
            if skew > signature.toleranceSeconds { throw .stale(seconds: skew) }
            // Standard Webhooks secrets are written `whsec_<base64>`.
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).".utf8) + body, using: key)
            let expected = Data(mac).base64EncodedString()
            // The header may carry several space-separated `v1,<sig>` entries during key rotation.
            for candidate in sig.split(separator: " ") {
                let parts = candidate.split(separator: ",", maxSplits: 1)
                if parts.count == 2, parts[0] == "v1", constantTimeEqual(Array(parts[1].utf8), Array(expected.utf8)) { return }
            }
            throw .badSignature
        default:
            guard let sig = lower[signature.header.lowercased()] else { throw .missingHeader(signature.header) }
            let mac = Data(HMAC<SHA256>.authenticationCode(for: body, using: key))
            let expected = signature.scheme == "hmac-sha256-base64" ? mac.base64EncodedString() : mac.map { String(format: "%02x", $0) }.joined()
            let given = sig.hasPrefix("sha256=") ? String(sig.dropFirst(7)) : sig
            let normalized = signature.scheme == "hmac-sha256-base64" ? given : given.lowercased()
            if !constantTimeEqual(Array(normalized.utf8), Array(expected.utf8)) { throw .badSignature }
        }
    }

    /// Decodes a Standard Webhooks `whsec_` secret, or takes any other secret as raw bytes.
    public static func secretBytes(_ text: String) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("whsec_"), let d = Data(base64Encoded: String(trimmed.dropFirst(6))) { return Array(d) }
        return Array(trimmed.utf8)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
