@testable import Documents
@testable import DocumentExtraction
import Testing
import Foundation

/// The French numero sign read as a letter and a quotation mark (`Facture a”` on seed 293's certificate, whose
/// invoice number was then lost and read as the buyer).
@Suite struct NumeroSignTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, y0: Double = 288, y1: Double = 294) -> Word {
        Word(text: text, box: Box(x0: x0, y0: y0, x1: x1, y1: y1), confidence: 0.53)
    }

    @Test func aLetterAndARaisedMarkAfterAWordIsTheNumeroSign() {
        let words = [Self.word("5.", 46, 51), Self.word("Facture", 54, 80), Self.word("a”", 82, 89),
                     Self.word("Rechnung", 54, 90, y0: 320, y1: 326), Self.word("u°", 92, 99, y0: 320, y1: 326)]
        #expect(WordRepairs.numeroSigns(words).map(\.text) == ["5.", "Facture", "n°", "Rechnung", "n°"])
    }

    @Test func otherMarksStay() {
        let words = [Self.word("a”", 46, 53),                                    // opens its line
                     Self.word("Screen", 46, 70, y0: 320, y1: 326), Self.word("5”", 72, 79, y0: 320, y1: 326),   // inches
                     Self.word("x”", 82, 89, y0: 320, y1: 326),                   // another letter
                     Self.word("Box", 46, 60, y0: 360, y1: 366), Self.word("a”", 200, 207, y0: 360, y1: 366)]    // far from the word before
        #expect(WordRepairs.numeroSigns(words).map(\.text) == ["a”", "Screen", "5”", "x”", "Box", "a”"])
    }

    @Test func theRepairIsStandardAndNamed() {
        typealias Repairs = TesseractOCR.Repairs
        #expect(Repairs.standard.contains(.numeroSigns))
        #expect(Repairs("numero") == .numeroSigns)
    }

    /// The repaired words read as the certificate's label: the invoice number, and no buyer taken from it.
    @Test func theRepairedLabelNumbersTheInvoice() {
        let words = [Self.word("5.", 46, 51), Self.word("Facture", 54, 80), Self.word("a”", 82, 89)]
        let label = Run.label(WordRepairs.numeroSigns(words), in: Lexicon.labels)
        #expect(label?.field == "invoice_number")
        #expect(Run.label(words, in: Lexicon.labels)?.field != "invoice_number")
    }
}

/// A letterhead's legal form that OCR boxed apart from its name on the same line (`Schwarzwald Uhren` and
/// `GmbH` 47 px apart at 35 px tall, seed 193): the seller is the whole name, not `GmbH`.
@Suite struct LegalFormApartTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> Word {
        Word(text: text, box: Box(x0: x0, y0: y0, x1: x1, y1: y1), confidence: 0.96)
    }

    @Test func aLegalFormSetApartOnTheNamesLineEndsTheName() {
        var ws = [Self.word("Schwarzwald", 113, 364, 118, 153), Self.word("Uhren", 377, 497, 118, 153), Self.word("GmbH", 544, 636, 118, 153),
                  Self.word("Hauptstraße", 111, 219, 176, 200), Self.word("12", 226, 245, 177, 195), Self.word("78098", 275, 329, 177, 195),
                  Self.word("Triberg", 334, 402, 176, 200),
                  Self.word("Rechnungsnummer", 945, 1108, 261, 282), Self.word("RE-2024-72764", 945, 1127, 290, 312),
                  Self.word("Käufer", 112, 179, 281, 315), Self.word("Alpine", 110, 183, 318, 344), Self.word("Retail", 188, 253, 319, 339),
                  Self.word("AG", 257, 292, 319, 339)]
        ws += page(LayoutRuleTests.table(at: 700)).words
        let d = Extractor().extract([PageText(number: 1, width: 1240, height: 1754, source: .ocr, words: ws)]).document
        #expect(d.sellerName == "Schwarzwald Uhren GmbH")
        #expect(d.buyerName == "Alpine Retail AG")
    }
}

