import Relay
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
}
