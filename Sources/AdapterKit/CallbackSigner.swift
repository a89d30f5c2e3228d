import Crypto
import Digests
import Foundation

/// Signs a callback the way a gateway does, for the adapter's `callbacks.signature` scheme: the
/// mirror of `CallbackVerifier`, used by the sandbox gateway and by tests.
public enum CallbackSigner {
    /// The headers to send with `body`. `eventID` is used by Standard Webhooks (`webhook-id`).
    public static func headers(_ signature: AdapterDefinition.Signature, secret: [UInt8], body: [UInt8], eventID: String, now: Date) -> [String: String] {
        let key = SymmetricKey(data: secret)
        switch signature.scheme {
        case "standard-webhooks":
            let ts = String(Int(now.timeIntervalSince1970))
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(eventID).\(ts).".utf8) + body, using: key)
            return ["webhook-id": eventID, "webhook-timestamp": ts, signature.header: "v1," + Data(mac).base64EncodedString()]
        case "hmac-sha256-base64":
            return [signature.header: Data(HMAC<SHA256>.authenticationCode(for: body, using: key)).base64EncodedString()]
        default:
            return [signature.header: Digests.hex(HMAC<SHA256>.authenticationCode(for: body, using: key))]
        }
    }
}

extension CallbackSigner {
    /// Standard Webhooks headers for a body the hub sends itself (alert webhooks).
    public static func standardWebhooks(secret: [UInt8], body: [UInt8], eventID: String, now: Date) -> [String: String] {
        headers(AdapterDefinition.Signature(scheme: "standard-webhooks", header: "webhook-signature", secret: .environment(""), toleranceSeconds: 300),
                secret: secret, body: body, eventID: eventID, now: now)
    }
}

extension AdapterDefinition.Signature {
    /// How the hub checks callbacks for an adapter whose file names no signature: an HMAC-SHA256
    /// hex digest of the body in `X-Hub-Signature-256`, with the secret in `secretEnvironment`.
    public static func hubDefault(secretEnvironment: String = "CUSTOMS_HUB_CALLBACK_SECRET") -> AdapterDefinition.Signature {
        AdapterDefinition.Signature(scheme: "hmac-sha256-hex", header: "X-Hub-Signature-256", secret: .environment(secretEnvironment),
                                    toleranceSeconds: 300)
    }
}
