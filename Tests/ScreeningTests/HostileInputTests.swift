import CustomsModel
import Foundation
import Testing
@testable import Screening

/// Issue #21: every hostile screening input from the report, with the input that reproduced it.
@Suite struct ScreeningHostileInputTests {
    let screener = SliceIndex.screener

    // Finding 2: cost grew with the cube of the name length (3,000 characters took 21 s).
    @Test func overLongNameIsRefusedNamingTheField() throws {
        let service = try #require(ScreeningServiceTests.service)
        let name = String(repeating: "Maduro Moros ", count: 240)  // 3,120 characters
        let (out, ok) = service.handle(line: #"{"id":"p9","name":"\#(name)"}"#, at: ScreeningServiceTests.now)
        #expect(!ok)
        #expect(out.contains("name: is 3120 characters, over the 300-character limit"))
    }

    @Test func screenerBoundsWorkWhateverItIsGiven() {
        // 120,000 words went through in 115 s and 4.9 GB; the screener now reads the first 300
        // characters and 24 tokens only, so this is as cheap as a short name.
        let words = (0..<20_000).map { "w\($0 % 977)x" }.joined(separator: " ")
        let r = screener.screen(ScreeningQuery(name: "Nicolas Maduro Moros " + words))
        #expect(r.candidatesScored <= ScreeningLimits.maxCandidates)
        #expect(r.decision != .block || r.hits.first?.entryID == "22790")
    }

    @Test func orderPartyNameOverTheLimitOrEmptyRefusesTheOrder() throws {
        let service = try #require(ScreeningServiceTests.service)
        let text = try String(decoding: Repo.data("Fixtures/orders/valid/de-b2b-sanctioned-looking-consignee.json"), as: UTF8.self)
        var order = try CanonicalJSON.decoder().decode(Order.self, from: Data(text.utf8))
        order.parties[0].name = String(repeating: "x", count: 3000)
        #expect(throws: ScreeningInputError.self) { try service.screenOrder(order, at: ScreeningServiceTests.now) }
        do { _ = try service.screenOrder(order, at: ScreeningServiceTests.now) } catch {
            #expect(error.path == "parties[0].name")
        }
        // An empty consignee came out clear with risk release.
        order.parties[0].name = "  "
        do {
            _ = try service.screenOrder(order, at: ScreeningServiceTests.now)
            Issue.record("an empty party name was screened as clear")
        } catch {
            #expect(error.path == "parties[0].name" && error.message.contains("must not be empty"))
        }
        let (out, ok) = service.handle(line: #"{"name":"\u200e\u202e"}"#, at: ScreeningServiceTests.now)
        #expect(!ok && out.contains("must not be empty"))
    }

    // Finding 12: one Cyrillic letter ("Vladimir Рutin") cleared at 0.825.
    @Test func homoglyphsInALatinNameAreFolded() {
        let latin = screener.screen(ScreeningQuery(name: "Nicolas Maduro Moros"))
        let mixed = screener.screen(ScreeningQuery(name: "Nicol\u{0430}s M\u{0430}duro M\u{043E}ros"))  // Cyrillic а, о
        #expect(latin.decision == .block)
        #expect(mixed.decision == .block)
        #expect(mixed.score == latin.score)
        // An all-Cyrillic name is still transliterated, not folded letter by letter.
        #expect(NameNormaliser.normalise("Путин").tokens.map(\.text) == ["putin"])
        #expect(NameNormaliser.normalise("Vladimir \u{0420}utin").tokens.map(\.text) == ["vladimir", "putin"])
    }

    @Test func bidiAndZeroWidthControlsAreStripped() {
        #expect(NameNormaliser.normalise("Mad\u{202E}uro Mo\u{200B}ros").tokens.map(\.text) == ["maduro", "moros"])
        let r = screener.screen(ScreeningQuery(name: "Nicolas Mad\u{202E}uro\u{202C} Mo\u{2066}ros\u{2069}"))
        #expect(r.decision == .block)
    }

    // A name stored reversed behind a right-to-left override ("\u{202E}NITUP RIMIDALV") is shown,
    // and declared, as the listed name; stripping the override alone left the letters reversed and
    // the name cleared. It is screened as stored and as shown.
    @Test func aNameReversedBehindARightToLeftOverrideIsScreenedAsShown() {
        #expect(BidiDisplay.shownOrder("\u{202E}NITUP RIMIDALV") == "VLADIMIR PUTIN")
        #expect(BidiDisplay.shownOrder("Mad\u{202E}oru\u{202C} Moros") == "Maduro Moros")
        #expect(BidiDisplay.shownOrder("\u{202E}A\u{202D}BC\u{202C}D") == "DBCA")   // an LTR run inside keeps its order
        #expect(BidiDisplay.shownOrder("Nicolas Maduro Moros") == nil)
        let reversed = screener.screen(ScreeningQuery(name: "\u{202E}soroM orudaM salociN"))
        #expect(reversed.decision == .block)
        #expect(reversed.query.name == "\u{202E}soroM orudaM salociN")
        // Without the override the same letters are another name, and clear.
        #expect(screener.screen(ScreeningQuery(name: "soroM orudaM salociN")).decision == .clear)
    }

    // A CJK spelling of a listed name ("普京", Putin) cleared: no letter of it was read. A name
    // with a letter of a script the normaliser cannot read is refused, naming the letter.
    @Test func namesInAScriptThatIsNotReadAreRefused() throws {
        let service = try #require(ScreeningServiceTests.service)
        for name in ["普京", "弗拉基米尔·普京", "Vladimir 普京", "ウラジーミル・プーチン", "블라디미르 푸틴", "ולדימיר פוטין"] {
            let (out, ok) = service.handle(line: #"{"id":"c","name":"\#(name)"}"#, at: ScreeningServiceTests.now)
            #expect(!ok, "\(name) was screened")
            #expect(out.contains("a letter of a script the lists are not matched in"), "\(out)")
        }
        // Scripts that are transliterated, Latin with accents, and combining marks still screen.
        for name in ["Владимир Путин", "Müller Ødegård", "Nicola\u{0301}s Maduro", "Ελευθέριος", "محمد"] {
            #expect(ScreeningLimits.problem(name: name) == nil, "\(name) was refused")
        }
        #expect(ScreeningLimits.unreadableLetter("Vladimir 普京") == "普")
    }

    // Thresholds of 2, 3 or NaN turned an exact match into clear.
    @Test func outOfRangeThresholdsAreNamed() {
        #expect(Thresholds.standard.problem == nil)
        #expect(Thresholds(review: 2, block: 3).problem?.contains("not between 0 and 1") == true)
        #expect(Thresholds(review: .nan, block: 0.9).problem != nil)
        #expect(Thresholds(review: 0.9, block: 0.5).problem?.contains("above the block threshold") == true)
    }

    // `--as-of 2026-02-30` was rolled over to March.
    @Test func impossibleDatesAreNotRolledOver() {
        #expect(Timestamp.parse("2026-02-30T00:00:00Z") == nil)
        #expect(Timestamp.parse("2026-13-01T00:00:00Z") == nil)
        #expect(Timestamp.parse("2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp.parse("2026-02-28T23:59:59Z") != nil)
    }
}
