@testable import Relay
import Store
import Testing

/// The references an XML filing is found by: each tag's first element, whichever order the tags
/// come in the body, with or without a namespace prefix (one pass over the body finds them all).
@Suite("Filing references")
struct FilingReferencesTests {
    func lrns(_ xml: String) -> [String] {
        FilingReferences.extract(Array(xml.utf8), idempotencyKey: "k").filter { $0.kind == "lrn" }.map(\.value)
    }

    @Test func eachTagsFirstElementInTheTagsOrder() {
        // LRN comes first in the body, FunctionalReferenceID second: the references follow the tag list.
        let xml = """
            <?xml version="1.0"?><md:MetaData xmlns:md="urn:x"><LRN> L-1 </LRN><x:FunctionalReferenceID a="1">F-1</x:FunctionalReferenceID>\
            <FunctionalReferenceID>F-2</FunctionalReferenceID><LRN>L-2</LRN></md:MetaData>
            """
        #expect(lrns(xml) == ["F-1", "L-1"])
    }

    @Test func namesThatOnlyBeginWithATagDoNotCount() {
        let xml = "<r><LRNX>no</LRNX><LRN\tkind=\"a\">yes</LRN><RefNumHEA4></RefNumHEA4><LocalReferenceNumber>z</LocalReferenceNumber></r>"
        // RefNumHEA4 is empty: left out, as before, and a later one is not looked for.
        #expect(lrns(xml) == ["yes", "z"])
    }

    /// Closing tags, comments, declarations and processing instructions are passed over without
    /// looking at their names; a tag after them is still found.
    @Test func tagsAfterClosingTagsCommentsAndDeclarations() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r><r><!-- x --></a></LRN><?LRN x?><LRN>yes</LRN></r>"
        #expect(lrns(xml) == ["yes"])
    }

    @Test func aPrefixedAndAnUnprefixedTagAtTheSamePlace() {
        #expect(lrns("<a:RefNumHEA4>R</a:RefNumHEA4><LRN>Q</LRN>") == ["R", "Q"])
        #expect(lrns("<RefNumHEA4>R</RefNumHEA4>") == ["R"])
        #expect(lrns("<r>no reference here</r>").isEmpty)
    }

    /// Empty values are dropped and a repeated reference is kept once, at its first place, for a
    /// filing's handful of references (compared) and for a long list (hashed) alike.
    @Test func repeatsAndEmptyValuesAreDroppedInOrder() {
        let refs = [FilingReference(kind: "idempotency_key", value: "k"), FilingReference(kind: "lrn", value: "A"),
                    FilingReference(kind: "lrn", value: ""), FilingReference(kind: "tracking", value: "A"),
                    FilingReference(kind: "lrn", value: "A"), FilingReference(kind: "lrn", value: "B")]
        let expected = [FilingReference(kind: "idempotency_key", value: "k"), FilingReference(kind: "lrn", value: "A"),
                        FilingReference(kind: "tracking", value: "A"), FilingReference(kind: "lrn", value: "B")]
        #expect(FilingReferences.distinctNonEmpty(refs) == expected)
        let long = Array(repeating: refs, count: 4).flatMap { $0 }
        #expect(long.count > 16 && FilingReferences.distinctNonEmpty(long) == expected)
        // Through `extract`: a JSON body naming the same LRN under two keys gives it once.
        let body = Array(#"{"lrn":"L-1","reference":"L-1","tracking_code":""}"#.utf8)
        #expect(FilingReferences.extract(body, idempotencyKey: "k") == [FilingReference(kind: "idempotency_key", value: "k"),
                                                                         FilingReference(kind: "lrn", value: "L-1")])
    }
}
