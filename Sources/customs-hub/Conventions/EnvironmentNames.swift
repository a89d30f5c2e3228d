import Documents
import Foundation

/// The `CUSTOMS_HUB_*` variables this program reads. A misspelt one (`CUSTOMS_HUB_DATABSE`) would
/// otherwise be ignored without a word and the default used, so every command warns about each
/// unknown name once at start, with the closest known one; it never stops because of it.
enum EnvironmentNames {
    static let prefix = "CUSTOMS_HUB_"

    /// Every fixed name: the folders, the server's settings (docs/configuration.md), the demo's and
    /// the alert route's secrets, and the test suite's switches (set when the tests run the CLI).
    static let known: Set<String> = Set([
        "HOME", "DATA", "CACHE", "DATABASE", "HOST", "PORT", "LOG_LEVEL", "MAX_BODY_BYTES", "MODEL", "PACKS", "LISTS",
        "THRESHOLD_CLASSIFICATION_CONFIDENCE", "THRESHOLD_RISK_REVIEW", "THRESHOLD_SCREENING_REVIEW", "THRESHOLD_SCREENING_BLOCK",
        "ENCODER", "SEQUENCE_FILE", "CALLBACK_SECRET", "DEMO_KEY", "DEMO_REVIEWER_TOKEN",
        "ALERT_WEBHOOK_URL", "ALERT_WEBHOOK_SECRET",
        "POSTGRES_URL", "REQUIRE_POSTGRES", "REQUIRE_BROWSER", "REQUIRE_ENCODER", "SCREENSHOTS", "FAULT_FILINGS", "TWO_SERVE_ORDERS",
    ].map { prefix + $0 }).union(OCRSettings.names)

    /// Per adapter: `CUSTOMS_HUB_ADAPTER_<ID>_<SETTING>`.
    static let adapterPrefix = prefix + "ADAPTER_"
    static let adapterSettings = ["_ENDPOINT", "_ENABLED", "_RATE_PER_SECOND", "_BURST", "_CALLBACK_SECRET"]

    /// One warning per unknown name, in name order: the name and the closest known one.
    static func warnings(_ environment: [String: String]) -> [String] {
        environment.keys.sorted().compactMap { name in
            guard name.hasPrefix(prefix), !known.contains(name) else { return nil }
            if name.hasPrefix(adapterPrefix), adapterSettings.contains(where: { name.hasSuffix($0) && name.count > adapterPrefix.count + $0.count }) {
                return nil
            }
            // `serve` and `extract` refuse an unknown OCR setting themselves (exit 3).
            if name.hasPrefix(OCRSettings.prefix) { return nil }
            return "\(name) is not a setting this program reads; ignored (did you mean \(closest(to: name))?)"
        }
    }

    /// The known name fewest edits away (an adapter setting is matched on its pattern).
    static func closest(to name: String) -> String {
        if name.hasPrefix(adapterPrefix) {
            return adapterPrefix + "<ID>" + (adapterSettings.min { distance(String(name.suffix($0.count)), $0) < distance(String(name.suffix($1.count)), $1) } ?? "_ENDPOINT")
        }
        return known.sorted().min { distance(name, $0) < distance(name, $1) } ?? prefix + "HOME"
    }

    /// Levenshtein distance over bytes (the names are ASCII).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
