import JSONCore

extension LabelledExample {
    /// One file of `Data/classification/extra/`: JSON lines `{"description", "code", "ref"?,
    /// "kind"?, "terms"?}`. The first six digits of `code` are the HS-6; rows whose HS-6 is not an
    /// HS 2022 subheading are skipped and listed in `skipped`. A row's `terms` (synonyms, colloquial
    /// names, brands) become a second, short example with the same code. Errors name the line.
    public static func jsonLines(_ text: String, origin: ExampleOrigin, label: String, source: String, nomenclature: Nomenclature,
                                 skipped: inout [String]) throws(ClassificationError) -> [LabelledExample] {
        var out: [LabelledExample] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(String(line)) } catch {
                throw .invalidData("\(source): line \(lineNumber): \(error.description)")
            }
            guard let object = value.objectValue, let description = object["description"]?.stringValue,
                  let code = object["code"]?.stringValue else {
                throw .invalidData("\(source): line \(lineNumber): expected an object with string fields description and code")
            }
            let digits = String(code.filter { $0.isASCII && $0.isNumber })
            let hs6 = String(digits.prefix(6))
            guard digits.count >= 6, nomenclature.contains(hs6) else {
                skipped.append("\(source): line \(lineNumber): code '\(code)' is not under an HS 2022 subheading")
                continue
            }
            let ref = object["ref"]?.stringValue ?? object["kind"]?.stringValue
            let national = digits.count > 6 ? digits : nil
            let name = ref.map { "\(label) \($0)" } ?? label
            // HMRC's search references are a lexicon of terms, not item descriptions.
            let rowOrigin: ExampleOrigin = object["kind"]?.stringValue == "search_reference" ? .lexicon : origin
            if !description.allSatisfy(\.isWhitespace) {
                out.append(LabelledExample(description: description, hs6: hs6, nationalCode: national, source: name, origin: rowOrigin))
            }
            let terms = (object["terms"]?.arrayValue ?? []).compactMap(\.stringValue).filter { !$0.allSatisfy(\.isWhitespace) }
            if !terms.isEmpty {
                out.append(LabelledExample(description: terms.joined(separator: ", "), hs6: hs6, nationalCode: national, source: name + " (terms)", origin: origin))
            }
        }
        return out
    }
}
