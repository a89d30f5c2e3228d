@testable import Documents
import DocumentExtraction
import Testing

/// Repairs of OCR's words: a box that runs over its neighbours is cut back, and an unsure number
/// read again alone replaces the page's reading only when only its digits change.
@Suite struct WordRepairsTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, y0: Double = 354.5, y1: Double = 372, confidence: Double = 0.9) -> Word {
        Word(text: text, box: Box(x0: x0, y0: y0, x1: x1, y1: y1), confidence: confidence)
    }

    /// `invoice-en-vn-cif`'s scan: Tesseract boxed `Style` over `Style / Description`.
    @Test func aBoxOverTheNextWordsEndsWhereTheyStart() {
        let words = [Self.word("No.", 78, 107), Self.word("Style", 118.5, 290.5), Self.word("/", 170.5, 180, y0: 352.5, y1: 374),
                     Self.word("Description", 188.5, 290.5), Self.word("Quantity", 428.5, 509)]
        let trimmed = WordRepairs.trimmedOverruns(words)
        #expect(trimmed[1].box.x1 > 160 && trimmed[1].box.x1 < 170.5, "\(trimmed[1].box)")
        #expect(trimmed.enumerated().allSatisfy { $0.offset == 1 || $0.element == words[$0.offset] })
    }

    @Test func wordsThatOnlyTouchOrStandOnAnotherLineKeepTheirBoxes() {
        let words = [Self.word("Net", 100, 140), Self.word("Wt.", 139, 170),        // touching: starts at its neighbour's end
                     Self.word("Total", 100, 300), Self.word("12", 150, 170, y0: 380, y1: 398),  // under it, not beside it
                     // `invoice-de-at-rechnung`'s scan: a speck read as `De`, 2.5 px tall, inside an HS code's box.
                     Self.word("7013.41.10", 382, 474, y0: 411, y1: 424.5, confidence: 0.96), Self.word("De", 423.5, 452, y0: 421.5, y1: 424, confidence: 0.39),
                     Self.word("Groenhuis", 50, 155, y0: 60.5, y1: 78), Self.word(":", 140, 143.5, y0: 61, y1: 63.5, confidence: 0.34),
                     // One word alone inside a box: no run.
                     Self.word("Terms", 45, 80, y0: 195, y1: 202), Self.word("of", 72, 79, y0: 195, y1: 202)]
        #expect(WordRepairs.trimmedOverruns(words) == words)
    }

    @Test func numbersAreDigitsAndTheirMarksOnly() {
        #expect(WordRepairs.isNumber("7013.37") && WordRepairs.isNumber("1,200") && WordRepairs.isNumber("26-11"))
        #expect(!WordRepairs.isNumber("7") && !WordRepairs.isNumber("INV-2023") && !WordRepairs.isNumber("€12.00") && !WordRepairs.isNumber("6O3"))
        #expect(WordRepairs.shape("3013.37") == WordRepairs.shape("7013.37"))
        #expect(WordRepairs.shape("1,200") != WordRepairs.shape("1200"))
    }

    @Test func aSurerReadingThatChangesOnlyDigitsReplacesTheWord() {
        let old = Self.word("3013.37", 411, 478, confidence: 0.81)
        let repaired = WordRepairs.numberReread(old, again: [Self.word("7013.37", 412, 477, confidence: 0.96)])
        #expect(repaired?.text == "7013.37" && repaired?.box == old.box && repaired?.confidence == 0.96)
    }

    @Test func otherReadingsLeaveTheWord() {
        let old = Self.word("3013.37", 411, 478, confidence: 0.81)
        let cases: [[Word]] = [
            [],                                                                       // nothing read
            [Self.word("7013.37", 412, 477, confidence: 0.88)],                       // not surer by a tenth
            [Self.word("7013,37", 412, 477, confidence: 0.97)],                       // a mark changed
            [Self.word("17013.37", 412, 477, confidence: 0.97)],                      // a digit more
            [Self.word("7013", 412, 440, confidence: 0.97), Self.word(".37", 441, 477, confidence: 0.97)],  // two words
            [Self.word("3013.37", 412, 477, confidence: 0.97)],                       // the same text
        ]
        for again in cases { #expect(WordRepairs.numberReread(old, again: again) == nil, "\(again)") }
    }

    /// `invoice-fr-bilingue`'s scan (100 DPI, one bit): the page reads the HS code `7013.28` as
    /// `3013.28`, 0.77 sure; read alone it reads its `7`, 0.91 sure. (`7013.37`, read `3013.37` 0.81
    /// sure, reads right alone too, but not surer by a tenth, and stays.)
    @Test func anHSCodeMisreadInItsLineIsReadRightAlone() throws {
        let bytes = try Fixtures.bytes("layouts/scans/invoice-fr-bilingue.tif")
        let text = { (repairs: TesseractOCR.Repairs) throws -> [String] in
            try ImageReader(ocr: TesseractOCR(languages: "eng", rereadIn: TesseractOCR.rereadLanguages, secondLook: .otsu, repairs: repairs))
                .pages(bytes).flatMap(\.words).map(\.text)
        }
        let read = try text(.standard)
        #expect(read.contains("7013.28") && !read.contains("3013.28"), "\(read)")
        let without = try text([])
        #expect(without.contains("3013.28"), "the page now reads the code itself: \(without)")
    }
}

