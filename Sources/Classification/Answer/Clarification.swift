import Foundation

/// A question that would settle the answer: the leading candidates differ in one attribute
/// (material, knitted or woven, for men or for women, powered or not, a part or the whole
/// article) that the description does not state.
public struct Clarification: Sendable, Equatable, Codable {
    /// The attribute, as a key for `answers` ("construction", "gender", "material", "power", "part").
    public var attribute: String
    public var question: String
    /// The values seen among the candidates, best candidate's first; answer with one of them.
    public var options: [String]

    public init(attribute: String, question: String, options: [String]) {
        self.attribute = attribute; self.question = question; self.options = options
    }
}

/// Reads attribute values off the nomenclature text of each subheading, and re-ranks candidates by
/// a person's answers.
struct AttributeReader: Sendable {
    struct Attribute: Sendable {
        var name: String
        var question: String
        /// (value, phrases in the tariff text that mean it), tried in order.
        var values: [(String, [String])]
        /// Value when no phrase matches (nil: unknown).
        var fallback: String?
        /// Words in a description that already state a value.
        var stated: [String: [String]]
        /// Read only the subheading's own text (headings often end "; parts thereof").
        var ownTextOnly = false
    }

    static let attributes: [Attribute] = [
        Attribute(name: "construction", question: "Is the fabric knitted (or crocheted), or woven?",
                  values: [("woven", ["not knitted or crocheted", "woven"]), ("knitted", ["knitted or crocheted", "knitted"])], fallback: nil,
                  stated: ["woven": ["woven", "weave", "denim", "poplin", "twill", "chiffon"], "knitted": ["knit", "knitted", "crochet", "crocheted", "jersey", "fleece"]]),
        Attribute(name: "gender", question: "Is it for men or boys, for women or girls, or for babies?",
                  values: [("babies", ["babies'"]), ("women or girls", ["women's or girls'", "women's", "girls'"]), ("men or boys", ["men's or boys'", "men's", "boys'"])], fallback: nil,
                  stated: ["women or girls": ["women", "woman", "girl", "ladies", "female"], "men or boys": ["men", "man", "boy", "male"], "babies": ["infant", "baby", "babies", "toddler", "newborn"]]),
        Attribute(name: "material", question: "What is it mainly made of?",
                  values: [("other textile materials", ["other than cotton", "of other textile", "of textile materials"]),
                           ("cotton", ["of cotton"]), ("wool or fine animal hair", ["of wool", "fine animal hair"]),
                           ("synthetic fibres", ["of synthetic fibres", "synthetic fibres"]), ("artificial fibres", ["of artificial fibres"]),
                           ("man-made fibres", ["man-made fibres"]), ("silk", ["of silk"]), ("flax", ["of flax"]),
                           ("leather", ["of leather", "composition leather"]), ("plastics", ["of plastics", "plastics"]),
                           ("rubber", ["of rubber", "vulcanised rubber"]), ("wood", ["of wood"]), ("paper or paperboard", ["of paper", "paperboard"]),
                           ("glass", ["of glass"]), ("stainless steel", ["of stainless steel"]), ("iron or steel", ["of iron or steel", "of iron", "of steel"]),
                           ("aluminium", ["of aluminium"]), ("copper", ["of copper"]), ("precious metal", ["of precious metal", "clad with precious metal"]),
                           ("base metal", ["of base metal"]), ("porcelain or china", ["of porcelain or china"]), ("ceramic", ["ceramic"])],
                  fallback: nil,
                  stated: ["cotton": ["cotton"], "wool or fine animal hair": ["wool", "cashmere", "merino", "alpaca", "angora", "mohair"],
                           "synthetic fibres": ["polyester", "nylon", "acrylic", "polyamide", "elastane", "spandex", "synthetic", "polypropylene"],
                           "artificial fibres": ["viscose", "rayon", "modal", "lyocell", "acetate"], "man-made fibres": ["polyester", "nylon", "viscose", "rayon"],
                           "silk": ["silk"], "flax": ["linen", "flax"], "leather": ["leather"],
                           "plastics": ["plastic", "pvc", "polyethylene", "abs", "silicone", "polypropylene", "acrylic", "nylon"], "rubber": ["rubber", "latex"],
                           "wood": ["wood", "wooden", "bamboo", "oak", "pine"], "paper or paperboard": ["paper", "cardboard", "paperboard"], "glass": ["glass"],
                           "stainless steel": ["stainless"], "iron or steel": ["steel", "iron"], "aluminium": ["aluminum"], "copper": ["copper", "brass"],
                           "precious metal": ["gold", "silver", "platinum"], "ceramic": ["ceramic", "stoneware", "earthenware"], "porcelain or china": ["porcelain", "china"],
                           "other textile materials": ["polyester", "nylon", "wool", "silk", "linen", "viscose", "acrylic"]]),
        Attribute(name: "power", question: "Does it work with an electric motor or electric power, or without?",
                  values: [("not electric", ["non-electric", "not electrically", "hand-operated", "hand operated", "without motor"]),
                           ("electric", ["electric", "electrically", "electro-mechanical", "battery"])], fallback: nil,
                  stated: ["electric": ["electric", "electrical", "battery", "rechargeable", "powered", "motor", "volt", "watt", "usb", "cordless"], "not electric": ["manual", "non electric"]]),
        Attribute(name: "part", question: "Is it a complete article, or a part or accessory of one?",
                  values: [("part or accessory", ["parts", "part of", "accessories"])], fallback: "complete article",
                  stated: ["part or accessory": ["part", "spare", "replacement", "component", "accessory"]], ownTextOnly: true),
    ]

