@testable import Documents
import DocumentExtraction
import Testing

/// An `l` the English model read as `!` in a lower-case word (`Merino woo! scarf`, seeds 41 and 293).
@Suite struct ExclamationMarkTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, y0: Double = 300, y1: Double = 312) -> Word {
        Word(text: text, box: Box(x0: x0, y0: y0, x1: x1, y1: y1), confidence: 0.9)
    }

    @Test func aMarkInsideOrEndingALowerCaseWordBeforeTheNextWordIsAnL() {
        let words = [Self.word("Merino", 100, 140), Self.word("woo!", 145, 172), Self.word("scarf,", 177, 210), Self.word("fi!e", 215, 235)]
        #expect(WordRepairs.lettersForExclamationMarks(words).map(\.text) == ["Merino", "wool", "scarf,", "file"])
    }

    @Test func otherMarksStay() {
        let words = [Self.word("Thank", 100, 140), Self.word("you!", 145, 172),           // ends its line
                     Self.word("NOTE!", 100, 140, y0: 340, y1: 352), Self.word("2!", 145, 160, y0: 340, y1: 352),  // a capital, a digit
                     Self.word("!", 165, 170, y0: 340, y1: 352), Self.word("go!!", 175, 200, y0: 340, y1: 352), Self.word("x", 205, 210, y0: 340, y1: 352)]
        #expect(WordRepairs.lettersForExclamationMarks(words).map(\.text) == ["Thank", "you!", "NOTE!", "2!", "!", "go!!", "x"])
    }
}

/// A company's name read by the English model without its accents (`Maison Lefevre SARL`, `Lefévre`,
/// 25 misses over nine seeds) is read again in its legal form's language, and only its accents taken.
@Suite struct CompanyNameAccentTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, y0: Double = 283, y1: Double = 295) -> Word {
        Word(text: text, box: Box(x0: x0, y0: y0, x1: x1, y1: y1), confidence: 0.9)
    }

    /// `invoice-en-classic-v17`'s buyer: the name's line is the form and the words before it on its line.
    @Test func aNameEndingInALegalFormIsALineInItsLanguage() {
        let words = [Self.word("Bill", 40, 60, y0: 260, y1: 272), Self.word("to:", 63, 80, y0: 260, y1: 272),
                     Self.word("Maison", 67, 126), Self.word("Lefévre", 132, 195), Self.word("SARL", 200, 240),
                     Self.word("Schwarzwalder", 300, 400, y0: 320, y1: 332), Self.word("Uhren", 405, 450, y0: 320, y1: 332),
                     Self.word("GmbH,", 455, 500, y0: 320, y1: 332),
                     Self.word("SAS", 600, 630, y0: 400, y1: 412)]   // a form alone names no company
        let lines = WordRepairs.companyNameLines(words)
        #expect(lines.map(\.words) == [[2, 3, 4], [5, 6, 7]])
        #expect(lines.map(\.language) == ["fr", "de"])
    }

    @Test func formsSharedByLanguagesNameNone() {
        let words = [Self.word("Alpine", 67, 126), Self.word("Retail", 132, 195), Self.word("AG", 200, 240),
                     Self.word("Bloembollen", 67, 126, y0: 320, y1: 332), Self.word("B.V.", 132, 160, y0: 320, y1: 332)]
        #expect(WordRepairs.companyNameLines(words).isEmpty)
    }

    @Test func onlyAccentsAreTakenFromTheSecondReading() {
        #expect(WordRepairs.accents(["Maison", "Lefévre", "SARL"], ["Maison", "Lefèvre", "SARL"]) == ["Maison", "Lefèvre", "SARL"])
        #expect(WordRepairs.accents(["Schwarzwalder", "GmbH"], ["Schwarzwälder", "GmbH"]) == ["Schwarzwälder", "GmbH"])
        #expect(WordRepairs.accents(["Maison", "Lefevre", "SARL"], ["Maison", "Lefèvre", "SARL"]) != nil)
        #expect(WordRepairs.accents(["Maison", "Lefevre", "SARL"], ["Maisen", "Lefèvre", "SARL"]) == nil)   // a letter changed
        #expect(WordRepairs.accents(["Maison", "Lefevre", "SARL"], ["Maison", "Le", "fèvre", "SARL"]) == nil) // a word split
        #expect(WordRepairs.accents(["Maison", "Lefevre", "SARL"], ["Maison", "Lefevre", "SARL"]) == nil)    // nothing new
    }

    @Test func bothRepairsAreStandardAndNamed() {
        typealias Repairs = TesseractOCR.Repairs
        #expect(Repairs("marks, names") == [.marks, .names])
        #expect(Repairs.standard.isSuperset(of: [.marks, .names]))
    }
}
