import JSONCore

extension ClassificationRequest {
    /// One JSON line of `classify` input: `{"id"?, "description", "destination"?, "hs_code"?, "date"?, "answers"?}`
    /// (`answers`: attribute → value, replying to a result's `clarification`).
    /// Errors name the line and the field, so a bad record can be found and fixed.
    public init(jsonLine text: String, line: Int) throws(ClassificationError) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw .invalidInput("line \(line): \(error.description)") }
        guard let object = value.objectValue else { throw .invalidInput("line \(line): expected a JSON object, got \(value.typeName)") }
        func string(_ key: String, required: Bool = false) throws(ClassificationError) -> String? {
            switch object[key] {
            case nil, .null?:
                if required { throw .invalidInput("line \(line): \(key): is required") }
                return nil
            case .string(let s)?: return s
            case .number(let n)? where key == "id": return n
            case let other?: throw .invalidInput("line \(line): \(key): expected a string, got \(other.typeName)")
            }
        }
        let description = try string("description", required: true) ?? ""
        guard !description.allSatisfy(\.isWhitespace) else { throw .invalidInput("line \(line): description: is empty") }
        var answers: [String: String] = [:]
        switch object["answers"] {
        case nil, .null?: break
        case .object(let given)?:
            for key in given.keys {
                guard let value = given[key]?.stringValue else { throw .invalidInput("line \(line): answers.\(key): expected a string") }
                answers[key] = value
            }
        case let other?: throw .invalidInput("line \(line): answers: expected an object, got \(other.typeName)")
        }
        self.init(id: try string("id"), description: description, destination: try string("destination"),
                  merchantCode: try string("hs_code"), date: try string("date"), answers: answers)
    }
}