/// `CUSTOMS_HUB_OCR_CLEANUP` and `CUSTOMS_HUB_OCR_REPAIRS` name their steps the same way, read by
/// one parser: a comma-separated list, spaces after the commas allowed, an unknown name refused.
/// A unit misread after its quantity (`ml` as `mi`, `kg` as `kq`) is read as printed, and only there.
@Suite struct UnitRepairTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, y0: Double = 203, y1: Double = 210) -> Word {
        Word(text: text, box: Box(x0: x0, y0: y0, x1: x1, y1: y1), confidence: 0.8)
    }

    /// `invoice-en-cl-wine-cases`' and `invoice-fr-qc-erable`'s scans (`6 x 750 mi`, `540 mi`), and
    /// `invoice-en-eg-cotton-yarn`'s quantity cell (`2,260 kq`).
    @Test func aUnitMisreadAfterItsQuantityIsReadAsPrinted() {
        let words = [Self.word("ambré,", 162, 186), Self.word("540", 227, 240), Self.word("mi", 242, 252),
                     Self.word("2,260", 646, 680, y0: 344, y1: 352), Self.word("kq", 684, 696, y0: 345, y1: 354),
                     Self.word("750mi,", 300, 330, y0: 420, y1: 428), Self.word("4,500KQ", 646, 694, y0: 440, y1: 448)]
        #expect(WordRepairs.repairedUnits(words).map(\.text) == ["ambré,", "540", "ml", "2,260", "kg", "750ml,", "4,500KG"])
    }

    @Test func theSameLettersElsewhereAreLeft() {
        let words = [Self.word("Mi", 100, 112), Self.word("mi", 116, 126),                                     // no number before
                     Self.word("12", 200, 212), Self.word("mi", 230, 240, y0: 240, y1: 247),                   // a number on another line
                     Self.word("2026", 300, 330), Self.word("mi", 420, 430),                                   // far from the number
                     Self.word("A12", 500, 520, y0: 300, y1: 307), Self.word("mix", 524, 540, y0: 300, y1: 307), // not a unit misread
                     Self.word("INV-12mi", 600, 650, y0: 300, y1: 307), Self.word("12ml", 660, 680, y0: 300, y1: 307)]
        #expect(WordRepairs.repairedUnits(words) == words)
    }
}

@Suite struct OCRSettingsTests {
    @Test func namedListsGiveTheirStepsAndRefuseUnknownNames() {
        typealias Cleanup = TesseractOCR.Cleanup
        typealias Repairs = TesseractOCR.Repairs
        #expect(Cleanup("despeckle,vrules") == [.despeckle, .verticalRules])
        // Written with a space after the comma, as one writes a list: the same steps, not a refusal
        // (which would have fallen back to the standard steps without a word).
        #expect(Cleanup("despeckle, vrules") == [.despeckle, .verticalRules])
        #expect(Cleanup("rules,bands") == [.verticalRules, .horizontalRules, .darkBands])
        #expect(Cleanup("all") == .all && Cleanup("none") == [])
        #expect(Cleanup("vrule") == nil && Cleanup("despeckle,,x") == nil)
        #expect(Repairs("standard") == .standard && Repairs("none") == [])
        #expect(Repairs("overruns , numbers") == [.overruns, .numbers])
        #expect(Repairs("units") == .units && Repairs.standard.contains(.units))
        #expect(Repairs("overrun") == nil)
    }

