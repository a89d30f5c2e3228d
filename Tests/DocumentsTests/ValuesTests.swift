import CustomsModel
import DocumentExtraction
import Foundation
import Testing

@Suite struct ValuesTests {
    @Test(arguments: [
        ("1.234,56 €", "1234.56"), ("1 234,56", "1234.56"), ("1,234.56", "1234.56"), ("₹ 1,939", "1939"), ("₹ 1,93,900", "193900"),
        ("12,5", "12.5"), ("€ 3.310,00", "3310"), ("$1,234.50", "1234.5"), ("EUR 89,90", "89.9"), ("1.249.00", "1249"), ("0,125", "0.125"),
        ("7", "7"), ("-3,50", "-3.5"), ("1O0", "100"), ("12'345.50", "12345.5"), ("1 234 567", "1234567"), ("16 .20", "16.2"),
        // The rand's and the crowns' signs before the amount.
        ("R 2 450,00", "2450"), ("R 75 015,00", "75015"), ("kr 1.234,50", "1234.5"),
    ])
    func amountsInLocalFormats(_ text: String, _ plain: String) throws {
        let v = try #require(Values.number(text))
        #expect(Values.plain(v.value) == plain)
    }

    /// Two columns printed close together come as one cell (packages `4`, net weight `14.4`): the
    /// words are not thousands groups, so the cell is no number rather than a wrong one (414.4).
    /// A word that already ends in its decimals ends its number (`290,00 870,00` is a unit price
    /// and a line total OCR put in one cell, not 29,000,870).
    @Test(arguments: ["4 14.4", "3 18.9", "2 6.6", "12 5", "290,00 870,00", "35.00 140.00", "8.5 850"])
    func numbersOfTwoColumnsDoNotJoin(_ text: String) {
        #expect(Values.number(text) == nil)
    }

    @Test func wordsAreNotNumbers() {
        #expect(Values.number("Merino") == nil)
        #expect(Values.number("—") == nil)
    }

    @Test(arguments: [
        ("19-04-2014", "2014-04-19"), ("19.04.2024", "2024-04-19"), ("07/03/2024", "2024-03-07"), ("2024-02-28", "2024-02-28"),
        ("19 April 2024", "2024-04-19"), ("April 19, 2024", "2024-04-19"), ("7 mars 2024", "2024-03-07"), ("19. März 2024", "2024-03-19"),
        ("Leeds, 19 April 2024", "2024-04-19"), ("04/19/2024", "2024-04-19"), ("22 avril 2024", "2024-04-22"),
        ("3rd December 2026", "2026-12-03"), ("December 21st, 2026", "2026-12-21"), ("1er décembre 2026", "2026-12-01"),
    ])
    func datesInLocalFormats(_ text: String, _ iso: String) {
        #expect(Values.date(text) == iso)
    }

    @Test func impossibleDatesAreRefused() {
        #expect(Values.date("31.02.2024") == nil)
        #expect(Values.date("INV-2024-00417") == nil)
    }

    @Test func currencies() {
        #expect(Values.currency(in: "13.754,51 €") == "EUR")
        #expect(Values.currency(in: "₹ 1,939") == "INR")
        #expect(Values.currency(in: "Total GBP") == "GBP")
        #expect(Values.currency(in: "Total") == nil)
    }

    @Test func aLegalFormMisreadByOCRIsRepaired() {
        #expect(Values.legalName("Bloembollen Van Dijk 8.V.") == ("Bloembollen Van Dijk B.V.", true))
        #expect(Values.legalName("Bloembollen Van Dijk B.¥.") == ("Bloembollen Van Dijk B.V.", true))
        #expect(Values.legalName("Cheese Cellar itd") == ("Cheese Cellar Ltd", true))
        // A name set in capitals keeps its form as printed.
        #expect(Values.legalName("SHENZHEN BRIGHTWAY ELECTRONICS CO., LTD.") == ("SHENZHEN BRIGHTWAY ELECTRONICS CO., LTD.", false))
        #expect(Values.legalName("NORDLICHT HANDEL GMBH") == ("NORDLICHT HANDEL GMBH", false))
        #expect(Values.legalName("Garden Supplies Inc,") == ("Garden Supplies Inc.", true))
        // Spelled as a legal form already, not a legal form, or nothing before it: left alone.
        #expect(Values.legalName("Alpine Retail AG") == ("Alpine Retail AG", false))
        #expect(Values.legalName("Acme Tools") == ("Acme Tools", false))
        #expect(Values.legalName("Inc,") == ("Inc,", false))
    }

    @Test func aUnitInItsColumnForgivesOneOCRLetterSlip() {
        #expect(Values.unitInColumn("pcs")! == (UnitCode(rawValue: "PCE"), false))
        #expect(Values.unitInColumn("pes")! == (UnitCode(rawValue: "PCE"), true))
        #expect(Values.unitInColumn("bont")! == (UnitCode(rawValue: "BO"), true))
        // Not a slip OCR makes, too short to tell, or two slips.
        #expect(Values.unitInColumn("pxs") == nil)
        #expect(Values.unitInColumn("kq") == nil)
        #expect(Values.unitInColumn("pea") == nil)
    }

    /// The page language that picks the OCR model for a second reading: counted on the page's
    /// words, accents lost or not; English on a tie, nothing from a page of numbers.
    @Test func aPageLanguageIsGuessedFromItsWords() {
        #expect(DocumentLanguage.guess(["RECHNUNG", "Menge", "Einzelpreis", "Betrag", "Holzlöffel"]) == "de")
        #expect(DocumentLanguage.guess(["FACTURE", "Désignation", "Quantite", "Prix", "unitaire"]) == "fr")
        #expect(DocumentLanguage.guess(["PAKLIJST", "Omschrijving", "Aantal", "Eenheid", "Totaal"]) == "nl")
        #expect(DocumentLanguage.guess(["INVOICE", "Description", "Qty", "Price", "Amount"]) == "en")
        // `de` is French and Dutch, `datum` German and Dutch: neither counts.
        #expect(DocumentLanguage.guess(["de", "de", "datum", "datum", "12,50"]) == nil)
        // Three German words against three English ones: English.
        #expect(DocumentLanguage.guess(["Menge", "Betrag", "Summe", "Invoice", "Price", "Amount"]) == "en")
    }
}

