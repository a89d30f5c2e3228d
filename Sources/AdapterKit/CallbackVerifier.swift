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
            let signed = Array("\(id).\(ts).".utf8) + body
            // The header may carry several space-separated `v1,<sig>` entries during key rotation.
            for candidate in sig.split(separator: " ") {
                let parts = candidate.split(separator: ",", maxSplits: 1)
                if parts.count == 2, parts[0] == "v1", let given = Data(base64Encoded: String(parts[1])),
                    HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: signed, using: key)
                {
                    return
                }
            }
            throw .badSignature
        default:
            guard let sig = lower[signature.header.lowercased()] else { throw .missingHeader(signature.header) }
            let text = sig.hasPrefix("sha256=") ? String(sig.dropFirst(7)) : sig
            let given = signature.scheme == "hmac-sha256-base64" ? Data(base64Encoded: text).map(Array.init) : hexBytes(text)
            guard let given, HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: body, using: key) else { throw .badSignature }
        }
    }

    /// Decodes a Standard Webhooks `whsec_` secret, or takes any other secret as raw bytes.
    public static func secretBytes(_ text: String) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("whsec_"), let d = Data(base64Encoded: String(trimmed.dropFirst(6))) { return Array(d) }
        return Array(trimmed.utf8)
    }

    /// Hex text (either case) as bytes; `nil` when it is not hex.
    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0, digits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