    /// attribute index → value, per subheading position.
    let values: [[String?]]

    init(nomenclature: Nomenclature, codes: [String]) {
        values = codes.map { code -> [String?] in
            let own = (nomenclature.subheadings[code] ?? "").lowercased()
            let heading = (nomenclature.headings[String(code.prefix(4))] ?? "").lowercased()
            return Self.attributes.map { attribute -> String? in
                for text in attribute.ownTextOnly ? [own] : [own, heading] {
                    for (value, phrases) in attribute.values where phrases.contains(where: { text.contains($0) }) { return value }
                }
                return attribute.fallback
            }
        }
    }

    func value(_ attribute: Int, of position: Int32) -> String? { values[Int(position)][attribute] }

    static func index(of name: String) -> Int? { attributes.firstIndex { $0.name == name } }

    /// The first attribute (in the order above) on which the best candidate and one of the next two
    /// differ, that the description does not state and no answer has settled.
    func question(candidates: [Int32], tokens: Set<String>, answered: Set<String>) -> Clarification? {
        guard candidates.count >= 2 else { return nil }
        for (a, attribute) in Self.attributes.enumerated() where !answered.contains(attribute.name) {
            guard let top = value(a, of: candidates[0]) else { continue }
            let rivals = candidates.dropFirst().prefix(2).compactMap { value(a, of: $0) }
            guard rivals.contains(where: { $0 != top }) else { continue }
            var options: [String] = []
            for c in candidates.prefix(5) { if let v = value(a, of: c), !options.contains(v) { options.append(v) } }
            // The description already says which: asking again would not help.
            if options.contains(where: { option in (attribute.stated[option] ?? []).contains { tokens.contains($0) } }) { continue }
            return Clarification(attribute: attribute.name, question: attribute.question, options: options)
        }
        return nil
    }

    /// Log-score shift for a candidate from the answers given: up when its value is the answer,
    /// down when it has another value, unchanged when the tariff text says nothing.
    func shift(_ position: Int32, answers: [Int: String]) -> Double {
        var z = 0.0
        for (a, answer) in answers {
            guard let v = value(a, of: position) else { continue }
            z += v == answer ? 2 : -20
        }
        return z
    }
}
