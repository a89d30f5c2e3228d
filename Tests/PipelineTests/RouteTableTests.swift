import CustomsModel
import Pipeline
import Testing

@Suite("Routes as data")
struct RouteTableTests {
    @Test("A routes file with an unknown adapter, key and mode is refused, naming each rule and field")
    func loadErrorsNameTheField() throws {
        let text = """
            {"version": "t", "rules": [
              {"id": "a", "when": {"destinations": ["GB"], "transport_modes": ["teleport"]}, "adapters": ["nope"]},
              {"id": "a", "when": {"colour": "red"}, "adapters": ["uk-cds"], "extra": 1}
            ]}
            """
        let error = #expect(throws: RouteLoadError.self) {
            try RouteTable.load(text, file: "routes.json", adapters: ["uk-cds"])
        }
        let problems = try #require(error).problems
        #expect(problems.contains { $0.hasPrefix("rules[0].adapters[0]: unknown adapter nope") })
        #expect(problems.contains { $0.hasPrefix("rules[0].when.transport_modes[0]") })
        #expect(problems.contains { $0.hasPrefix("rules[1].id: a is used twice") })
        #expect(problems.contains { $0.hasPrefix("rules[1].when.colour") })
        #expect(problems.contains { $0.hasPrefix("rules[1].extra") })
    }
}
