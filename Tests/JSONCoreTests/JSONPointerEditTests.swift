import JSONCore
import Testing

@Suite("JSON Pointer edits: what a form writes back into a document")
struct JSONPointerEditTests {
    let order = try! JSONParser.parse(#"{"ref":"A-1","lines":[{"qty":"2"},{"qty":"3"}],"shipment":{"mode":null}}"#)

    @Test("Sets replace, create the objects and arrays on the way, and append at - or the length")
    func setsAndCreates() throws {
        var doc = order
        try doc.set(.string("B-2"), atPointer: "/ref")
        try doc.set(.string("road"), atPointer: "/shipment/mode")
        try doc.set(.string("30"), atPointer: "/shipment/parcels/-/weight")
        try doc.set(.object(JSONObject([("qty", .string("4"))])), atPointer: "/lines/2")
        try doc.set(.string("a/b"), atPointer: "/odd~1key")
        #expect(JSONWriter.write(doc) == #"{"ref":"B-2","lines":[{"qty":"2"},{"qty":"3"},{"qty":"4"}],"shipment":{"mode":"road","parcels":[{"weight":"30"}]},"odd/key":"a/b"}"#)
    }

    @Test("nil removes a key or an array element; removing what is not there changes nothing")
    func removes() throws {
        var doc = order
        try doc.set(nil, atPointer: "/lines/0")
        try doc.set(nil, atPointer: "/shipment/mode")
        try doc.set(nil, atPointer: "/nothing/here")
        #expect(JSONWriter.write(doc) == #"{"ref":"A-1","lines":[{"qty":"3"}],"shipment":{}}"#)
    }

    @Test("A pointer through a scalar, past an array's end or without its leading slash is an error naming it")
    func refusesWhatCannotBe() {
        var doc = order
        #expect(throws: JSONPointerError(pointer: "/ref/x", problem: "runs through a string, which holds no x")) { try doc.set(.null, atPointer: "/ref/x") }
        #expect(throws: JSONPointerError.self) { try doc.set(.null, atPointer: "/lines/5") }
        #expect(throws: JSONPointerError.self) { try doc.set(.null, atPointer: "lines") }
        // A hostile form cannot make the walk recurse without bound.
        #expect(throws: JSONPointerError.self) { try doc.set(.null, atPointer: String(repeating: "/a", count: 100_000)) }
        #expect(doc == order)
    }

    @Test("Leaves are every scalar with its pointer, in document order")
    func leaves() {
        #expect(order.leaves.map(\.pointer) == ["/ref", "/lines/0/qty", "/lines/1/qty", "/shipment/mode"])
        #expect(order.leaves.map(\.value) == [.string("A-1"), .string("2"), .string("3"), .null])
    }
}