/// A label's colon OCR read as a point inside a sentence (`… VAT Act). Country of origin. Sweden,` on a layout's
/// 100 DPI scan): the label still starts a value of its own.
@Suite struct PointForColonTests {
    @Test func aLabelEndingInAPointBeforeACapitalStartsItsValue() {
        let p = page([(20, phrase(40, "Nordic Woodcraft AB") + phrase(400, "INVOICE 24117"))] + LayoutRuleTests.table(at: 100)
                     + [(300, phrase(40, "Export of goods outside the EU, 0 % VAT (Chapter 10 section 63 of the VAT Act) Country of origin. Sweden,"))])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.originCountry) == ["SE"])
    }

    @Test func anAbbreviationOrAOneWordLabelCutsNothing() {
        func cut(_ text: String) -> [String] {
            Run.splitAtInlineLabels(Segment(page: 1, words: page([(100, phrase(40, text))]).words), Lexicon.labels).map(\.text)
        }
        #expect(cut("Shipped from Sweden. Country of origin. Sweden,") == ["Shipped from Sweden.", "Country of origin. Sweden,"])
        #expect(cut("Made of pine wood. Origin. Sweden") == ["Made of pine wood. Origin. Sweden"])          // one word
        #expect(cut("Goods of Swedish origin. the buyer") == ["Goods of Swedish origin. the buyer"])      // no capital after
        #expect(cut("Packed by Nordic Invoice No. 24117") == ["Packed by Nordic Invoice No. 24117"])      // an abbreviation
    }
}

/// A certificate box's number OCR read as the letter it looks like (`L Exportateur`, `Z Destinataire` for `1.` and
/// `2.` on seed 293's 96 DPI certificate): the label is still read, so the buyer is the consignee's name.
@Suite struct BoxNumberAsLetterTests {
    static func words(_ texts: [String]) -> [Word] { page([(100, phrase(40, texts.joined(separator: " ")))]).words }

    @Test func aLookAlikeLetterBeforeALabelIsItsBoxNumber() {
        let consignee = [("buyer", Lexicon.buyerLabels)]
        #expect(Run.label(Self.words(["Z", "Destinataire"]), in: consignee)?.field == "buyer")
        #expect(Run.label(Self.words(["Z", "Destinataire"]), in: consignee)?.length == 1)
        #expect(Run.label(Self.words(["L", "Exportateur"]), in: [("seller", Lexicon.sellerLabels)])?.field == "seller")
        #expect(Run.label(Self.words(["2.", "Destinataire"]), in: consignee)?.field == "buyer")
    }

    @Test func anotherLetterOrAWordStays() {
        let consignee = [("buyer", Lexicon.buyerLabels)]
        #expect(Run.label(Self.words(["K", "Destinataire"]), in: consignee) == nil)
        #expect(Run.label(Self.words(["La", "Destinataire"]), in: consignee) == nil)
    }
}

/// The rupee sign OCR read as a digit before both of a line's amounts (`₹18,906` as `218.906`, `₹18,90,600` as
/// `%418,90,600`, seed 293's rupee invoice): the amounts without it, when the quantity times the one is the other.
@Suite struct LeadingCurrencySignTests {
    @Test func theAmountWithoutItsFirstDigit() {
        #expect(Run.withoutLeadingDigit("218.906") == 18906)
        #expect(Run.withoutLeadingDigit("%418,90,600") == 1890600)
        #expect(Run.withoutLeadingDigit("41,32.94,800") == 13294800)
        #expect(Run.withoutLeadingDigit("2125.50") == Decimal(string: "125.5"))
        #expect(Run.withoutLeadingDigit("2.50") == nil)     // a digit alone before the mark
        #expect(Run.withoutLeadingDigit("27") == nil)       // one digit left
        #expect(Run.withoutLeadingDigit("218 pcs") == nil)
    }

    static func rupeeInvoice(source: TextSource) -> PageText {
        var p = page([
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (100, phrase(40, "Description") + phrase(270, "Qty") + phrase(340, "Unit Price") + phrase(420, "Amount")),
            (115, phrase(40, "Block-printed cotton bedspread") + phrase(272, "100") + phrase(342, "218.906") + phrase(400, "%418,90,600")),
            (130, phrase(40, "Brass candle holder") + phrase(266, "1200") + phrase(342, "211,079") + phrase(390, "41,32.94,800")),
        ])
        p.source = source
        return p
    }

    @Test func bothAmountsOfAScannedLineLoseTheSign() {
        let d = Extractor().extract([Self.rupeeInvoice(source: .ocr)]).document
        #expect(d.lines.map(\.unitPrice) == ["18906", "11079"])
        #expect(d.lines.map(\.lineTotal) == ["1890600", "13294800"])
    }

    @Test func aTextLayersAmountsStayAsPrinted() {
        let d = Extractor().extract([Self.rupeeInvoice(source: .text)]).document
        #expect(d.lines.map(\.unitPrice) != ["18906", "11079"])
    }
}

