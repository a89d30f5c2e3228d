import CustomsModel

/// Checks across the records of one pack: two rules for the same thing must not be valid on the
/// same day (the engine could not tell which applies), and a series that should be continuous (a
/// region's VAT rate, an exchange rate) must not have a hole in which no rule applies.
enum PackValidator {
    static func validate(_ pack: inout Pack) -> [PackIssue] {
        var issues: [PackIssue] = []
        let file = pack.file
        func check(_ label: String, _ items: [(key: String, validity: Validity, line: Int)], gapsAreErrors: Bool) {
            let groups = Dictionary(grouping: items, by: \.key)
            for key in groups.keys.sorted() {
                let sorted = groups[key, default: []].sorted { $0.validity.from < $1.validity.from }
                for (a, b) in zip(sorted, sorted.dropFirst()) {
                    if a.validity.overlaps(b.validity) {
                        issues.append(PackIssue(
                            file: file, line: b.line,
                            message: "\(label) \(key): validity \(b.validity) overlaps \(a.validity) on line \(a.line)"))
                    } else if gapsAreErrors, let end = a.validity.to, end.next != b.validity.from {
                        issues.append(PackIssue(
                            file: file, line: b.line,
                            message: "\(label) \(key): gap between \(end) (line \(a.line)) and \(b.validity.from); no rule applies in between"))
                    }
                }
            }
        }
        check("jurisdiction", pack.jurisdictions.map { ($0.code, $0.validity, $0.ref.line) }, gapsAreErrors: true)
        check("program", pack.programs.map { ($0.symbol, $0.validity, $0.ref.line) }, gapsAreErrors: false)
        check("code", pack.codes.map { ($0.code, $0.validity, $0.line) }, gapsAreErrors: false)
        check(
            "measure",
            pack.measures.map {
                let origins = $0.origins.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "any"
                // Additional measures of different actions stack by design (Brazil's Section 301
                // beside its note-52 rate), so each action is its own series.
                let action = $0.type == .additional ? " action=\($0.id)" : ""
                let key = "\($0.type.rawValue) \($0.code.isEmpty ? "(all goods)" : $0.code) programs=\($0.programs.joined(separator: ",")) origins=\(origins)\(action)"
                return (key, $0.validity, $0.ref.line)
            }, gapsAreErrors: false)
        check(
            "tax", pack.taxes.map { ("\($0.region) \($0.category) \($0.hsPrefixes.joined(separator: ","))", $0.validity, $0.ref.line) },
            gapsAreErrors: true)
        check(
            "fee",
            pack.fees.map {
                let ch = $0.channels.map { $0.sorted().joined(separator: ",") } ?? "any"
                let rg = $0.regions.map { $0.sorted().joined(separator: ",") } ?? "any"
                return ("\($0.name) channels=\(ch) regions=\(rg)", $0.validity, $0.ref.line)
            }, gapsAreErrors: false)
        check("fx", pack.fx.map { ("\($0.source) \($0.from)->\($0.to)", $0.validity, $0.ref.line) }, gapsAreErrors: true)
        for m in pack.measures where !m.rate.isPriceable && m.type == .additional {
            issues.append(PackIssue(file: file, line: m.ref.line, message: "rate: additional measure \(m.id) has an unpriceable rate \"\(m.rate.raw)\""))
        }
        return issues
    }
}