    /// An unknown `CUSTOMS_HUB_OCR_…` name or value is refused, naming the variable and the place;
    /// before, `despeckel` gave the standard clean-up and a removed variable was ignored, without a word.
    @Test func unknownSettingsAreRefusedWithTheirNameKnownOnesRead() throws {
        func problem(_ env: [String: String]) -> String? {
            do throws(OCRSettings.Problem) { _ = try OCRSettings(environment: env); return nil } catch { return error.description }
        }
        #expect(problem(["CUSTOMS_HUB_OCR_CLEANUP": "despeckel"])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_CLEANUP: unknown value 'despeckel'") == true)
        #expect(problem(["CUSTOMS_HUB_OCR_REPAIRS": "overrun"])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_REPAIRS: unknown value 'overrun'") == true)
        #expect(problem(["CUSTOMS_HUB_OCR_SECOND_LOOK": "sauvola"])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_SECOND_LOOK:") == true)
        #expect(problem(["CUSTOMS_HUB_OCR_MISSED_INK": "all"])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_MISSED_INK:") == true)
        #expect(problem(["CUSTOMS_HUB_OCR_REREAD": "no"])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_REREAD:") == true)
        #expect(problem(["CUSTOMS_HUB_OCR_LANGUAGES": ""])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_LANGUAGES:") == true)
        #expect(problem(["CUSTOMS_HUB_OCR_ALTERNATIVES": "none"])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_ALTERNATIVES: unknown OCR setting") == true)
        #expect(problem(["CUSTOMS_HUB_HOME": "/x", "CUSTOMS_HUB_OCRX": "1"]) == nil)

        #expect(try OCRSettings(environment: [:]) == OCRSettings())
        let set = try OCRSettings(environment: [
            "CUSTOMS_HUB_OCR_LANGUAGES": "deu+eng", "CUSTOMS_HUB_OCR_CLEANUP": "despeckle, vrules", "CUSTOMS_HUB_OCR_REREAD": "none",
            "CUSTOMS_HUB_OCR_SECOND_LOOK": "none", "CUSTOMS_HUB_OCR_MISSED_INK": "uncovered", "CUSTOMS_HUB_OCR_REPAIRS": "numbers",
        ])
        #expect(set.languages == "deu+eng" && set.cleanup == [.despeckle, .verticalRules] && set.rereadIn.isEmpty)
        #expect(set.secondLook == nil && set.missedInk == .uncovered && set.repairs == .numbers)
        #expect(try OCRSettings(environment: ["CUSTOMS_HUB_OCR_SECOND_LOOK": "median", "CUSTOMS_HUB_OCR_MISSED_INK": "none"]).secondLook == .median)
        #expect(try OCRSettings(environment: ["CUSTOMS_HUB_OCR_MISSED_INK": "none"]).missedInk == nil)
        // The strip read first to guess a page's language: a share of the page and a number of words.
        for bad in ["", "/", "0.01", "1.5", "0.2/0", "0.2/x", "0.2/2/1", "top"] {
            #expect(problem(["CUSTOMS_HUB_OCR_GUESS": bad])?.hasPrefix("environment:0: CUSTOMS_HUB_OCR_GUESS: unknown value") == true, "\(bad)")
        }
        #expect(OCRSettings().guessFrom == 0.15 && OCRSettings().guessWords == 1)
        let share = try OCRSettings(environment: ["CUSTOMS_HUB_OCR_GUESS": "0.2"])
        #expect(share.guessFrom == 0.2 && share.guessWords == 1)
        #expect(try OCRSettings(environment: ["CUSTOMS_HUB_OCR_GUESS": "none"]).guessFrom == nil)
        let strip = try OCRSettings(environment: ["CUSTOMS_HUB_OCR_GUESS": "0.3/3"])
        #expect(strip.guessFrom == 0.3 && strip.guessWords == 3)
    }

    /// A strip of the page is asked for fewer words of its language than a whole page; English still wins a tie.
    @Test func aLanguageIsGuessedFromAsManyWordsAsAsked() {
        #expect(DocumentLanguage.guess(["PACKLISTE", "Empfänger"]) == nil)
        #expect(DocumentLanguage.guess(["PACKLISTE", "Empfänger"], atLeast: 2) == "de")
        #expect(DocumentLanguage.guess(["FACTURE", "Invoice", "Destinataire", "Consignee"], atLeast: 2) == "en")
        #expect(DocumentLanguage.guess(["Schwarzwald", "Uhren"], atLeast: 1) == nil)
    }
}