/// An item block's count line as OCR reads it at 100 DPI (`24 pes x 1450.00`, round 41's Danish scan): the unit's slip
/// is forgiven as in a unit column, so the block is read.
@Suite struct ItemBlockUnitSlipTests {
    @Test func aCountLineWithAUnitSlipReadsItsItem() {
        let line = Run.countAndPrice(page([(0, phrase(0, "24 pes x 1450.00"))]).words, mark: .point)
        #expect(line.map { [$0.0.text, $0.1?.text, $0.2.text] } == ["24", "pes", "1450.00"])
        #expect(Run.countAndPrice(page([(0, phrase(0, "24 pts x 1450.00"))]).words, mark: .point) == nil)   // two letters off
        let p = page([
            (20, phrase(40, "Lysvaerk Studio ApS") + phrase(400, "Invoice 2026-1443")),
            (100, phrase(40, "Pendant lamp, spun brass") + phrase(480, "34,800.00")),
            (111, phrase(40, "Item no. LV-DIS-40-BR · Commodity code 9405 11 00 · Made in Denmark")),
            (122, phrase(40, "24 pes x 1450.00")),
        ], confidence: 0.9)
        var scan = p
        scan.source = .ocr
        let d = Extractor().extract([scan]).document
        #expect(d.lines.map(\.quantity) == ["24"])
        #expect(d.lines.map(\.unit) == ["PCE"])
        #expect(d.lines.map(\.lineTotal) == ["34800"])
    }
}

/// Two letters OCR ran into the one they look like in a label (`Ongin of goods. Norway,` on a layout's 150 DPI
/// scan: `ri` read `n`, two edits from `origin`, where `similar` forgives one).
@Suite struct MergedLetterLabelTests {
    @Test func aMergedPairIsOneSlip() {
        #expect(Run.similar("ongin", "origin"))
        #expect(Run.similar("modem", "modern"))
        #expect(Run.similar("dedaration", "declaration"))
        #expect(Run.similar("origin", "ongin"))           // either word may be the shorter
    }

    @Test func aMergeWithAnotherSlipOrAnotherPairIsNone() {
        #expect(!Run.similar("ongon", "origin"))           // the merge and one letter more
        #expect(!Run.similar("oxgin", "origin"))           // one letter for two, not a look-alike
        #expect(!Run.similar("orign", "origins"))          // two edits of another kind
        #expect(!Run.mergedLetters(Array("ongin".utf8), Array("ongin".utf8)))
    }

    @Test func theMisreadLabelStartsTheOriginSentence() {
        let p = page([(20, phrase(40, "Nordfjord Sjomat AS") + phrase(400, "INVOICE 24117"))] + LayoutRuleTests.table(at: 100)
                     + [(300, phrase(40, "Ongin of goods. Norway, Farmed and processed in Norway, approval no N-1207,"))])
        #expect(Extractor().extract([p]).document.lines.map(\.originCountry) == ["NO"])
    }
}

/// A legal form of several words whose last word OCR misread (`Sp. z 0.0.` on three Polish layouts, where `0.0.` has
/// no letter; `S.A. de c.V.` on a Mexican one): the form as it is spelled, at 0.8 of the confidence.
@Suite struct LegalFormTailTests {
    @Test func theFormsLastWordAfterItsWordBefore() {
        #expect(Values.legalName("Meblex Sp. z 0.0.") == ("Meblex Sp. z o.o.", true))
        #expect(Values.legalName("MEBLE WARTA Sp. z 0,0.") == ("MEBLE WARTA Sp. z o.o.", true))
        #expect(Values.legalName("Ceramica Talavera Poblana S.A. de c.V.") == ("Ceramica Talavera Poblana S.A. de C.V.", true))
    }

    @Test func aFormAsPrintedOrFiguresElsewhereStay() {
        #expect(Values.legalName("Meblex Sp. z o.o.") == ("Meblex Sp. z o.o.", false))
        #expect(Values.legalName("Talavera S.A. de C.V.") == ("Talavera S.A. de C.V.", false))
        #expect(Values.legalName("Warehouse 0.0.") == ("Warehouse 0.0.", false))    // no word before it
        #expect(Values.legalName("Hall z 1.1.") == ("Hall z 1.1.", false))          // not the form's letters
    }

    @Test func aScannedSellerIsRepaired() {
        var p = page([(20, phrase(40, "Meblex Sp. z 0.0.") + phrase(400, "INVOICE 24117"))] + LayoutRuleTests.table(at: 100))
        p = PageText(number: 1, width: p.width, height: p.height, source: .ocr, words: p.words)
        #expect(Extractor().extract([p]).document.sellerName == "Meblex Sp. z o.o.")
    }
}
