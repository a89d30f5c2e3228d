@testable import DocumentExtraction
import Testing
import CustomsModel
import Foundation

/// The rules that read invoices laid out unlike the generated fixtures, each on word boxes typed
/// by hand (Fixtures/documents/layouts has the printed invoices they came from).
@Suite struct LayoutRuleTests {
    /// A table that makes the page an invoice with lines, so that the rule under test is the only unknown.
    static func table(at y: Double) -> [(y: Double, words: [(x: Double, text: String)])] {
        [
            (y, phrase(40, "Description") + phrase(330, "Qty") + phrase(380, "Price") + phrase(470, "Amount")),
            (y + 15, phrase(40, "Claw hammer") + phrase(335, "10") + phrase(385, "3.70") + phrase(475, "37.00")),
        ]
    }

    /// `Date :` set a few spaces after the invoice number, in the same segment, is a label of its own.
    @Test func aLabelInsideALineStartsAValue() {
        let p = page([(40, phrase(40, "INVOICE")), (60, phrase(40, "Facture n° F2026-0093 Date : 21/01/2026 Devise : EUR"))] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "F2026-0093")
        #expect(d.invoiceDate == "2026-01-21")
        #expect(d.currency == "EUR")
    }

    /// `Invoice No:` stays one label: its `No:` does not start another.
    @Test func aLabelIsNotCutAtItsOwnLastWord() {
        let p = page([(40, phrase(40, "INVOICE")), (60, phrase(40, "Invoice No: INV-77"))] + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.invoiceNumber == "INV-77")
    }

    /// `Shipper / Exporter` and `Shipper/Exporter` are one label for the seller.
    @Test func twoNamesForOneRoleAreOneLabel() {
        for label in ["Shipper / Exporter", "Shipper/Exporter", "Seller (Exporter)"] {
            let p = page([(40, phrase(40, "INVOICE")), (60, phrase(40, label)), (72, phrase(40, "Bright Lantern Ltd")), (84, phrase(40, "12 Mill Lane"))]
                + Self.table(at: 240))
            #expect(Extractor().extract([p]).document.sellerName == "Bright Lantern Ltd", "\(label)")
        }
    }

    /// `An:` alone names the addressee; `An der Alster 5` is an address line.
    @Test func aShortAddresseeLabelCountsOnlyAlone() {
        let p = page([(40, phrase(40, "RECHNUNG")), (60, phrase(40, "An:")), (72, phrase(40, "Atelier Dubois SARL")), (84, phrase(40, "5 rue des Tanneurs"))]
            + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.buyerName == "Atelier Dubois SARL")
        let street = page([(40, phrase(40, "RECHNUNG")), (60, phrase(40, "An der Alster 5")), (72, phrase(40, "Hamburg"))] + Self.table(at: 240))
        #expect(Extractor().extract([street]).document.buyerName == nil)
    }

    /// A party's name and address on one line (`Vendeur : Savonnerie du Midi SAS, 8 avenue …`) give
    /// the name alone; a legal form after a comma stays with the name; the next party's label ends the block.
    @Test func aNameWithItsAddressOnOneLineIsCutAtTheComma() {
        let p = page([
            (40, phrase(40, "FACTURE")),
            (60, phrase(40, "Vendeur : Savonnerie du Midi SAS, 8 avenue Jean Jaurès, 13001 Marseille, France")),
            (72, phrase(40, "Acheteur : Acme, Inc., 400 Pine Street, Seattle")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Savonnerie du Midi SAS")
        #expect(d.sellerAddress == ["8 avenue Jean Jaurès", "13001 Marseille", "France"])
        #expect(d.buyerName == "Acme, Inc.")
    }

    /// With no seller label, the letterhead with a legal form is the seller, not the larger title.
    @Test func theLetterheadWithALegalFormIsTheSeller() {
        var p = page([
            (40, phrase(40, "Holzwerk Schmidt GmbH, Am Sägewerk 3, 79098 Freiburg")),
            (90, phrase(40, "Rechnung")),
        ] + Self.table(at: 240))
        // The title is printed larger than the letterhead line.
        for k in p.words.indices where p.words[k].text == "Rechnung" { p.words[k].box.y1 += 10 }
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Holzwerk Schmidt GmbH")
        #expect(d.sellerAddress == ["Am Sägewerk 3", "79098 Freiburg"])
    }

    /// The amount of a total comes after its rate and after words between label and amount.
    @Test func aTotalsAmountIsTheNumberAfterTheRate() {
        let p = page([(40, phrase(40, "FACTURE"))] + Self.table(at: 240) + [
            (300, phrase(380, "Total HT : 37,00 €")),
            (315, phrase(380, "TVA 20 % : 7,40 €")),
            (330, phrase(380, "Total TTC : 44,40 €")),
        ])
        let r = Extractor().extract([p])
        #expect(r.document.tax == "7.4")
        #expect(r.document.total == "44.4")
        #expect(!r.problems.contains { $0.code == "total_mismatch" })
        let value = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240) + [(300, phrase(300, "Total Invoice Value: GBP 37.00"))])
        #expect(Extractor().extract([value]).document.total == "37")
    }

    /// `Item | Price | Quantity | Total`: `Item` heads the goods' names when nothing else does.
    @Test func itemHeadsTheDescriptionWhenNothingElseDoes() {
        let p = page([
            (40, phrase(40, "Invoice")),
            (240, phrase(40, "Item") + phrase(330, "Price") + phrase(400, "Quantity") + phrase(480, "Total")),
            (258, phrase(40, "Knitted wool beanie") + phrase(330, "$22.50") + phrase(405, "1") + phrase(480, "$22.50")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.description == "Knitted wool beanie")
        #expect(line?.unitPrice == "22.5")
        #expect(line?.quantity == "1")
    }

    /// A short number left-aligned under a centred header, outside its box, goes to that free column
    /// rather than to the neighbouring column that already has its number.
    @Test func aNumberBesideAFreeColumnGoesThere() {
        let p = page([
            (40, phrase(40, "Invoice")),
            (240, phrase(40, "Description") + phrase(340, "Price") + phrase(420, "Quantity") + phrase(500, "Total")),
            (258, phrase(40, "Enamel pin set") + phrase(330, "$12.00") + phrase(405, "3") + phrase(500, "$36.00")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.quantity == "3")
        #expect(line?.unitPrice == "12")
    }

    /// A description set centred in its row over three lines: the line above the numbers and the
    /// line below both belong to that row, not to the rows around it.
    @Test func aCentredWrappedCellJoinsItsOwnRow() {
        let p = page([
            (40, phrase(40, "Invoice")),
            (240, phrase(40, "Description") + phrase(330, "Qty") + phrase(380, "Price") + phrase(470, "Amount")),
            (258, phrase(40, "Cuckoo clock,")),
            (269, phrase(40, "lime wood,") + phrase(335, "3") + phrase(385, "290.00") + phrase(475, "870.00")),
            (280, phrase(40, "hand carved")),
            (300, phrase(40, "Wall clock")),
            (311, phrase(40, "with pendulum") + phrase(335, "4") + phrase(385, "90.00") + phrase(475, "360.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Cuckoo clock, lime wood, hand carved", "Wall clock with pendulum"])
    }

    /// Blocks side by side with a narrow gap are cut where the labels above them start.
    @Test func sideBySideBlocksAreCutWhereTheirLabelsStart() {
        let p = page([
            (40, phrase(40, "PROFORMA INVOICE")),
            (60, phrase(40, "Exporter:") + phrase(200, "Importer of record:")),
            (72, phrase(40, "Kanto Precision Tools Co., Ltd.") + phrase(200, "Maple Workshop Supply Corp.")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Kanto Precision Tools Co., Ltd.")
        #expect(d.buyerName == "Maple Workshop Supply Corp.")
    }

    /// A shop's order number stands in for a missing invoice number, never over a printed one.
    @Test func anOrderNumberStandsInOnlyForAMissingInvoiceNumber() {
        let order = page([(40, phrase(40, "Invoice")), (60, phrase(40, "Order #1047"))] + Self.table(at: 240))
        let r = Extractor().extract([order])
        #expect(r.document.invoiceNumber == "1047")
        #expect((r.field("invoice_number")?.confidence ?? 1) < 1)
        let both = page([(40, phrase(40, "Invoice")), (60, phrase(40, "Order #1047")), (75, phrase(40, "Invoice No: INV-2026-9"))] + Self.table(at: 240))
        let d = Extractor().extract([both])
        #expect(d.document.invoiceNumber == "INV-2026-9")
        #expect(d.fields.filter { $0.name == "invoice_number" }.count == 1)
    }

    /// `Net` beside a unit price on an invoice with no amount column is the line's net amount.
    @Test func netOnAnInvoiceWithoutAnAmountColumnIsTheAmount() {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(330, "Qty") + phrase(380, "Unit price") + phrase(470, "Net")),
            (258, phrase(40, "Serving bowl") + phrase(335, "24") + phrase(385, "18.75") + phrase(470, "450.00")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.lineTotal == "450")
        #expect(line?.netWeight == nil)
    }

    /// A number printed in the title (`Rechnung 2026-7731`) numbers the invoice when no label does.
    @Test func aNumberInTheTitleNumbersTheInvoice() {
        let p = page([(40, phrase(40, "Rechnung 2026-7731"))] + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.invoiceNumber == "2026-7731")
        let labelled = page([(40, phrase(40, "Rechnung 2026-7731")), (60, phrase(40, "Rechnungsnummer: RE-9"))] + Self.table(at: 240))
        #expect(Extractor().extract([labelled]).document.invoiceNumber == "RE-9")
    }

    /// A header set on two lines reads cell by cell (`No. of` over `Units`, `Harmonized` over
    /// `Tariff No.`), not word by word from the left.
    @Test func aTwoLineHeaderReadsCellByCell() {
        let p = page([
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (240, phrase(40, "No. of") + phrase(120, "Description of") + phrase(250, "Harmonized") + phrase(380, "Unit") + phrase(470, "Total")),
            (251, phrase(40, "Units") + phrase(120, "Goods") + phrase(246, "Tariff No.") + phrase(380, "Value") + phrase(470, "Value")),
            (270, phrase(42, "10") + phrase(120, "Trekking poles, pair") + phrase(250, "6602.00") + phrase(382, "45.00") + phrase(472, "450.00")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.quantity == "10")
        #expect(line?.hsCode == "660200")
        #expect(line?.unitPrice == "45")
        #expect(line?.lineTotal == "450")
    }

    /// Block headings set close together on one line (`Verkauft von  Rechnungsadresse`) are two
    /// labels; a label with its value in the next cell of the line (`Klant:  Fromagerie …`) reads it.
    @Test func headingsCloseTogetherAndAValueBesideTheLabel() {
        let p = page([
            (40, phrase(40, "Rechnung")),
            // 8 points between the headings: less than a word space, so one segment.
            (60, phrase(40, "Verkauft von") + phrase(106, "Rechnungsadresse")),
            (72, phrase(40, "Nest GmbH") + phrase(106, "Lars Jensen")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Nest GmbH")
        #expect(d.buyerName == "Lars Jensen")
        let beside = page([(40, phrase(40, "FACTUUR")), (60, phrase(40, "Klant:") + phrase(140, "Fromagerie Dubois SARL, 14 rue du Marché, 69002 Lyon")),
                           (72, phrase(40, "Factuurnummer:") + phrase(140, "VF26-1187"))] + Self.table(at: 240))
        let b = Extractor().extract([beside]).document
        #expect(b.buyerName == "Fromagerie Dubois SARL")
        #expect(b.invoiceNumber == "VF26-1187")
    }

    /// A window envelope's return line (`Name · Street · Town`) above an unlabelled address block:
    /// the block names the buyer and the return line the seller. A letterhead's contact line with
    /// the same marks but no address under it names nobody.
    @Test func aReturnLineAboveTheAddressWindowNamesBothParties() {
        let p = page([
            (40, phrase(40, "Elbtal Feinmechanik GmbH · Hafenstraße 3 · 01067 Dresden")),
            (55, phrase(40, "Precision Parts Sp. z o.o.") + phrase(330, "Rechnung")),
            (67, phrase(40, "ul. Fabryczna 17") + phrase(330, "Rechnungsnummer 2026-11-0457")),
            (79, phrase(40, "53-609 Wrocław")),
            (91, phrase(40, "Polen")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Precision Parts Sp. z o.o.")
        #expect(d.buyerAddress == ["ul. Fabryczna 17", "53-609 Wrocław", "Polen"])
        #expect(d.sellerName == "Elbtal Feinmechanik GmbH")
        #expect(d.sellerAddress == ["Hafenstraße 3", "01067 Dresden"])
        let contact = page([(40, phrase(40, "Tel. 0351 4471 · Fax 0351 4472 · info@elbtal.example")), (70, phrase(40, "Rechnung"))] + Self.table(at: 240))
        #expect(Extractor().extract([contact]).document.buyerName == nil)
    }

    /// An invoice's number named in a sentence (a certificate's `Relates to commercial invoice no. …`).
    @Test func anInvoiceNumberNamedInASentence() {
        let p = page([
            (40, phrase(40, "ORIGIN DECLARATION")),
            (60, phrase(40, "Relates to commercial invoice no. POG-2026-3318")),
            (80, phrase(40, "dated 23 November 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "POG-2026-3318")
    }

    /// A packing list's totals on one line under its table (`Totaal colli: 25  Totaal netto: 535,5 kg …`)
    /// end the table and give the packages and both weights.
    @Test func aPackingListsTotalsLineEndsTheTable() {
        let p = page([
            (40, phrase(40, "PAKLIJST")),
            (240, phrase(40, "Omschrijving") + phrase(250, "Aantal") + phrase(310, "Colli") + phrase(370, "Netto") + phrase(450, "Bruto")),
            (255, phrase(40, "Tulpenbollen, net 10 st.") + phrase(255, "1.200") + phrase(315, "12") + phrase(372, "240,0") + phrase(452, "262,5")),
            (270, phrase(40, "Totaal colli: 12") + phrase(160, "Totaal netto: 240,0 kg") + phrase(330, "Totaal bruto: 262,5 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.count == 1)
        #expect(d.packages == "12")
        #expect(d.netWeight == "240")
        #expect(d.grossWeight == "262.5")
    }

    /// A label that wraps in a narrow cell (`Invoice` over `Date`) beside a value that wraps too
    /// (`3rd December` over `2026`), or whose value sits between its two lines (`Delivery` over `terms`).
    @Test func aLabelThatWrapsReadsWithItsValue() {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (60, phrase(300, "Invoice No.") + phrase(380, "HTM/26/7730")),
            (75, phrase(300, "Invoice") + phrase(380, "3rd December")),
            (87, phrase(300, "Date") + phrase(380, "2026")),
            (105, phrase(300, "Delivery")),
            (111, phrase(380, "FCA Galashiels")),
            (117, phrase(300, "terms")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "HTM/26/7730")
        #expect(d.invoiceDate == "2026-12-03")
        #expect(d.incoterm == "FCA")
    }

    /// A letter's dateline with no label (`Marseille, le 5 décembre 2026`) dates the invoice; a
    /// place with its country does not.
    @Test func aDatelineDatesTheInvoice() {
        let p = page([(40, phrase(40, "FACTURE N° SVP-26-0412")), (60, phrase(40, "Marseille, le 5 décembre 2026"))] + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.invoiceDate == "2026-12-05")
        let place = page([(40, phrase(40, "FACTURE N° SVP-26-0412")), (60, phrase(40, "Marseille, France 2026"))] + Self.table(at: 240))
        #expect(Extractor().extract([place]).document.invoiceDate == nil)
    }

    /// An address block with no label under a letterhead set on the right names the buyer; its
    /// contact line (`t.a.v. inkoopafdeling`) stays in the address.
    @Test func anUnlabelledAddressBlockNamesTheBuyer() {
        let p = page([
            (40, phrase(380, "Tulpenhof Kwekerij B.V.")),
            (52, phrase(380, "Bollenweg 118")),
            (64, phrase(380, "2161 AB Lisse")),
            (100, phrase(40, "Gartenmarkt Sommer GmbH")),
            (112, phrase(40, "t.a.v. inkoopafdeling")),
            (124, phrase(40, "Mühlenstraße 22")),
            (136, phrase(40, "48143 Münster")),
            (148, phrase(40, "Duitsland")),
            (180, phrase(40, "Factuur")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Tulpenhof Kwekerij B.V.")
        #expect(d.buyerName == "Gartenmarkt Sommer GmbH")
        #expect(d.buyerAddress == ["t.a.v. inkoopafdeling", "Mühlenstraße 22", "48143 Münster", "Duitsland"])
    }

    /// `TO:` with the name after it on the same line names the buyer.
    @Test func toWithTheNameOnItsLineNamesTheBuyer() {
        let p = page([(40, phrase(40, "PACKING LIST")), (60, phrase(40, "TO: NORDLICHT HANDEL GMBH")), (72, phrase(40, "Ostring 4, 22113 Hamburg, Germany"))]
            + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.buyerName == "NORDLICHT HANDEL GMBH")
    }

    /// Shipping marks and carton numbers have columns of their own: `N/M` and `1-20` stay out of the description.
    @Test func marksAndCartonNumbersStayOutOfTheDescription() {
        let p = page([
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (240, phrase(40, "Marks & Nos.") + phrase(120, "Description of Goods") + phrase(330, "Quantity") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (255, phrase(40, "N/M") + phrase(120, "LED desk lamp") + phrase(335, "400") + phrase(395, "6.85") + phrase(475, "2,740.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.first?.description == "LED desk lamp")
        #expect(d.lines.first?.lineTotal == "2740")
    }

    /// A row whose cells wrap onto the line under it (the description's last words, the amount
    /// under its `€`) is one row.
    @Test func aRowsWrappedCellsJoinIt() {
        let p = page([
            (40, phrase(40, "FACTUUR")),
            (240, phrase(40, "Omschrijving") + phrase(250, "Aantal") + phrase(380, "Prijs") + phrase(470, "Bedrag")),
            (255, phrase(40, "Tulpenbollen, maat") + phrase(255, "500") + phrase(385, "0,38") + phrase(470, "€")),
            (267, phrase(40, "12/+") + phrase(470, "190,00")),
            (285, phrase(40, "Narcisbollen") + phrase(255, "300") + phrase(385, "0,29") + phrase(470, "87,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.count == 2)
        #expect(d.lines.first?.description == "Tulpenbollen, maat 12/+")
        #expect(d.lines.first?.lineTotal == "190")
    }

    /// A packing list's `TOTAL:` row inside its table gives the packages and both weights from the columns they stand under.
    @Test func aPackingListsTotalRowSumsItsColumns() {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(250, "Qty") + phrase(310, "Ctns") + phrase(370, "N.W. (KGS)") + phrase(450, "G.W. (KGS)") + phrase(520, "Meas.")),
            (255, phrase(40, "LED desk lamp") + phrase(255, "400") + phrase(315, "20") + phrase(372, "260.00") + phrase(452, "290.00") + phrase(522, "1.92")),
            (270, phrase(40, "Bluetooth speaker") + phrase(255, "200") + phrase(315, "10") + phrase(372, "152.50") + phrase(452, "165.00") + phrase(522, "0.93")),
            (285, phrase(100, "TOTAL:") + phrase(255, "600") + phrase(315, "30") + phrase(372, "412.50") + phrase(452, "455.00") + phrase(522, "2.85")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.count == 2)
        #expect(d.lines.first?.grossWeight == "290")
        #expect(d.packages == "30")
        #expect(d.netWeight == "412.5")
        #expect(d.grossWeight == "455")
    }

    /// OCR's `&` in a name is kept, though it has no letter or digit: specks of noise are left out, names are not cut.
    @Test func anAmpersandInAScannedNameIsKept() {
        let p = page([(40, phrase(40, "INVOICE")), (60, phrase(40, "Buyer:")), (72, phrase(40, "Hearth & Home Goods Ltd")), (84, phrase(40, "14 Castle Street"))]
            + Self.table(at: 240), confidence: 0.6)
        #expect(Extractor().extract([p]).document.buyerName == "Hearth & Home Goods Ltd")
    }

    /// A dateline of a place and a date alone (`Winterthur, 27.11.2026`) dates the invoice.
    @Test func aPlaceAndADateAloneDateTheInvoice() {
        let p = page([(40, phrase(40, "Alpenmechanik AG") + phrase(400, "Winterthur, 27.11.2026")), (80, phrase(40, "Handelsrechnung"))] + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.invoiceDate == "2026-11-27")
    }

    /// `Terms` gives the incoterm only when its value names one; `Leveringsconditie` is a delivery-terms label.
    @Test func termsGiveTheIncotermOnlyWhenTheyNameOne() {
        for (label, value, expected) in [("Terms", "FOB Brisbane", "FOB"), ("Terms", "30 days net", nil), ("Leveringsconditie", "DAP London", "DAP")] {
            let p = page([(40, phrase(40, "INVOICE")), (60, phrase(40, label) + phrase(160, value))] + Self.table(at: 240))
            #expect(Extractor().extract([p]).document.incoterm == expected, "\(label) \(value)")
        }
    }

    /// Words under a column the lexicon does not know (`GST-` over `free` under `GST`), set beside
    /// a number column, are not taken as that column's numbers: the row and its wrapped
    /// description stay whole.
    @Test func wordsOfAnUnknownColumnAreNoNumbers() {
        let p = page([
            (40, phrase(40, "TAX INVOICE")),
            (240, phrase(40, "Description") + phrase(330, "Qty") + phrase(370, "Unit Price") + phrase(430, "GST") + phrase(480, "Amount")),
            (258, phrase(40, "Stoneware dinner plate,") + phrase(430, "GST-")),
            (265.5, phrase(335, "24") + phrase(375, "18.50") + phrase(485, "444.00")),
            (269, phrase(40, "speckled glaze") + phrase(432, "free")),
            (293, phrase(430, "GST-")),
            (300, phrase(40, "Stoneware mug") + phrase(335, "36") + phrase(375, "12.00") + phrase(485, "432.00")),
            (304, phrase(432, "free")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Stoneware dinner plate, speckled glaze", "Stoneware mug"])
        #expect(d.lines.map(\.unitPrice) == ["18.5", "12"])
        // On a scan the same clean words are dropped too; a garbled amount (`BAL`) stays the row's.
        var scanned = p
        scanned.source = .ocr
        #expect(Extractor().extract([scanned]).document.lines.map(\.unitPrice) == ["18.5", "12"])
        #expect(Run.isPlainWord("free", scanned: true) && Run.isPlainWord("GST-", scanned: true))
        #expect(!Run.isPlainWord("BAL", scanned: true) && !Run.isPlainWord("ié.aaa", scanned: true) && Run.isPlainWord("BAL"))
    }

    /// A cell broken after a hyphen or a dash joins its next line without a space.
    @Test func aCellBrokenAfterADashJoinsWithoutASpace() {
        let p = page([
            (40, phrase(40, "RECHNUNG")),
            (240, phrase(40, "Warenbezeichnung") + phrase(330, "Menge") + phrase(380, "Preis") + phrase(470, "Betrag")),
            (258, phrase(40, "Präzisionsschraubendreher-") + phrase(335, "40") + phrase(385, "24.50") + phrase(475, "980.00")),
            (269, phrase(40, "Set, 12-teilig")),
            (290, phrase(40, "Drehmomentschlüssel 5–") + phrase(335, "10") + phrase(385, "189.90") + phrase(475, "1899.00")),
            (301, phrase(40, "60 Nm")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Präzisionsschraubendreher-Set, 12-teilig", "Drehmomentschlüssel 5–60 Nm"])
    }

    /// The letterhead's address is the block under its name, not the title or number set to its right.
    @Test func theLetterheadsAddressIsTheBlockUnderItsName() {
        let p = page([
            (40, phrase(40, "Tissages du Nord SAS") + phrase(400, "LISTE DE COLISAGE")),
            (52, phrase(40, "12 rue des Filatures") + phrase(400, "N° : TN-26-1187")),
            (64, phrase(40, "59100 Roubaix") + phrase(400, "Date : 02/12/2026")),
            (76, phrase(40, "France")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Tissages du Nord SAS")
        #expect(d.sellerAddress == ["12 rue des Filatures", "59100 Roubaix", "France"])
    }

    /// `Colis n°` numbers the cartons (`1–4`); `Nb colis` counts them.
    @Test func aCartonNumberColumnIsNotThePackageCount() {
        let p = page([
            (40, phrase(40, "LISTE DE COLISAGE")),
            (240, phrase(40, "Colis n°") + phrase(100, "Désignation") + phrase(260, "Nb colis") + phrase(320, "Quantité") + phrase(390, "Poids net") + phrase(470, "Poids brut")),
            (255, phrase(45, "1–4") + phrase(100, "Nappes en lin lavé") + phrase(270, "4") + phrase(330, "80") + phrase(395, "96,0") + phrase(475, "104,4")),
            (270, phrase(45, "5–6") + phrase(100, "Torchons en coton") + phrase(270, "2") + phrase(330, "150") + phrase(395, "45,5") + phrase(475, "49,0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.packages) == ["4", "2"])
        #expect(d.lines.map(\.netWeight) == ["96", "45.5"])
        #expect(d.lines.map(\.grossWeight) == ["104.4", "49"])
    }

    /// A value cell that wraps (`4 december` over `2026`) beside a label set centred on it.
    @Test func aValueThatWrapsBesideItsCentredLabelIsOneValue() {
        let p = page([
            (40, phrase(40, "FACTUUR")),
            (60, phrase(300, "Factuurnr.") + phrase(420, "2026/1407")),
            (75, phrase(420, "4 december")),
            (80, phrase(300, "Datum")),
            (85, phrase(420, "2026")),
            (100, phrase(300, "Vervaldag")),
            (95, phrase(420, "3 januari")),
            (105, phrase(420, "2027")),
        ] + Self.table(at: 240))
        #expect(Extractor().extract([p]).document.invoiceDate == "2026-12-04")
    }

    /// A label that wraps (`Invoice` over `Date`) beside a right-aligned value that wraps too
    /// (`3rd December` over `2026`); `Customer` over `No.` is a number's label, not the customer's.
    @Test func aWrappedLabelTakesARightAlignedWrappedValue() {
        let p = page([
            (40, phrase(40, "Connemara Knitwear Ltd") + phrase(300, "INVOICE")),
            (60, phrase(420, "Invoice") + phrase(492, "3rd December")),
            (72, phrase(420, "Date") + phrase(530, "2026")),
            (90, phrase(420, "Customer")),
            (96, phrase(500, "C-1182")),
            (102, phrase(420, "No.")),
            (160, phrase(40, "Invoice To:")),
            (172, phrase(40, "Highland Wool Company Ltd")),
            (184, phrase(40, "14 Academy Street")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.invoiceDate == "2026-12-03")
        #expect(d.buyerName == "Highland Wool Company Ltd")
    }

    /// A total's label that wraps in a narrow cell (`TOTAL INVOICE` over `VALUE`, `Rechnungsbetrag`
    /// over `EUR`) with its amount centred on both lines.
    @Test func aWrappedTotalLabelTakesTheAmountCentredOnIt() {
        for (upper, lower) in [("TOTAL INVOICE", "VALUE"), ("Rechnungsbetrag", "EUR")] {
            let p = page(Self.table(at: 240) + [
                (300, phrase(350, "Subtotal") + phrase(480, "37.00")),
                (314, phrase(350, "Freight") + phrase(485, "4.00")),
                (330, phrase(350, upper)),
                (337, phrase(480, "41.00")),
                (344, phrase(350, lower)),
            ])
            let d = Extractor().extract([p]).document
            #expect(d.total == "41", "\(upper) \(lower)")
            #expect(d.subtotal == "37")
        }
    }

    /// A packing list's total row with its label in the description column is the totals, not a
    /// line; a dimensions column (`60 × 40 × 40`) is no weight.
    @Test func aTotalRowInTheDescriptionColumnGivesTheTotals() {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(250, "Qty") + phrase(290, "Cartons") + phrase(350, "N.W. (kg)") + phrase(410, "G.W. (kg)")
                + phrase(470, "Dimensions (cm)")),
            (255, phrase(40, "Loose leaf tea") + phrase(255, "96") + phrase(300, "4") + phrase(355, "96.0") + phrase(415, "104.0") + phrase(470, "60 × 40 × 40")),
            (270, phrase(40, "Tea bags") + phrase(250, "240") + phrase(300, "3") + phrase(355, "60.0") + phrase(420, "66.5") + phrase(470, "60 × 40 × 35")),
            (285, phrase(40, "TOTAL") + phrase(250, "336") + phrase(300, "7") + phrase(350, "156.0") + phrase(415, "170.5")),
            (310, phrase(40, "All cartons palletised on one EUR pallet (120 × 80 cm).")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Loose leaf tea", "Tea bags"])
        #expect(d.lines.map(\.grossWeight) == ["104", "66.5"])
        #expect(d.packages == "7")
        #expect(d.netWeight == "156")
        #expect(d.grossWeight == "170.5")
    }

    /// A discount column's rate (`10 %`) is no part of the unit price beside it; `Unit Cost` is a unit price.
    @Test func aDiscountColumnIsNotReadIntoThePrice() {
        let p = page([
            (40, phrase(40, "FACTUUR")),
            (240, phrase(40, "Omschrijving") + phrase(250, "Aantal") + phrase(300, "Eenheidsprijs") + phrase(380, "Korting") + phrase(470, "Bedrag")),
            (255, phrase(40, "Zadeldek gel, zwart") + phrase(270, "30") + phrase(320, "€ 12,90") + phrase(390, "10 %") + phrase(470, "€ 348,30")),
            (270, phrase(40, "Fietsbel messing") + phrase(270, "50") + phrase(325, "€ 6,40") + phrase(395, "0 %") + phrase(470, "€ 320,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["12.9", "6.4"])
        #expect(d.lines.map(\.lineTotal) == ["348.3", "320"])
        let cost = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "Qty") + phrase(300, "Unit Cost") + phrase(380, "VAT %") + phrase(470, "Amount")),
            (255, phrase(40, "Donegal tweed flat cap") + phrase(255, "30") + phrase(305, "€27.50") + phrase(385, "0%") + phrase(470, "€825.00")),
        ])
        #expect(Extractor().extract([cost]).document.lines.map(\.unitPrice) == ["27.5"])
    }

    /// A header of three lines: one-line cells (`Qty`, `HTS No.`) centred between two-line ones
    /// (`Description of` over `Goods`), as OCR sets them.
    @Test func aHeaderOfThreeLinesIsOneHeader() {
        let p = page([
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (240, phrase(100, "Description of") + phrase(300, "Country of") + phrase(380, "Unit") + phrase(450, "Total")),
            (252, phrase(40, "Qty") + phrase(200, "HTS No.")),
            (264, phrase(100, "Goods") + phrase(300, "Origin") + phrase(380, "Value") + phrase(450, "Value")),
            (285, phrase(42, "25") + phrase(100, "Cast iron skillet") + phrase(200, "7323.91.5020") + phrase(300, "USA") + phrase(380, "$34.00")
                + phrase(450, "$850.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Cast iron skillet"])
        #expect(d.lines.map(\.quantity) == ["25"])
        #expect(d.lines.map(\.hsCode) == ["7323915020"])
        #expect(d.lines.map(\.originCountry) == ["US"])
        #expect(d.lines.map(\.lineTotal) == ["850"])
    }

    /// `$` names several dollars: a code in the total's label, wrapped under it or not, or a prefix says which.
    @Test func aDollarIsTheOneItsCodeOrPrefixNames() {
        #expect(Values.currency(in: "Total Due (CAD) $9,537.81") == "CAD")
        #expect(Values.currency(in: "C$ 120.00") == "CAD")
        #expect(Values.currency(in: "HK$20") == "HKD")
        #expect(Values.currency(in: "TOTAL $5.00") == "USD")
        #expect(Values.currency(in: "£4.99") == "GBP")
        let p = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240)
            + [(300, phrase(360, "Total Due")), (305.5, phrase(470, "$37.00")), (310, phrase(360, "(CAD)"))])
        let d = Extractor().extract([p]).document
        #expect(d.total == "37")
        #expect(d.currency == "CAD")
    }

    /// `Qty Ordered | Qty Shipped`: the shipped quantity is the line's; `Net Wt (lb) | Net Wt (kg)`: the kilograms.
    @Test func ofTwoColumnsOfOneKindTheShippedAndTheKilogramsAreRead() {
        let invoice = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(200, "Qty Ordered") + phrase(280, "Qty Shipped") + phrase(380, "Price") + phrase(450, "Amount")),
            (255, phrase(40, "Bench cushion") + phrase(220, "12") + phrase(300, "9") + phrase(380, "38.50") + phrase(450, "346.50")),
        ])
        #expect(Extractor().extract([invoice]).document.lines.map(\.quantity) == ["9"])
        let packing = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(150, "Qty") + phrase(200, "Net Wt (lb)") + phrase(280, "Net Wt (kg)")
                + phrase(360, "Gross Wt (lb)") + phrase(450, "Gross Wt (kg)")),
            (255, phrase(40, "Headlamp") + phrase(150, "60") + phrase(210, "13.2") + phrase(290, "6.0") + phrase(370, "15.4") + phrase(460, "7.0")),
        ])
        let lines = Extractor().extract([packing]).document.lines
        #expect(lines.map(\.netWeight) == ["6"])
        #expect(lines.map(\.grossWeight) == ["7"])
    }

    /// A header's cells read in order when its one-line cells are grouped with its two-line ones:
    /// `Net Wt` over `(lb)` beside `Net Wt` over `(kg)`, set closer than the columns' words.
    @Test func aHeaderInBandsIsReadCellByCell() {
        let line = TextLine(page: 1, words: page([
            (192, phrase(315, "Net Wt") + phrase(355, "Net Wt")),
            (206, phrase(320, "(lb)") + phrase(360, "(kg)")),
        ]).words, box: DocumentExtraction.Box(x0: 315, y0: 192, x1: 383, y1: 216))
        #expect(Run.bandsStacked(line).words.map(\.text) == ["Net", "Wt", "(lb)", "Net", "Wt", "(kg)"])
    }

    /// A line under a header joins it only when it is mostly header words: not a first row that
    /// starts with one (`NB-`, as in `nb colis`).
    @Test func aFirstRowIsNoHeaderLine() {
        func words(_ text: String) -> [Word] { page([(100, phrase(40, text))]).words }
        #expect(!Run.mostlyHeaderWords(words("NB- Birch dining chair, natural"), Run.headerVocabulary))
        #expect(Run.mostlyHeaderWords(words("# Ordered Shipped Price"), Run.headerVocabulary))
        #expect(Run.mostlyHeaderWords(words("Description Qty GST) GST AUD"), Run.headerVocabulary))
    }

    /// The article's number on a line of its own under the description is not part of it.
    @Test func anArticleNumberUnderTheDescriptionIsLeftOut() {
        let p = page([
            (40, phrase(40, "RECHNUNG")),
            (240, phrase(40, "Pos.") + phrase(80, "Bezeichnung") + phrase(300, "Menge") + phrase(360, "Einzelpreis") + phrase(450, "Gesamtpreis")),
            (255, phrase(40, "1") + phrase(80, "Spiralbohrer-Satz HSS-Co") + phrase(300, "12,00") + phrase(360, "64,90") + phrase(450, "778,80")),
            (267, phrase(80, "Art.-Nr. 4711-10, Metallkassette")),
            (282, phrase(40, "2") + phrase(80, "Gewindeschneid-Set M3-M12") + phrase(300, "5,00") + phrase(360, "189,00") + phrase(450, "945,00")),
        ])
        #expect(Extractor().extract([p]).document.lines.map(\.description) == ["Spiralbohrer-Satz HSS-Co", "Gewindeschneid-Set M3-M12"])
    }

    /// An Incoterm in capitals in a sentence about delivery terms, when no label gives one.
    @Test func anIncotermInASentenceAboutDelivery() {
        let named = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240) + [(400, phrase(40, "Delivery under DAP terms."))])
        #expect(Extractor().extract([named]).document.incoterm == "DAP")
        let other = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240) + [(400, phrase(40, "Ask our CIF team about insurance."))])
        #expect(Extractor().extract([other]).document.incoterm == nil)
    }

    /// An addressee's block with no label set on the right, beside the place and date (Swiss and French letters).
    @Test func anUnlabelledAddresseeOnTheRight() {
        let p = page([
            (40, phrase(40, "Atelier Montbrillant SA")),
            (52, phrase(40, "Rue de Montbrillant 14, 1201 Genève")),
            (100, phrase(40, "Genève, le 30 novembre 2026") + phrase(330, "Maison Duclos SARL")),
            (112, phrase(330, "8 quai Saint-Antoine")),
            (124, phrase(40, "Facture n° 2026-0877") + phrase(330, "69002 Lyon")),
            (136, phrase(330, "France")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Atelier Montbrillant SA")
        #expect(d.buyerName == "Maison Duclos SARL")
    }

    /// `Bill To` and `Ship To` blocks set close read as one line: it is no letterhead.
    @Test func theBuyersLineIsNoLetterhead() {
        let p = page([
            (40, phrase(40, "INVOICE") + phrase(380, "Northern Birch Furniture Ltd.")),
            (100, phrase(40, "Bill To:") + phrase(155, "Ship To:")),
            (112, phrase(40, "Hudson Home Goods Corp.") + phrase(155, "Hudson Home Goods DC 3")),
            (124, phrase(40, "1200 Boul. Robert-Bourassa") + phrase(180, "5600 Rue Ferrier")),
        ] + Self.table(at: 240))
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Hudson Home Goods Corp.")
        #expect(d.sellerName == "Northern Birch Furniture Ltd.")
    }

    /// A packing list is numbered by its own number (`Packing List No.`).
    @Test func aPackingListsOwnNumber() {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (60, phrase(300, "Packing List No.") + phrase(400, "CO-PL-58812")),
            (72, phrase(300, "Date") + phrase(400, "December 2, 2026")),
            (240, phrase(40, "Description") + phrase(200, "Qty") + phrase(260, "Ctns") + phrase(320, "Net Wt (kg)")),
            (255, phrase(40, "Headlamp") + phrase(200, "60") + phrase(260, "1") + phrase(320, "6.0")),
        ])
        #expect(Extractor().extract([p]).document.invoiceNumber == "CO-PL-58812")
    }

    /// An American seller's `12/03/26` is 3 December; the same date from a British seller is 12 March,
    /// and a dotted date is day first whoever writes it.
    @Test func anAmericanSellersSlashedDateIsMonthFirst() {
        func date(_ city: String, _ printed: String) -> String? {
            let p = page([
                (40, phrase(40, "Lakeshore Outfitters Supply, Inc.")),
                (52, phrase(40, "2250 N. Elston Ave")),
                (64, phrase(40, city)),
                (90, phrase(40, "INVOICE")),
                (110, phrase(300, "Invoice Date:") + phrase(400, printed)),
            ] + Self.table(at: 240))
            return Extractor().extract([p]).document.invoiceDate
        }
        #expect(date("Chicago, IL 60614", "12/03/26") == "2026-12-03")
        #expect(date("Chicago, IL 60614-2011", "12/03/2026") == "2026-12-03")
        #expect(date("Chicago, IL 60614", "03.12.2026") == "2026-12-03")
        #expect(date("Leeds LS1 4AP", "12/03/26") == "2026-03-12")
        #expect(date("Chicago, IL 60614", "25/11/2026") == "2026-11-25")
    }

    @Test func anAddressNamesItsCountryByItsCityLine() {
        #expect(Values.country(ofAddress: ["2250 N. Elston Ave", "Chicago", "IL 60614"]) == "US")
        #expect(Values.country(ofAddress: ["1840, rang Saint-Joseph", "Saint-Pierre-Baptiste (Québec) G0P 1K0"]) == "CA")
        #expect(Values.country(ofAddress: ["41 Wyse Road", "Dartmouth, NS B3A 1L9"]) == "CA")
        #expect(Values.country(ofAddress: ["Industrieweg 31", "3044 AS Rotterdam", "Nederland"]) == "NL")
        // A Dutch postcode's shape (four digits, two capitals) names the Netherlands; four digits alone name no country.
        #expect(Values.country(ofAddress: ["Industrieweg 31", "3044 AS Rotterdam"]) == "NL")
        #expect(Values.country(ofAddress: ["Noorderlaan 118", "2030 Antwerpen"]) == nil)
    }

    /// A bare `$` is the dollar the page names in words (`dollars canadiens`) or by code, else the
    /// seller's country's, else the US dollar.
    @Test func aBareDollarIsTheDollarThePageOrTheSellerNames() {
        func currency(_ rows: [(y: Double, words: [(x: Double, text: String)])]) -> String? {
            let p = page([(40, phrase(40, "FACTURE"))] + rows + [
                (240, phrase(40, "Description") + phrase(330, "Qté") + phrase(380, "Prix") + phrase(470, "Montant")),
                (255, phrase(40, "Sirop d'érable") + phrase(335, "10") + phrase(385, "9,75 $") + phrase(475, "97,50 $")),
                (290, phrase(380, "Total") + phrase(475, "97,50 $")),
            ])
            return Extractor().extract([p]).document.currency
        }
        #expect(currency([(400, phrase(40, "Tous les montants sont en dollars canadiens."))]) == "CAD")
        #expect(currency([(60, phrase(40, "Vendeur : Érablière Côté inc.")), (72, phrase(40, "Saint-Pierre-Baptiste (Québec) G0P 1K0"))]) == "CAD")
        #expect(currency([]) == "USD")
        #expect(Values.isBareDollar("Total 97,50 $"))
        #expect(!Values.isBareDollar("Total Due (CAD) $9,537.81"))
        #expect(!Values.isBareDollar("C$ 120.00"))
        #expect(Values.currency(in: "All amounts in Australian dollars") == "AUD")
    }

    /// `N° ECF-2026-0871` under the title numbers the invoice without a colon; elsewhere a bare
    /// `N°` does not.
    @Test func aBareNumberSignUnderTheTitle() {
        let under = page([(40, phrase(400, "FACTURE")), (56, phrase(390, "N° ECF-2026-0871"))] + Self.table(at: 240))
        #expect(Extractor().extract([under]).document.invoiceNumber == "ECF-2026-0871")
        let apart = page([(40, phrase(400, "FACTURE")), (56, phrase(40, "N° 1840 rang Saint-Joseph"))] + Self.table(at: 240))
        #expect(Extractor().extract([apart]).document.invoiceNumber == nil)
    }

    /// `P/L No. & Date: JBP/PL/2026/318 dt. 03-` over `Dec-2026`: one label, a number and its date,
    /// the date carried onto the next line.
    @Test func aNumberAndItsDateUnderOneLabel() {
        let p = page([
            (40, phrase(200, "PACKING LIST")),
            (60, phrase(40, "Consignee:") + phrase(300, "P/L No. & Date: JBP/PL/2026/318 dt. 03-")),
            (74, phrase(40, "Maison Indigo B.V.") + phrase(300, "Dec-2026")),
            (88, phrase(300, "Invoice No.: JBP/EXP/2026/318")),
            (240, phrase(40, "Description") + phrase(200, "Qty") + phrase(260, "Ctns") + phrase(320, "Net Wt (kg)")),
            (255, phrase(40, "Cushion cover") + phrase(200, "60") + phrase(260, "1") + phrase(320, "6.0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "JBP/PL/2026/318")
        #expect(d.invoiceDate == "2026-12-03")
    }

    /// The German, French and Dutch statements on origin name the EU or the UK in words.
    @Test func aStatementOnOriginNamesItsPartyInWords() {
        for (text, origin) in [
            ("erklärt, dass diese Waren präferenzbegünstigte Ursprungswaren der Europäischen Union sind.", "EU"),
            ("déclare que ces produits ont l'origine préférentielle du Royaume-Uni.", "UK"),
            ("verklaart dat deze goederen van Europese Unie preferentiële oorsprong zijn.", "EU"),
        ] {
            let p = page([(40, phrase(40, "Seller: Schwarzwald GmbH")), (100, phrase(40, text))])
            #expect(Extractor().extract([p]).document.originStatement?.origin == origin, "\(text)")
        }
    }

    /// A table that goes on over two pages: `Übertrag` carried at the head of page two is no row and
    /// does not end the table, and the first row under it keeps the description set above its numbers.
    @Test func aTableCarriedOverToTheNextPage() {
        let header = phrase(40, "Pos.") + phrase(80, "Bezeichnung") + phrase(300, "Menge") + phrase(360, "Einzelpreis") + phrase(450, "Gesamt")
        let one = page([
            (40, phrase(40, "RECHNUNG")),
            (240, header),
            (255, phrase(40, "10") + phrase(80, "Bratpfanne Gusseisen") + phrase(300, "15") + phrase(360, "42,00") + phrase(450, "630,00")),
            (280, phrase(400, "Übertrag") + phrase(450, "630,00")),
        ])
        let two = page([
            (60, header),
            (92, phrase(400, "Übertrag") + phrase(450, "630,00")),
            (108, phrase(80, "Schmortopf Gusseisen")),
            (118, phrase(40, "20") + phrase(80, "emailliert, 5 l") + phrase(300, "4") + phrase(360, "149,00") + phrase(450, "596,00")),
        ], number: 2)
        let lines = Extractor().extract([one, two]).document.lines
        #expect(lines.map(\.description) == ["Bratpfanne Gusseisen", "Schmortopf Gusseisen emailliert, 5 l"])
        #expect(lines.map(\.lineTotal) == ["630", "596"])
    }

    /// The address under a name set beside its label keeps to the name's edge: a paragraph under it,
    /// starting at the label's edge, is not the address.
    @Test func anAddressUnderTheNameBesideItsLabel() {
        let p = page([
            (40, phrase(40, "Ursprungserklärung")),
            (60, phrase(40, "Empfänger:") + phrase(133, "Midlands Tooling Supplies Ltd")),
            (72, phrase(133, "Unit 4, Bordesley Trading Estate")),
            (84, phrase(133, "Birmingham B9 4UH")),
            (96, phrase(133, "Vereinigtes Königreich")),
            (112, phrase(40, "Der Ausführer der Waren, auf die sich dieses Handelspapier bezieht, erklärt")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Midlands Tooling Supplies Ltd")
        #expect(d.buyerAddress == ["Unit 4, Bordesley Trading Estate", "Birmingham B9 4UH", "Vereinigtes Königreich"])
    }

    /// `zzgl. 19 % USt.` is the tax: the lines add up to the total less it.
    @Test func aTaxAddedNamesItsRateFirst() {
        let p = page([
            (40, phrase(40, "RECHNUNG")),
            (240, phrase(40, "Bezeichnung") + phrase(300, "Menge") + phrase(360, "Einzelpreis") + phrase(450, "Gesamt")),
            (255, phrase(40, "Bratpfanne Gusseisen") + phrase(300, "15") + phrase(360, "42,00") + phrase(450, "630,00")),
            (290, phrase(360, "Nettobetrag") + phrase(450, "630,00")),
            (302, phrase(360, "zzgl. 19 % USt.") + phrase(450, "119,70")),
            (314, phrase(360, "Rechnungsbetrag EUR") + phrase(450, "749,70")),
        ])
        let r = Extractor().extract([p])
        #expect(r.document.tax == "119.7")
        #expect(r.document.total == "749.7")
        #expect(!r.problems.contains { $0.code == "total_mismatch" })
    }

    /// A line with marks and a carton's size beside a description that wrapped is still the description's.
    @Test func aWrappedDescriptionBesideMarksAndSizes() {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Marks") + phrase(110, "Description") + phrase(290, "Ctns") + phrase(330, "Qty") + phrase(370, "Carton Size")
                + phrase(450, "Net Wt") + phrase(510, "Gross Wt")),
            (260, phrase(40, "MI / 15-") + phrase(110, "Cotton cushion cover,") + phrase(370, "55 x 40 x")),
            (272, phrase(110, "45 x 45 cm") + phrase(290, "12") + phrase(330, "1,200") + phrase(450, "126.00") + phrase(510, "147.60")),
            (284, phrase(40, "26") + phrase(390, "35")),
        ])
        let lines = Extractor().extract([p]).document.lines
        #expect(lines.map(\.description) == ["Cotton cushion cover, 45 x 45 cm"])
        #expect(lines.first?.netWeight == "126")
    }

    /// A description centred above its numbers stands farther under the last row than a wrapped
    /// line does: it is the next row's when its numbers follow just under it. A note over a total is not.
    @Test func aDescriptionJustAboveItsNumbersIsTheirRow() {
        let rows = Self.table(at: 240) + [
            (290, phrase(40, "Tack hammer, 250 g")),
            (296, phrase(335, "5") + phrase(385, "4.00") + phrase(475, "20.00")),
        ]
        let lines = Extractor().extract([page([(40, phrase(40, "INVOICE"))] + rows)]).document.lines
        #expect(lines.map(\.description) == ["Claw hammer", "Tack hammer, 250 g"])
        #expect(lines.map(\.quantity) == ["10", "5"])
        let note = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240) + [
            (290, phrase(40, "Prices include packing")),
            (296, phrase(380, "Total") + phrase(475, "37.00")),
        ])
        #expect(Extractor().extract([note]).document.lines.map(\.description) == ["Claw hammer"])
    }

    /// A scanned row whose cells OCR set on two lines (`Silicone handle cover  3.20` over
    /// `60  192.00`; or its numbers over a description with a tall box) is one row. A text layer's
    /// lines are as printed: there the two halves stay apart.
    @Test func aScannedRowSplitOverTwoLinesIsOneRow() {
        var split = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240) + [
            (290, phrase(40, "Silicone handle cover") + phrase(385, "3.20")),
            (297, phrase(335, "60") + phrase(475, "192.00")),
        ])
        split.source = .ocr
        var lines = Extractor().extract([split]).document.lines
        #expect(lines.map(\.description) == ["Claw hammer", "Silicone handle cover"])
        #expect(lines.last.map { [$0.quantity, $0.unitPrice, $0.lineTotal] } == ["60", "3.2", "192"])
        // Numbers sorted above their description: a tall box (`carbon`) moves its line's middle down.
        var tall = page([(40, phrase(40, "INVOICE"))] + Self.table(at: 240) + [
            (286, phrase(335, "48") + phrase(385, "9.50") + phrase(475, "456.00")),
            (292, phrase(40, "Trekking poles,") + phrase(117, "carbon")),
        ])
        for k in tall.words.indices where tall.words[k].text == "carbon" { tall.words[k].box.y1 = 330 }
        tall.source = .ocr
        lines = Extractor().extract([tall]).document.lines
        #expect(lines.map(\.description) == ["Claw hammer", "Trekking poles, carbon"])
        #expect(lines.last?.lineTotal == "456")
        split.source = .text
        #expect(Extractor().extract([split]).document.lines.count == 1)
    }

    /// `(lb)  (kg)` under `Net Wt  Net Wt` adds no column but says which one is read: it joins the header.
    @Test func aLineThatNamesTheUnitsJoinsTheHeader() {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(200, "Qty") + phrase(260, "Net Wt") + phrase(330, "Net Wt")),
            (251, phrase(265, "(lb)") + phrase(335, "(kg)")),
            (275, phrase(40, "Water bottle") + phrase(205, "120") + phrase(265, "66.1") + phrase(335, "30.0")),
        ])
        #expect(Extractor().extract([p]).document.lines.map(\.netWeight) == ["30"])
    }

    /// `P.U.` (prix unitaire) heads the unit price: with the quantity's column lost, it is what
    /// makes the row's second number.
    @Test func pUIsTheUnitPrice() {
        let p = page([
            (40, phrase(40, "FACTURE")),
            (240, phrase(40, "Réf.") + phrase(100, "Description") + phrase(380, "P.U.") + phrase(470, "Total")),
            (255, phrase(40, "CP-01") + phrase(100, "Bol en faïence") + phrase(380, "12,50") + phrase(470, "600,00")),
        ])
        let lines = Extractor().extract([p]).document.lines
        #expect(lines.map(\.unitPrice) == ["12.5"])
        #expect(lines.map(\.lineTotal) == ["600"])
    }

    /// On a scan `DDP` beside `Terms of delivery` reads as `DOP`: not the Dominican peso, but the
    /// Incoterm it is one look-alike letter from. `DOP` beside `Currency` stays the peso.
    @Test func anIncotermReadAsACurrencyCodeIsNoCurrency() {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (60, phrase(40, "Terms of delivery") + phrase(200, "DOP Incoterms 2020")),
        ] + Self.table(at: 240))
        p.source = .ocr
        var d = Extractor().extract([p]).document
        #expect(d.currency == nil)
        #expect(d.incoterm == "DDP")
        p.source = .text
        #expect(Extractor().extract([p]).document.incoterm == nil)
        var peso = page([(40, phrase(40, "INVOICE")), (60, phrase(40, "Currency") + phrase(200, "DOP"))] + Self.table(at: 240))
        peso.source = .ocr
        d = Extractor().extract([peso]).document
        #expect(d.currency == "DOP")
        #expect(Run.incotermSlip("DOP") == "DDP")
        #expect(Run.incotermSlip("DAP") == nil)
        #expect(Run.incotermSlip("USD") == nil)
    }

    /// On a packing list's scan, number columns whose headers OCR garbled (`STNS` for `CTNS`, `ergy`
    /// for `Gross Wt.`) are typed by their cells: packages before the weights, net before gross, whole
    /// numbers under packages, a gross weight no lighter than the net. A text layer is read as printed.
    @Test func garbledPackingHeadersOnAScanAreTypedByTheirCells() throws {
        func packingList(gross: [String]) -> PageText {
            let goods = [("Desk lamp", "400", "20", "260.00"), ("Speaker", "200", "10", "152.50"), ("Fan", "120", "6", "80.00")]
            var rows: [(y: Double, words: [(x: Double, text: String)])] = [
                (40, phrase(40, "PACKING LIST")),
                (240, phrase(40, "Description") + phrase(250, "Qty") + phrase(300, "STNS") + phrase(360, "N.W.") + phrase(420, "ergy")),
            ]
            for (k, g) in goods.enumerated() {
                rows.append((255 + 15 * Double(k), phrase(40, g.0) + phrase(250, g.1) + phrase(300, g.2) + phrase(360, g.3) + phrase(420, gross[k])))
            }
            var p = page(rows, confidence: 0.9)
            p.source = .ocr
            return p
        }
        let p = packingList(gross: ["290.00", "165.00", "88.50"])
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 3)
        #expect(lines[0].packages == "20")
        #expect(lines[0].netWeight == "260")
        #expect(lines[0].grossWeight == "290")
        #expect(lines[2].packages == "6")
        var text = p
        text.source = .text
        #expect(Extractor().extract([text]).document.lines.allSatisfy { $0.packages == nil && $0.grossWeight == nil })
        // Lighter than the net weight: no gross weight; the packages still read.
        let light = Extractor().extract([packingList(gross: ["29.00", "16.50", "8.85"])]).document.lines
        #expect(light.allSatisfy { $0.grossWeight == nil })
        #expect(light.first?.packages == "20")
    }

    /// On an invoice's scan whose price header OCR garbled (`Binzmprelé`) and whose last header it lost
    /// (`Gesamt €` on a grey band, read as a dash and dropped), the numbers right of the header's last
    /// column are a column of their own, and an article number left of the description (`2031`) is no
    /// price: the two columns right of the unit take the unit price and the line total. A text layer
    /// is read as printed.
    @Test func aLostAmountHeaderOnAScanIsAColumnOfItsNumbers() throws {
        let goods = [("10", "2031", "Edelstahl-Topf", "12", "38,90", "466,80"), ("20", "2032", "Bratpfanne", "8", "46,50", "372,00"),
                     ("30", "1180", "Messerblock", "15", "42,00", "630,00"), ("40", "0715", "Schneidebrett", "6", "119,00", "714,00")]
        var rows: [(y: Double, words: [(x: Double, text: String)])] = [
            (40, phrase(40, "RECHNUNG")),
            (240, phrase(40, "Pos.") + phrase(70, "athe") + phrase(110, "Bezeichnung") + phrase(250, "Menge") + phrase(300, "Einheit")
                + phrase(350, "Binzmprelé")),
        ]
        for (k, g) in goods.enumerated() {
            rows.append((255 + 15 * Double(k), phrase(40, g.0) + phrase(70, g.1) + phrase(110, g.2) + phrase(252, g.3) + phrase(300, "Stk")
                + phrase(352, g.4) + phrase(420, g.5)))
        }
        var p = page(rows, confidence: 0.9)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 4)
        #expect(lines[0].unitPrice == "38.9")
        #expect(lines[0].lineTotal == "466.8")
        #expect(lines[3].unitPrice == "119")
        #expect(lines[3].lineTotal == "714")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.allSatisfy { $0.unitPrice == nil && $0.lineTotal == nil })
    }

    /// On a scan, a description's first line with a speck in the unit column (`j`) is still that
    /// description's line, given to the row under it; a real unit there (`Stk`) is no speck, and a text
    /// layer's unit cell is what was printed.
    @Test func aSpeckInTheUnitColumnLeavesADescriptionLineWhole() throws {
        func invoice(unit: String, source: TextSource) -> [DocumentLine] {
            var p = page([
                (40, phrase(40, "RECHNUNG")),
                (240, phrase(40, "Bezeichnung") + phrase(250, "Menge") + phrase(300, "Einheit") + phrase(350, "Preis") + phrase(420, "Gesamt")),
                (255, phrase(40, "Bratpfanne Gusseisen") + phrase(252, "15") + phrase(300, "Stk") + phrase(352, "42,00") + phrase(422, "630,00")),
                (275, phrase(40, "Messerblock Eiche,") + phrase(310, unit)),
                (287, phrase(252, "6") + phrase(300, "Set") + phrase(352, "119,00") + phrase(422, "714,00")),
            ], confidence: 0.9)
            p.source = source
            return Extractor().extract([p]).document.lines
        }
        let lines = invoice(unit: "j", source: .ocr)
        try #require(lines.count == 2)
        #expect(lines[1].description == "Messerblock Eiche,")
        #expect(lines[1].lineTotal == "714")
        #expect(invoice(unit: "Stk", source: .ocr).count == 1)
        #expect(invoice(unit: "j", source: .text).count == 1)
    }

    /// Carton sizes under no header (`Carton Size (cm)` that OCR did not read as a column) are no
    /// quantity or weight, nor is a size's last number wrapped under it (`45`): the rows and their
    /// wrapped descriptions read. Two numbers OCR glued across two number columns (`14-280` under
    /// `Ctns` and `Qty`) are split; a range under one column stays whole.
    @Test func cartonSizesUnderNoHeaderAreNoNumbers() throws {
        var p = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(195, "Ctns") + phrase(222, "Qty") + phrase(380, "Net Wt.") + phrase(440, "Gross Wt.")),
            (256, phrase(40, "Cotton bedspread,") + phrase(290, "60 x 40 x")),
            (268, phrase(40, "hand block printed,") + phrase(200, "14-280") + phrase(385, "238.00") + phrase(445, "266.00")),
            (280, phrase(40, "225 x 275 cm") + phrase(300, "45")),
            (299, phrase(40, "Cotton cushion cover,") + phrase(290, "55 x 40 x")),
            (311, phrase(200, "12") + phrase(222, "1,200") + phrase(385, "126.00") + phrase(445, "147.60")),
            (323, phrase(40, "45 x 45 cm") + phrase(300, "35")),
        ], confidence: 0.9)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 2)
        #expect(lines[0].description == "Cotton bedspread, hand block printed, 225 x 275 cm")
        #expect(lines[0].packages == "14")
        #expect(lines[0].quantity == "280")
        #expect(lines[0].netWeight == "238")
        #expect(lines[1].description == "Cotton cushion cover, 45 x 45 cm")
        #expect(lines[1].quantity == "1200")
        #expect(lines[1].grossWeight == "147.6")
        #expect(Run.readsAsSize("60 x 40 x") && Run.readsAsSize("50x 35x") && Run.readsAsSize("120 × 80 cm"))
        #expect(!Run.readsAsSize("x 40") && !Run.readsAsSize("Box 12") && !Run.readsAsSize("12") && !Run.readsAsSize("45 x 45 mm wide"))
        let headers = [TableHeader(column: .packages, box: DocumentExtraction.Box(x0: 195, y0: 0, x1: 215, y1: 10), text: "Ctns"),
                       TableHeader(column: .quantity, box: DocumentExtraction.Box(x0: 222, y0: 0, x1: 237, y1: 10), text: "Qty")]
        let glued = Word(text: "14-280", box: DocumentExtraction.Box(x0: 200, y0: 0, x1: 230, y1: 10), confidence: 0.9)
        #expect(Run.splitAcrossNumberColumns(glued, headers).map(\.text) == ["14", "280"])
        let range = Word(text: "1-20", box: DocumentExtraction.Box(x0: 196, y0: 0, x1: 214, y1: 10), confidence: 0.9)
        #expect(Run.splitAcrossNumberColumns(range, headers).map(\.text) == ["1-20"])
    }
}

/// `Run.shiftsShownDecimals`, the scale check that breaks ties between repairs of a line's amounts.
@Suite struct DecimalScaleTests {
    @Test func aCellShowingTwoDecimalsIsNotReadTwoPlacesOff() {
        #expect(Run.shiftsShownDecimals("25.00", to: "2500", mark: .point))
        #expect(Run.shiftsShownDecimals("1.192,80", to: "119280", mark: .comma))
        #expect(!Run.shiftsShownDecimals("1.192,80", to: "1192.8", mark: .comma))
        #expect(!Run.shiftsShownDecimals("1250", to: "12.5", mark: .point))
        #expect(!Run.shiftsShownDecimals("$16.60", to: "516.6", mark: .point))
    }
}

/// The twelfth round's rules (South African, Japanese, Singaporean, Luxembourg invoices, a German
/// packing list by its packages, a French statement on origin).
@Suite struct TwelfthRoundRuleTests {
    /// `Anz. Kolli | Verpackung | Inhalt | Stück | Netto (kg) | Brutto (kg) | Maße L×B×H (cm)`: the
    /// contents are the goods, `Stück` the quantity, the package's kind and size not read.
    @Test func aPackingListByItsPackagesReadsItsContents() throws {
        let p = page([
            (40, phrase(40, "PACKLISTE")),
            (200, phrase(40, "Pos.") + phrase(70, "Anz. Kolli") + phrase(120, "Verpackung") + phrase(180, "Inhalt") + phrase(330, "Stück")
                + phrase(370, "Netto (kg)") + phrase(420, "Brutto (kg)") + phrase(470, "Maße L×B×H (cm)")),
            (215, phrase(40, "10") + phrase(80, "2") + phrase(120, "Palette") + phrase(180, "Spülbecken, 500 mm") + phrase(335, "40")
                + phrase(375, "312,0") + phrase(425, "356,5") + phrase(470, "120×80×110")),
        ])
        let d = Extractor().extract([p]).document
        let line = try #require(d.lines.first)
        #expect(line.description == "Spülbecken, 500 mm")
        #expect(line.quantity == "40")
        #expect(line.packages == "2")
        #expect(line.netWeight == "312")
        #expect(line.grossWeight == "356.5")
    }

    /// `H.S. Code` is the HS code's column, its dots and all.
    @Test func hSCodeWithDotsIsTheHSColumn() {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (200, phrase(40, "Description of Goods") + phrase(220, "H.S. Code") + phrase(330, "Quantity") + phrase(400, "Unit Price")
                + phrase(480, "Amount")),
            (215, phrase(40, "Santoku knife") + phrase(220, "8211.91") + phrase(335, "120") + phrase(405, "8,400") + phrase(485, "1,008,000")),
        ])
        #expect(Extractor().extract([p]).document.lines.map(\.hsCode) == ["821191"])
    }

    /// `Country of Origin : JAPAN` under an invoice's table is every line's origin, unless a line
    /// prints its own.
    @Test func anInvoiceWideOriginIsEveryLinesOrigin() {
        let p = page(Self.rows + [(300, phrase(40, "Country of Origin : JAPAN"))])
        #expect(Extractor().extract([p]).document.lines.map(\.originCountry) == ["JP", "JP"])
        let own = page([
            (40, phrase(40, "INVOICE")),
            (200, phrase(40, "Description") + phrase(250, "Origin") + phrase(330, "Qty") + phrase(380, "Price") + phrase(470, "Amount")),
            (215, phrase(40, "Claw hammer") + phrase(250, "DE") + phrase(335, "10") + phrase(385, "3.70") + phrase(475, "37.00")),
            (230, phrase(40, "Mallet") + phrase(335, "5") + phrase(385, "2.00") + phrase(475, "10.00")),
            (300, phrase(40, "Country of Origin: Japan")),
        ])
        #expect(Extractor().extract([own]).document.lines.map(\.originCountry) == ["DE", "JP"])
    }

    static let rows: [(y: Double, words: [(x: Double, text: String)])] = [
        (40, phrase(40, "INVOICE")),
        (200, phrase(40, "Description") + phrase(330, "Qty") + phrase(380, "Price") + phrase(470, "Amount")),
        (215, phrase(40, "Claw hammer") + phrase(335, "10") + phrase(385, "3.70") + phrase(475, "37.00")),
        (230, phrase(40, "Mallet") + phrase(335, "5") + phrase(385, "2.00") + phrase(475, "10.00")),
    ]

    /// `Shipped per : ONE Stork` names a vessel, not a shipper; `Messrs.` heads the buyer's block.
    @Test func shippedPerIsNoShipperAndMessrsIsTheBuyer() {
        let p = page([
            (40, phrase(40, "KISARAGI CUTLERY CO., LTD.")),
            (80, phrase(40, "Messrs.") + phrase(300, "Invoice No. : KC-26-1203")),
            (95, phrase(40, "KÜCHENHAUS BECKER GMBH") + phrase(300, "Shipped per : ONE Stork V.112W")),
            (110, phrase(40, "Lindenstraße 4")),
        ] + Self.rows.dropFirst())
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "KÜCHENHAUS BECKER GMBH")
        #expect(d.sellerName != "per : ONE Stork V.112W")
    }

    /// `R 75 015,00` wrapped in a narrow cell, `R 75` over `015,00`, centred on `Total Due (ZAR)`:
    /// a number never starts with a zero group, so its start is the line above.
    @Test func anAmountWrappedInItsCellIsReadWhole() {
        let p = page(Self.rows + [
            (300, phrase(470, "R 75")),
            (307, phrase(340, "Total Due (ZAR)")),
            (314, phrase(462, "015,00")),
        ])
        #expect(Extractor().extract([p]).document.total == "75015")
    }

    /// On a scan the colon after `Numéro` under the title may drop to another line: the number
    /// beside the word is still the invoice's.
    @Test func aNumberWordUnderTheTitleNeedsNoColon() {
        var p = page([
            (40, phrase(40, "FACTURE")),
            (62, phrase(40, "Numéro") + phrase(120, "BAM-2026-0917") + phrase(330, "Getränkehandel Mosel-Saar GmbH")),
        ] + Self.rows.dropFirst())
        p.source = .ocr
        #expect(Extractor().extract([p]).document.invoiceNumber == "BAM-2026-0917")
    }

    /// `Destinataire` centred beside its cell's four lines stands level with the third: the
    /// block starts at its top, with the name.
    @Test func aLabelCentredBesideItsBlockTakesTheBlockFromTheTop() {
        let p = page([
            (40, phrase(40, "DÉCLARATION D'ORIGINE")),
            (100, phrase(40, "Facture n°") + phrase(200, "FA-2026-11873")),
            (130, phrase(200, "Yorkshire Hearth & Stove Co Ltd")),
            (143, phrase(200, "Unit 4, Canal Wharf")),
            (156, phrase(40, "Destinataire") + phrase(200, "Leeds LS11 5PY")),
            (169, phrase(200, "United Kingdom")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Yorkshire Hearth & Stove Co Ltd")
        #expect(d.buyerAddress == ["Unit 4, Canal Wharf", "Leeds LS11 5PY", "United Kingdom"])
    }
}

/// The thirteenth round's rules (Moroccan, Turkish, Emirati invoices, a German small trader's
/// invoice, a British packing list by pallets, a Dutch statement on origin).
@Suite struct ThirteenthRoundRuleTests {
    /// `38 000,00` broke in its narrow cell: `38` on the row's line, `000,00` under it beside the
    /// description's second line. Both halves are the one amount, and the line is the row's.
    @Test func anAmountThatWrappedInItsCellCarriesOn() throws {
        let p = page([
            (40, phrase(40, "FACTURE")),
            (200, phrase(40, "Désignation") + phrase(300, "Quantité") + phrase(380, "Prix") + phrase(470, "Total")),
            (215, phrase(40, "Huile d'argan cosmétique,") + phrase(305, "400") + phrase(385, "95,00") + phrase(485, "38")),
            (228, phrase(40, "flacon 250 ml") + phrase(470, "000,00")),
        ])
        let line = try #require(Extractor().extract([p]).document.lines.first)
        #expect(line.lineTotal == "38000")
        #expect(line.description == "Huile d'argan cosmétique, flacon 250 ml")
        #expect(Run.carriesOnNumber([Word(text: "38", box: .init(x0: 0, y0: 0, x1: 1, y1: 1))], [Word(text: "000,00", box: .init(x0: 0, y0: 2, x1: 1, y1: 3))]))
        #expect(!Run.carriesOnNumber([Word(text: "38,50", box: .init(x0: 0, y0: 0, x1: 1, y1: 1))], [Word(text: "000,00", box: .init(x0: 0, y0: 2, x1: 1, y1: 3))]))
    }

    /// `Pallet 1 of 2 — 120 × 100 × 145 cm` across a packing list's table heads the goods under it:
    /// no row, nor part of one; `Totals (2 pallets)` is the total row.
    @Test func aPalletHeadingIsNoGoods() {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (200, phrase(40, "Item") + phrase(100, "Description") + phrase(330, "Qty") + phrase(370, "Cartons") + phrase(430, "Net kg") + phrase(490, "Gross kg")),
            (215, phrase(40, "Pallet 1 of 2 — 120 × 100 × 145 cm")),
            (235, phrase(40, "SV-MUG-12") + phrase(100, "Stoneware mug") + phrase(335, "288") + phrase(380, "12") + phrase(435, "115.2") + phrase(495, "128.4")),
            (255, phrase(40, "Pallet 2 of 2 — 120 × 100 × 110 cm")),
            (275, phrase(40, "SV-PLT-27") + phrase(100, "Dinner plate") + phrase(335, "192") + phrase(380, "8") + phrase(435, "134.4") + phrase(495, "145.6")),
            (295, phrase(100, "Totals (2 pallets)") + phrase(335, "480") + phrase(380, "20") + phrase(435, "249.6") + phrase(495, "274.0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Stoneware mug", "Dinner plate"])
        #expect(d.packages == "20")
        #expect(d.grossWeight == "274")
        #expect(Run.isPackageHeading(p.words.filter { $0.box.y0 == 215 }, numeric: true))
        #expect(!Run.isPackageHeading(p.words.filter { $0.box.y0 == 235 }, numeric: true))
    }

    /// A letter's `To,` heads the addressee; `PI No.` numbers a proforma invoice; `Sr.` is the
    /// position column; `FZE` is a legal form.
    @Test func toCommaHeadsTheBuyer() {
        let p = page([
            (30, phrase(40, "Gulf Star Trading FZE")),
            (60, phrase(200, "PROFORMA INVOICE")),
            (80, phrase(40, "To,") + phrase(300, "PI No.") + phrase(360, ": GST/PI/26/0412")),
            (93, phrase(40, "Rotterdam Spice Import B.V.") + phrase(300, "PI Date") + phrase(360, ": 03 December 2026")),
            (106, phrase(40, "Waalhaven Zuidzijde 21")),
            (200, phrase(40, "Sr.") + phrase(70, "Item Description") + phrase(330, "Qty") + phrase(380, "Rate") + phrase(470, "Amount")),
            (215, phrase(40, "1") + phrase(70, "Saffron, 1 g tin") + phrase(335, "2,000") + phrase(385, "18.50") + phrase(475, "37,000.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Rotterdam Spice Import B.V.")
        #expect(d.sellerName == "Gulf Star Trading FZE")
        #expect(d.invoiceNumber == "GST/PI/26/0412")
        #expect(d.invoiceDate == "2026-12-03")
        #expect(d.lines.map(\.description) == ["Saffron, 1 g tin"])
    }

    /// Turkey's tariff number (`GTIP No`, 12 digits) is read whole; the draft order keeps its first six.
    @Test func aTurkishTariffNumberIsAnHSCode() throws {
        let p = page([
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (200, phrase(40, "Description of Goods") + phrase(200, "GTIP No") + phrase(330, "Qty") + phrase(380, "Price") + phrase(470, "Amount")),
            (215, phrase(40, "Bath towel") + phrase(200, "6302.60.00.00.00") + phrase(335, "1.200") + phrase(385, "6,40") + phrase(475, "7.680,00")),
        ])
        let result = Extractor().extract([p])
        #expect(result.document.lines.map(\.hsCode) == ["630260000000"])
        #expect(result.document.lines.map(\.quantity) == ["1200"])
        #expect(result.order.lines.first?.hsCode?.rawValue == "630260")
    }

    /// Under a window envelope's return line, the addressee's lines interleave with the sender's
    /// block beside it, set smaller: the address reads on past them.
    @Test func anAddressBesideASmallerBlockReadsWhole() {
        let p = page([
            (60, phrase(40, "Holzwerkstatt Anna Lindner · Am Mühlbach 3 · 83022 Rosenheim")),
            (80, phrase(40, "Atelier Bois & Lumière") + phrase(330, "Holzwerkstatt Anna Lindner")),
            (88, phrase(330, "Am Mühlbach 3")),
            (94, phrase(40, "5 rue du Lac") + phrase(330, "83022 Rosenheim")),
            (104, phrase(330, "Tel. 08031 998877")),
            (108, phrase(40, "74000 Annecy")),
            (122, phrase(40, "Frankreich")),
        ] + TwelfthRoundRuleTests.rows.dropFirst())
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Atelier Bois & Lumière")
        #expect(d.buyerAddress == ["5 rue du Lac", "74000 Annecy", "Frankreich"])
    }

    /// A Dutch statement names the party last (`van preferentiële oorsprong uit de Europese Unie`);
    /// `Afnemer:` heads the buyer.
    @Test func aDutchStatementNamesTheUnionLast() {
        let p = page([
            (30, phrase(40, "Kaasmakerij De Groene Weide B.V.")),
            (60, phrase(40, "Oorsprongsverklaring")),
            (90, phrase(40, "Afnemer:")),
            (103, phrase(40, "The Cheese Cellar Ltd")),
            (116, phrase(40, "Bath BA1 1NW")),
            (129, phrase(40, "United Kingdom")),
            (170, phrase(40, "De exporteur van de goederen waarop dit document van toepassing is (referentienummer exporteur")),
            (183, phrase(40, "NL823456789) verklaart dat deze goederen, behoudens uitdrukkelijke andersluidende vermelding, van")),
            (196, phrase(40, "preferentiële oorsprong uit de Europese Unie zijn.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "The Cheese Cellar Ltd")
        #expect(d.originStatement?.origin == "EU")
        #expect(d.originStatement?.agreement == "EU-UK TCA")
    }
}

@Suite struct FourteenthRoundRuleTests {
    /// A letter-of-credit form: `No. & date of invoice` over the number and its date, `For account & risk
    /// of Messrs.` over the buyer, amounts with their dollar glued on (`US$4.85`), and the origin
    /// named the long way (`Republic of Korea`) once for every line.
    @Test func aLetterOfCreditFormReads() throws {
        let p = page([
            (30, phrase(200, "COMMERCIAL INVOICE")),
            (60, phrase(40, "Shipper/Exporter") + phrase(330, "No. & date of invoice")),
            (73, phrase(40, "HANSOL PRECISION CO., LTD.") + phrase(330, "HP-INV-261203") + phrase(440, "DEC. 03, 2026")),
            (86, phrase(40, "Seoul 08507, Korea")),
            (110, phrase(40, "For account & risk of Messrs.") + phrase(330, "No. & date of L/C")),
            (123, phrase(40, "NORDIC TOOLWORKS AB") + phrase(330, "LC-2611-55821") + phrase(440, "NOV. 20, 2026")),
            (136, phrase(40, "431 53 Mölndal, Sweden")),
            (200, phrase(40, "Description of goods") + phrase(300, "Quantity") + phrase(380, "Unit price") + phrase(470, "Amount")),
            (215, phrase(40, "CARBIDE DRILL, D8.5 x 117 mm") + phrase(300, "800 PCS") + phrase(385, "US$6.20") + phrase(465, "US$4,960.00")),
            (230, phrase(40, "INDEXABLE INSERT, CNMG 120408") + phrase(300, "5,000 PCS") + phrase(385, "US$1.15") + phrase(465, "US$5,750.00")),
            (250, phrase(200, "TOTAL :") + phrase(300, "5,800 PCS") + phrase(460, "US$10,710.00")),
            (280, phrase(40, "Country of origin: Republic of Korea")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "HP-INV-261203")
        #expect(d.invoiceDate == "2026-12-03")
        #expect(d.buyerName == "NORDIC TOOLWORKS AB")
        #expect(d.currency == "USD")
        #expect(d.total == "10710")
        #expect(d.lines.map(\.unitPrice) == ["6.2", "1.15"])
        #expect(d.lines.map(\.lineTotal) == ["4960", "5750"])
        #expect(d.lines.map(\.originCountry) == ["KR", "KR"])
        #expect(Values.number("US$4,960.00")?.value == Decimal(string: "4960"))
        #expect(Values.number("HK$ 12.50")?.value == Decimal(string: "12.5"))
    }

    /// `From: Cat Lai port  To: Hamburg` is the route, not the seller; `Freight` and `Insurance` are
    /// both added to a CIF total's lines; `PRS` are pairs; `Packing: 310 cartons`, `G.W.:` and `N.W.:`
    /// under the table are the shipment's packages and weights.
    @Test func aRouteIsNoSellerAndInsuranceIsACharge() {
        let p = page([
            (30, phrase(150, "SAIGON FOOTWEAR JOINT STOCK COMPANY")),
            (43, phrase(150, "Lot C-12, Tan Thuan EPZ, Ho Chi Minh City, Vietnam")),
            (70, phrase(230, "COMMERCIAL INVOICE")),
            (95, phrase(40, "Buyer:") + phrase(300, "Invoice No.: SGF/EX/26-1189")),
            (108, phrase(40, "Alpine Outdoor Supply GmbH") + phrase(300, "Date: December 2nd, 2026")),
            (121, phrase(40, "6020 Innsbruck, Austria") + phrase(300, "Terms: CIF Hamburg")),
            (134, phrase(300, "Currency: USD")),
            (150, phrase(40, "From: Cat Lai port, HCMC To: Hamburg, Germany")),
            (200, phrase(40, "Description") + phrase(300, "Quantity") + phrase(350, "Unit") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (215, phrase(40, "Men's hiking boot, leather") + phrase(305, "1,800") + phrase(352, "PRS") + phrase(400, "24.60") + phrase(470, "44,280.00")),
            (235, phrase(380, "Freight") + phrase(475, "1,650.00")),
            (250, phrase(380, "Insurance") + phrase(485, "98.60")),
            (265, phrase(380, "Total CIF Hamburg") + phrase(470, "46,028.60")),
            (290, phrase(40, "Country of origin: Vietnam") + phrase(180, "Packing: 310 cartons") + phrase(290, "G.W.: 4,215.00 kgs")
                + phrase(390, "N.W.: 3,880.00 kgs")),
        ])
        let x = Extractor().extract([p])
        let d = x.document
        #expect(d.sellerName == "SAIGON FOOTWEAR JOINT STOCK COMPANY")
        #expect(d.insurance == "98.6")
        #expect(d.shipping == "1650")
        #expect(d.total == "46028.6")
        #expect(!x.problems.contains { $0.code == "total_mismatch" })
        #expect(d.lines.first?.unit == "PR")
        #expect(d.packages == "310")
        #expect(d.grossWeight == "4215")
        #expect(d.netWeight == "3880")
        // The draft carries the insurance beside the freight: a CIF value needs both.
        #expect(x.order.shipment.insuranceCharge == Money(Decimal(string: "98.6")!, "USD"))
        #expect(x.order.shipment.shippingCharge == Money(1650, "USD"))
        #expect(Run.namesPackages("310 cartons"))
        #expect(!Run.namesPackages("45,00"))
    }

    /// A packing list that prints each carton's quantity and weights beside the whole (`Qty/Ctn |
    /// Total Qty`, `G.W./Ctn | Total G.W.`) is read by the whole.
    @Test func thePerCartonColumnsAreNotRead() {
        let p = page([
            (40, phrase(200, "PACKING LIST")),
            (200, phrase(40, "Description") + phrase(200, "Ctns") + phrase(240, "Qty/Ctn") + phrase(290, "Total Qty") + phrase(345, "N.W./Ctn")
                + phrase(395, "G.W./Ctn") + phrase(445, "Total N.W.") + phrase(500, "Total G.W.")),
            (215, phrase(40, "LED desk lamp, white") + phrase(205, "20") + phrase(250, "12") + phrase(300, "240") + phrase(350, "9.60")
                + phrase(400, "10.80") + phrase(450, "192.00") + phrase(505, "216.00")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.quantity == "240")
        #expect(line?.packages == "20")
        #expect(line?.netWeight == "192")
        #expect(line?.grossWeight == "216")
    }

    /// Labels in a row over their values (`Factuurnummer  Factuurdatum  Klantnummer`), set close
    /// enough to read as one run: each label takes the value under it, which may wrap (`3 december`
    /// over `2026`) and stand lower than its neighbour's.
    @Test func aRowOfLabelsOverItsValues() {
        let p = page([
            (30, phrase(40, "Van Dijk Fietsonderdelen B.V.") + phrase(450, "FACTUUR")),
            (100, phrase(40, "Factuurnummer Factuurdatum Klantnummer")),
            (122, phrase(112, "3 december")),
            (130, phrase(40, "2026-11872") + phrase(180, "K-20418")),
            (137, phrase(112, "2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "2026-11872")
        #expect(d.invoiceDate == "2026-12-03")
        let label = p.words.filter { $0.box.y0 == 100 }
        #expect(Run.splitAtLabelRow(Segment(page: 1, words: label), Lexicon.labels).map(\.text) == ["Factuurnummer", "Factuurdatum Klantnummer"])
        // `No. & Date` names two values under one label.
        let both = phrase(40, "Invoice No. & Date").map { Word(text: $0.text, box: .init(x0: $0.x, y0: 0, x1: $0.x + 20, y1: 10)) }
        #expect(Run.splitAtLabelRow(Segment(page: 1, words: both), Lexicon.labels).count == 1)
    }

    /// A header whose cells name their column in two languages, one under the other (`Qté` over
    /// `Qty`, `P.U.` over `Unit` over `price`), is read from the whole stack: one column each.
    @Test func aHeaderInTwoLanguagesStacked() {
        let p = page([
            (30, phrase(40, "FACTURE COMMERCIALE / COMMERCIAL INVOICE")),
            (190, phrase(300, "Code") + phrase(460, "P.U.")),
            (197, phrase(40, "Désignation") + phrase(305, "SH") + phrase(410, "Qté") + phrase(500, "Montant")),
            (204, phrase(458, "Unit")),
            (211, phrase(40, "Description") + phrase(305, "HS") + phrase(410, "Qty") + phrase(500, "Amount")),
            (218, phrase(455, "price")),
            (225, phrase(300, "code")),
            (245, phrase(40, "Carafe en verre soufflé 1 L") + phrase(295, "7013.37") + phrase(415, "60") + phrase(458, "18,50") + phrase(500, "1 110,00")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.quantity == "60")
        #expect(line?.unitPrice == "18.5")
        #expect(line?.lineTotal == "1110")
        #expect(line?.hsCode == "701337")
    }

    /// `Style / Description` is one column: the style numbers and descriptions under `Style` are the
    /// description's, not the position's. A cell that wraps centred in its row puts its first line
    /// above the numbers and its last below, the first row's too.
    @Test func aSlashJoinsTwoNamesOfOneColumn() {
        let p = page([
            (30, phrase(200, "COMMERCIAL INVOICE")),
            (200, phrase(40, "No.") + phrase(70, "Style / Description") + phrase(300, "Quantity") + phrase(380, "Unit Price") + phrase(470, "Amount")),
            (222, phrase(70, "SF-2201 Men's hiking")),
            (236, phrase(45, "1") + phrase(70, "boot, leather upper,") + phrase(305, "1,800") + phrase(390, "24.60") + phrase(470, "44,280.00")),
            (250, phrase(70, "rubber sole")),
        ])
        let line = Extractor().extract([p]).document.lines.first
        #expect(line?.description == "SF-2201 Men's hiking boot, leather upper, rubber sole")
        #expect(line?.lineTotal == "44280")
    }

    /// A sentence that happens to use header words (`… Poids brut / Gross weight: 48 kg.`) is no table
    /// header: its weight is read as the shipment's.
    @Test func aSentenceIsNoHeader() {
        let p = page([
            (30, phrase(40, "FACTURE")),
            (200, phrase(40, "Désignation") + phrase(300, "Qté") + phrase(380, "P.U.") + phrase(470, "Montant")),
            (215, phrase(40, "Vase cylindrique 25 cm") + phrase(305, "25") + phrase(385, "27,40") + phrase(470, "685,00")),
            (240, phrase(380, "Total") + phrase(470, "685,00")),
            (280, phrase(40, "Exonération de TVA, article 262 I du CGI / VAT exempt export. Poids brut / Gross weight: 48 kg.")),
        ])
        #expect(Extractor().extract([p]).document.grossWeight == "48")
    }

    /// The document's title set under the buyer's block (`Rechnung 2026-7731`), or a bare number's
    /// label (`Nr.: PF-2026-031`), ends the block: no line of the address.
    @Test func aTitleUnderTheAddressIsNoAddress() {
        let p = page([
            (30, phrase(400, "Maschinenbau Lindner GmbH")),
            (85, phrase(40, "Kunde:")),
            (95, phrase(40, "Nordic Machinery AB")),
            (106, phrase(40, "Hamngatan 3")),
            (116, phrase(40, "411 14 Göteborg")),
            (127, phrase(40, "Schweden")),
            (149, phrase(40, "Rechnung 2026-7731")),
        ] + LayoutRuleTests.table(at: 200))
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Nordic Machinery AB")
        #expect(d.buyerAddress == ["Hamngatan 3", "411 14 Göteborg", "Schweden"])
        #expect(d.invoiceNumber == "2026-7731")
        let words = { (text: String) in phrase(40, text).map { Word(text: $0.text, box: .init(x0: $0.x, y0: 0, x1: $0.x + 20, y1: 10)) } }
        #expect(Run.isTitleOrNumber(words("Nr.: PF-2026-031")))
        #expect(Run.isTitleOrNumber(words("Handelsrechnung")))
        #expect(!Run.isTitleOrNumber(words("Invoice Department")))
        #expect(!Run.isTitleOrNumber(words("Hamngatan 3")))
    }

    /// A statement on origin names neither agreement nor partner: an EU exporter's statement to an
    /// importer in Japan is made under the EU-Japan EPA.
    @Test func theImportersCountryNamesTheAgreement() {
        let p = page([
            (30, phrase(40, "Pastificio Val d'Orcia S.r.l.")),
            (43, phrase(40, "Via della Chiana 21, 53026 Pienza (SI), Italy")),
            (70, phrase(200, "STATEMENT ON ORIGIN")),
            (100, phrase(40, "Importer:")),
            (113, phrase(40, "Maruyama Foods Co., Ltd.")),
            (126, phrase(40, "Tokyo 103-0027")),
            (139, phrase(40, "Japan")),
            (170, phrase(40, "The exporter of the products covered by this document (Exporter Reference No IT01234560523) declares")),
            (183, phrase(40, "that, except where otherwise clearly indicated, these products are of European Union preferential origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.originStatement?.origin == "EU")
        #expect(d.originStatement?.exporterReference == "IT01234560523")
        #expect(d.originStatement?.agreement == "EU-JP EPA")
    }
}

@Suite struct FifteenthRoundRuleTests {
    /// A beneficiary's statement under the EU's GSP: a REX number, the country named before
    /// `preferential origin`, the scheme named in words; the invoice's date after `dated`, and a
    /// place of two words before the signature's date.
    @Test func aGSPStatementWithARegisteredExporterReads() {
        let p = page([
            (30, phrase(40, "Angkor Garment Manufacturing Co., Ltd.")),
            (43, phrase(40, "Phnom Penh Special Economic Zone, Phnom Penh, Kingdom of Cambodia")),
            (80, phrase(200, "STATEMENT ON ORIGIN")),
            (93, phrase(150, "Commercial invoice No. AGM-INV-26-0934 dated 03.12.2026")),
            (120, phrase(40, "Consignee:")),
            (133, phrase(40, "Stadtmode Handels GmbH")),
            (146, phrase(40, "10117 Berlin")),
            (159, phrase(40, "Germany")),
            (190, phrase(40, "The exporter KHREX01001234567 of the products covered by this document declares that, except where")),
            (203, phrase(40, "otherwise clearly indicated, these products are of Cambodia preferential origin according to rules of")),
            (216, phrase(40, "origin of the Generalised System of Preferences of the European Union and that the origin criterion met is P.")),
            (250, phrase(40, "Phnom Penh, 4 December 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.invoiceNumber == "AGM-INV-26-0934")
        #expect(d.invoiceDate == "2026-12-03")
        #expect(d.originStatement?.exporterReference == "KHREX01001234567")
        #expect(d.originStatement?.origin == "KH")
        #expect(d.originStatement?.agreement == "EU GSP")
    }

    /// An export invoice's amounts in its currency and again in the exporter's: the amount in the
    /// unit price's currency is the line's, and the total row's sum under it is the total (not the
    /// quantity's, nor the other currency's). A line of values over the header (`Exchange rate: 1 USD
    /// = 84.25 INR`) is no part of it.
    @Test func theAmountInThePricesCurrencyIsTheLines() {
        let p = page([
            (30, phrase(200, "EXPORT INVOICE")),
            (60, phrase(40, "Exporter") + phrase(300, "Invoice No. & Date")),
            (73, phrase(40, "KAVERI TEXTILE EXPORTS PVT. LTD.") + phrase(300, "KTE/EXP/2026-27/118 dt. 04/12/2026")),
            (86, phrase(40, "Erode 638052, Tamil Nadu, India")),
            (110, phrase(40, "Consignee") + phrase(300, "Country of origin of goods: India")),
            (123, phrase(40, "Hygge Home ApS") + phrase(300, "Terms of Delivery: FOB Chennai")),
            (136, phrase(40, "2200 København N, Denmark")),
            (160, phrase(40, "Discharge: Aarhus") + phrase(300, "Exchange rate: 1 USD = 84.25 INR")),
            (172, phrase(40, "Description of Goods") + phrase(200, "Qty") + phrase(250, "Rate (USD)") + phrase(320, "Amount (USD)") + phrase(420, "Amount (INR)")),
            (190, phrase(40, "Cotton bath towel, grey") + phrase(200, "3,000") + phrase(260, "4.20") + phrase(325, "12,600.00") + phrase(420, "10,61,550.00")),
            (205, phrase(40, "Cotton hand towel, grey") + phrase(200, "3,000") + phrase(260, "2.10") + phrase(330, "6,300.00") + phrase(425, "5,30,775.00")),
            (225, phrase(150, "Total") + phrase(200, "6,000") + phrase(325, "18,900.00") + phrase(420, "15,92,325.00")),
            (250, phrase(40, "Packages: 140 bales") + phrase(200, "Net weight: 2,310.000 kg") + phrase(330, "Gross weight: 2,452.500 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.currency == "USD")
        #expect(d.invoiceDate == "2026-12-04")
        #expect(d.lines.map(\.lineTotal) == ["12600", "6300"])
        #expect(d.lines.map(\.originCountry) == ["IN", "IN"])
        #expect(d.total == "18900")
        #expect(d.packages == "140")
        #expect(d.grossWeight == "2452.5")
    }

    /// A VAT invoice's columns: `Name of goods`, `CN code`, `Net unit price`, `Net value`, `VAT rate`,
    /// `VAT amount`, `Gross value`; the net value is the line's amount.
    @Test func aVATInvoicesColumnsAreNamed() {
        let cells: [(x: Double, text: String)] = phrase(40, "No.") + phrase(60, "Name of goods") + phrase(140, "CN code") + phrase(190, "Qty")
            + phrase(220, "Net unit price") + phrase(300, "Net value") + phrase(360, "VAT rate") + phrase(410, "VAT amount") + phrase(470, "Gross value")
        let words = page([(100, cells)]).words
        let h = Run.header(TextLine(page: 1, words: words, box: Box(x0: 40, y0: 100, x1: 530, y1: 110)))
        let columns: [Column] = [.position, .description, .hsCode, .quantity, .unitPrice, .amount, .other, .other, .other]
        // The second amount (`Gross value`) is not read.
        #expect(h?.map(\.column) == columns)
    }

    /// A row whose cells are centred at two heights: the quantity beside the description's first
    /// line, the price and amount beside its second; the unit under the quantity with no column of
    /// its own; the Incoterm in the price column's header; a total row whose amount wrapped under its
    /// currency and whose label counts cartons; `KGS` after a weight is no currency.
    @Test func aRowCentredAtTwoHeightsIsOneRow() {
        let p = page([
            (30, phrase(40, "SIAM ORCHID CERAMICS CO., LTD.")),
            (60, phrase(40, "Messrs.") + phrase(300, "Invoice No. SOC-EXP-2612-031")),
            (73, phrase(40, "Harbour Lane Interiors Ltd") + phrase(300, "Date: 03-DEC-2026")),
            (86, phrase(40, "Bristol BS2 0QT, United Kingdom")),
            (120, phrase(40, "Marks & Nos.") + phrase(110, "Description of Goods") + phrase(260, "Quantity") + phrase(330, "Unit Price") + phrase(420, "Amount")),
            (135, phrase(330, "FOB Laem") + phrase(430, "USD")),
            (160, phrase(40, "H.L.I.") + phrase(110, "Stoneware dinner plate") + phrase(265, "2,400") + phrase(340, "3.15") + phrase(420, "7,560.00")),
            (174, phrase(40, "BRISTOL") + phrase(110, "27 cm, celadon glaze") + phrase(270, "PCS")),
            (195, phrase(40, "C/No. 1-85") + phrase(110, "Stoneware bowl 15 cm,") + phrase(265, "3,600")),
            (202, phrase(40, "MADE IN") + phrase(110, "celadon glaze") + phrase(270, "PCS") + phrase(340, "1.85") + phrase(420, "6,660.00")),
            (240, phrase(110, "TOTAL: 85 CARTONS") + phrase(265, "6,000") + phrase(430, "USD")),
            (247, phrase(270, "PCS") + phrase(415, "14,220.00")),
            (280, phrase(40, "Country of Origin: Thailand")),
            (293, phrase(40, "Gross weight: 1,912.0 KGS") + phrase(200, "Net weight: 1,730.0 KGS")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Stoneware dinner plate 27 cm, celadon glaze", "Stoneware bowl 15 cm, celadon glaze"])
        #expect(d.lines.map(\.quantity) == ["2400", "3600"])
        #expect(d.lines.map(\.unit) == ["PCE", "PCE"])
        #expect(d.lines.map(\.lineTotal) == ["7560", "6660"])
        #expect(d.total == "14220")
        #expect(d.packages == "85")
        #expect(d.currency == "USD")
        #expect(d.incoterm == "FOB")
        #expect(Values.currency(in: "1,912.0 KGS") == nil)
        #expect(Values.currency(in: "KGS 12,500") == "KGS")
    }

    /// An invoice priced per kilogram: the unit from the headers (`Gewicht (kg)`, `Prijs per kg`), an HS
    /// code wrapped in its narrow cell (`0406 90` over `78`), a date of three lines centred on its label,
    /// an Incoterm's value over its label's line, and an origin that ends its sentence.
    @Test func anInvoicePricedPerKilogramReads() {
        let p = page([
            (30, phrase(40, "Kaasboerderij De Groene Weide B.V.") + phrase(400, "FACTUUR")),
            (60, phrase(40, "Klant:") + phrase(300, "Factuurnummer:") + phrase(400, "2026-0912")),
            (73, phrase(40, "Fromagerie des Alpes SARL") + phrase(400, "2")),
            (83, phrase(40, "12 rue du Lac") + phrase(300, "Factuurdatum:") + phrase(400, "december")),
            (93, phrase(40, "74000 Annecy") + phrase(400, "2026")),
            (106, phrase(40, "Frankrijk")),
            (121, phrase(420, "DAP")),
            (128, phrase(300, "Leveringsvoorwaarden:") + phrase(420, "Annecy")),
            (170, phrase(40, "Omschrijving") + phrase(180, "GN-code") + phrase(260, "Gewicht (kg)") + phrase(330, "Prijs per kg") + phrase(430, "Bedrag")),
            (190, phrase(40, "Gouda belegen 48+, hele") + phrase(180, "0406 90")),
            (198, phrase(40, "kaas") + phrase(180, "78") + phrase(270, "312,40") + phrase(335, "€ 9,85") + phrase(425, "3.077,14")),
            (217, phrase(180, "0406 90")),
            (228, phrase(40, "Leidse komijnekaas 40+") + phrase(180, "86") + phrase(270, "128,75") + phrase(335, "€ 11,20") + phrase(425, "1.442,00")),
            (260, phrase(330, "Totaal") + phrase(420, "€ 4.519,14")),
            (290, phrase(40, "Land van oorsprong: Nederland. Bewaren bij max. 8 °C.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceDate == "2026-12-02")
        #expect(d.incoterm == "DAP")
        #expect(d.lines.map(\.hsCode) == ["04069078", "04069086"])
        #expect(d.lines.map(\.unit) == ["KGM", "KGM"])
        #expect(d.lines.map(\.quantity) == ["312.4", "128.75"])
        #expect(d.lines.map(\.originCountry) == ["NL", "NL"])
    }

    /// A packing list that numbers its packages (`Kolli-Nr.`) rather than counting them: one package a
    /// row, as many as a range spans, and the total row's `3 Kolli` the shipment's count.
    @Test func packagesNumberedAreCounted() {
        let p = page([
            (30, phrase(40, "Schwarzwald Präzisionstechnik GmbH") + phrase(400, "PACKLISTE")),
            (60, phrase(40, "Empfänger:") + phrase(300, "Packliste Nr.: PL-26-4471")),
            (73, phrase(40, "Precision Motion Inc.") + phrase(300, "Datum: 04.12.2026")),
            (86, phrase(40, "Rochester Hills, MI 48309")),
            (120, phrase(40, "Kolli-Nr.") + phrase(100, "Verpackung") + phrase(170, "Inhalt") + phrase(330, "Menge") + phrase(380, "Netto (kg)") + phrase(450, "Brutto (kg)")),
            (135, phrase(50, "1") + phrase(100, "Kiste") + phrase(170, "Kugelgewindetrieb 32 mm") + phrase(340, "12") + phrase(390, "84,0") + phrase(460, "118,5")),
            (150, phrase(50, "2-4") + phrase(100, "Karton") + phrase(170, "Servomotor 750 W") + phrase(340, "6") + phrase(390, "22,8") + phrase(460, "27,6")),
            (170, phrase(40, "Summe: 4 Kolli") + phrase(340, "18") + phrase(385, "106,8") + phrase(455, "146,1")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.map(\.packages) == ["1", "3"])
        #expect(d.packages == "4")
        #expect(d.netWeight == "106.8")
    }
}

@Suite struct SixteenthRoundRuleTests {
    /// A discount column whose cells print no `%` (`15,0` under `Rabatt %`): the line holds as
    /// quantity × price less that rate, and the quantity is not "repaired" to fit. The origin's label
    /// names the goods (`Ursprungsland der Waren:`), and the value ends at its first words.
    @Test func aDiscountWithoutItsPercentSignIsARate() {
        let p = page([
            (30, phrase(40, "Hohenlohe Antriebstechnik GmbH")),
            (43, phrase(40, "Industriestraße 14 · 74653 Künzelsau · Deutschland")),
            (80, phrase(40, "Rechnung Nr. 2026-10482 vom 02.12.2026")),
            (110, phrase(40, "Pos.") + phrase(70, "Bezeichnung") + phrase(230, "Menge") + phrase(270, "ME") + phrase(300, "Einzelpreis €") + phrase(380, "Rabatt %") + phrase(440, "Gesamt €")),
            (125, phrase(40, "10") + phrase(70, "Getriebemotor 0,37 kW") + phrase(245, "8") + phrase(270, "Stk") + phrase(320, "412,50") + phrase(390, "15,0") + phrase(445, "2.805,00")),
            (140, phrase(40, "20") + phrase(70, "Rollenkette 1/2\"") + phrase(240, "30") + phrase(270, "m") + phrase(330, "9,80") + phrase(450, "294,00")),
            (170, phrase(300, "Rechnungsbetrag EUR") + phrase(445, "3.099,00")),
            (200, phrase(40, "Ursprungsland der Waren: Deutschland, Zolltarifnummern siehe Lieferschein.")),
        ])
        let result = Extractor().extract([p])
        #expect(result.document.lines.map(\.quantity) == ["8", "30"])
        #expect(result.document.lines.map(\.originCountry) == ["DE", "DE"])
        #expect(!result.problems.contains { $0.code == "line_arithmetic" || $0.code == "inferred_value" })
    }

    /// Where the goods come from, said once in a sentence (`Marchandises d'origine française.`, `Goods
    /// of Italian origin`, `of Bangladesh origin`): every line of an invoice that prints none.
    @Test func anOriginInASentenceIsEveryLines() {
        for (sentence, country) in [("Marchandises d'origine française.", "FR"), ("Goods of Italian origin. Crates heat-treated.", "IT"),
                                    ("We certify that the goods are of Bangladesh origin.", "BD"), ("Waren deutschen Ursprungs.", "DE")] {
            let p = page([
                (30, phrase(40, "Coutellerie du Thiers SARL")),
                (60, phrase(40, "FACTURE N° FA-2026-00937")),
                (100, phrase(40, "Désignation") + phrase(250, "Qté") + phrase(300, "P.U. HT") + phrase(380, "Montant HT")),
                (115, phrase(40, "Couteau Laguiole manche corne") + phrase(255, "60") + phrase(305, "38,40") + phrase(385, "2 304,00")),
                (150, phrase(300, "Net à payer") + phrase(385, "2 304,00 €")),
                (180, phrase(40, sentence)),
            ])
            #expect(Extractor().extract([p]).document.lines.map(\.originCountry) == [country], "\(sentence)")
        }
    }

    /// A code and an origin printed as labels on a line of their own under each description (`HS code:
    /// 8517.62 | Origin: China | N.W. 0.48 kg/pc`) are the line's, and no part of its description. A
    /// count of packages and a weight said in two sentences on one line are both read.
    @Test func aCodeAndOriginUnderADescriptionAreTheLines() {
        let p = page([
            (30, phrase(40, "BRIGHTWAVE ELECTRONICS TRADING LIMITED")),
            (60, phrase(40, "INVOICE # BW26-11873")),
            (100, phrase(40, "ITEM") + phrase(120, "DESCRIPTION") + phrase(330, "QTY") + phrase(380, "UNIT PRICE") + phrase(460, "AMOUNT")),
            (115, phrase(40, "BW-RT-AX3000") + phrase(120, "Wi-Fi 6 dual-band router") + phrase(335, "500") + phrase(390, "21.60") + phrase(460, "10,800.00")),
            (127, phrase(120, "HS code: 8517.62 | Origin: China | N.W. 0.48 kg/pc")),
            (145, phrase(40, "BW-EB-T5") + phrase(120, "True wireless earbuds") + phrase(335, "800") + phrase(395, "6.90") + phrase(465, "5,520.00")),
            (157, phrase(120, "HS code: 8518.30 | Origin: Vietnam | N.W. 0.12 kg/pc")),
            (190, phrase(380, "TOTAL (USD)") + phrase(460, "16,320.00")),
            (220, phrase(40, "Shipped in 96 cartons. Gross weight 842.6 kg.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Wi-Fi 6 dual-band router", "True wireless earbuds"])
        #expect(d.lines.map(\.hsCode) == ["851762", "851830"])
        #expect(d.lines.map(\.originCountry) == ["CN", "VN"])
        #expect(d.packages == "96")
        #expect(d.grossWeight == "842.6")
    }

    /// A discount on the whole invoice under the goods (`LESS 3% TRADE DISCOUNT  -804.60`) with freight
    /// after it: the lines add up to the total with the discount added back and the freight taken off.
    @Test func aDiscountUnderTheGoodsIsTakenOffTheirSum() {
        let p = page([
            (30, phrase(40, "BRIGHTWAVE ELECTRONICS TRADING LIMITED")),
            (60, phrase(40, "Invoice No.: BW26-11873")),
            (100, phrase(40, "DESCRIPTION") + phrase(330, "QTY") + phrase(380, "UNIT PRICE") + phrase(460, "AMOUNT")),
            (115, phrase(40, "Wi-Fi 6 dual-band router") + phrase(335, "500") + phrase(390, "21.60") + phrase(460, "10,800.00")),
            (130, phrase(40, "Power bank 20,000 mAh") + phrase(330, "1,200") + phrase(395, "8.75") + phrase(460, "10,500.00")),
            (160, phrase(330, "SUBTOTAL") + phrase(460, "21,300.00")),
            (175, phrase(330, "LESS 3% TRADE DISCOUNT") + phrase(465, "-639.00")),
            (190, phrase(330, "FREIGHT & INSURANCE") + phrase(470, "640.00")),
            (205, phrase(330, "TOTAL (USD)") + phrase(460, "21,301.00")),
        ])
        let result = Extractor().extract([p])
        #expect(result.document.total == "21301")
        #expect(!result.problems.contains { $0.code == "total_mismatch" })
    }

    /// A garment exporter's invoice: quantities in dozens and in pieces, the price per dozen (`Unit Price
    /// / Doz (USD)`): the unit is the dozen. `Total Measurement: 24.62 CBM` is no total of money; the
    /// buyer who opened the credit is the `Applicant`.
    @Test func dozensMeasurementsAndTheApplicant() {
        let p = page([
            (30, phrase(150, "PADMA KNIT COMPOSITE LTD.")),
            (43, phrase(100, "Tongi, Gazipur-1710, Bangladesh")),
            (70, phrase(40, "Applicant / Buyer:") + phrase(300, "Invoice No.: PKC/EXP/1293/26")),
            (83, phrase(40, "Nordlicht Textil Vertrieb GmbH") + phrase(300, "Invoice Date: 01.12.2026")),
            (96, phrase(40, "20259 Hamburg, Germany")),
            (130, phrase(40, "Description of Goods") + phrase(200, "Qty (Doz)") + phrase(260, "Qty (Pcs)") + phrase(320, "Unit Price / Doz (USD)") + phrase(450, "Amount (USD)")),
            (145, phrase(40, "Men's T-shirt, knitted") + phrase(215, "450") + phrase(270, "5,400") + phrase(350, "22.80") + phrase(455, "10,260.00")),
            (160, phrase(150, "Total:") + phrase(215, "450") + phrase(270, "5,400") + phrase(455, "10,260.00")),
            (190, phrase(40, "Total Cartons: 362 CTNS")),
            (203, phrase(40, "Total Measurement: 24.62 CBM")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unit) == ["DZN"])
        #expect(d.lines.map(\.quantity) == ["450"])
        #expect(d.total == "10260")
        #expect(d.buyerName == "Nordlicht Textil Vertrieb GmbH")
        #expect(d.sellerName == "PADMA KNIT COMPOSITE LTD.")
    }

    /// A packing list whose crate number and weights span the crate's articles (set centred between
    /// them): each article's quantity makes its row; the spanning weights are no article's; a crate of
    /// one article keeps its own. `TOTAL: 3 wooden crates` counts the packages.
    @Test func cellsSpanningACratesArticlesAreNoArticles() {
        let p = page([
            (30, phrase(40, "MARMI APUANI S.r.l.")),
            (60, phrase(40, "PACKING LIST No. 26/PL/0412")),
            (100, phrase(40, "Crate No.") + phrase(120, "Description of goods") + phrase(330, "Qty") + phrase(380, "Net weight") + phrase(450, "Gross weight")),
            (125, phrase(120, "Carrara white marble slab, polished")),
            (137, phrase(335, "12")),
            (149, phrase(50, "1") + phrase(385, "1,205.0") + phrase(455, "1,290.0")),
            (161, phrase(120, "Carrara white marble slab, honed")),
            (173, phrase(340, "4")),
            (210, phrase(50, "2") + phrase(120, "Bardiglio floor tile") + phrase(330, "180") + phrase(385, "612.0") + phrase(455, "655.0")),
            (240, phrase(40, "TOTAL: 2 wooden crates") + phrase(330, "196") + phrase(385, "1,817.0") + phrase(455, "1,945.0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Carrara white marble slab, polished", "Carrara white marble slab, honed", "Bardiglio floor tile"])
        #expect(d.lines.map(\.quantity) == ["12", "4", "180"])
        #expect(d.lines.map(\.netWeight) == [nil, nil, "612"])
        #expect(d.lines.map(\.packages) == [nil, nil, "1"])
        #expect(d.packages == "2")
        #expect(d.grossWeight == "1945")
    }

    /// The pan-Euro-Mediterranean statement of a Swiss approved exporter, in French: the origin by its
    /// adjective (`origine préférentielle suisse`), the authorisation's number in the parentheses, and
    /// the agreement from the importer's membership of the EU.
    @Test func aSwissApprovedExportersDeclaration() {
        let p = page([
            (30, phrase(40, "Manufacture Horlogère du Jura SA")),
            (43, phrase(40, "Rue du Marché-Concours 7 · 2350 Saignelégier · Suisse")),
            (80, phrase(200, "DÉCLARATION D'ORIGINE")),
            (93, phrase(150, "relative à la facture n° MHJ-26-2217 du 1er décembre 2026")),
            (120, phrase(40, "Destinataire : Horlogerie Van Damme BV, Meir 24, 2000 Antwerpen, Belgique")),
            (160, phrase(40, "L'exportateur des produits couverts par le présent document {autorisation douanière n° CH/2217/0045) déclare")),
            (173, phrase(40, "que, sauf indication claire du contraire, ces produits ont l'origine préférentielle suisse.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.originStatement?.origin == "CH")
        #expect(d.originStatement?.exporterReference == "CH/2217/0045")
        #expect(d.originStatement?.agreement == "EU-CH FTA")
        #expect(Run.referenceInParentheses("(Exporter Reference No 1T01234560523)") == "IT01234560523")
    }

    /// A letterhead's name read on one line with a small telephone number to its right is still the
    /// largest text: the segment's own size counts, not the line's.
    @Test func aLetterheadIsMeasuredByItsOwnWords() {
        func words(_ y: Double, _ x: Double, _ text: String, height: Double) -> [Word] {
            phrase(x, text).map { Word(text: $0.text, box: DocumentExtraction.Box(x0: $0.x * (height / 10), y0: y, x1: ($0.x + Double($0.text.count) * 5) * (height / 10), y1: y + height)) }
        }
        var ws = words(30, 4, "Hohenlohe Antriebstechnik GmbH", height: 18)
        ws += phrase(400, "Tel. +49 7940 55 120").map { Word(text: $0.text, box: DocumentExtraction.Box(x0: $0.x, y0: 36, x1: $0.x + Double($0.text.count) * 5, y1: 46)) }
        ws += phrase(400, "USt-IdNr. DE 812 334 907").map { Word(text: $0.text, box: DocumentExtraction.Box(x0: $0.x, y0: 49, x1: $0.x + Double($0.text.count) * 5, y1: 59)) }
        ws += page([
            (100, phrase(40, "Fördertechnik Aarau AG")),
            (113, phrase(40, "Industriestrasse 31")),
            (126, phrase(40, "5000 Aarau")),
            (139, phrase(40, "Schweiz")),
            (180, phrase(40, "Rechnung Nr. 2026-10482 vom 02.12.2026")),
        ]).words
        let d = Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .text, words: ws)]).document
        #expect(d.sellerName == "Hohenlohe Antriebstechnik GmbH")
        #expect(d.buyerName == "Fördertechnik Aarau AG")
    }
}

@Suite struct SeventeenthRoundRuleTests {
    /// A price for a hundred pieces (`18,40` under `Preis`, `100` under `PE`) is a hundredth of it a
    /// piece, so that quantity × unit price is the line's amount. The code and origin under each
    /// description (`Warennr. 7318 15 88 · Ursprungsland DE`) are the line's; a count of packages and two
    /// weights said between bullets on one line are all read.
    @Test func aPriceForAHundredPiecesIsAHundredthOfItAPiece() {
        let p = page([
            (30, phrase(40, "Kessler Verbindungstechnik GmbH")),
            (60, phrase(40, "Rechnungsnummer: 2026-40871")),
            (100, phrase(40, "Pos.") + phrase(70, "Bezeichnung") + phrase(260, "Menge") + phrase(300, "ME") + phrase(330, "Preis") + phrase(370, "PE") + phrase(420, "Betrag EUR")),
            (115, phrase(40, "10") + phrase(70, "Sechskantschraube M8 x 40") + phrase(260, "5.000") + phrase(300, "St") + phrase(330, "18,40") + phrase(370, "100") + phrase(430, "920,00")),
            (127, phrase(70, "Warennr. 7318 15 88 · Ursprungsland DE")),
            (145, phrase(40, "20") + phrase(70, "Drahtseil 6 mm, verzinkt") + phrase(270, "400") + phrase(300, "m") + phrase(335, "0,92") + phrase(375, "1") + phrase(430, "368,00")),
            (157, phrase(70, "Warennr. 7312 10 98 · Ursprungsland IT")),
            (190, phrase(330, "Rechnungsbetrag EUR") + phrase(430, "1.288,00")),
            (220, phrase(40, "Versand in 2 Kolli · Bruttogewicht 148,6 kg · Nettogewicht 141,2 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["0.184", "0.92"])
        #expect(d.lines.map(\.description) == ["Sechskantschraube M8 x 40", "Drahtseil 6 mm, verzinkt"])
        #expect(d.lines.map(\.hsCode) == ["73181588", "73121098"])
        #expect(d.lines.map(\.originCountry) == ["DE", "IT"])
        #expect(d.packages == "2")
        #expect(d.grossWeight == "148.6")
        #expect(d.netWeight == "141.2")
    }

    /// A document that prints its amounts to the thousandth (`14,788.800`, a dinar's fils) reads a
    /// lone point before three digits as its decimal mark (`1.185` a kilogram, not 1,185); a
    /// document of cents does not (`1,939` and `1.939` are thousands there).
    @Test func amountsToTheThousandthMakeALoneMarkTheirDecimals() {
        #expect(Values.decimalMark(of: ["14,788.800", "9,017.000", "1.185"]) == .pointToThousandths)
        #expect(Values.decimalMark(of: ["14.788,800", "9.017,000", "1,185"]) == .commaToThousandths)
        #expect(Values.decimalMark(of: ["14,788.80", "2,968.87", "1,234.567"]) == .point)
        #expect(Values.number("1.185", mark: .pointToThousandths)?.value == Decimal(string: "1.185"))
        #expect(Values.number("1,185", mark: .pointToThousandths)?.value == 1185)
        #expect(Values.number("1.185", mark: .point)?.value == 1185)
        let p = page([
            (30, phrase(40, "GULF EXTRUSIONS & PROFILES W.L.L.")),
            (60, phrase(40, "Invoice No.: GEP/EXP/2026/0789")),
            (100, phrase(40, "Description of Goods") + phrase(250, "Qty (kg)") + phrase(310, "Rate (BHD/kg)") + phrase(400, "Amount (BHD)")),
            (115, phrase(40, "Aluminium extruded profiles") + phrase(255, "12,480") + phrase(320, "1.185") + phrase(400, "14,788.800")),
            (130, phrase(40, "Aluminium tubes, round") + phrase(260, "2,175") + phrase(320, "1.365") + phrase(405, "2,968.875")),
            (160, phrase(310, "Total (BHD)") + phrase(400, "17,757.675")),
            (190, phrase(40, "Country of Origin: Kingdom of Bahrain")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["1.185", "1.365"])
        #expect(d.lines.map(\.lineTotal) == ["14788.8", "2968.875"])
        #expect(d.lines.map(\.originCountry) == ["BH", "BH"])
    }

    /// A sample given free prints `N/C` (or `FOC`) for its price and amount: both are zero. `Customer
    /// PO` is the customer's order number, not the customer, so the buyer is the block's name.
    @Test func aLineGivenFreeCostsNothing() {
        let p = page([
            (30, phrase(40, "Lumen Optics Inc.") + phrase(400, "Customer PO PV-2026-0931")),
            (45, phrase(40, "Tempe, AZ 85281, USA")),
            (70, phrase(40, "Sold To / Ship To")),
            (82, phrase(40, "Photonik Vertrieb GmbH")),
            (94, phrase(40, "Carl-Zeiss-Ring 15")),
            (106, phrase(40, "07745 Jena, Germany")),
            (140, phrase(40, "Description") + phrase(250, "Qty") + phrase(300, "Unit Value") + phrase(400, "Total Value")),
            (155, phrase(40, "Achromatic doublet lens") + phrase(255, "40") + phrase(310, "38.50") + phrase(400, "1,540.00")),
            (170, phrase(40, "Lens samples, uncoated") + phrase(255, "10") + phrase(315, "N/C") + phrase(410, "N/C")),
            (200, phrase(300, "Total Invoice Value (USD)") + phrase(420, "1,540.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["38.5", "0"])
        #expect(d.lines.map(\.lineTotal) == ["1540", "0"])
        #expect(d.buyerName == "Photonik Vertrieb GmbH")
    }

    /// A grower's invoice counts stems (`Stelen`) beside its containers (`Fust`), after the article's
    /// number (`Art.`), and prices a stem in thousandths of a euro (`€ 0,385`).
    @Test func flowersAreCountedByTheStem() {
        let p = page([
            (30, phrase(40, "Bloemenexport Van der Meer B.V.")),
            (60, phrase(40, "Factuurnummer 2026-118734")),
            (100, phrase(40, "Art.") + phrase(80, "Omschrijving") + phrase(230, "GN-code") + phrase(300, "Fust") + phrase(340, "Stelen") + phrase(390, "Prijs/steel") + phrase(470, "Bedrag")),
            (115, phrase(40, "10431") + phrase(80, "Roos Red Naomi, 60 cm") + phrase(230, "0603 11 00") + phrase(305, "12") + phrase(345, "1.200") + phrase(395, "€ 0,385") + phrase(465, "€ 462,00")),
            (130, phrase(40, "30552") + phrase(80, "Tulp Strong Gold, 38 cm") + phrase(230, "0603 19 70") + phrase(305, "24") + phrase(345, "4.800") + phrase(395, "€ 0,185") + phrase(465, "€ 888,00")),
            (160, phrase(390, "Totaal te betalen") + phrase(465, "€ 1.350,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["1200", "4800"])
        #expect(d.lines.map(\.unitPrice) == ["0.385", "0.185"])
        #expect(d.lines.map(\.hsCode) == ["06031100", "06031970"])
    }

    /// A EUR.1 movement certificate: boxes of a label over its value. The label's note on how to fill
    /// it (`(name, full address, country)`) is no name; the parties of box 2 and the origin of box 4
    /// name the agreement; box 8 counts the packages, box 9 weighs them, box 10 names the invoice and
    /// its date, which the customs endorsement's date is not.
    @Test func aMovementCertificateIsReadBoxByBox() {
        let p = page([
            (30, phrase(40, "1. Exporter (name, full address, country)") + phrase(300, "EUR.1 No UA 0847215")),
            (42, phrase(40, "Dnipro Oil Trading LLC") + phrase(300, "2. Certificate used in preferential trade between")),
            (54, phrase(40, "Dnipro 49000, Ukraine") + phrase(300, "UKRAINE")),
            (66, phrase(300, "and")),
            (78, phrase(300, "THE EUROPEAN UNION")),
            (110, phrase(40, "3. Consignee (name, full address, country) (Optional)") + phrase(360, "4. Country in which the products")),
            (122, phrase(360, "are considered as originating")),
            (134, phrase(40, "Polskie Oleje Sp. z o.o.") + phrase(360, "UKRAINE")),
            (146, phrase(40, "81-336 Gdynia, Poland")),
            (170, phrase(40, "8. Item number; marks and numbers;") + phrase(330, "9. Gross mass (kg)") + phrase(450, "10. Invoices")),
            (182, phrase(40, "number and kind of packages;")),
            (194, phrase(40, "1. 1,200 (one thousand two hundred) cartons") + phrase(330, "14,880 kg") + phrase(450, "No. DOT-")),
            (206, phrase(450, "26/1184")),
            (218, phrase(450, "of 25.11.2026")),
            (230, phrase(40, "11. CUSTOMS ENDORSEMENT")),
            (242, phrase(40, "Date: 26.11.2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.sellerName == "Dnipro Oil Trading LLC")
        #expect(d.buyerName == "Polskie Oleje Sp. z o.o.")
        #expect(d.originStatement?.origin == "UA")
        #expect(d.originStatement?.agreement == "EU-UA DCFTA")
        #expect(d.packages == "1200")
        #expect(d.grossWeight == "14880")
        #expect(d.invoiceNumber == "DOT-26/1184")
        #expect(d.invoiceDate == "2026-11-25")
    }
}

extension SeventeenthRoundRuleTests {
    /// A description that wraps after a number's sign (`6 x` over `19`) keeps the number: the line it
    /// starts is no detail's line under it, though a detail's label follows (`Warennr. …`).
    @Test func aWrappedNumberStaysInItsDescription() {
        let (own, details) = Run.attributeLines(page([
            (10, phrase(70, "Drahtseil 6 mm, verzinkt, 6 x")),
            (22, phrase(70, "19")),
            (34, phrase(70, "Warennr. 7312 10 98 · Ursprungsland IT")),
        ]).words)
        #expect(own.map(\.text).joined(separator: " ") == "Drahtseil 6 mm, verzinkt, 6 x 19")
        #expect(details.map(\.field) == ["hs_code", "origin_country"])
    }
}

@Suite struct EighteenthRoundRuleTests {
    /// Cells set centred in tall rows: each description's first line stands above its row's numbers and
    /// its last below, so two descriptions meet between the rows. They part where the rows' padding is
    /// (`stainless 316` is the first row's, `Check valve, 1-` the second's). A count of packages is the
    /// first after its label (`6 cartons on 1 pallet`); `VAT NL 8123.45.678.B01` is a VAT number, no tax.
    @Test func centredCellsPartAtTheRowsPadding() {
        let p = page([
            (30, phrase(40, "GREAT LAKES VALVE & FITTING INC.")),
            (45, phrase(40, "VAT NL 8123.45.678.B01")),
            (60, phrase(40, "Invoice No. GLV-26-07713")),
            (90, phrase(40, "Description") + phrase(200, "Qty") + phrase(250, "Unit Price") + phrase(330, "Amount")),
            (100, phrase(40, "Ball valve, 2\" full")),
            (110.2, phrase(40, "port, stainless") + phrase(205, "40") + phrase(255, "$86.50") + phrase(330, "$3,460.00")),
            (120.4, phrase(40, "316")),
            (134, phrase(40, "Check valve, 1-")),
            (144.2, phrase(40, "1/2\" NPT,") + phrase(205, "60") + phrase(255, "$42.75") + phrase(330, "$2,565.00")),
            (154.4, phrase(40, "bronze")),
            (190, phrase(250, "TOTAL DUE (USD)") + phrase(330, "$6,025.00")),
            (220, phrase(40, "Packages: 6 cartons on 1 pallet · Gross weight 412.0 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Ball valve, 2\" full port, stainless 316", "Check valve, 1-1/2\" NPT, bronze"])
        #expect(d.lines.map(\.quantity) == ["40", "60"])
        #expect(d.packages == "6")
        #expect(d.grossWeight == "412")
        // A buyer's VAT number is no tax.
        #expect(d.tax == nil)
    }

    /// A quantity weighed to the gram (`24,680` kg) reads as thousands by itself; the line's own
    /// arithmetic (`18,50` a kilogram, `456,58`) says its comma is the decimals. Weights said after
    /// their count of packages (`9 Packstücke · Gewicht netto 213,720 kg · brutto 251,400 kg`) on a page
    /// that groups thousands with points (`2.287,18`) are read to the gram; `Zu zahlen` is the total.
    @Test func aQuantityWeighedToTheGramReadsByTheLinesArithmetic() {
        #expect(Values.loneMarkAsDecimals("24,680") == Decimal(string: "24.68"))
        #expect(Values.loneMarkAsDecimals("1.234,56") == nil)
        #expect(Values.loneMarkAsDecimals("12,5") == nil)
        let p = page([
            (30, phrase(300, "Feinkost Großhandel Brandauer GmbH")),
            (60, phrase(40, "Brandauer GmbH · Schäftlarnstraße 88 · 81371 München")),
            (72, phrase(40, "Comestibles Favre SA")),
            (84, phrase(40, "Rue du Petit-Chêne 9")),
            (96, phrase(40, "1003 Lausanne")),
            (120, phrase(40, "Rechnung Nr. RE-26-11902")),
            (150, phrase(40, "Artikel") + phrase(220, "Menge") + phrase(260, "Einheit") + phrase(310, "Preis/Einh. €") + phrase(400, "Gesamt €")),
            (165, phrase(40, "Parmigiano Reggiano DOP") + phrase(220, "24,680") + phrase(265, "kg") + phrase(330, "18,50") + phrase(410, "456,58")),
            (180, phrase(40, "Olivenöl, Kanister 5 l") + phrase(235, "24") + phrase(265, "Stk") + phrase(330, "41,80") + phrase(400, "1.003,20")),
            (200, phrase(310, "Warenwert") + phrase(400, "1.459,78")),
            (212, phrase(310, "Zu zahlen EUR") + phrase(400, "1.459,78")),
            (240, phrase(40, "9 Packstücke · Gewicht netto 213,720 kg · brutto 251,400 kg · Kühlware +2 °C bis +6 °C")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["24.68", "24"])
        #expect(d.total == "1459.78")
        #expect(d.packages == "9")
        #expect(d.netWeight == "213.72")
        #expect(d.grossWeight == "251.4")
        #expect(d.sellerName == "Feinkost Großhandel Brandauer GmbH")
    }

    /// A statement on origin read from the partner's side: a Korean exporter's declaration to a buyer in
    /// Germany is made under the EU–Korea agreement. The buyer's country may follow its town after a comma.
    @Test func anAgreementIsReadFromEitherSide() {
        #expect(Lexicon.agreementsByPartner["KR"]?["EU"] == "EU-KR FTA")
        #expect(Lexicon.agreementsByPartner["JP"]?["GB"] == "UK-JP CEPA")
        #expect(Lexicon.agreementsByPartner["CH"]?["EU"] == "EU-CH FTA")
        #expect(Values.country(ofAddress: ["Otto-Hahn-Straße 21", "85521 Ottobrunn, Germany"]) == "DE")
        #expect(Values.country(ofAddress: ["12 Main Street", "Birmingham, AL"]) == nil)
        let p = page([
            (30, phrase(40, "HANSOL DISPLAY TECHNOLOGY CO., LTD.")),
            (70, phrase(200, "ORIGIN DECLARATION")),
            (100, phrase(40, "Exporter") + phrase(300, "Importer")),
            (112, phrase(40, "Hansol Display Technology Co., Ltd.") + phrase(300, "Nordlicht Elektronik GmbH")),
            (124, phrase(40, "17, Gasan digital 1-ro") + phrase(300, "Otto-Hahn-Straße 21")),
            (136, phrase(40, "Seoul 08594, Korea") + phrase(300, "85521 Ottobrunn, Germany")),
            (160, phrase(40, "Goods") ),
            (172, phrase(40, "OLED display modules and driver boards, 14 cartons, as itemised on the invoice")),
            (200, phrase(40, "The exporter of the products covered by this document (customs authorisation No. KR-AE-2019-04711)")),
            (212, phrase(40, "declares that, except where otherwise clearly indicated, these products are of Korean preferential origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.originStatement?.origin == "KR")
        #expect(d.originStatement?.agreement == "EU-KR FTA")
        #expect(d.packages == nil)
    }

    /// A currency sign between two numbers goes with the nearer (`6  € 1.395,-`: the price's sign); a
    /// whole euro printed with a dash (`1.395,-`) is read. `Oorsprong van alle goederen` gives every
    /// line's origin, its exception (`behalve artikel BT-ACC-500 (oorsprong: China)`) that article's.
    @Test func aSignGoesWithTheNearerNumber() {
        let p = page([
            (30, phrase(40, "Brabant Tweewielers B.V.")),
            (60, phrase(40, "Factuurnummer F2026-3318")),
            (100, phrase(40, "Artikel") + phrase(100, "Omschrijving") + phrase(240, "Aantal") + phrase(300, "Prijs") + phrase(370, "Totaal")),
            (115, phrase(40, "BT-E28-M") + phrase(100, "E-bike stadsfiets") + phrase(265, "6") + phrase(275, "€") + phrase(283, "1.395,-") + phrase(345, "€") + phrase(353, "8.370,-")),
            (130, phrase(40, "BT-ACC-500") + phrase(100, "Accu 36 V 500 Wh") + phrase(260, "10") + phrase(280, "€") + phrase(288, "289,-") + phrase(345, "€") + phrase(353, "2.890,-")),
            (160, phrase(300, "Te betalen") + phrase(353, "€ 11.260,-")),
            (190, phrase(40, "Oorsprong van alle goederen: Nederland, behalve artikel BT-ACC-500 (oorsprong: China).")),
            (202, phrase(40, "Verpakt in 8 dozen · bruto 214 kg · netto 176 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["6", "10"])
        #expect(d.lines.map(\.unitPrice) == ["1395", "289"])
        #expect(d.lines.map(\.lineTotal) == ["8370", "2890"])
        #expect(d.lines.map(\.originCountry) == ["NL", "CN"])
        #expect(d.packages == "8")
        #expect(d.grossWeight == "214")
        #expect(d.netWeight == "176")
    }

    /// Blocks stacked in narrow columns: a value under its label is only what starts at the label's
    /// edge (`INV-004417`, not the town of the column beside it run into it); a name that wrapped in its
    /// cell (`Southern Alps` over `Woollens Limited`) is whole. `Goods of New Zealand origin` names a
    /// country of two words.
    @Test func aValueUnderItsLabelStartsAtTheLabelsEdge() {
        let p = page([
            (30, phrase(40, "TAX INVOICE")),
            (60, phrase(40, "Invoice To") + phrase(190, "Invoice Date") + phrase(330, "Southern Alps")),
            (70.3, phrase(40, "Wollhaus Berger GmbH") + phrase(190, "03/12/2026") + phrase(330, "Woollens Limited")),
            (80.6, phrase(40, "Kaiserstraße 57") + phrase(190, "Invoice Number") + phrase(330, "88 Tuam Street")),
            (90.9, phrase(40, "60329 Frankfurt am Main") + phrase(165, "INV-004417") + phrase(330, "Christchurch 8011")),
            (101.2, phrase(40, "GERMANY") + phrase(330, "New Zealand")),
            (140, phrase(40, "Description") + phrase(240, "Quantity") + phrase(300, "Rate") + phrase(370, "Amount NZD")),
            (155, phrase(40, "Lambswool beanie, charcoal") + phrase(245, "120.00") + phrase(300, "28.50") + phrase(375, "3,420.00")),
            (190, phrase(300, "TOTAL NZD") + phrase(375, "3,420.00")),
            (220, phrase(40, "Goods of New Zealand origin. 5 cartons, gross weight 96.4 kg.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "INV-004417")
        #expect(d.sellerName == "Southern Alps Woollens Limited")
        #expect(d.lines.map(\.originCountry) == ["NZ"])
        #expect(d.packages == "5")
        #expect(d.grossWeight == "96.4")
    }

    /// A pallet list: the `Palette` column names each row's pallet (`P1`, one package), a quantity's unit
    /// wraps under it (`240` over `pièces`) and the next row's count is no part of it; `96 pièces` in
    /// one cell reads too. A registration statement (`SAS au capital de 420 000 €`) names no seller.
    @Test func aPalletColumnCountsOnePackageARow() {
        #expect(Values.number("96 pièces")?.value == 96)
        let p = page([
            (30, phrase(40, "Verrerie du Val de Loire") + phrase(400, "LISTE DE COLISAGE")),
            (44, phrase(40, "SAS au capital de 420 000 € · 14, quai Paul Bert · 37100 Tours")),
            (100, phrase(40, "Palette") + phrase(90, "Désignation") + phrase(230, "Quantité") + phrase(300, "Poids net (kg)") + phrase(390, "Poids brut (kg)")),
            (115, phrase(90, "Carafes en verre") + phrase(245, "240")),
            (122, phrase(45, "P1") + phrase(90, "soufflé, 1 l") + phrase(235, "pièces") + phrase(320, "182,4") + phrase(410, "214,0")),
            (141, phrase(90, "Verres à vin") + phrase(245, "150")),
            (148, phrase(45, "P2") + phrase(90, "coffret de 6") + phrase(230, "coffrets") + phrase(320, "156,0") + phrase(410, "188,5")),
            (167, phrase(45, "P3") + phrase(90, "Vases cylindriques") + phrase(230, "96 pièces") + phrase(320, "201,6") + phrase(410, "236,2")),
            (185, phrase(40, "Total : 3 palettes") + phrase(320, "540,0") + phrase(410, "638,7")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.map(\.quantity) == ["240", "150", "96"])
        #expect(d.lines.map(\.unit) == ["PCE", "BX", "PCE"])
        #expect(d.lines.map(\.packages) == ["1", "1", "1"])
        #expect(d.sellerName == "Verrerie du Val de Loire")
    }
}

extension EighteenthRoundRuleTests {
    /// A scan whose header wraps (`Amount` over `NZD`) sets the first description's upper line further down than
    /// a row's padding; the row under it carries the description on in small letters (`natural  30.00  ea …`),
    /// so the line is that row's. A line that ends a sentence inside it (`… origin. 5 cartons, gross weight 96.4 kg.`)
    /// is no table's header, though it names columns (goods, origin, cartons, gross weight).
    @Test func aDescriptionCarriedOnBelowIsItsRows() {
        func line(_ words: [(x: Double, text: String)]) -> TextLine {
            let ws = page([(10, words)]).words
            return TextLine(page: 1, words: ws, box: ws.dropFirst().reduce(ws[0].box) { $0.union($1.box) })
        }
        #expect(Run.isSentence(line(phrase(40, "Goods of New Zealand origin.") + phrase(190, "5 cartons, gross weight 96.4 kg."))))
        #expect(!Run.isSentence(line(phrase(40, "Artikel") + phrase(220, "Menge") + phrase(260, "Einheit") + phrase(310, "Preis/Einh. €") + phrase(400, "Gesamt €"))))
        #expect(!Run.isSentence(line(phrase(40, "Artikelnr.") + phrase(120, "Omschrijving") + phrase(260, "Aantal") + phrase(310, "Stukprijs") + phrase(370, "BTW") + phrase(420, "Bedrag"))))
        let p = page([
            (30, phrase(40, "Southern Alps Woollens Limited")),
            (60, phrase(40, "Invoice Number INV-004417")),
            (100, phrase(370, "Amount")),
            (106, phrase(40, "Description") + phrase(240, "Quantity") + phrase(300, "Rate")),
            (116, phrase(370, "NZD")),
            (136, phrase(40, "Merino wool throw, 130 x 180 cm,")),
            (141, phrase(40, "natural") + phrase(245, "30.00") + phrase(300, "145.00") + phrase(375, "4,350.00")),
            (160, phrase(40, "Lambswool beanie, charcoal") + phrase(245, "120.00") + phrase(300, "28.50") + phrase(375, "3,420.00")),
            (190, phrase(300, "TOTAL NZD") + phrase(375, "7,770.00")),
            (230, phrase(40, "Goods of New Zealand origin. 5 cartons, gross weight 96.4 kg.")),
            (242, phrase(40, "Payment to ANZ Bank New Zealand, account 01-0802-0456789-00, reference INV-004417.")),
        ], confidence: 0.9)
        let d = Extractor().extract([PageText(number: 1, width: p.width, height: p.height, source: .ocr, words: p.words)]).document
        #expect(d.lines.map(\.description) == ["Merino wool throw, 130 x 180 cm, natural", "Lambswool beanie, charcoal"])
        #expect(d.lines.map(\.originCountry) == ["NZ", "NZ"])
        #expect(d.packages == "5")
    }
}

@Suite struct NineteenthRoundRuleTests {
    /// A label wrapped in its cell (`Country of` over `Origin`) leaves a line that starts with the
    /// origin word; reading a sentence's origin from it looked one word before the line's start and
    /// stopped the process. A number's link to a date at the line's end (`Nr. 2026/0871 vom`) is the same.
    @Test func aLineThatStartsWithTheOriginWordIsNoCrash() {
        let p = page([
            (30, phrase(40, "PT ROTAN NUSANTARA ABADI")),
            (60, phrase(40, "Rechnung Nr. 2026/0871 vom")),
            (90, phrase(40, "Description") + phrase(200, "Qty") + phrase(250, "Unit Price") + phrase(330, "Amount")),
            (105, phrase(40, "Rattan armchair") + phrase(205, "40") + phrase(255, "18.50") + phrase(330, "740.00")),
            (120, phrase(40, "Seagrass basket") + phrase(205, "10") + phrase(255, "3.85") + phrase(330, "38.50")),
            (150, phrase(250, "TOTAL") + phrase(330, "778.50")),
            (180, phrase(40, "Origin")),
            (195, phrase(40, "origin Indonesian goods")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.count == 2)
        #expect(d.invoiceNumber == "2026/0871")
    }

    /// A tea exporter's lots, priced by the kilogram with no column of pieces: the net weight is the
    /// quantity (`Net kg` under `Price/kg US$`), a count with its kind of package (`40 chests`) is the
    /// line's packages, a total row labelled with an Incoterm and its place (`TOTAL CFR HAMBURG`) is no
    /// line, and a weight's value ends at the next label on its line (`Vessel:`).
    @Test func aLotPricedByTheKilogramCountsItsNetWeight() {
        let p = page([
            (30, phrase(40, "Uva Highlands Tea Exporters (Pvt) Ltd")),
            (60, phrase(40, "INVOICE")),
            (75, phrase(40, "Invoice No: UHT/26/1127")),
            (100, phrase(40, "Lot No") + phrase(90, "Mark / Grade") + phrase(250, "Packages") + phrase(320, "Net kg") + phrase(380, "Price/kg US$") + phrase(470, "Amount US$")),
            (115, phrase(40, "342") + phrase(90, "Ceylon Black Tea, Uva BOP") + phrase(250, "40 chests") + phrase(320, "1,400.00") + phrase(390, "5.85") + phrase(480, "8,190.00")),
            (130, phrase(40, "351") + phrase(90, "Ceylon Green Tea, Gunpowder") + phrase(250, "20 sacks") + phrase(320, "1,000.00") + phrase(390, "4.95") + phrase(480, "4,950.00")),
            (145, phrase(90, "TOTAL CFR HAMBURG") + phrase(250, "60 pkgs") + phrase(320, "2,400.00") + phrase(480, "13,140.00")),
            (180, phrase(40, "Net Weight: 2,400.00 kg") + phrase(200, "Gross Weight: 2,571.00 kg Vessel: MSC Ilona / FA648W")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["1400", "1000"])
        #expect(d.lines.map(\.unit) == ["KGM", "KGM"])
        #expect(d.lines.map(\.packages) == ["40", "20"])
        #expect(d.total == "13140")
        #expect(d.grossWeight == "2571")
    }

    /// An invoice titled with its number (`FACTURE COMMERCIALE N° …`) that says at its foot how it was
    /// packed (`Colisage : 184 colis`, its count of packages) is an invoice; a label with its value over
    /// the table (`Pays d'origine : Sénégal`) names no columns, and is every line's origin.
    @Test func anInvoiceTitledWithItsNumberIsAnInvoice() {
        let p = page([
            (30, phrase(40, "Les Délices de Casamance SARL")),
            (60, phrase(100, "FACTURE COMMERCIALE N° DC-EXP-26-0142")),
            (90, phrase(300, "Pays d'origine : Sénégal")),
            (110, phrase(40, "Désignation") + phrase(250, "Qté") + phrase(300, "P.U.") + phrase(380, "Montant")),
            (125, phrase(40, "Mangues séchées bio") + phrase(250, "240") + phrase(300, "8 500") + phrase(380, "2 040 000")),
            (140, phrase(40, "Bissap, sacs de 25 kg") + phrase(250, "500") + phrase(300, "2 100") + phrase(380, "1 050 000")),
            (170, phrase(250, "Total CIF Le Havre (FCFA)") + phrase(380, "3 090 000")),
            (200, phrase(40, "Colisage : 184 colis — Poids net : 3 214,4 kg — Poids brut : 3 468 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .invoice)
        #expect(d.total == "3090000")
        #expect(d.lines.map(\.originCountry) == ["SN", "SN"])
        #expect(d.netWeight == "3214.4")
        #expect(d.packages == "184")
    }

    /// A packages column that numbers its packages (`1 - 4`, `5 - 7`, `8`) counts each range, and one
    /// package for a single number.
    @Test func packageNumbersInRangesCountTheirPackages() {
        #expect(Run.packageRange("1 - 4") == 4 && Run.packageRange("9–10") == 2)
        #expect(Run.packageRange("8") == nil && Run.packageRange("4 - 1") == nil)
        let p = page([
            (30, phrase(40, "Hollandse Bollen Export B.V.")),
            (45, phrase(300, "PAKLIJST")),
            (60, phrase(40, "Paklijstnummer PL-26-0917")),
            (90, phrase(40, "Colli") + phrase(80, "Omschrijving") + phrase(300, "Aantal") + phrase(360, "Netto kg") + phrase(420, "Bruto kg")),
            (105, phrase(40, "1 - 4") + phrase(80, "Tulpenbollen Red Impression") + phrase(305, "2.000") + phrase(365, "96,0") + phrase(425, "104,8")),
            (120, phrase(40, "5") + phrase(80, "Krokus gemengd") + phrase(305, "5.000") + phrase(365, "24,0") + phrase(425, "27,2")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.packages) == ["4", "1"])
    }

    /// A label grid whose colons stand in a column of their own, beside an address block: the buyer's
    /// name runs up against `Date`, whose value opens with the colon (`: 02 December 2026`).
    @Test func aLabelRunUpAgainstTheTextBeforeItIsALabel() {
        let p = page([
            (30, phrase(40, "PT ROTAN NUSANTARA ABADI")),
            (50, phrase(150, "COMMERCIAL INVOICE")),
            (70, phrase(40, "Messrs.") + phrase(200, "Invoice No.") + phrase(290, ": RNA/EXP/2026/0318")),
            (82, phrase(40, "Wohnkultur Lindqvist GmbH Date") + phrase(290, ": 02 December 2026")),
            (94, phrase(40, "Hafenstraße 14")),
            (120, phrase(40, "Description") + phrase(200, "Qty") + phrase(250, "Unit Price") + phrase(330, "Amount")),
            (135, phrase(40, "Rattan armchair") + phrase(205, "40") + phrase(255, "18.50") + phrase(330, "740.00")),
            (160, phrase(250, "TOTAL") + phrase(330, "740.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceDate == "2026-12-02")
        #expect(d.invoiceNumber == "RNA/EXP/2026/0318")
    }

    /// A movement certificate's boxes in German (`Bescheinigung für den Präferenzverkehr zwischen`,
    /// `Ursprungserzeugnisse`, `Anzahl und Art der Packstücke`): the parties, the origin, and the count in
    /// figures after the count in words (`sechs (6) Kartons`).
    @Test func aGermanMovementCertificateReadsLikeAnEnglishOne() {
        let p = page([
            (30, phrase(40, "1. Ausführer (Name, vollständige Anschrift, Staat)") + phrase(300, "WARENVERKEHRSBESCHEINIGUNG")),
            (42, phrase(40, "Präzisionsteile Vogt GmbH") + phrase(300, "EUR.1 Nr. A 2 418 337")),
            (54, phrase(40, "78532 Tuttlingen, DEUTSCHLAND") + phrase(300, "2. Bescheinigung für den Präferenzverkehr zwischen")),
            (66, phrase(300, "DER EUROPÄISCHEN UNION")),
            (78, phrase(300, "und")),
            (90, phrase(300, "DER SCHWEIZ")),
            (110, phrase(40, "3. Empfänger (Name, vollständige Anschrift, Staat)") + phrase(300, "4. Staat, als dessen Ursprungserzeugnisse die Waren gelten")),
            (122, phrase(40, "Medtec Instrumente AG") + phrase(300, "EU")),
            (134, phrase(40, "6300 Zug, SCHWEIZ")),
            (160, phrase(40, "8. Laufende Nummer; Zeichen, Nummern, Anzahl und Art der Packstücke; Warenbezeichnung") + phrase(420, "9. Rohgewicht (kg) oder") + phrase(520, "10. Rechnungen")),
            (172, phrase(420, "andere Maße (l, m³") + phrase(520, "(Ausfüllung")),
            (184, phrase(40, "1 MIZ 1-6") + phrase(420, "usw.)") + phrase(520, "freigestellt)")),
            (196, phrase(40, "sechs (6) Kartons chirurgische Instrumente")),
            (208, phrase(420, "148,6 kg") + phrase(520, "Nr. VT-26-40981")),
            (220, phrase(520, "vom 27.11.2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.originStatement?.origin == "EU")
        #expect(d.originStatement?.agreement == "EU-CH FTA")
        #expect(d.packages == "6")
    }
}

@Suite struct TwentiethRoundRuleTests {
    /// A dinar counts a thousand millimes: amounts grouped by spaces with three decimals after the comma
    /// (`32 880,000`, one word per group on the page) decide the decimal mark, so that `68,500` is 68.5.
    /// A line of labelled figures (`Colisage : 18 palettes · Poids net : 3 705,000 kg`) names no columns, and
    /// the origin's colon set apart (`Origine des marchandises : Tunisie`) still gives every line its origin.
    @Test func dinarsToTheThousandthGroupedBySpaces() {
        let p = page([
            (30, phrase(40, "Huilerie Ben Salem & Fils")),
            (60, phrase(40, "FACTURE N° HBS-E-2026/0412")),
            (75, phrase(40, "Sfax, le 30 novembre 2026")),
            (90, phrase(40, "Devise : dinar tunisien (TND)")),
            (120, phrase(40, "Désignation") + phrase(250, "Qté") + phrase(300, "P.U. HT (TND)") + phrase(400, "Montant HT (TND)")),
            (135, phrase(40, "Huile d'olive extra vierge, bidon 5 L") + phrase(255, "480") + phrase(305, "68,500") + phrase(405, "32 880,000")),
            (150, phrase(40, "Olives noires à l'huile, bocal 500 g") + phrase(255, "960") + phrase(305, "4,125") + phrase(405, "3 960,000")),
            (180, phrase(300, "Total HT") + phrase(405, "36 840,000")),
            (195, phrase(300, "Droit de timbre") + phrase(405, "1,000")),
            (210, phrase(300, "Net à payer (TND)") + phrase(405, "36 841,000")),
            (240, phrase(40, "Origine des marchandises : Tunisie · Colisage : 18 palettes · Poids net : 3 705,000 kg")),
            (255, phrase(40, "Exonération de TVA en vertu de l'article 11 du Code de la TVA")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.currency == "TND")
        #expect(d.lines.map(\.unitPrice) == ["68.5", "4.125"])
        #expect(d.lines.map(\.lineTotal) == ["32880", "3960"])
        #expect(d.total == "36841")
        #expect(d.lines.map(\.originCountry) == ["TN", "TN"])
        #expect(d.packages == "18")
        #expect(d.netWeight == "3705")
    }

    /// Gloves sold by the carton: the quantity's header names its pack in parentheses (`Qty (ctns)`), a
    /// qualifier and the lines' unit, not a column of packages; the pieces in each carton (`Pcs / ctn`)
    /// are a column of their own, not read; the ringgit's `RM` names the currency.
    @Test func aQuantityCountedInCartons() {
        let p = page([
            (30, phrase(40, "Selangor Nitrile Gloves Sdn. Bhd.")),
            (60, phrase(40, "COMMERCIAL INVOICE")),
            (75, phrase(40, "Invoice No.") + phrase(120, "SNG/EX/26/3318")),
            (110, phrase(40, "Description of Goods") + phrase(200, "Qty (ctns)") + phrase(260, "Pcs / ctn") + phrase(320, "Unit Price (RM/ctn)") + phrase(430, "Amount (RM)")),
            (125, phrase(40, "Nitrile gloves, size M") + phrase(215, "400") + phrase(265, "1,000") + phrase(340, "92.50") + phrase(440, "37,000.00")),
            (140, phrase(40, "Latex gloves, size 7.5") + phrase(220, "60") + phrase(270, "500") + phrase(335, "148.00") + phrase(445, "8,880.00")),
            (170, phrase(250, "Total") + phrase(425, "RM 45,880.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["400", "60"])
        #expect(d.lines.map(\.unit) == ["CT", "CT"])
        #expect(d.lines.map(\.unitPrice) == ["92.5", "148"])
        #expect(d.lines.allSatisfy { $0.packages == nil })
        #expect(d.currency == "MYR")
        #expect(d.total == "45880")
    }

    /// A Philippine export sales invoice: its number beside its title (`EXPORT SALES INVOICE … No. 0004127`)
    /// rather than the buyer's order number under it, the peso's sign, boxes as the unit, a count of packages
    /// after a label in a sentence (`Shipping details: 500 boxes on 6 pallets`), an origin as an adjective.
    @Test func aNumberBesideItsTitle() {
        let p = page([
            (30, phrase(150, "CEBU TROPICAL HARVEST CORPORATION")),
            (60, phrase(40, "EXPORT SALES INVOICE") + phrase(420, "No. 0004127")),
            (80, phrase(40, "SOLD TO: Tropenfrucht Handels GmbH") + phrase(330, "Date: December 1, 2026")),
            (95, phrase(330, "P.O. No.: TF-2026-311")),
            (120, phrase(40, "QTY") + phrase(70, "UNIT") + phrase(110, "ARTICLES") + phrase(330, "UNIT PRICE") + phrase(420, "AMOUNT")),
            (135, phrase(45, "240") + phrase(70, "boxes") + phrase(110, "Dried mango slices") + phrase(330, "₱ 2,150.00") + phrase(420, "₱ 516,000.00")),
            (150, phrase(50, "60") + phrase(70, "boxes") + phrase(110, "Coconut chips, toasted") + phrase(330, "₱ 1,340.00") + phrase(425, "₱ 80,400.00")),
            (180, phrase(330, "TOTAL AMOUNT DUE") + phrase(420, "₱ 596,400.00")),
            (210, phrase(40, "Shipping details: 300 boxes on 4 pallets · Net wt. 1,416.00 kgs")),
            (225, phrase(40, "We hereby certify that the goods described above are of Philippine origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "0004127")
        #expect(d.currency == "PHP")
        #expect(d.lines.map(\.unit) == ["BX", "BX"])
        #expect(d.packages == "300")
        #expect(d.lines.map(\.originCountry) == ["PH", "PH"])
    }

    /// A route with its destination in a cell of its own (`From: Taoyuan, Taiwan   To: Frankfurt`) names
    /// no seller; a weight's value ends at an abbreviated label after it (`G.W.: 231.00 KGS MEAS.: 0.62 CBM`).
    @Test func aRouteIsNoSellerAndAWeightEndsAtTheNextLabel() {
        let p = page([
            (30, phrase(150, "HSINCHU PRECISION OPTICS CO., LTD.")),
            (60, phrase(250, "INVOICE")),
            (80, phrase(40, "INVOICE No.: HPO-26120501") + phrase(330, "Date: Dec. 5, 2026")),
            (95, phrase(40, "For account and risk of Messrs. Optronik Vertrieb GmbH, Jena, Germany")),
            (110, phrase(40, "From: Taoyuan, Taiwan") + phrase(330, "To: Frankfurt, Germany")),
            (140, phrase(40, "Description of Goods") + phrase(250, "Quantity") + phrase(330, "Unit Price") + phrase(430, "Amount")),
            (155, phrase(40, "CMOS camera module 5 MP") + phrase(250, "1,200 PCS") + phrase(330, "@US$18.40") + phrase(430, "US$22,080.00")),
            (170, phrase(40, "IR cut filter 650 nm") + phrase(250, "5,000 PCS") + phrase(330, "@US$0.62") + phrase(430, "US$3,100.00")),
            (190, phrase(330, "TOTAL:") + phrase(430, "US$25,180.00")),
            (220, phrase(40, "PACKING: 4 CARTONS N.W.: 186.40 KGS G.W.: 231.00 KGS MEAS.: 0.62 CBM")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.sellerName != "Taoyuan, Taiwan")
        #expect(d.grossWeight == "231")
        #expect(d.netWeight == "186.4")
    }

    /// A non-preferential certificate of origin (China's CCPIT form): no lines from its goods boxes, the
    /// origin from the exporter's declaration (`… produced in China …`), the invoice's number and date from
    /// box 10 with the date under the number, the gross weight beside its unit though a date follows on the
    /// line, and the packages counted in words and figures.
    @Test func aCertificateOfOriginOfChina() {
        let p = page([
            (30, phrase(40, "1. Exporter") + phrase(330, "Certificate No. CCPIT 263101A4418")),
            (42, phrase(40, "NINGBO BRIGHTSTAR HOUSEWARE CO., LTD.")),
            (54, phrase(40, "No. 88 Xingning Road, Ningbo, China") + phrase(350, "CERTIFICATE OF ORIGIN")),
            (70, phrase(40, "2. Consignee")),
            (82, phrase(40, "KÜCHENWELT HANDELSGESELLSCHAFT MBH")),
            (94, phrase(40, "Ruhrallee 185, 45136 Essen, Germany")),
            (120, phrase(40, "6. Marks") + phrase(150, "7. Number and kind of packages; description of goods") + phrase(460, "8. H.S. Code") + phrase(530, "9. Quantity") + phrase(614, "10. Number and date of")),
            (132, phrase(614, "invoices")),
            (150, phrase(40, "KÜCHENWELT") + phrase(150, "SIX HUNDRED (600) CARTONS OF") + phrase(460, "7323.93") + phrase(530, "1,800 SETS") + phrase(614, "NBH26-1120")),
            (162, phrase(40, "ESSEN") + phrase(150, "STAINLESS STEEL COOKWARE SETS") + phrase(460, "7013.49") + phrase(530, "G.W. 7,260.00 KGS NOV. 20, 2026")),
            (200, phrase(40, "11. Declaration by the exporter") + phrase(330, "12. Certification")),
            (212, phrase(40, "The undersigned hereby declares that all the goods were")),
            (224, phrase(40, "produced in China and that they comply with the Rules")),
            (250, phrase(40, "NINGBO, NOV. 21, 2026") + phrase(330, "NINGBO, NOV. 23, 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.lines.isEmpty)
        #expect(d.originStatement?.origin == "CN")
        #expect(d.invoiceNumber == "NBH26-1120")
        #expect(d.invoiceDate == "2026-11-20")
        #expect(d.grossWeight == "7260")
        #expect(d.packages == "600")
    }

    /// A packing list's total row counting its pallets with a note (`Summe: 4 Paletten (Europaletten,
    /// nicht tauschbar)`) gives the packages.
    @Test func aTotalRowCountsItsPallets() {
        let p = page([
            (30, phrase(40, "Steirische Armaturenwerke GmbH") + phrase(400, "PACKLISTE")),
            (60, phrase(40, "Empfänger") + phrase(300, "Packliste Nr.: AW-PL-26-1184")),
            (72, phrase(40, "Norsk VVS Grossist AS") + phrase(300, "Datum: 03.12.2026")),
            (100, phrase(40, "Palette") + phrase(90, "Inhalt") + phrase(300, "Menge") + phrase(360, "Netto kg") + phrase(420, "Brutto kg")),
            (115, phrase(40, "1") + phrase(90, "Kugelhahn DN 25, Messing") + phrase(300, "600 Stk.") + phrase(365, "312,0") + phrase(425, "338,5")),
            (130, phrase(40, "2") + phrase(90, "Rückschlagventil DN 20") + phrase(300, "800 Stk.") + phrase(365, "184,0") + phrase(425, "208,0")),
            (145, phrase(40, "Summe: 2 Paletten (Europaletten, nicht tauschbar)") + phrase(300, "1.400 Stk.") + phrase(365, "496,0") + phrase(425, "546,5")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.packages == "2")
        #expect(d.grossWeight == "546.5")
    }

    /// A letterhead set in capitals (`PT ROTAN NUSANTARA ABADI`) that the page also writes as a name
    /// (over the signature) is the seller as written.
    @Test func aLetterheadInCapitalsTakesTheNameAsWritten() {
        let p = page([
            (30, phrase(150, "PT ROTAN NUSANTARA ABADI")),
            (45, phrase(150, "Jl. Raya Tegalsari No. 27, Cirebon, Indonesia")),
            (80, phrase(40, "COMMERCIAL INVOICE")),
            (100, phrase(40, "Description") + phrase(200, "Qty") + phrase(250, "Unit Price") + phrase(330, "Amount")),
            (115, phrase(40, "Rattan armchair") + phrase(205, "40") + phrase(255, "18.50") + phrase(330, "740.00")),
            (150, phrase(250, "TOTAL") + phrase(330, "740.00")),
            (200, phrase(330, "PT Rotan Nusantara Abadi")),
        ])
        #expect(Extractor().extract([p]).document.sellerName == "PT Rotan Nusantara Abadi")
    }

    /// A registration line under the letterhead (`MwSt.-Nr. IT 02418770215 · Tel. …`) above the addressee
    /// is no window envelope's return line: its first part is a number, not the sender's name.
    @Test func aRegistrationLineIsNoReturnLine() {
        let p = page([
            (30, phrase(40, "Holzwerkstatt Oberhofer KG")),
            (42, phrase(40, "Industriezone 14 · I-39031 Bruneck (BZ) · Italien")),
            (54, phrase(40, "MwSt.-Nr. IT 02418770215 · Tel. +39 0474 551 208")),
            (80, phrase(40, "Alpenchalet Interiors AG")),
            (92, phrase(40, "Bahnhofstrasse 41")),
            (104, phrase(40, "7270 Davos Platz")),
            (130, phrase(40, "Rechnung Nr. 2026/0871 vom 4. Dezember 2026")),
            (160, phrase(40, "Bezeichnung") + phrase(250, "Menge") + phrase(300, "Preis") + phrase(380, "Betrag")),
            (175, phrase(40, "Zirbenholzbett") + phrase(255, "8") + phrase(300, "1.240,00") + phrase(380, "9.920,00")),
            (200, phrase(300, "Summe") + phrase(380, "9.920,00")),
        ])
        #expect(Extractor().extract([p]).document.sellerName == "Holzwerkstatt Oberhofer KG")
    }
}

@Suite struct TwentyFirstRoundRuleTests {
    /// An SAP invoice: the price's quantity in a column of its own (`Preis | pro | Wert`, `1.890,00 | 100 ST`)
    /// makes the price a hundred pieces', `Wert` is the line's amount, and each position's customs line
    /// (`Warennummer 8484 20 00 · Ursprungsland IT`), set midway between two rows, is the row's above.
    @Test func pricesPerHundredAndCustomsLinesUnderEachPosition() {
        let p = page([
            (30, phrase(40, "Rhein-Neckar Pumpentechnik GmbH · Industriestraße 14 · 68169 Mannheim")),
            (60, phrase(40, "Rechnung")),
            (75, phrase(40, "Rechnungsnummer 90041873")),
            (110, phrase(40, "Pos.") + phrase(70, "Bezeichnung") + phrase(320, "Menge") + phrase(355, "ME") + phrase(390, "Preis") + phrase(440, "pro") + phrase(500, "Wert")),
            (125, phrase(40, "10") + phrase(70, "Kreiselpumpe KP 40, Grauguss") + phrase(325, "12") + phrase(355, "ST") + phrase(390, "845,00") + phrase(440, "1 ST") + phrase(500, "10.140,00")),
            (140, phrase(70, "Warennummer 8413 70 35 · Ursprungsland DE")),
            (155, phrase(40, "20") + phrase(70, "Gleitringdichtung 28 mm") + phrase(320, "250") + phrase(355, "ST") + phrase(385, "1.890,00") + phrase(440, "100 ST") + phrase(505, "4.725,00")),
            (170, phrase(70, "Warennummer 8484 20 00 · Ursprungsland IT")),
            (185, phrase(40, "30") + phrase(70, "Flanschschraube M16x60, verzinkt") + phrase(315, "1.000") + phrase(355, "ST") + phrase(395, "42,50") + phrase(440, "100 ST") + phrase(510, "425,00")),
            (200, phrase(70, "Warennummer 7318 15 88 · Ursprungsland DE")),
            (230, phrase(390, "Endbetrag EUR") + phrase(500, "15.290,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["845", "18.9", "0.425"])
        #expect(d.lines.map(\.lineTotal) == ["10140", "4725", "425"])
        #expect(d.lines.map(\.hsCode) == ["84137035", "84842000", "73181588"])
        #expect(d.lines.map(\.originCountry) == ["DE", "IT", "DE"])
        #expect(d.lines.map(\.description) == ["Kreiselpumpe KP 40, Grauguss", "Gleitringdichtung 28 mm", "Flanschschraube M16x60, verzinkt"])
    }

    /// A Mexican export invoice labels in Spanish and English (`Fecha / Date:`, `Peso neto / Net weight:`,
    /// `Bultos / Packages:`): the label the lexicon knows after the slash. `PZA` (pieza) counts pieces.
    @Test func bilingualLabelsAndPiezas() {
        let p = page([
            (30, phrase(40, "Cerámica Artesanal del Norte, S.A. de C.V.")),
            (60, phrase(330, "Folio / Invoice No.: CAN-EXP-2611")),
            (75, phrase(330, "Fecha / Date: 18/11/2026")),
            (110, phrase(40, "Qty") + phrase(80, "Unit") + phrase(120, "Description") + phrase(330, "Unit Price") + phrase(430, "Amount")),
            (125, phrase(45, "240") + phrase(80, "PZA") + phrase(120, "Talavera sink basin, oval, 43 cm") + phrase(335, "38.50") + phrase(430, "9,240.00")),
            (150, phrase(330, "Total USD") + phrase(430, "9,240.00")),
            (180, phrase(40, "Bultos / Packages: 14 · Peso neto / Net weight: 3,105.00 kg · Peso bruto / Gross weight: 3,480.00 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceDate == "2026-11-18")
        #expect(d.lines.map(\.unit) == ["PCE"])
        #expect(d.netWeight == "3105")
        #expect(d.grossWeight == "3480")
        #expect(d.packages == "14")
    }

    /// `Exportateur agréé n° EXP-SAVA-0087` is an authorisation's number, not the seller; nor is a legal
    /// form that opens a registration line (`SARL · Lot II M 45, …`) a name: the letterhead above is.
    /// A count of packages between dashes (`— 14 cartons sous vide —`) opens a statement.
    @Test func anApprovedExportersNumberIsNoSeller() {
        let p = page([
            (30, phrase(40, "Vanille de la SAVA") + phrase(400, "Exportateur agréé n° EXP-SAVA-0087")),
            (45, phrase(40, "SARL · Lot II M 45, Ampanefena · 206 Antalaha · Madagascar")),
            (80, phrase(40, "FACTURE COMMERCIALE N° VS-2026-118")),
            (110, phrase(40, "Désignation") + phrase(250, "Quantité") + phrase(320, "Prix") + phrase(430, "Montant €")),
            (125, phrase(40, "Vanille en poudre") + phrase(255, "12") + phrase(320, "310,00") + phrase(430, "3 720,00")),
            (150, phrase(320, "Total FOB") + phrase(430, "3 720,00 €")),
            (180, phrase(40, "Origine : Madagascar — 14 cartons sous vide — Poids brut total : 15,4 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Vanille de la SAVA")
        #expect(d.packages == "14")
    }

    /// A letter's window address with no label (`Sykkelhuset Bergen AS` over `t.a.v. inkoop`) is the
    /// addressee, not the letterhead, even set larger than the sender's small block above it.
    @Test func anAttentionLineMarksTheAddressee() {
        let rows: [(y: Double, words: [(x: Double, text: String)])] = [
            (30, phrase(40, "Fietsonderdelen Groothandel Twente B.V.")),
            (40, phrase(40, "Havenstraat 31")),
            (50, phrase(40, "7553 GV Hengelo")),
            (60, phrase(40, "KvK 60123456 · BTW NL8541.23.987.B01")),
            (100, phrase(40, "Sykkelhuset Bergen AS")),
            (112, phrase(40, "t.a.v. inkoop")),
            (124, phrase(40, "Strandgaten 18")),
            (136, phrase(40, "5013 Bergen")),
            (148, phrase(40, "Noorwegen")),
            (180, phrase(40, "Factuur")),
            (195, phrase(40, "Factuurnummer: 2026-10553")),
            (230, phrase(40, "Omschrijving") + phrase(250, "Aantal") + phrase(320, "Prijs") + phrase(430, "Totaal")),
            (245, phrase(40, "Fietscomputer draadloos") + phrase(255, "25") + phrase(320, "38,90") + phrase(430, "972,50")),
            (270, phrase(320, "Totaal") + phrase(430, "972,50")),
        ]
        // The sender's block is set smaller than the address (8 against 10 units high).
        var p = page(rows)
        p.words = p.words.map { w in
            w.box.y0 < 70 ? Word(text: w.text, box: DocumentExtraction.Box(x0: w.box.x0, y0: w.box.y0, x1: w.box.x1, y1: w.box.y0 + 8), confidence: w.confidence) : w
        }
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Fietsonderdelen Groothandel Twente B.V.")
        #expect(d.buyerName == "Sykkelhuset Bergen AS")
    }

    /// A title set with its letters spaced out (`P A C K I N G  L I S T`, read `PA C K I N G L I S T`) names
    /// the document's kind, and is no seller: the company above it is. Its total row's sums are then read.
    @Test func aLetterSpacedTitle() {
        let p = page([
            (30, phrase(100, "SAIGON PREMIER GARMENT JOINT STOCK COMPANY")),
            (45, phrase(60, "Lot C5, Tan Binh Industrial Park, Ho Chi Minh City, Vietnam")),
            (65, phrase(200, "PA C K I N G L I S T")),
            (90, phrase(40, "P/L No.: SPG-PL-2611-07")),
            (120, phrase(40, "DESCRIPTION") + phrase(250, "CTNS") + phrase(300, "TOTAL PCS") + phrase(370, "N.W. (KGS)") + phrase(440, "G.W. (KGS)")),
            (135, phrase(40, "Men's softshell jacket") + phrase(255, "25") + phrase(305, "600") + phrase(375, "390.00") + phrase(445, "437.50")),
            (150, phrase(40, "Women's fleece vest") + phrase(255, "15") + phrase(305, "360") + phrase(375, "144.00") + phrase(445, "171.00")),
            (170, phrase(180, "TOTAL:") + phrase(255, "40") + phrase(305, "960") + phrase(375, "534.00") + phrase(445, "608.50")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.sellerName == "SAIGON PREMIER GARMENT JOINT STOCK COMPANY")
        #expect(d.netWeight == "534")
        #expect(d.grossWeight == "608.5")
        #expect(d.total == nil)
    }

    /// A form's box number before its label (`2.` of `2. Consignee`) starts the label's block: a short
    /// first word under it (`Al Noor …`) is not cut off at the label's word.
    @Test func aBoxNumberStartsItsBlock() {
        let p = page([
            (30, phrase(40, "1. Consignor") + phrase(330, "CERTIFICATE OF ORIGIN")),
            (42, phrase(40, "Bradford Fine Looms Ltd")),
            (54, phrase(40, "Canal Road Mills")),
            (66, phrase(40, "Bradford BD2 1AR")),
            (90, phrase(40, "2. Consignee") + phrase(330, "3. Country of origin")),
            (102, phrase(40, "Al Noor Textiles Trading LLC") + phrase(330, "UNITED KINGDOM")),
            (114, phrase(40, "PO Box 18842")),
            (126, phrase(40, "Deira, Dubai")),
            (150, phrase(40, "5. Remarks: Invoice No. BFL-4471 dated 25 November 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Al Noor Textiles Trading LLC")
        #expect(d.sellerName == "Bradford Fine Looms Ltd")
    }
}

@Suite struct TwentySecondRoundRuleTests {
    /// A Canada customs invoice: its table's header is a row of numbered boxes whose explanations in
    /// parentheses name other columns (`packages`, `description`); each box names one column and spans
    /// to the next box, so that a price set right in its box is not taken for the total. The date of
    /// shipment is not the invoice's, which the references give (`Commercial invoice GLH-88213 of
    /// 2026-11-30`); the country of origin stands under its box's label, the invoice total at its box's foot.
    @Test func aCustomsInvoiceFormsNumberedBoxes() {
        let p = page([
            (20, phrase(200, "CANADA CUSTOMS INVOICE")),
            (40, phrase(20, "1. Vendor (name and address)") + phrase(300, "2. Date of direct shipment to Canada")),
            (52, phrase(20, "Great Lakes Hydraulics Inc.") + phrase(300, "2026-12-01")),
            (64, phrase(20, "2400 Niagara Street") + phrase(300, "3. Other references")),
            (76, phrase(20, "Buffalo, NY 14207") + phrase(300, "Commercial invoice GLH-88213 of 2026-11-30")),
            (100, phrase(20, "4. Consignee (name and address)") + phrase(300, "9. Conditions of sale and terms of payment")),
            (112, phrase(20, "Maple Ridge Equipment Ltd.") + phrase(300, "Sale, FCA Buffalo NY, net 30 days")),
            (124, phrase(20, "118 Industrial Parkway")),
            (150, phrase(20, "7. Country of origin of goods") + phrase(300, "10. Currency of settlement")),
            (162, phrase(20, "United States") + phrase(300, "USD")),
            (190, phrase(20, "11. Number of") + phrase(90, "12. Specification of commodities (packages, description)")
                + phrase(380, "13. Quantity") + phrase(450, "14. Unit price") + phrase(525, "15. Total")),
            (201, phrase(20, "packages")),
            (216, phrase(25, "4") + phrase(90, "Hydraulic cylinders, double acting") + phrase(400, "24 ea") + phrase(485, "412.50") + phrase(545, "9,900.00")),
            (231, phrase(90, "Gear pumps, cast iron") + phrase(400, "12 ea") + phrase(485, "286.00") + phrase(545, "3,432.00")),
            (260, phrase(20, "16. Total weight") + phrase(380, "17. Invoice total")),
            (272, phrase(20, "Net 1,184 kg") + phrase(100, "Total packages: 5") + phrase(540, "13,332.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Hydraulic cylinders, double acting", "Gear pumps, cast iron"])
        #expect(d.lines.map(\.unitPrice) == ["412.5", "286"])
        #expect(d.lines.map(\.lineTotal) == ["9900", "3432"])
        #expect(d.lines.map(\.packages) == ["4", nil])
        #expect(d.lines.map(\.unit) == ["EA", "EA"])
        #expect(d.lines.map(\.originCountry) == ["US", "US"])
        #expect(d.invoiceNumber == "GLH-88213")
        #expect(d.invoiceDate == "2026-11-30")
        #expect(d.incoterm == "FCA")
        #expect(d.total == "13332")
        #expect(d.packages == "5")
    }

    /// A courier's form dated only by its `DATE OF EXPORTATION`: that date is the document's.
    @Test func aDateOfSomethingElseWhenNothingElseDatesTheDocument() {
        let p = page([
            (30, phrase(40, "COMMERCIAL INVOICE")),
            (60, phrase(40, "DATE OF EXPORTATION")),
            (72, phrase(40, "10/19/2026")),
            (84, phrase(40, "INVOICE NO.")),
            (96, phrase(40, "COG-77104")),
            (130, phrase(40, "Description") + phrase(250, "Qty") + phrase(320, "Unit Price") + phrase(430, "Total")),
            (145, phrase(40, "Leather wallet") + phrase(255, "10") + phrase(320, "25.00") + phrase(430, "250.00")),
        ])
        #expect(Extractor().extract([p]).document.invoiceDate == "2026-10-19")
    }

    /// A Turkish packing list in English with comma decimals: fabric counted in `Metres` (the unit of
    /// every row), bales numbered in ranges (`1 - 8`), and a total row that opens with its count of bales.
    @Test func balesNumberedInRangesAndMetres() {
        let p = page([
            (30, phrase(40, "EGE DOKUMA SANAYI VE TICARET A.S.") + phrase(420, "PACKING LIST")),
            (45, phrase(420, "No: EGD-PL-26/118")),
            (80, phrase(40, "Messrs.") + phrase(300, "Delivery: CPT Tilburg")),
            (92, phrase(40, "Textielhuis Brabant B.V.")),
            (130, phrase(40, "Bale No.") + phrase(100, "Article") + phrase(300, "Metres") + phrase(370, "Net Wt. (kg)") + phrase(450, "Gross Wt. (kg)")),
            (145, phrase(45, "1 - 8") + phrase(100, "Cotton poplin 120 g/m²") + phrase(300, "4.800,00") + phrase(380, "576,00") + phrase(460, "592,00")),
            (160, phrase(45, "9 - 14") + phrase(100, "Cotton twill 240 g/m²") + phrase(300, "2.400,00") + phrase(380, "576,00") + phrase(460, "588,00")),
            (175, phrase(40, "14 BALES") + phrase(100, "TOTAL") + phrase(300, "7.200,00") + phrase(370, "1.152,00") + phrase(450, "1.180,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.map(\.quantity) == ["4800", "2400"])
        #expect(d.lines.map(\.unit) == ["MTR", "MTR"])
        #expect(d.lines.map(\.packages) == ["8", "6"])
        #expect(d.packages == "14")
        #expect(d.netWeight == "1152")
        #expect(d.grossWeight == "1180")
        #expect(d.incoterm == "CPT")
    }

    /// A French invoice of the old style: the seller's name in small capitals (a text layer splits each
    /// larger capital off: `S oieries B ellecour`), the buyer under `DOIT :` and set in from it, the packages
    /// in a sentence (`Expédition en 2 colis`).
    @Test func smallCapitalsDoitAndColisInASentence() {
        let rows: [(y: Double, words: [(x: Double, text: String)])] = [
            (80, phrase(40, "FACTURE N° 26-0417") + phrase(330, "DOIT :")),
            (95, phrase(350, "Maison Hélène Couture Ltd")),
            (107, phrase(350, "14 Savile Row")),
            (119, phrase(350, "London W1S 3PQ")),
            (150, phrase(40, "Désignation") + phrase(300, "Qté") + phrase(350, "P.U. H.T.") + phrase(450, "Montant H.T.")),
            (165, phrase(40, "Mousseline de soie, 140 cm") + phrase(300, "60 m") + phrase(360, "29,00") + phrase(455, "1 740,00")),
            (190, phrase(350, "NET À PAYER") + phrase(455, "1 740,00 €")),
            (215, phrase(40, "Conditions de livraison : DAP Londres · Expédition en 2 colis, poids brut 18,6 kg")),
        ]
        var p = page(rows)
        // The name's capitals 14 high over its small letters' 10, all but touching them.
        func letters(_ x: Double, _ capital: String, _ rest: String) -> [Word] {
            [Word(text: capital, box: DocumentExtraction.Box(x0: x, y0: 26, x1: x + 9, y1: 40), confidence: 1),
             Word(text: rest, box: DocumentExtraction.Box(x0: x + 9.5, y0: 30, x1: x + 9.5 + 5 * Double(rest.count), y1: 40), confidence: 1)]
        }
        p.words = letters(200, "S", "oieries") + letters(250, "B", "ellecour") + p.words
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Soieries Bellecour")
        #expect(d.buyerName == "Maison Hélène Couture Ltd")
        #expect(d.packages == "2")
        #expect(d.lines.map(\.unit) == ["MTR"])
    }

    /// A Dutch chamber's certificate of origin names each box in Dutch and English (`2 Geadresseerde /
    /// Consignee`): one heading, so the name under it is not cut where `Consignee` starts. The country is
    /// named in both languages, and the invoice is cited with its number and date (`d.d.`), which date the
    /// certificate rather than the chamber's signature line.
    @Test func aBilingualChamberCertificate() {
        let p = page([
            (30, phrase(40, "1 Afzender / Consignor") + phrase(330, "CERTIFICAAT VAN OORSPRONG")),
            (42, phrase(40, "Kaasmakerij De Graafstroom B.V.") + phrase(330, "CERTIFICATE OF ORIGIN")),
            (54, phrase(40, "Molenkade 4")),
            (80, phrase(40, "2 Geadresseerde / Consignee") + phrase(330, "3 Land van oorsprong / Country of origin")),
            (92, phrase(40, "Al-Waha Foodstuff Company") + phrase(330, "NEDERLAND / THE NETHERLANDS")),
            (104, phrase(40, "King Fahd Road, Riyadh")),
            (130, phrase(330, "5 Opmerkingen / Remarks")),
            (142, phrase(330, "Factuur / Invoice 2026-KG-0782 d.d. 28-11-2026")),
            (200, phrase(40, "Rotterdam, 1 december 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.buyerName == "Al-Waha Foodstuff Company")
        #expect(d.sellerName == "Kaasmakerij De Graafstroom B.V.")
        #expect(d.countryOfOrigin == "NL")
        #expect(d.invoiceNumber == "2026-KG-0782")
        #expect(d.invoiceDate == "2026-11-28")
    }

    /// A German ERP's document number (`Beleg-Nr.`) numbers the invoice; its date has a two-digit year.
    @Test func belegNummerAndATwoDigitYear() {
        let p = page([
            (30, phrase(40, "Brautechnik Oberland GmbH")),
            (80, phrase(330, "Beleg-Nr.") + phrase(400, "RE-26-04471")),
            (92, phrase(330, "Datum") + phrase(400, "03.12.26")),
            (120, phrase(40, "Rechnung")),
            (150, phrase(40, "Pos") + phrase(70, "Menge") + phrase(110, "ME") + phrase(140, "Bezeichnung") + phrase(380, "E-Preis") + phrase(450, "G-Preis")),
            (165, phrase(40, "1") + phrase(80, "25") + phrase(110, "m") + phrase(140, "Bierschlauch, lebensmittelecht") + phrase(385, "7,60") + phrase(455, "190,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "RE-26-04471")
        #expect(d.invoiceDate == "2026-12-03")
        #expect(d.lines.map(\.unit) == ["MTR"])
    }
}

@Suite struct TwentyThirdRoundRuleTests {
    static func table(at y: Double) -> [(y: Double, words: [(x: Double, text: String)])] {
        [(y, phrase(40, "Description") + phrase(300, "Quantity") + phrase(380, "Price") + phrase(460, "Amount")),
         (y + 15, phrase(40, "Cotton yarn Ne 40/1") + phrase(305, "4,500") + phrase(380, "5.85") + phrase(460, "26,325.00")),
         (y + 30, phrase(40, "Sewing thread Tex 27") + phrase(310, "800") + phrase(380, "12.75") + phrase(460, "10,200.00")),
         (y + 45, phrase(380, "TOTAL") + phrase(460, "36,525.00"))]
    }

    /// A Chilean exporter's title with its number in one run (`COMMERCIAL INVOICE  N° 00451-E`), and its
    /// packages counted by their kind (`Total cases: 600`).
    @Test func aTitleWithItsNumberAndPackagesNamedByTheirKind() {
        let p = page([
            (20, phrase(40, "Viña Cordillera Alta SpA") + phrase(400, "Santiago, December 2nd, 2026")),
            (50, phrase(40, "COMMERCIAL INVOICE  N° 00451-E")),
            (80, phrase(40, "Messrs.:")),
            (92, phrase(40, "Nordic Wine Partners AB")),
        ] + Self.table(at: 130) + [
            (210, phrase(40, "Net weight: 5,940.00 kg") + phrase(200, "Total cases: 600")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "00451-E")
        #expect(d.packages == "600")
        #expect(d.netWeight == "5940")
    }

    /// Statements on one line set apart by dashes (`Packing: 300 cartons — N.W. 7,500 kg — G.W. 8,130 kg`)
    /// are read apart, and a state's formal style that names its people first (`Arab Republic of Egypt`)
    /// names its country.
    @Test func statementsBetweenDashesAndAFormalStateName() {
        let p = page([
            (20, phrase(40, "DELTA NILE SPINNING CO.") + phrase(420, "INVOICE")),
            (50, phrase(40, "Bill to:") + phrase(400, "No.: EGT/2026/5512")),
            (62, phrase(40, "Filature Lombarda S.r.l.") + phrase(400, "Date: 3 Dec. 2026")),
        ] + Self.table(at: 100) + [
            (170, phrase(40, "Country of origin: Arab Republic of Egypt")),
            (185, phrase(40, "Packing: 300 cartons — N.W. 7,500 kg — G.W. 8,130 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.packages == "300")
        #expect(d.netWeight == "7500")
        #expect(d.grossWeight == "8130")
        #expect(d.lines.map(\.originCountry) == ["EG", "EG"])
    }

    /// The origin of every line said in a sentence after another (`… UStG. Ursprungsland aller Waren: Deutschland.`),
    /// and Quebec's `Vendu à :` naming the buyer.
    @Test func theOriginOfAllGoodsInASentenceAndVenduA() {
        let german = page([
            (20, phrase(40, "Müller Feinmechanik GmbH") + phrase(420, "RECHNUNG")),
            (50, phrase(400, "Rechnungs-Nr.: 2026-10417")),
            (100, phrase(40, "Bezeichnung") + phrase(300, "Menge") + phrase(380, "E-Preis") + phrase(460, "G-Preis")),
            (115, phrase(40, "Wundhaken nach Volkmann") + phrase(305, "150") + phrase(380, "14,80") + phrase(460, "2.220,00")),
            (130, phrase(40, "Knochenzange nach Luer") + phrase(310, "40") + phrase(380, "62,50") + phrase(460, "2.500,00")),
            (145, phrase(380, "Gesamt") + phrase(460, "4.720,00")),
            (170, phrase(40, "Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b UStG. Ursprungsland aller Waren: Deutschland.")),
        ])
        #expect(Extractor().extract([german]).document.lines.map(\.originCountry) == ["DE", "DE"])
        let quebec = page([
            (20, phrase(40, "Érablière du Rang Saint-Joseph inc.") + phrase(420, "FACTURE")),
            (35, phrase(400, "No de facture : QC-88412")),
            (60, phrase(40, "Vendu à :") + phrase(300, "Expédié à :")),
            (72, phrase(40, "Épicerie Fine Lutèce SARL") + phrase(300, "Épicerie Fine Lutèce SARL – entrepôt")),
            (84, phrase(40, "27, rue du Bac") + phrase(300, "4 allée Lavoisier")),
            (120, phrase(40, "Description") + phrase(300, "Qté") + phrase(380, "Prix unitaire") + phrase(460, "Montant")),
            (135, phrase(40, "Sirop d'érable ambré, 540 ml") + phrase(305, "480") + phrase(380, "8,75 $") + phrase(460, "4 200,00 $")),
            (150, phrase(380, "Total") + phrase(460, "4 200,00 $")),
        ])
        #expect(Extractor().extract([quebec]).document.buyerName == "Épicerie Fine Lutèce SARL")
    }
}

@Suite struct TwentyFourthRoundRuleTests {
    /// A Korean packing list: its number and date under a boxed label with the box's number before it
    /// (`⑧ No. & date of invoice` over `HB-EX-261204  DEC. 04, 2026`), and its cartons numbered in ranges
    /// under `C/T No.`.
    @Test func aBoxedNumberAndDateAndCartonRanges() {
        let p = page([
            (20, phrase(220, "PACKING LIST")),
            (50, phrase(40, "① Shipper/Exporter") + phrase(320, "⑧ No. & date of invoice")),
            (62, phrase(40, "HANBIT PRECISION CO., LTD.") + phrase(320, "HB-EX-261204  DEC. 04, 2026")),
            (90, phrase(40, "② For account & risk of Messrs.")),
            (102, phrase(40, "Baltic Bearings UAB")),
            (140, phrase(40, "C/T No.") + phrase(100, "Description of goods") + phrase(300, "Quantity") + phrase(380, "N/W (kg)") + phrase(450, "G/W (kg)")),
            (155, phrase(40, "1 - 20") + phrase(100, "Deep groove ball bearing") + phrase(300, "4,000 PCS") + phrase(385, "428.00") + phrase(455, "462.00")),
            (170, phrase(40, "21 - 32") + phrase(100, "Tapered roller bearing") + phrase(305, "960 PCS") + phrase(385, "604.80") + phrase(455, "631.20")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "HB-EX-261204")
        #expect(d.invoiceDate == "2026-12-04")
        #expect(d.lines.map(\.packages) == ["20", "12"])
    }

    /// A movement certificate's packages in words and figures with a French plural in `x`
    /// (`quatorze (14) rouleaux`).
    @Test func packagesInWordsAndFiguresWithAFrenchPlural() {
        let p = page([
            (20, phrase(100, "CERTIFICAT DE CIRCULATION DES MARCHANDISES")),
            (50, phrase(40, "1. Exportateur (nom, adresse complète, pays)") + phrase(330, "EUR-MED")),
            (62, phrase(40, "Tissages de la Vallée de la Lys SAS")),
            (200, phrase(40, "8. Numéro d'ordre ; marques, numéros, nombre et nature des colis") + phrase(400, "9. Masse brute (kg)")),
            (215, phrase(40, "1  CL/PREVERENGES 1-14  quatorze (14) rouleaux") + phrase(400, "1 246 kg")),
        ])
        #expect(Extractor().extract([p]).document.packages == "14")
    }
}

@Suite struct TwentyFifthRoundRuleTests {
    /// A Belgian invoice's table with every header in two languages (`Aantal / Quantité`): one column
    /// each, not a second quantity and amount beside the first.
    @Test func headersInTwoLanguagesAcrossASlash() {
        let p = page([
            (20, phrase(40, "Chocolaterie Van Damme NV") + phrase(400, "FACTUUR / FACTURE")),
            (50, phrase(40, "Factuurnr. / N° de facture :") + phrase(220, "2026/1184")),
            (100, phrase(40, "Omschrijving / Désignation") + phrase(250, "Aantal / Quantité") + phrase(360, "Eenheidsprijs / Prix unitaire") + phrase(500, "Totaal / Total")),
            (115, phrase(40, "Pralines assortiment, doos 250 g") + phrase(320, "600") + phrase(470, "7,40") + phrase(530, "4.440,00")),
            (130, phrase(40, "Truffels naturel, doos 500 g") + phrase(320, "180") + phrase(465, "12,90") + phrase(530, "2.322,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["600", "180"])
        #expect(d.lines.map(\.lineTotal) == ["4440", "2322"])
    }

    /// A Brazilian invoice in two languages: the number under a bare bilingual label with its value in the
    /// next cell (`Nº / No.:`), the importer's block under `Importador / Importer:`, Mercosur's `NCM`
    /// column as the HS code, goods by the bag, and the origin in two languages in the next cell
    /// (`País de origem / Country of origin:   Brasil / Brazil`).
    @Test func aBilingualBrazilianInvoice() {
        let p = page([
            (20, phrase(40, "Cooperativa Agrícola Serra Verde Ltda.") + phrase(420, "COMMERCIAL INVOICE")),
            (50, phrase(40, "Importador / Importer:") + phrase(300, "Nº / No.:") + phrase(450, "SV-EXP-0789/26")),
            (62, phrase(40, "Nordic Roast AB") + phrase(300, "País de origem / Country of origin:") + phrase(450, "Brasil / Brazil")),
            (74, phrase(40, "Stigbergsliden 9")),
            (120, phrase(40, "NCM") + phrase(100, "Description") + phrase(300, "Qty") + phrase(340, "Unit") + phrase(400, "Unit price") + phrase(500, "Total")),
            (135, phrase(40, "0901.11.10") + phrase(100, "Green coffee arabica") + phrase(305, "320") + phrase(340, "BAGS") + phrase(400, "248.40") + phrase(500, "79,488.00")),
            (150, phrase(40, "0901.21.00") + phrase(100, "Roasted coffee beans") + phrase(300, "1,200") + phrase(345, "KG") + phrase(410, "9.85") + phrase(500, "11,820.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "SV-EXP-0789/26")
        #expect(d.buyerName == "Nordic Roast AB")
        #expect(d.lines.map(\.hsCode) == ["09011110", "09012100"])
        #expect(d.lines.map(\.unit) == ["BG", "KGM"])
        #expect(d.lines.map(\.originCountry) == ["BR", "BR"])
    }

    /// An Italian exporter's English: the number and date in the title's sentence (`INVOICE n. 1147/26 of
    /// 26/11/2026`), the Incoterm written out (`Ex Works Prato`), and weights with the unit before the
    /// figure between bullets (`Net weight kg 361,3 · Gross weight kg 398,0`).
    @Test func anItalianExportersEnglish() {
        let p = page([
            (20, phrase(40, "LANIFICIO BERTOLINI S.p.A.")),
            (50, phrase(40, "INVOICE n. 1147/26 of 26/11/2026") + phrase(330, "Messrs.:")),
            (62, phrase(330, "Tailor & Cloth Co. Ltd")),
            (90, phrase(40, "Terms of delivery:") + phrase(160, "Ex Works Prato")),
            (120, phrase(40, "Description") + phrase(300, "Q.ty") + phrase(400, "Unit price") + phrase(500, "Amount")),
            (135, phrase(40, "Wool flannel, 100% wool") + phrase(300, "420,00") + phrase(410, "18,40") + phrase(500, "7.728,00")),
            (150, phrase(40, "Tweed jacketing, herringbone") + phrase(300, "180,00") + phrase(410, "22,75") + phrase(500, "4.095,00")),
            (180, phrase(40, "Goods of Italian origin. Packages: 9 rolls · Net weight kg 361,3 · Gross weight kg 398,0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "1147/26")
        #expect(d.invoiceDate == "2026-11-26")
        #expect(d.incoterm == "EXW")
        #expect(d.netWeight == "361.3")
        #expect(d.grossWeight == "398")
    }

    /// A German invoice with its quantity first and the article number beside the description
    /// (`Menge | ME | Artikel-Nr. | Bezeichnung`), a set counted as `Satz`.
    @Test func quantityFirstAndAnArticleNumberColumn() {
        let p = page([
            (20, phrase(40, "Schäfer Messtechnik GmbH & Co. KG") + phrase(420, "RECHNUNG")),
            (50, phrase(350, "Rechnungs-Nr.:") + phrase(440, "2611-0347")),
            (100, phrase(40, "Pos.") + phrase(70, "Menge") + phrase(110, "ME") + phrase(140, "Artikel-Nr.") + phrase(200, "Bezeichnung") + phrase(420, "Einzelpreis") + phrase(500, "Gesamtpreis")),
            (115, phrase(40, "1") + phrase(80, "12") + phrase(110, "Stk") + phrase(140, "MS-150") + phrase(200, "Bügelmessschraube 0–25 mm") + phrase(425, "184,50") + phrase(505, "2.214,00")),
            (130, phrase(40, "2") + phrase(85, "6") + phrase(110, "Satz") + phrase(140, "EM-08") + phrase(200, "Endmaßsatz 47-teilig") + phrase(425, "612,00") + phrase(505, "3.672,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Bügelmessschraube 0–25 mm", "Endmaßsatz 47-teilig"])
        #expect(d.lines.map(\.unit) == ["PCE", "SET"])
    }
}

@Suite struct TwentySixthRoundRuleTests {
    /// Lines grouped under headings, each group closed by its subtotal (`Camping` … `Subtotal Camping`): the
    /// table goes on past a group's subtotal, and a heading is no line's description.
    @Test func linesGroupedUnderHeadingsWithSubtotals() {
        let p = page([
            (20, phrase(40, "Harbour Outdoor Supply Pty Ltd")),
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (60, phrase(40, "Invoice No:") + phrase(120, "HOS-INV-7731")),
            (100, phrase(40, "Description") + phrase(300, "Qty") + phrase(380, "Unit Price") + phrase(480, "Amount")),
            (115, phrase(40, "Camping")),
            (128, phrase(40, "Ultralight tent, 2 person") + phrase(305, "20") + phrase(385, "289.00") + phrase(480, "5,780.00")),
            (141, phrase(40, "Sleeping mat, self-inflating") + phrase(305, "40") + phrase(390, "74.50") + phrase(480, "2,980.00")),
            (154, phrase(330, "Subtotal Camping") + phrase(480, "8,760.00")),
            (169, phrase(40, "Apparel")),
            (182, phrase(40, "Rain jacket, men's, woven") + phrase(305, "25") + phrase(385, "132.00") + phrase(480, "3,300.00")),
            (195, phrase(330, "Subtotal Apparel") + phrase(480, "3,300.00")),
            (225, phrase(380, "Goods total") + phrase(480, "12,060.00")),
            (240, phrase(380, "TOTAL") + phrase(480, "12,060.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Ultralight tent, 2 person", "Sleeping mat, self-inflating", "Rain jacket, men's, woven"])
        #expect(d.lines.map(\.lineTotal) == ["5780", "2980", "3300"])
        #expect(d.total == "12060")
    }

    /// An accounting package's invoice: `ACTIVITY | QTY | RATE | AMOUNT`, the goods' origin said once
    /// (`All goods made in the USA.`) and the Incoterm in a sentence on shipping (`Shipped DAP Montréal`).
    @Test func anAccountingPackagesInvoice() {
        let p = page([
            (20, phrase(40, "Pinecrest Woodworks LLC") + phrase(450, "INVOICE")),
            (50, phrase(400, "INVOICE #") + phrase(460, "1042")),
            (100, phrase(40, "ACTIVITY") + phrase(320, "QTY") + phrase(400, "RATE") + phrase(480, "AMOUNT")),
            (115, phrase(40, "Walnut cutting board, end grain") + phrase(325, "24") + phrase(400, "68.00") + phrase(480, "1,632.00")),
            (130, phrase(40, "Maple salad bowl, 12 in") + phrase(325, "30") + phrase(400, "59.50") + phrase(480, "1,785.00")),
            (160, phrase(400, "TOTAL") + phrase(480, "3,417.00")),
            (190, phrase(40, "All goods made in the USA. Shipped DAP Montréal, duties and taxes for the buyer's account.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["24", "30"])
        #expect(d.lines.map(\.originCountry) == ["US", "US"])
        #expect(d.incoterm == "DAP")
    }

    /// A Dutch packing list counting boxes and pieces side by side (`Aantal dozen | Aantal stuks`) beside
    /// the pallet each line stands on.
    @Test func boxesAndPiecesCountedSideBySide() {
        let p = page([
            (20, phrase(40, "Veluwe Verpakkingen B.V.") + phrase(450, "PAKLIJST")),
            (100, phrase(40, "Pallet") + phrase(80, "Omschrijving") + phrase(280, "Aantal dozen") + phrase(350, "Aantal stuks") + phrase(420, "Netto kg") + phrase(490, "Bruto kg")),
            (115, phrase(45, "1") + phrase(80, "Golfkartonnen doos 400x300x300 mm") + phrase(300, "40") + phrase(365, "2.000") + phrase(425, "420,0") + phrase(495, "445,0")),
            (130, phrase(45, "2") + phrase(80, "Verzendkoker 80 mm") + phrase(300, "25") + phrase(365, "1.500") + phrase(425, "187,5") + phrase(495, "212,5")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.packages) == ["40", "25"])
        #expect(d.lines.map(\.quantity) == ["2000", "1500"])
    }

    /// A proforma for customs only: a value by the piece and in all (`Wert je Stück EUR | Gesamtwert EUR`),
    /// the value for customs as its total, and its one parcel counted before its word (`1 Paket`).
    @Test func aProformaForCustomsOnly() {
        let p = page([
            (20, phrase(200, "PROFORMA-RECHNUNG")),
            (50, phrase(40, "Proforma-Nr.:") + phrase(120, "PF-2026-083")),
            (100, phrase(40, "Anzahl") + phrase(90, "Warenbeschreibung") + phrase(330, "Wert je Stück EUR") + phrase(460, "Gesamtwert EUR")),
            (115, phrase(45, "4") + phrase(90, "Vase aus mundgeblasenem Glas") + phrase(350, "85,00") + phrase(480, "340,00")),
            (130, phrase(45, "6") + phrase(90, "Weinglas, handgefertigt") + phrase(350, "32,50") + phrase(480, "195,00")),
            (150, phrase(330, "Wert für Zollzwecke EUR") + phrase(480, "535,00")),
            (175, phrase(40, "1 Paket · Bruttogewicht 9,8 kg · Nettogewicht 6,1 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["85", "32.5"])
        #expect(d.lines.map(\.lineTotal) == ["340", "195"])
        #expect(d.total == "535")
        #expect(d.packages == "1")
    }
}

@Suite struct TwentySeventhRoundRuleTests {
    /// A collective invoice: its lines grouped by the delivery note they came with (`Lieferschein Nr. 80412
    /// vom 06.11.2026`), no line's description; the customer's number is no customer (`Kunde: 10233`);
    /// timber by the cubic metre (`m³`).
    @Test func aCollectiveInvoiceByDeliveryNote() {
        let p = page([
            (20, phrase(40, "Holzbau Allgäu Brenner GmbH")),
            (50, phrase(40, "Chalet Bois Savoie SARL") + phrase(350, "Rechnung Nr.:") + phrase(440, "SR-2026-1190")),
            (62, phrase(40, "ZA des Glaisins") + phrase(350, "Kunde:") + phrase(440, "10233")),
            (100, phrase(40, "Pos.") + phrase(70, "Bezeichnung") + phrase(300, "Menge") + phrase(350, "Einheit") + phrase(410, "Preis") + phrase(490, "Betrag EUR")),
            (115, phrase(70, "Lieferschein Nr. 80412 vom 06.11.2026")),
            (128, phrase(40, "1") + phrase(70, "Brettschichtholz Fichte 120 x 240 mm") + phrase(305, "8,64") + phrase(355, "m³") + phrase(410, "685,00") + phrase(490, "5.918,40")),
            (143, phrase(70, "Lieferschein Nr. 80497 vom 19.11.2026")),
            (156, phrase(40, "2") + phrase(70, "Holzfaserdämmplatte 100 mm") + phrase(305, "96,00") + phrase(355, "m²") + phrase(415, "21,40") + phrase(490, "2.054,40")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Brettschichtholz Fichte 120 x 240 mm", "Holzfaserdämmplatte 100 mm"])
        #expect(d.lines.map(\.unit) == ["MTQ", "MTK"])
        #expect(d.buyerName != "10233")
    }

    /// A French chamber's certificate of origin: the country under its union (`UNION EUROPÉENNE — FRANCE`),
    /// and the packages and gross weight in the goods' column beside the marks (`36 (trente-six) cartons`,
    /// `1 026 kg brut`).
    @Test func aChambersCertificateOfOriginInBoxes() {
        let p = page([
            (20, phrase(40, "1. Expéditeur") + phrase(320, "CERTIFICAT D'ORIGINE")),
            (32, phrase(40, "Savonnerie Marius Fabre Provence SAS")),
            (80, phrase(40, "2. Destinataire")),
            (92, phrase(40, "Lavender Lane Trading Co.")),
            (140, phrase(320, "3. Pays d'origine")),
            (152, phrase(320, "UNION EUROPÉENNE — FRANCE")),
            (200, phrase(40, "5. Numéro d'ordre ; marques, numéros, nombre et nature des colis ; désignation des marchandises")),
            (215, phrase(40, "LLT / TOKYO") + phrase(150, "36 (trente-six) cartons de savons de Marseille") + phrase(480, "1 026 kg brut")),
            (227, phrase(40, "1-36") + phrase(150, "huile d'olive, en cubes de 300 g")),
            (300, phrase(40, "7. Visa de l'autorité habilitée")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.countryOfOrigin == "FR")
        #expect(d.packages == "36")
        #expect(d.grossWeight == "1026")
    }

    /// A bulk exporter's `PACKING & WEIGHT LIST` is a packing list, its bags counted under `No. of Bags`.
    @Test func aPackingAndWeightListCountingBags() {
        let p = page([
            (20, phrase(200, "SIAM GOLDEN GRAIN CO., LTD.")),
            (45, phrase(220, "PACKING & WEIGHT LIST")),
            (100, phrase(40, "Description of Goods") + phrase(250, "No. of Bags") + phrase(330, "Quantity (KGS)") + phrase(420, "Net Weight (KGS)") + phrase(500, "Gross Weight (KGS)")),
            (115, phrase(40, "Thai Hom Mali jasmine rice") + phrase(265, "480") + phrase(340, "12,000") + phrase(430, "12,000.00") + phrase(510, "12,067.20")),
            (130, phrase(40, "Thai white rice 5% broken") + phrase(265, "320") + phrase(345, "8,000") + phrase(435, "8,000.00") + phrase(515, "8,044.80")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.map(\.packages) == ["480", "320"])
    }
}

@Suite struct TwentyEighthRoundRuleTests {
    /// An e-invoice's printed view in the standard's terms (`Item name | Quantity | Unit code | Net price |
    /// Line net amount`), pieces by Rec 20's code (`H87`), the origin of all items said once.
    @Test func anEInvoicesPrintedView() {
        let p = page([
            (20, phrase(40, "Commercial invoice")),
            (50, phrase(40, "Invoice number") + phrase(150, "NLF-2026-004471")),
            (100, phrase(40, "Line ID") + phrase(90, "Item name") + phrase(300, "Quantity") + phrase(360, "Unit code") + phrase(420, "Net price") + phrase(480, "Line net amount")),
            (115, phrase(45, "1") + phrase(90, "Pendant lamp, brushed brass") + phrase(315, "40") + phrase(370, "H87") + phrase(425, "89.50") + phrase(500, "3580.00")),
            (130, phrase(45, "2") + phrase(90, "Lamp cable, textile covered") + phrase(310, "250") + phrase(370, "MTR") + phrase(430, "1.85") + phrase(505, "462.50")),
            (160, phrase(40, "Country of origin of all items: NL")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Pendant lamp, brushed brass", "Lamp cable, textile covered"])
        #expect(d.lines.map(\.unit) == ["PCE", "MTR"])
        #expect(d.lines.map(\.originCountry) == ["NL", "NL"])
    }

    /// A route's port under `FROM:` (`FROM:  NINGBO, CHINA` over `TO:  HAMBURG, GERMANY`) is no seller:
    /// the letterhead is.
    @Test func aRoutesPortIsNoSeller() {
        let p = page([
            (20, phrase(150, "NINGBO HAISHENG HOUSEWARE CO., LTD.")),
            (32, phrase(120, "No. 188 Jinhui Road, Ningbo, Zhejiang 315100, China")),
            (55, phrase(250, "INVOICE")),
            (80, phrase(40, "TO:") + phrase(100, "KÜCHENWELT HANDELS GMBH") + phrase(330, "INV. NO.:") + phrase(420, "HS26-1127A")),
            (92, phrase(100, "Industriestraße 12, 33334 Gütersloh, Germany")),
            (104, phrase(40, "FROM:") + phrase(100, "NINGBO, CHINA")),
            (116, phrase(40, "TO:") + phrase(100, "HAMBURG, GERMANY")),
        ])
        #expect(Extractor().extract([p]).document.sellerName == "NINGBO HAISHENG HOUSEWARE CO., LTD.")
    }

    /// A movement certificate whose boxes 8, 9 and 10 print their labels on one line: the gross mass is the
    /// weight alone in the box's lines (`4 350 kg`), the invoice the number with its date under it
    /// (`FDE-26-0642` over `van 02.12.2026`).
    @Test func aMovementCertificatesBoxesOnOneLine() {
        let p = page([
            (20, phrase(40, "1. Exporteur (naam, volledig adres, land)") + phrase(330, "EUR.1")),
            (32, phrase(40, "Friesland Dairy Equipment B.V.")),
            (70, phrase(330, "2. Certificaat gebruikt in het preferentiële handelsverkeer tussen")),
            (82, phrase(330, "de Europese Unie")),
            (94, phrase(330, "en")),
            (106, phrase(330, "Zwitserland")),
            (183, phrase(55, "8. Volgnummer; merken, nummers, aantal en soort der colli") + phrase(300, "9. Brutomassa (kg)") + phrase(378, "10. Facturen (facultatief)")),
            (195, phrase(58, "1. AMT / THUN 1-8 — acht (8) pallets melkkoeltanks") + phrase(367, "4 350 kg") + phrase(432, "FDE-26-0642")),
            (202, phrase(432, "van 02.12.2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.grossWeight == "4350")
        #expect(d.invoiceNumber == "FDE-26-0642")
    }
}

@Suite struct TwentyNinthRoundRuleTests {
    /// The buyer named as the party to notify too (`Buyer / Notify Party`) is the buyer's label, whole.
    @Test func aBuyerWhoIsAlsoTheNotifyParty() {
        let p = page([
            (20, phrase(40, "AL-NOOR TEXTILE MILLS (PVT) LTD.")),
            (45, phrase(220, "COMMERCIAL INVOICE")),
            (70, phrase(40, "Buyer / Notify Party") + phrase(320, "Invoice No.:") + phrase(400, "ANT/EXP/26/311")),
            (82, phrase(40, "Nordbad Heimtextil GmbH")),
            (94, phrase(40, "Am Speicher 5, 28217 Bremen, Germany")),
        ])
        #expect(Extractor().extract([p]).document.buyerName == "Nordbad Heimtextil GmbH")
    }

    /// A number printed under the title, aligned with it (`Factuur` over `2026-F-0877`), with no label;
    /// the origin under `Herkomst:`; oysters by the box (`doos`).
    @Test func aNumberUnderTheTitleAndHerkomst() {
        let p = page([
            (20, phrase(40, "Groothandel Zeeuws Licht v.o.f.") + phrase(480, "Factuur")),
            (32, phrase(40, "Havenweg 3, 4401 NZ Yerseke") + phrase(465, "2026-F-0877")),
            (100, phrase(40, "Omschrijving") + phrase(300, "Aantal") + phrase(350, "Eenheid") + phrase(410, "Prijs excl.") + phrase(490, "Totaal excl.")),
            (115, phrase(40, "Zeeuwse mosselen, levend") + phrase(305, "1.500") + phrase(350, "kg") + phrase(420, "3,20") + phrase(495, "4.800,00")),
            (130, phrase(40, "Oesters Creuses, nr. 2") + phrase(315, "60") + phrase(350, "doos") + phrase(415, "42,50") + phrase(495, "2.550,00")),
            (160, phrase(40, "Herkomst: Nederland. Koelvervoer +2 °C.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "2026-F-0877")
        #expect(d.lines.map(\.unit) == ["KGM", "BX"])
        #expect(d.lines.map(\.originCountry) == ["NL", "NL"])
    }
}

@Suite struct ThirtiethRoundRuleTests {
    /// A shop's count printed with its item (`2 x Aran wool sweater`) under `Items`, with no quantity
    /// column: the count, when it times the price is the line's total; the number in a column of labels
    /// beside the title's word (`Invoice   ICK-10582` over `Date   30 November 2026`); the delivery terms
    /// under `Shipping`; the origin by its adjective.
    @Test func aShopsCountWithItsItem() {
        let p = page([
            (20, phrase(40, "Inis Craft Knitwear Ltd")),
            (32, phrase(40, "Unit 4, Kilronan Enterprise Centre, Inis Mór, Co. Galway, Ireland")),
            (60, phrase(40, "INVOICE")),
            (75, phrase(40, "Invoice") + phrase(130, "ICK-10582")),
            (87, phrase(40, "Date") + phrase(130, "30 November 2026")),
            (110, phrase(40, "Bill to") + phrase(300, "Shipping")),
            (122, phrase(40, "Harbour Lane Goods Inc.") + phrase(300, "DAP Portland via An Post EMS")),
            (134, phrase(40, "220 Water Street, Portland, ME 04101, USA")),
            (170, phrase(40, "Items") + phrase(400, "Price each") + phrase(500, "Total")),
            (185, phrase(40, "2 x Aran wool sweater, cream") + phrase(410, "€89.00") + phrase(500, "€178.00")),
            (200, phrase(40, "Merino wool scarf × 3") + phrase(410, "€34.50") + phrase(500, "€103.50")),
            (215, phrase(40, "4 x 250 ml jars of heather honey") + phrase(410, "€9.00") + phrase(500, "€9.00")),
            (240, phrase(400, "Total") + phrase(500, "€290.50")),
            (270, phrase(40, "All goods are of Irish origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "ICK-10582")
        #expect(d.incoterm == "DAP")
        #expect(d.lines.map(\.quantity).prefix(2) == ["2", "3"])
        #expect(d.lines[2].quantity != "4")
        #expect(d.lines.map(\.description) == ["Aran wool sweater, cream", "Merino wool scarf", "4 x 250 ml jars of heather honey"])
        #expect(d.lines.map(\.originCountry) == ["IE", "IE", "IE"])
    }

    /// `Item` and `Description` close together read as one phrase, over a column of line numbers
    /// apart from the goods: the number is no part of the description. Kilograms by the header's `Net kg`;
    /// packages counted with a word between the count and its kind (`96 polystyrene boxes`).
    @Test func aLineNumberUnderItemBesideTheDescription() {
        let p = page([
            (20, phrase(40, "NORDFJORD SJØMAT AS") + phrase(400, "INVOICE / FAKTURA")),
            (32, phrase(400, "Invoice no.: NS-2026-4471")),
            (100, phrase(40, "Item") + phrase(66, "Description") + phrase(300, "Net kg") + phrase(380, "Price/kg") + phrase(480, "Amount NOK")),
            (115, phrase(40, "1") + phrase(66, "Fresh cod loins, skinless") + phrase(300, "96,0") + phrase(380, "129,00") + phrase(480, "12 384,00")),
            (130, phrase(40, "2") + phrase(66, "Fresh haddock fillets") + phrase(300, "40,0") + phrase(380, "110,00") + phrase(480, "4 400,00")),
            (160, phrase(40, "Packing: 14 polystyrene boxes · Net weight 136 kg")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Fresh cod loins, skinless", "Fresh haddock fillets"])
        #expect(d.lines.map(\.unit) == ["KGM", "KGM"])
        #expect(d.packages == "14")
    }

    /// `Item Description` as one header over a description that starts at its left edge is one column.
    @Test func itemDescriptionAsOneHeader() {
        let p = page([
            (20, phrase(40, "Example Exports Ltd") + phrase(400, "INVOICE")),
            (100, phrase(40, "Item Description") + phrase(300, "Qty") + phrase(380, "Unit Price") + phrase(480, "Amount")),
            (115, phrase(40, "12 Steel hex bolts M8") + phrase(300, "10") + phrase(380, "2.00") + phrase(480, "20.00")),
            (130, phrase(40, "3 way valves, brass") + phrase(300, "5") + phrase(380, "4.00") + phrase(480, "20.00")),
        ])
        #expect(Extractor().extract([p]).document.lines.map(\.description) == ["12 Steel hex bolts M8", "3 way valves, brass"])
    }

    /// `FACTURE PROFORMA N° …`: the title with `proforma` after its noun, then the number.
    @Test func aFrenchProformaTitleWithItsNumber() {
        let p = page([
            (20, phrase(40, "ATELIER CÉRAMIQUE DU LUBERON SARL")),
            (50, phrase(200, "FACTURE PROFORMA N° PF-2026-118")),
        ])
        #expect(Extractor().extract([p]).document.invoiceNumber == "PF-2026-118")
    }

    /// A packing list's goods named by `Style / Colour`, sizes between it and the counts.
    @Test func styleAndColourNameTheGoods() {
        let p = page([
            (20, phrase(40, "DHAKA APPAREL SOURCING LTD.")),
            (40, phrase(200, "PACKING LIST")),
            (100, phrase(40, "Carton No.") + phrase(100, "Style / Colour") + phrase(300, "Pcs/Ctn") + phrase(350, "Ctns") + phrase(400, "Total Pcs") + phrase(460, "N.W. (kg)") + phrase(520, "G.W. (kg)")),
            (115, phrase(40, "1-40") + phrase(100, "Style BT-501 polo shirt, navy") + phrase(300, "24") + phrase(355, "40") + phrase(405, "960") + phrase(460, "264.0") + phrase(520, "296.0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Style BT-501 polo shirt, navy"])
        #expect(d.lines.map(\.quantity) == ["960"])
        #expect(d.lines.map(\.packages) == ["40"])
    }

    /// A GSP certificate of origin (Form A): the parties in boxes 1 and 2, the gross weight in box 9,
    /// and the scheme of the country the goods are exported to, named in the exporter's declaration.
    @Test func aGSPFormA() {
        let p = page([
            (20, phrase(500, "ORIGINAL")),
            (40, phrase(40, "1. Goods consigned from (Exporter's business name)") + phrase(330, "Reference No. IN/2026/KRR/004512")),
            (52, phrase(40, "SURYA HANDLOOM EXPORTS") + phrase(350, "GENERALIZED SYSTEM OF PREFERENCES")),
            (64, phrase(40, "45 Textile Market Road, Karur, India") + phrase(370, "CERTIFICATE OF ORIGIN")),
            (80, phrase(40, "2. Goods consigned to (Consignee's name, address)") + phrase(400, "FORM A")),
            (92, phrase(40, "Nihon Home Linen K.K.")),
            (104, phrase(40, "3-8-1 Nihonbashi, Chuo-ku, Tokyo, Japan")),
            (140, phrase(40, "5. Item") + phrase(90, "6. Marks") + phrase(180, "7. Number and kind of packages") + phrase(360, "8. Origin") + phrase(410, "9. Gross weight") + phrase(490, "10. Number and date")),
            (152, phrase(180, "description of goods") + phrase(410, "or other quantity") + phrase(490, "of invoices")),
            (166, phrase(40, "1") + phrase(90, "NHL/1-180") + phrase(180, "180 cartons of cotton towels") + phrase(360, "\"P\"") + phrase(410, "3,240 kg") + phrase(490, "SHE/26/0387")),
            (178, phrase(490, "dt. 24.11.2026")),
            (220, phrase(300, "12. Declaration by the exporter")),
            (232, phrase(300, "that all the goods were produced in")),
            (244, phrase(300, "INDIA (country)")),
            (256, phrase(300, "generalized system of preferences for goods exported to")),
            (268, phrase(300, "JAPAN (importing country)")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.sellerName == "SURYA HANDLOOM EXPORTS")
        #expect(d.buyerName == "Nihon Home Linen K.K.")
        #expect(d.grossWeight == "3240")
        #expect(d.originStatement?.origin == "IN")
        #expect(d.originStatement?.agreement == "JP GSP")
    }
}

@Suite struct ThirtyFirstRoundRuleTests {
    /// Rows that open with their count of packages (`12 cartons | Savon …`) are rows, not totals: the
    /// kind after the count is no total's label. The total row under them still ends the table.
    @Test func rowsThatOpenWithTheirCountOfPackages() {
        let p = page([
            (20, phrase(40, "SAVONNERIE DE PROVENCE SAS")),
            (40, phrase(150, "LISTE DE COLISAGE / PACKING LIST")),
            (100, phrase(40, "Colis / Packages") + phrase(140, "Désignation / Description") + phrase(320, "Quantité") + phrase(400, "Poids net (kg)") + phrase(480, "Poids brut (kg)")),
            (115, phrase(40, "12 cartons") + phrase(140, "Savon de Marseille, cube 300 g") + phrase(325, "1 440") + phrase(410, "432,0") + phrase(490, "468,0")),
            (130, phrase(40, "8 cartons") + phrase(140, "Savon liquide lavande") + phrase(330, "480") + phrase(410, "252,0") + phrase(490, "276,8")),
            (145, phrase(40, "20 cartons") + phrase(140, "Total") + phrase(325, "1 920") + phrase(410, "684,0") + phrase(490, "744,8")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.packages) == ["12", "8"])
        #expect(d.lines.map(\.quantity) == ["1440", "480"])
        #expect(d.grossWeight == "744.8")
    }

    /// `net 21.450 kg,`: a bare `net` with its unit, a comma after it, in a sentence.
    @Test func aBareNetWeightWithACommaAfterItsUnit() {
        let p = page([
            (20, phrase(40, "EGE SERAMIK A.S.") + phrase(400, "EXPORT INVOICE")),
            (200, phrase(40, "Country of origin: Türkiye. 22 pallets, net 21.450 kg, gross 22.310 kg.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.netWeight == "21450")
        #expect(d.grossWeight == "22310")
    }

    /// A UK exporter's statement on origin to a buyer in Japan is made under the UK–Japan agreement,
    /// not the EU–UK one.
    @Test func aUKStatementOnOriginToJapan() {
        let p = page([
            (20, phrase(40, "Highland Tweed Weavers Ltd")),
            (32, phrase(40, "Mill Lane, Hawick TD9 7AA, United Kingdom")),
            (60, phrase(200, "STATEMENT ON ORIGIN")),
            (90, phrase(40, "Consignee: Ginza Tailoring Co., Ltd., 5-2-1 Ginza, Chuo-ku, Tokyo 104-0061, Japan")),
            (120, phrase(40, "The exporter of the products covered by this document (Exporter Reference No GB284117365000) declares that,")),
            (132, phrase(40, "except where otherwise clearly indicated, these products are of United Kingdom preferential origin.")),
        ])
        let st = Extractor().extract([p]).document.originStatement
        #expect(st?.origin == "UK")
        #expect(st?.agreement == "UK-JP CEPA")
    }

    /// `HS No.` is the HS code's header whole, and a preference criterion's column (`A`, `B`) beside the
    /// origin's is no origin.
    @Test func hsNoAndAPreferenceCriterion() {
        let p = page([
            (20, phrase(40, "Prairie Harvest Foods Ltd.") + phrase(400, "COMMERCIAL INVOICE")),
            (100, phrase(40, "Description") + phrase(200, "HS No.") + phrase(250, "Origin") + phrase(290, "Pref. criterion") + phrase(370, "Qty") + phrase(420, "Unit price") + phrase(500, "Total")),
            (115, phrase(40, "Rolled oats, organic") + phrase(200, "1104.12") + phrase(255, "CA") + phrase(300, "A") + phrase(370, "120") + phrase(425, "41.25") + phrase(500, "4,950.00")),
            (130, phrase(40, "Yellow split peas") + phrase(200, "0713.10") + phrase(255, "CA") + phrase(300, "B") + phrase(370, "200") + phrase(425, "23.80") + phrase(500, "4,760.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.hsCode) == ["110412", "071310"])
        #expect(d.lines.map(\.originCountry) == ["CA", "CA"])
    }
}

@Suite struct ThirtySecondRoundRuleTests {
    /// A chamber's certificate of origin: the country under box 3's label (`TURKEY`), the packages in
    /// the goods' box, and the weights in the quantity box beside it (`22,310 kg gross` over `21,450 kg net`).
    @Test func aChambersCertificateOfOrigin() {
        let p = page([
            (20, phrase(40, "1. Consignor (name, full address, country)") + phrase(400, "No. A 2026/881407")),
            (32, phrase(40, "EGE SERAMIK SANAYI VE TICARET A.S.")),
            (44, phrase(40, "Kemalpasa OSB, 35730 Izmir, Türkiye") + phrase(380, "CERTIFICATE OF ORIGIN")),
            (60, phrase(40, "2. Consignee (name, full address, country)")),
            (72, phrase(40, "Tegel & Tafel B.V.")),
            (84, phrase(40, "Industrieweg 40, 5145 PD Waalwijk, Netherlands")),
            (100, phrase(40, "3. Country of origin") + phrase(330, "4. Transport details")),
            (112, phrase(40, "TURKEY") + phrase(330, "By truck")),
            (130, phrase(40, "5. Remarks")),
            (142, phrase(40, "Invoice No. EGS2026000914 dated 01.12.2026")),
            (160, phrase(40, "6. Item number; marks, numbers, number and kind of packages; description of goods") + phrase(470, "7. Quantity")),
            (175, phrase(40, "1. TEGEL 1-22: 22 (twenty two) pallets of porcelain tiles") + phrase(470, "22,310 kg gross")),
            (187, phrase(470, "21,450 kg net")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.countryOfOrigin == "TR")
        #expect(d.packages == "22")
        #expect(d.grossWeight == "22310")
        #expect(d.netWeight == "21450")
    }

    /// `Bill To / فاتورة إلى`: a label's translation in another script is the label's, not the buyer.
    @Test func aLabelsTranslationInAnotherScript() {
        let p = page([
            (20, phrase(40, "Al Waha General Trading L.L.C.") + phrase(400, "TAX INVOICE")),
            (60, phrase(40, "Bill To / فاتورة إلى")),
            (72, phrase(40, "Kivu Home Appliances SARL")),
            (84, phrase(40, "Avenue du Commerce 18, Goma, DR Congo")),
        ])
        #expect(Extractor().extract([p]).document.buyerName == "Kivu Home Appliances SARL")
    }

    /// Goods weighed and priced by the pound (`Net lbs | Price / lb`): the weight is the quantity, in
    /// pounds; the gross weight in kilograms after its pounds; the count of cartons with its thousands
    /// grouped; `Product of USA`.
    @Test func goodsPricedByThePound() {
        let p = page([
            (20, phrase(40, "Central Valley Nut Growers Cooperative") + phrase(400, "INVOICE 26-40918")),
            (100, phrase(40, "Product") + phrase(250, "Net lbs") + phrase(330, "Price / lb (USD)") + phrase(470, "Amount (USD)")),
            (115, phrase(40, "Almonds, Nonpareil, shelled") + phrase(250, "22,000") + phrase(340, "2.85") + phrase(470, "62,700.00")),
            (130, phrase(40, "Walnut halves, light") + phrase(255, "8,800") + phrase(340, "3.40") + phrase(470, "29,920.00")),
            (160, phrase(40, "1,400 cartons of 22 lb net. Gross weight 31,920 lbs (14,479 kg). Product of USA.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["22000", "8800"])
        #expect(d.lines.map(\.unit) == ["LBR", "LBR"])
        #expect(d.lines.map(\.netWeight) == [nil, nil])
        #expect(d.lines.map(\.originCountry) == ["US", "US"])
        #expect(d.packages == "1400")
        #expect(d.grossWeight == "14479")
    }

    /// Crates numbered one a row under `Kiste / Crate`: one package each, the number no part of the goods.
    @Test func cratesNumberedOneARow() {
        let p = page([
            (20, phrase(40, "Erzgebirge Drechslerei GmbH")),
            (40, phrase(40, "Packliste / Packing List")),
            (100, phrase(40, "Kiste / Crate") + phrase(120, "Inhalt / Contents") + phrase(330, "Stück") + phrase(400, "Netto kg") + phrase(480, "Brutto kg")),
            (115, phrase(40, "1") + phrase(120, "Nussknacker König, 38 cm") + phrase(335, "36") + phrase(405, "25,2") + phrase(485, "33,0")),
            (130, phrase(40, "2") + phrase(120, "Weihnachtspyramide") + phrase(335, "12") + phrase(405, "30,0") + phrase(485, "41,4")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Nussknacker König, 38 cm", "Weihnachtspyramide"])
        #expect(d.lines.map(\.packages) == ["1", "1"])
    }
}

@Suite struct ThirtyThirdRoundRuleTests {
    /// A commodity traded by the metric ton (`Qty (MT)`, `USD/MT`), its quantity to the kilogram
    /// (`96.000`, witnessed by the line's arithmetic).
    @Test func aCommodityByTheMetricTon() {
        let p = page([
            (20, phrase(40, "Sahel Agro Commodities Nigeria Ltd") + phrase(400, "FINAL INVOICE")),
            (100, phrase(40, "Commodity") + phrase(230, "HS Code") + phrase(300, "Qty (MT)") + phrase(370, "Price (USD/MT)") + phrase(480, "Value (USD)")),
            (115, phrase(40, "Natural white sesame seeds") + phrase(230, "1207.40") + phrase(305, "96.000") + phrase(380, "1,640.00") + phrase(480, "157,440.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["96"])
        #expect(d.lines.map(\.unit) == ["TNE"])
        #expect(d.lines.map(\.hsCode) == ["120740"])
        #expect(Values.unit("420,00 mt".split(separator: " ").last.map(String.init) ?? "")?.rawValue == "MTR")
    }

    /// A number sign and the number under the title at the right (`INVOICE` over `# LCL-INV-11872`), the
    /// date under them.
    @Test func aNumberSignUnderTheTitle() {
        let p = page([
            (20, phrase(40, "Lion City Lab Supplies Pte. Ltd.") + phrase(470, "INVOICE")),
            (34, phrase(40, "21 Science Park Road, Singapore 117628") + phrase(460, "# LCL-INV-11872")),
            (46, phrase(460, "7 December 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "LCL-INV-11872")
        #expect(d.invoiceDate == "2026-12-07")
    }
}

@Suite struct ThirtyFourthRoundRuleTests {
    /// A shop's invoice with no title but `Invoice BT-204517` over `Order #204517`: the invoice's number.
    @Test func theTitlesWordAndItsNumberAlone() {
        let p = page([
            (20, phrase(40, "Bramble & Thistle Ltd") + phrase(440, "Invoice BT-204517")),
            (32, phrase(40, "Unit 9, Riverside Works, Sheffield S3 8EN") + phrase(440, "Order #204517")),
            (44, phrase(440, "Placed on 1 Dec 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "BT-204517")
        #expect(d.invoiceDate == "2026-12-01")
        #expect(!Run.documentNumberLike("1,250.00") && !Run.documentNumberLike("12.50") && !Run.documentNumberLike("01.12.2026"))
    }

    /// Labels with their translation in Hebrew or Greek read as the Arabic ones do (`Customer / לקוח`).
    @Test func labelsTranslatedInHebrewAndGreek() {
        let p = page([
            (20, phrase(40, "Galil Precision Optics Ltd.") + phrase(400, "TAX INVOICE")),
            (60, phrase(40, "Customer / לקוח")),
            (72, phrase(40, "Optique Rhône-Alpes SAS")),
            (84, phrase(40, "27 rue Garibaldi, 69006 Lyon, France")),
        ])
        #expect(Extractor().extract([p]).document.buyerName == "Optique Rhône-Alpes SAS")
        #expect(Run.inAnotherScript("Πελάτης") && Run.inAnotherScript("תאריך:") && !Run.inAnotherScript("Käufer") && !Run.inAnotherScript("Nº"))
    }
}

@Suite struct ThirtyFourthRoundTotalsTests {
    /// A shop's `Delivery` between its subtotal and total is the shipping charge, so the lines and the
    /// charge add up to the total; `Delivery: DAP Hamburg` names terms, no charge.
    @Test func aShopsDeliveryCharge() {
        let p = page([
            (20, phrase(40, "Bramble & Thistle Ltd") + phrase(440, "Invoice BT-204517")),
            (100, phrase(40, "Product") + phrase(330, "Qty") + phrase(380, "Price") + phrase(480, "Total")),
            (115, phrase(40, "Linen apron, sage green") + phrase(335, "1") + phrase(380, "€36.90") + phrase(480, "€36.90")),
            (130, phrase(40, "Enamel mug, speckled blue") + phrase(335, "2") + phrase(380, "€17.22") + phrase(480, "€34.44")),
            (160, phrase(380, "Subtotal") + phrase(480, "€71.34")),
            (172, phrase(380, "Delivery") + phrase(480, "€12.30")),
            (184, phrase(380, "Total paid") + phrase(480, "€83.64")),
        ])
        let r = Extractor().extract([p])
        #expect(r.document.total == "83.64")
        #expect(!r.problems.contains { $0.code == "total_mismatch" })
    }
}

@Suite struct ThirtyFifthRoundRuleTests {
    /// `Einzelpreis netto | MwSt. | Gesamt netto | Gesamt brutto`: the net price and amount, beside a
    /// line's VAT; `netto` and `brutto` say which price, not a weight.
    @Test func aLinesVATBesideItsNetAndGrossAmounts() {
        let p = page([
            (20, phrase(40, "Kaffeerösterei Hansen GmbH") + phrase(440, "Rechnung RE-2026-11873")),
            (100, phrase(40, "Pos.") + phrase(70, "Bezeichnung") + phrase(230, "Menge") + phrase(270, "Einzelpreis netto")
                + phrase(365, "MwSt.") + phrase(400, "Gesamt netto") + phrase(470, "Gesamt brutto")),
            (115, phrase(40, "1") + phrase(70, "Espresso Bohnen, 1 kg") + phrase(240, "6") + phrase(320, "18,90") + phrase(370, "7%")
                + phrase(420, "113,40") + phrase(490, "121,34")),
            (130, phrase(40, "2") + phrase(70, "Handmühle mit Keramikmahlwerk") + phrase(240, "2") + phrase(320, "39,00") + phrase(370, "19%")
                + phrase(420, "78,00") + phrase(490, "92,82")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["18.9", "39"])
        #expect(d.lines.map(\.lineTotal) == ["113.4", "78"])
        #expect(d.lines.allSatisfy { $0.netWeight == nil && $0.grossWeight == nil })
    }

    /// `List Price | Disc % | Net Price | Extended`: the price paid after the discount, and the line's
    /// extended amount, not the list price.
    @Test func theNetPriceBesideTheListPrice() {
        let p = page([
            (20, phrase(40, "GREAT LAKES FLUID POWER, INC.") + phrase(440, "INVOICE 9000412876")),
            (100, phrase(40, "Ln") + phrase(60, "Description") + phrase(250, "Qty") + phrase(290, "List Price") + phrase(350, "Disc %")
                + phrase(400, "Net Price") + phrase(470, "Extended")),
            (115, phrase(40, "1") + phrase(60, "Gear pump, 18 cc/rev") + phrase(255, "20") + phrase(300, "312.50") + phrase(360, "15")
                + phrase(410, "265.63") + phrase(475, "5,312.60")),
            (130, phrase(40, "2") + phrase(60, "Directional control valve") + phrase(255, "8") + phrase(300, "742.00") + phrase(360, "0")
                + phrase(410, "742.00") + phrase(475, "5,936.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["265.63", "742"])
        #expect(d.lines.map(\.lineTotal) == ["5312.6", "5936"])
    }

    /// `№ | … | Qty, t | Price per t`: the numero sign heads the rows' numbers, and the tonne after a
    /// comma is every row's unit; a name in two scripts is read in its Latin one.
    @Test func tonnesAfterACommaAndTheNumeroSign() {
        let p = page([
            (20, phrase(40, "ТОО «Алтын Дала Грейн» / Altyn Dala Grain LLP")),
            (40, phrase(250, "INVOICE / ИНВОЙС")),
            (100, phrase(40, "№") + phrase(60, "Description of goods") + phrase(250, "Qty, t") + phrase(320, "Price per t") + phrase(420, "Amount")),
            (115, phrase(40, "1") + phrase(60, "Buckwheat groats, 1st grade") + phrase(255, "120,000") + phrase(330, "685,00") + phrase(420, "82200,00")),
            (130, phrase(40, "2") + phrase(60, "Red lentils, whole") + phrase(255, "80,000") + phrase(330, "742,50") + phrase(420, "59400,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Altyn Dala Grain LLP")
        #expect(d.lines.map(\.description) == ["Buckwheat groats, 1st grade", "Red lentils, whole"])
        #expect(d.lines.map(\.quantity) == ["120", "80"])
        #expect(d.lines.map(\.unit) == ["TNE", "TNE"])
        #expect(Lexicon.normalize("Инвойс №") == "инвоис no")
    }

    /// `4 pieces, gross weight 412 kg`: air cargo's packages; `500 pieces` alone are goods.
    @Test func airCargosPiecesBeforeTheirGrossWeight() {
        func packages(_ sentence: String) -> String? {
            let p = page([(20, phrase(40, "Great Lakes Fluid Power, Inc.") + phrase(440, "INVOICE 9000412876"))] + LayoutRuleTests.table(at: 100)
                + [(200, phrase(40, sentence))])
            return Extractor().extract([p]).document.packages
        }
        #expect(packages("4 pieces, gross weight 412 kg.") == "4")
        #expect(packages("500 pieces, packed in wooden crates.") == nil)
    }
}

@Suite struct ThirtyFifthRoundTotalsTests {
    /// VAT at two rates on two rows (`zzgl. 7 % MwSt.`, `zzgl. 19 % MwSt.`): their sum is the tax, so the
    /// net lines and the tax add up to the total; a row with no rate under them would be their sum.
    @Test func taxRowsAtTwoRates() {
        let p = page([
            (20, phrase(40, "Kaffeerösterei Hansen GmbH") + phrase(440, "Rechnung RE-2026-11873")),
            (100, phrase(40, "Bezeichnung") + phrase(300, "Menge") + phrase(350, "Einzelpreis") + phrase(470, "Gesamt")),
            (115, phrase(40, "Espresso Bohnen, 1 kg") + phrase(305, "6") + phrase(360, "18,90") + phrase(475, "113,40")),
            (130, phrase(40, "Handmühle mit Keramikmahlwerk") + phrase(305, "2") + phrase(360, "39,00") + phrase(475, "78,00")),
            (160, phrase(300, "Summe netto") + phrase(475, "191,40")),
            (172, phrase(300, "zzgl. 7 % MwSt.") + phrase(475, "7,94")),
            (184, phrase(300, "zzgl. 19 % MwSt.") + phrase(475, "14,82")),
            (196, phrase(300, "Rechnungsbetrag") + phrase(475, "214,16")),
        ])
        let r = Extractor().extract([p])
        #expect(r.document.tax == "22.76")
        #expect(r.document.total == "214.16")
        #expect(!r.problems.contains { $0.code == "total_mismatch" })
        #expect(Run.taxRate(phrase(0, "VAT 20%:").map { Word(text: $0.text, box: Box(x0: $0.x, y0: 0, x1: $0.x + 5, y1: 10)) }) == 20)
    }
}

@Suite struct ThirtySixthRoundRuleTests {
    /// `Eenheidsprijs excl. btw | Btw % | Totaal excl. btw`: the tax a price is given without is the
    /// price's header, not a column of its own that takes the price's figures.
    @Test func pricesExcludingTheTax() {
        let p = page([
            (20, phrase(40, "Brouwerij De Drie Linden bv") + phrase(440, "FACTUUR 2026/0918")),
            (100, phrase(40, "Omschrijving") + phrase(200, "Aantal") + phrase(250, "Eenheidsprijs excl. btw") + phrase(390, "Btw %")
                + phrase(430, "Totaal excl. btw")),
            (115, phrase(40, "Tripel Linden, fles 33 cl") + phrase(215, "40") + phrase(335, "38,40") + phrase(400, "0%") + phrase(475, "1.536,00")),
            (130, phrase(40, "Vat Linden Blond 20 l") + phrase(220, "8") + phrase(335, "64,00") + phrase(400, "0%") + phrase(480, "512,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["38.4", "64"])
        #expect(d.lines.map(\.lineTotal) == ["1536", "512"])
    }

    /// `Wine | Cases | Bottles | Price per bottle | Amount`: the goods' column named by their kind, its cells
    /// wrapping over lines with the figures at their foot; the cases are each line's packages.
    @Test func theGoodsColumnNamedByTheirKind() {
        let p = page([
            (20, phrase(40, "Barossa Ridge Estate Pty Ltd") + phrase(440, "Invoice: BRE-EX-2611")),
            (100, phrase(40, "Wine") + phrase(250, "Cases") + phrase(300, "Bottles") + phrase(360, "Price per bottle") + phrase(470, "Amount")),
            (115, phrase(40, "Barossa Ridge Shiraz 2022,")),
            (127, phrase(40, "Barossa Valley, 14.5% vol,")),
            (139, phrase(40, "750 ml, screwcap") + phrase(255, "60") + phrase(305, "720") + phrase(400, "14.80") + phrase(470, "10,656.00")),
            (160, phrase(40, "Old Vine Semillon 2024,")),
            (172, phrase(40, "750 ml, cork") + phrase(255, "25") + phrase(305, "300") + phrase(400, "11.50") + phrase(475, "3,450.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Barossa Ridge Shiraz 2022, Barossa Valley, 14.5% vol, 750 ml, screwcap", "Old Vine Semillon 2024, 750 ml, cork"])
        #expect(d.lines.map(\.quantity) == ["720", "300"])
        #expect(d.lines.map(\.packages) == ["60", "25"])
        // The price read from its column (`Price per bottle`), not computed from the amount.
        #expect(d.lines.map(\.unitPrice) == ["14.8", "11.5"])
        #expect(!Extractor().extract([p]).problems.contains { $0.code == "inferred_value" })
        #expect(Run.readsAsDescription("Barossa Ridge Shiraz 2022, Barossa Valley, 14.5% vol, 750 ml, screwcap") && !Run.readsAsDescription("60 x 40 x 35 cm"))
    }

    /// `Cases | Price/Case US$ | Amount US$` with no other count: the cases are what is priced, each line's quantity.
    @Test func casesPricedWithNoQuantity() {
        let p = page([
            (20, phrase(40, "Viña Cordillera Alta SpA") + phrase(440, "INVOICE 00451-E")),
            (100, phrase(40, "Description") + phrase(250, "Cases") + phrase(310, "Price/Case US$") + phrase(450, "Amount US$")),
            (115, phrase(40, "Cabernet Sauvignon Reserva 2023") + phrase(255, "300") + phrase(330, "21.60") + phrase(460, "6,480.00")),
            (130, phrase(40, "Carmenère Gran Reserva 2022") + phrase(255, "180") + phrase(330, "26.00") + phrase(460, "4,680.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["300", "180"])
        #expect(d.lines.allSatisfy { $0.packages == nil })
    }

    /// A Norwegian exporter's declaration `of EEA preferential origin` is made under the EEA agreement; its
    /// consignee's name stands in the cell beside the label, with the next row's label (`Goods:`) under it.
    @Test func anOriginOfTheEEAAndAConsigneeBesideItsLabel() {
        let p = page([
            (20, phrase(40, "Nordfjord Sjømat AS")),
            (60, phrase(40, "ORIGIN DECLARATION")),
            (90, phrase(40, "Invoice No.:") + phrase(160, "NFS-26-4471")),
            (102, phrase(40, "Consignee:") + phrase(160, "Poissonnerie Centrale de Rungis SAS, 1 rue de la Tour, 94150 Rungis, France")),
            (114, phrase(40, "Goods:") + phrase(160, "Fresh Atlantic salmon, gutted, head on")),
            (150, phrase(40, "The exporter of the products covered by this document (customs authorisation No. NO/918442107/0031)")),
            (162, phrase(40, "declares that, except where otherwise clearly indicated, these products are of EEA preferential origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.buyerName == "Poissonnerie Centrale de Rungis SAS")
        #expect(d.originStatement?.origin == "EEA")
        #expect(d.originStatement?.agreement == "EEA")
    }
}

@Suite struct ThirtySeventhRoundTotalsTests {
    /// `Balance due` under `Less deposit received`: what is still owed; the invoice's total is the one above.
    /// A balance with no payment taken off is the total.
    @Test func aBalanceAfterADepositIsNoTotal() {
        func total(_ rows: [(y: Double, words: [(x: Double, text: String)])]) -> String? {
            let p = page([(20, phrase(40, "Pennine Stoneworks Ltd") + phrase(440, "INVOICE PS-10482"))] + LayoutRuleTests.table(at: 100) + rows)
            return Extractor().extract([p]).document.total
        }
        #expect(total([(160, phrase(330, "Invoice total") + phrase(475, "37.00")),
                       (172, phrase(330, "Less deposit received") + phrase(475, "-10.00")),
                       (184, phrase(330, "Balance due") + phrase(475, "27.00"))]) == "37")
        #expect(total([(160, phrase(330, "Balance due") + phrase(475, "37.00"))]) == "37")
    }
}

@Suite struct ThirtyEighthRoundRuleTests {
    /// `Pallets | SQM | USD/SQM | Amount USD`: the square metres are the quantity and its unit, a currency by a unit
    /// heads the price, and an invoice's bare `Pallets` counts each line's packages, summed in its total row.
    @Test func tilesBySquareMetreOnPallets() {
        let p = page([
            (20, phrase(40, "CERAMICHE VAL SECCHIA S.p.A.") + phrase(400, "INVOICE No. 2026/EXP/0931")),
            (100, phrase(40, "Description") + phrase(250, "Pallets") + phrase(300, "SQM") + phrase(350, "USD/SQM") + phrase(450, "Amount USD")),
            (115, phrase(40, "Porcelain tiles, polished") + phrase(260, "6") + phrase(300, "829.44") + phrase(360, "14.80") + phrase(455, "12,275.71")),
            (130, phrase(40, "Glazed wall tiles, white") + phrase(260, "3") + phrase(300, "466.56") + phrase(365, "7.65") + phrase(460, "3,569.18")),
            (145, phrase(40, "TOTAL") + phrase(255, "9") + phrase(295, "1,296.00") + phrase(455, "15,844.89")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.quantity) == ["829.44", "466.56"])
        #expect(d.lines.map(\.unit) == ["MTK", "MTK"])
        #expect(d.lines.map(\.unitPrice) == ["14.8", "7.65"])
        #expect(d.lines.map(\.packages) == ["6", "3"])
        #expect(d.packages == "9")
        #expect(Run.currencyPerUnit("USD/SQM") && Run.currencyPerUnit("€/kg") && !Run.currencyPerUnit("Pcs/Ctn"))
    }

    /// A packing list's `Pallets` numbers the pallet each row is on (`Pallets | 1`), as before.
    @Test func aPackingListsPalletsAreNoCount() {
        let h = [TableHeader(column: .other, box: Box(x0: 0, y0: 0, x1: 10, y1: 5), text: "Pallets")]
        #expect(Run.palletsCounted(h, kind: .packingList).map(\.column) == [.other])
        #expect(Run.palletsCounted(h, kind: .invoice).map(\.column) == [.packages])
    }

    /// `Anz. | Gebinde | Bezeichnung | Menge`: the count beside the kind of container is the packages, the
    /// quantity its own column (not the drum's size, `Stahlfass 200 l`); a series' letters before the number are its own.
    @Test func containersCountedBesideTheirKind() {
        let p = page([
            (20, phrase(40, "Chemiewerk Rheinaue GmbH") + phrase(420, "PACKLISTE")),
            (50, phrase(360, "Packliste-Nr.:") + phrase(440, "PK 2611/0387")),
            (100, phrase(40, "Anz.") + phrase(80, "Gebinde") + phrase(160, "Bezeichnung") + phrase(330, "Menge") + phrase(390, "Netto kg") + phrase(450, "Brutto kg")),
            (115, phrase(45, "16") + phrase(80, "Stahlfass 200 l") + phrase(160, "Acrylharz-Lösung") + phrase(330, "3.200 l") + phrase(390, "3.008,0") + phrase(450, "3.292,0")),
            (130, phrase(45, "24") + phrase(80, "Kanister 25 l") + phrase(160, "Verdünnung") + phrase(335, "600 l") + phrase(395, "468,0") + phrase(455, "540,0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.packages) == ["16", "24"])
        #expect(d.lines.map(\.quantity) == ["3200", "600"])
        #expect(d.lines.map(\.unit) == ["LTR", "LTR"])
        #expect(d.invoiceNumber == "PK 2611/0387")
    }

    /// An origin declaration under the UK–Australia agreement: its exporter's reference is the ABN, digits only
    /// (not repaired into a country prefix), and its title is no label of the country of origin for the line under it.
    @Test func anAustralianDeclarationToTheUK() {
        let p = page([
            (20, phrase(200, "ORIGIN DECLARATION")),
            (34, phrase(140, "Australia – United Kingdom Free Trade Agreement")),
            (60, phrase(40, "Exporter") + phrase(160, "Riverina Merino Tops Pty Ltd, Wagga Wagga NSW 2650, Australia")),
            (80, phrase(40, "Importer") + phrase(160, "Bradford Worsted Spinners Ltd, Canal Road, Bradford BD2 1AU, United Kingdom")),
            (100, phrase(40, "Commercial invoice") + phrase(160, "No. RMT-INV-26-0447 of 25 November 2026")),
            (140, phrase(40, "The exporter of the products covered by this document (Exporter Reference No. 51824753556) declares that,")),
            (152, phrase(40, "except where otherwise clearly indicated, these products are of Australia preferential origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.originStatement?.exporterReference == "51824753556")
        #expect(d.originStatement?.origin == "AU")
        #expect(d.countryOfOrigin == nil)
        #expect(Run.referenceInParentheses("(customs authorisation No. 5E0123456)") == "SE0123456")
    }
}

@Suite struct ThirtyNinthRoundRuleTests {
    /// `Q'TY | U/PRICE (RMB) | AMOUNT (RMB)`: the renminbi as China's invoices write it, its code glued to the total
    /// (`RMB124,248.00`), and weights glued to their unit in capitals (`2,046.00KGS`).
    @Test func aNingboInvoiceInRenminbi() {
        let p = page([
            (20, phrase(180, "NINGBO HAISHENG HOUSEWARE CO., LTD.")),
            (40, phrase(240, "INVOICE")),
            (60, phrase(360, "INV NO.: NBHS26-1130")),
            (100, phrase(40, "DESCRIPTION") + phrase(250, "Q'TY") + phrase(320, "U/PRICE (RMB)") + phrase(430, "AMOUNT (RMB)")),
            (115, phrase(40, "STAINLESS STEEL SAUCEPAN 18CM") + phrase(250, "1,200PCS") + phrase(330, "@42.50") + phrase(440, "51,000.00")),
            (130, phrase(40, "SILICONE UTENSIL SET, 5 PCS") + phrase(255, "600SETS") + phrase(330, "@31.20") + phrase(440, "18,720.00")),
            (145, phrase(180, "TOTAL:") + phrase(250, "1,800") + phrase(430, "RMB69,720.00")),
            (180, phrase(40, "PACKED IN 86 CARTONS. N.W.: 946.00KGS  G.W.: 1,118.00KGS")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.currency == "CNY")
        #expect(d.total == "69720")
        #expect(d.lines.map(\.quantity) == ["1200", "600"])
        #expect(d.lines.map(\.unitPrice) == ["42.5", "31.2"])
        #expect(d.netWeight == "946" && d.grossWeight == "1118")
        #expect(Values.number("USD1,250.00")?.value == 1250)
        #expect(Values.number("ABC1,250.00") == nil)
    }

    /// `To pay SEK  90 950,00 kr`: a Scandinavian invoice's total.
    @Test func aSwedishTotalToPay() {
        let p = page([(20, phrase(40, "Norrlands Trähantverk AB") + phrase(440, "INVOICE 24117"))] + LayoutRuleTests.table(at: 100)
                     + [(160, phrase(330, "To pay SEK") + phrase(460, "37,00 kr"))])
        #expect(Extractor().extract([p]).document.total == "37")
    }

    /// A Korean exporter's declaration to a buyer in the UK is made under the UK–Korea agreement; its authorisation
    /// is a business number of digits and dashes.
    @Test func aKoreanDeclarationToTheUK() {
        let p = page([
            (20, phrase(40, "Hanbit Precision Co., Ltd.")),
            (60, phrase(200, "ORIGIN DECLARATION")),
            (90, phrase(40, "Consignee:") + phrase(160, "Midlands Hydraulics Ltd, Unit 9 Heartlands Park, Birmingham B7 5SD, United Kingdom")),
            (102, phrase(40, "Invoice No.:") + phrase(160, "HBP-EX-26-0711")),
            (140, phrase(40, "The exporter of the products covered by this document (customs authorisation No. 609-85-31147) declares that,")),
            (152, phrase(40, "except where otherwise clearly indicated, these products are of Korea preferential origin.")),
        ])
        let st = Extractor().extract([p]).document.originStatement
        #expect(st?.exporterReference == "609-85-31147")
        #expect(st?.origin == "KR")
        #expect(st?.agreement == "UK-KR FTA")
    }

    /// A potter's invoice listing its goods as lines of text: the count, the item, the price after `@` and the
    /// total after leader dots. A line whose count times price is not its total is no item.
    @Test func goodsListedAsLinesOfText() {
        let p = page([
            (20, phrase(40, "Kestrel Pottery")),
            (50, phrase(40, "Invoice No: KP/2026/118")),
            (100, phrase(40, "1. 48 × Stoneware mug, speckled glaze @ £14.50 ....................... £696.00")),
            (115, phrase(40, "2. 24 × Serving bowl, 25 cm @ £38.00 .................................. £912.00")),
            (130, phrase(40, "3. 36 × Side plate @ £16.75 ........................................... £999.00")),
            (160, phrase(40, "Total due .............................................................. £2,211.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Stoneware mug, speckled glaze", "Serving bowl, 25 cm"])
        #expect(d.lines.map(\.quantity) == ["48", "24"])
        #expect(d.lines.map(\.unitPrice) == ["14.5", "38"])
        #expect(d.lines.map(\.lineTotal) == ["696", "912"])
        #expect(d.total == "2211")
    }
}

@Suite struct FortiethRoundRuleTests {
    /// `Menge | ME | Bezeichnung | EP € | GP €`: Austrian trade's abbreviations for the price each and the line's total.
    @Test func einzelpreisAndGesamtpreisAbbreviated() {
        let p = page([
            (20, phrase(40, "Tiroler Lodenweberei Huber KG") + phrase(440, "RECHNUNG")),
            (50, phrase(360, "Rechnungs-Nr.:") + phrase(440, "RE 26/1187")),
            (100, phrase(40, "Menge") + phrase(90, "ME") + phrase(130, "Bezeichnung") + phrase(380, "EP €") + phrase(450, "GP €")),
            (115, phrase(40, "120,0") + phrase(90, "m") + phrase(130, "Loden, reine Schurwolle") + phrase(385, "28,40") + phrase(450, "3.408,00")),
            (130, phrase(45, "60,0") + phrase(90, "Stk") + phrase(130, "Lodenjanker Herren") + phrase(380, "118,00") + phrase(450, "7.080,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["28.4", "118"])
        #expect(d.lines.map(\.lineTotal) == ["3408", "7080"])
        #expect(d.invoiceNumber == "RE 26/1187")
    }

    /// A Swiss exporter's German declaration names its country after the goods (`Ursprungswaren der Schweiz`); to a
    /// buyer in London it is made under the UK–Switzerland agreement.
    @Test func originNamedAfterTheGoodsInGerman() {
        let p = page([
            (20, phrase(40, "Uhrenmanufaktur Jura Nord AG")),
            (60, phrase(40, "An:")), (72, phrase(40, "Hatton Garden Timepieces Ltd")), (84, phrase(40, "88 Hatton Garden")),
            (96, phrase(40, "London EC1N 8PN")), (108, phrase(40, "United Kingdom")),
            (140, phrase(40, "Ursprungserklärung")),
            (160, phrase(40, "Der Ausführer der Waren, auf die sich dieses Handelspapier bezieht (Bewilligung Nr. CH/0417/2211), erklärt, dass")),
            (172, phrase(40, "diese Waren, soweit nicht anders angegeben, präferenzbegünstigte Ursprungswaren der Schweiz sind.")),
        ])
        let st = Extractor().extract([p]).document.originStatement
        #expect(st?.origin == "CH")
        #expect(st?.agreement == "UK-CH TA")
    }

    /// `Handgemaakt in Nederland. Verzonden in 6 dozen`: where craft goods were made, and Dutch boxes (not twelves).
    @Test func handmadeGoodsShippedInBoxes() {
        let p = page([(20, phrase(40, "Keramiekatelier De Ploeg") + phrase(440, "FACTUUR 2026-0412"))] + LayoutRuleTests.table(at: 100)
                     + [(160, phrase(40, "Handgemaakt in Nederland. Verzonden in 6 dozen, brutogewicht 96 kg."))])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.originCountry) == ["NL"])
        #expect(d.packages == "6")
    }
}

@Suite struct FortyFirstRoundRuleTests {
    /// Words of one height placed from `x` on a line whose top is `y` (5 points per character at height 10).
    static func words(_ y: Double, _ x: Double, _ text: String, height: Double) -> [Word] {
        var at = x
        return text.split(separator: " ").map { t in
            let width = Double(t.count) * 5 * height / 10
            defer { at += width + 3 * height / 10 }
            return Word(text: String(t), box: DocumentExtraction.Box(x0: at, y0: y, x1: at + width, y1: y + height))
        }
    }

    /// Items set as blocks, no table: the name and its amount, the details (`Item no. … · Commodity code … · Made in
    /// Denmark`) and the count and price (`24 pcs × 1,450.00`) under it.
    @Test func itemsSetAsBlocksOfLines() {
        let p = page([
            (20, phrase(40, "Lysværk Studio ApS") + phrase(400, "Invoice 2026-1443")),
            (100, phrase(40, "1") + phrase(60, "Pendant lamp \"Dis\", spun brass") + phrase(480, "34,800.00")),
            (111, phrase(60, "Item no. LV-DIS-40-BR · Commodity code 9405 11 00 · Made in Denmark")),
            (122, phrase(60, "24 pcs × 1,450.00")),
            (145, phrase(40, "2") + phrase(60, "Textile braided cable, 3 m, ochre") + phrase(485, "9,675.00")),
            (156, phrase(60, "Item no. LV-CBL-3-OC · Commodity code 8544 49 95 · Made in Italy")),
            (167, phrase(60, "150 pcs × 64.50")),
            (200, phrase(380, "Total DKK") + phrase(480, "44,475.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Pendant lamp \"Dis\", spun brass", "Textile braided cable, 3 m, ochre"])
        #expect(d.lines.map(\.quantity) == ["24", "150"])
        #expect(d.lines.map(\.unit) == ["PCE", "PCE"])
        #expect(d.lines.map(\.unitPrice) == ["1450", "64.5"])
        #expect(d.lines.map(\.lineTotal) == ["34800", "9675"])
        #expect(d.lines.map(\.hsCode) == ["94051100", "85444995"])
        #expect(d.lines.map(\.originCountry) == ["DK", "IT"])
    }

    /// A block whose count times its price is not its amount is no item: nothing is read from it.
    @Test func aBlockWhoseArithmeticFailsIsNoItem() {
        let p = page([
            (20, phrase(40, "Lysværk Studio ApS") + phrase(400, "Invoice 2026-1443")),
            (100, phrase(40, "Pendant lamp \"Dis\", spun brass") + phrase(480, "34,800.00")),
            (111, phrase(40, "24 pcs × 1,400.00")),
        ])
        #expect(Extractor().extract([p]).document.lines.isEmpty)
        #expect(Run.countAndPrice(page([(0, phrase(0, "Qty 24 @ DKK 1,450.00 each"))]).words, mark: .point).map { [$0.0.text, $0.2.text] } == ["24", "1,450.00"])
        #expect(Run.countAndPrice(page([(0, phrase(0, "Item no. LV-DIS-40-BR"))]).words, mark: .point) == nil)
    }

    /// A Swiss invoice writes its franc `Fr.` (`Einzelpreis Fr.`, `Rechnungstotal Fr.`); its UID (`CHE-112.345.678`) is
    /// no currency, and the goods' value (`Total Warenwert`) is no total.
    @Test func swissFrancsAndTheInvoiceTotal() {
        let p = page([
            (20, phrase(40, "Schreinerei Brunner AG")),
            (32, phrase(40, "Tel. 033 243 18 40 · MWST-Nr. CHE-112.345.678 MWST")),
            (60, phrase(40, "Rechnung Nr. 2026-318")),
            (100, phrase(40, "Anzahl") + phrase(90, "Bezeichnung") + phrase(330, "Einzelpreis Fr.") + phrase(450, "Betrag Fr.")),
            (115, phrase(45, "12") + phrase(90, "Esstisch Eiche massiv") + phrase(350, "1'680.00") + phrase(460, "20'160.00")),
            (130, phrase(90, "Total Warenwert") + phrase(460, "20'160.00")),
            (142, phrase(90, "Verpackung") + phrase(475, "380.00")),
            (154, phrase(90, "Rechnungstotal Fr.") + phrase(460, "20'540.00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.currency == "CHF")
        #expect(d.total == "20540")
        #expect(Values.currency(in: "MWST-Nr. CHE-112.345.678 MWST") == nil)
        #expect(Values.currency(in: "Fr. 1'680.00") == "CHF")
        #expect(Values.currency(in: "z. Hd. Fr. Müller") == nil)
    }

    /// A Swiss letter sets its addressee at the right, flush right and top-aligned with the letterhead's larger name:
    /// the letterhead is the seller, the addressee the buyer, and an attention line (`z. Hd. …`) is no name.
    @Test func anAddresseeSetFlushRightBesideTheLetterhead() {
        var ws = Self.words(30, 40, "Schreinerei Brunner AG", height: 16)
        func right(_ y: Double, _ text: String) -> [Word] { Self.words(y, 550 - Double(text.count) * 5, text, height: 10) }
        ws += right(30, "Holzhaus Vorarlberg GmbH") + right(42, "z. Hd. Frau M. Fink") + right(54, "Bahnhofstraße 3") + right(66, "6850 Dornbirn")
            + right(78, "Österreich")
        ws += Self.words(50, 40, "Dorfstrasse 18", height: 10) + Self.words(62, 40, "3652 Hilterfingen", height: 10)
        ws += page([(120, phrase(40, "Rechnung Nr. 2026-318"))] + LayoutRuleTests.table(at: 160)).words
        let d = Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .text, words: ws)]).document
        #expect(d.sellerName == "Schreinerei Brunner AG")
        #expect(d.buyerName == "Holzhaus Vorarlberg GmbH")
    }

    /// A packing list grouped by pallet (`Pallet 1 of 3 — …` rows) with `Cartons | Pcs`: the cartons are each row's
    /// packages and the pieces its quantity; `No.` under the two-word title numbers the list, not `Invoice:` below it.
    @Test func aPackingListOfCartonsAndPieces() {
        let p = page([
            (20, phrase(40, "MEBLE WARTA Sp. z o.o.") + phrase(440, "PACKING LIST")),
            (32, phrase(440, "No. PL/2026/1207")),
            (44, phrase(440, "Invoice: FV/2026/1207")),
            (100, phrase(40, "Description") + phrase(300, "Cartons") + phrase(350, "Pcs") + phrase(400, "N.W. kg") + phrase(460, "G.W. kg")),
            (112, phrase(40, "Pallet 1 of 3 — 120 × 80 × 160 cm")),
            (124, phrase(40, "Oak bedside table, 2 drawers") + phrase(310, "16") + phrase(355, "16") + phrase(405, "208.0") + phrase(465, "228.8")),
            (136, phrase(40, "Pallet 2 of 3 — 120 × 80 × 175 cm")),
            (148, phrase(40, "Oak dining chair, upholstered") + phrase(310, "18") + phrase(355, "36") + phrase(405, "244.8") + phrase(465, "271.8")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.invoiceNumber == "PL/2026/1207")
        #expect(d.lines.map(\.packages) == ["16", "18"])
        #expect(d.lines.map(\.quantity) == ["16", "36"])
    }

    /// A Moroccan exporter's declaration (`origine préférentielle marocaine`) to a French buyer is made under the
    /// EU–Morocco association agreement.
    @Test func aMoroccanDeclarationToTheEU() {
        let p = page([
            (20, phrase(40, "CONSERVERIE ATLANTIQUE DE SAFI S.A.")),
            (32, phrase(40, "Zone industrielle · 46000 Safi · Royaume du Maroc")),
            (60, phrase(300, "Destinataire :")), (72, phrase(300, "Épicerie Fine Méditerranée SARL")), (84, phrase(300, "14, quai de Rive-Neuve")),
            (96, phrase(300, "13007 Marseille")), (108, phrase(300, "France")),
            (140, phrase(40, "DÉCLARATION D'ORIGINE SUR FACTURE")),
            (160, phrase(40, "L'exportateur des produits couverts par le présent document (autorisation douanière n° MA/EA/2211/0457) déclare que,")),
            (172, phrase(40, "sauf indication claire du contraire, ces produits ont l'origine préférentielle marocaine.")),
        ])
        let st = Extractor().extract([p]).document.originStatement
        #expect(st?.origin == "MA")
        #expect(st?.agreement == "EU-MA AA")
        #expect(st?.exporterReference == "MA/EA/2211/0457")
    }
}

@Suite struct FortySecondRoundRuleTests {
    /// A German item block: `Pos. 1`, the article's number, its name, its code and origin, and the count and price with
    /// the amount at the right of that last line (`6 Stk à 189,00 €  …  1.134,00 €`).
    @Test func anItemBlockWithItsAmountOnTheCountLine() {
        let p = page([
            (20, phrase(40, "Kochwerk Solingen GmbH") + phrase(440, "Rechnung")),
            (40, phrase(40, "Rechnungsnummer KW-2026-08817")),
            (100, phrase(40, "Pos. 1") + phrase(90, "Art.-Nr. 40-1187")),
            (111, phrase(90, "Edelstahl-Topfset, 5-teilig")),
            (122, phrase(90, "Zolltarifnummer 7323 93 00 · Ursprung: Deutschland")),
            (133, phrase(90, "6 Stk à 189,00 €") + phrase(480, "1.134,00 €")),
            (160, phrase(40, "Pos. 2") + phrase(90, "Art.-Nr. 77-2003")),
            (171, phrase(90, "Schneidebrett Akazie")),
            (182, phrase(90, "Zolltarifnummer 4419 90 90 · Ursprung: Vietnam")),
            (193, phrase(90, "24 Stk à 19,90 €") + phrase(485, "477,60 €")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.description) == ["Edelstahl-Topfset, 5-teilig", "Schneidebrett Akazie"])
        #expect(d.lines.map(\.quantity) == ["6", "24"])
        #expect(d.lines.map(\.unitPrice) == ["189", "19.9"])
        #expect(d.lines.map(\.lineTotal) == ["1134", "477.6"])
        #expect(d.lines.map(\.hsCode) == ["73239300", "44199090"])
        #expect(d.lines.map(\.originCountry) == ["DE", "VN"])
    }

    /// `LISTE D'EMBALLAGE` is a packing list; `Caisse n° | 1 à 8` numbers eight crates; `Conditions : FOB Montréal` names
    /// the Incoterm.
    @Test func aQuebecPackingListOfNumberedCrates() {
        let p = page([
            (20, phrase(40, "Boiseries Laurentides inc.") + phrase(400, "LISTE D'EMBALLAGE")),
            (32, phrase(400, "N° : LE-26-0318")),
            (60, phrase(300, "Conditions : FOB Montréal")),
            (100, phrase(40, "Caisse n°") + phrase(100, "Description") + phrase(330, "Qté") + phrase(380, "Poids net (kg)") + phrase(470, "Poids brut (kg)")),
            (112, phrase(40, "1 à 8") + phrase(100, "Planches d'érable") + phrase(335, "320") + phrase(390, "960,0") + phrase(480, "1 024,0")),
            (124, phrase(40, "9") + phrase(100, "Moulures en pin") + phrase(335, "250") + phrase(390, "120,0") + phrase(480, "131,0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.map(\.packages) == ["8", "1"])
        #expect(d.incoterm == "FOB")
        #expect(Run.packageRange("1 to 8") == 8 && Run.packageRange("9 à 12") == 4)
    }

    /// A certificate's box of labels cites its invoice as `Commercial invoice | MI-INV-26-2210`.
    @Test func aCertificateCitesItsCommercialInvoiceInABox() {
        let p = page([
            (20, phrase(40, "Meridian Instruments Pte. Ltd.") + phrase(420, "ORIGIN DECLARATION")),
            (80, phrase(40, "Consignee") + phrase(200, "Labortechnik Rheinland GmbH, 50996 Köln, Germany")),
            (94, phrase(40, "Commercial invoice") + phrase(200, "MI-INV-26-2210")),
            (108, phrase(40, "Invoice date") + phrase(200, "27 Nov 2026")),
            (140, phrase(40, "The exporter of the products covered by this document (customs authorisation No. SG-AE-0417-2019) declares that,")),
            (152, phrase(40, "except where otherwise clearly indicated, these products are of Singapore preferential origin.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.invoiceNumber == "MI-INV-26-2210")
        #expect(d.originStatement?.agreement == "EU-SG FTA")
    }
}

@Suite struct UngluedHeaderTieTests {
    /// `PackagewNet`, OCR's run of `Packages` and `Net` with the `s` misread: cut as `Packagew` | `Net`, not `Package` |
    /// `wNet` (as good a cut once `package` became a header's word, which moved every row's packages under `Net`).
    @Test func aStrayLetterEndsTheFirstWord() throws {
        let words = page([(100, phrase(40, "Description") + phrase(200, "Qty") + phrase(240, "Unit") + phrase(290, "PackagewNet Weight (kg)")
                                + phrase(440, "Gross Weight (kg)"))]).words
        let line = TextLine(page: 1, words: words, box: words.dropFirst().reduce(words[0].box) { $0.union($1.box) })
        let split = try #require(Run.unglued(line, Lexicon.headers))
        #expect(split.words.map(\.text).contains("Packagew"))
        #expect(split.words.map(\.text).contains("Net"))
        let h = try #require(Run.header(line, ocr: true))
        #expect(h.map(\.column) == [.description, .quantity, .unit, .packages, .netWeight, .grossWeight])
    }
}

@Suite struct FortyThirdRoundRuleTests {
    /// A Dutch delivery note (`PAKBON`) counts what was ordered, delivered and is still owed: the delivered count is
    /// each row's quantity, the only figure read, and `Pakbonnummer` numbers the list, not the invoice it cites.
    @Test func aDeliveryNoteReadsTheDeliveredCount() {
        let p = page([
            (20, phrase(40, "Tuinhuys Online B.V.") + phrase(440, "PAKBON")),
            (60, phrase(300, "Pakbonnummer:") + phrase(380, "PB-2026-11873")),
            (72, phrase(300, "Factuurnummer:") + phrase(380, "F-2026-11873")),
            (110, phrase(40, "Artikelnr.") + phrase(100, "Omschrijving") + phrase(330, "Besteld") + phrase(390, "Geleverd") + phrase(450, "Nog te leveren")),
            (124, phrase(40, "TH-2210") + phrase(100, "Plantenbak cortenstaal") + phrase(345, "12") + phrase(405, "12") + phrase(480, "0")),
            (138, phrase(40, "TH-3305") + phrase(100, "Tuinslang 25 m met haspel") + phrase(345, "20") + phrase(405, "14") + phrase(480, "6")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.invoiceNumber == "PB-2026-11873")
        #expect(d.lines.map(\.description) == ["Plantenbak cortenstaal", "Tuinslang 25 m met haspel"])
        #expect(d.lines.map(\.quantity) == ["12", "14"])
    }

    /// A CPTPP certification of origin: no word of preference, `qualify as originating in Malaysia`, the agreement named
    /// in the form's title; the cited invoice's date (`… PGR-EX-26-1184 of 26/11/2026`) is the invoice's, not the signature's.
    @Test func aCPTPPCertificationOfOrigin() {
        let p = page([
            (20, phrase(200, "CERTIFICATION OF ORIGIN")),
            (34, phrase(80, "Comprehensive and Progressive Agreement for Trans-Pacific Partnership (CPTPP)")),
            (70, phrase(40, "2. Exporter") + phrase(200, "Penang Glove Resources Sdn. Bhd.")),
            (84, phrase(40, "4. Importer") + phrase(200, "Northgate Medical Supplies Ltd")),
            (98, phrase(200, "Commercial invoice PGR-EX-26-1184 of 26/11/2026")),
            (140, phrase(40, "I certify that the goods described in this document qualify as originating in Malaysia and the")),
            (152, phrase(40, "information contained in this document is true and accurate.")),
            (190, phrase(40, "Date: 27/11/2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.originStatement?.agreement == "CPTPP")
        #expect(d.originStatement?.origin == "MY")
        #expect(d.invoiceNumber == "PGR-EX-26-1184")
        #expect(d.invoiceDate == "2026-11-26")
        #expect(Run.qualifiesAsOriginating(["qualify", "as", "originating", "and", "the"]) == nil)
    }

    /// A brand set as the letterhead (`KUURA`, letter-spaced) and the company named with its legal form in the footer:
    /// the seller is the company. A brand the page names no company for stays the seller.
    @Test func aBrandLetterheadAndItsCompanyInTheFooter() {
        let rows: [(y: Double, words: [(x: Double, text: String)])] = [
            (20, phrase(40, "KU U R A") + phrase(460, "INVOICE")),
            (34, phrase(460, "Invoice number 10482")),
            (80, phrase(40, "Bill to")),
            (92, phrase(40, "Hanover Lane Homeware Inc.")),
        ]
        let footer = (700.0, phrase(40, "Kuura Design Oy · Hämeentie 33 B, 00500 Helsinki, Finland · VAT FI28417365"))
        #expect(Extractor().extract([page(rows + [footer])]).document.sellerName == "Kuura Design Oy")
        #expect(Extractor().extract([page(rows)]).document.sellerName != "Kuura Design Oy")
    }

    /// Weights in a sentence after a semicolon (`Packed in 50 cartons on 1 pallet; net weight 412 kg, gross weight 468 kg.`).
    @Test func weightsAfterASemicolon() {
        let p = page([
            (20, phrase(40, "Tokaj Borház Kft.") + phrase(460, "INVOICE")),
            (300, phrase(40, "Country of origin: Hungary. Packed in 50 cartons on 1 pallet; net weight 412 kg, gross weight 468 kg.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.netWeight == "412")
        #expect(d.grossWeight == "468")
    }

    /// Italian invoices' pieces (`pz`), and Finnish goods named by their adjective (`goods of Finnish origin`).
    @Test func italianPiecesAndFinnishOrigin() {
        #expect(Values.unit("pz") == "PCE")
        #expect(Lexicon.nationalities["finnish"] == "FI")
    }
}

@Suite struct FortyFourthRoundRuleTests {
    /// Tally's short date (`3-Dec-26`), the year in two digits after the month's name; longer forms as before.
    @Test func aShortDateWithTheMonthsName() {
        #expect(Values.date("3-Dec-26") == "2026-12-03")
        #expect(Values.date("12-Apr-2026") == "2026-04-12")
        #expect(Values.date("Dec 26") == nil)
    }

    /// A German delivery note (`Lieferschein`) is a packing list: its own number, its way of dispatch naming the
    /// Incoterm (`Versandart: UPS Standard, DAP Rochdale`) and its one weight (`Gesamtgewicht`); an invoice that cites
    /// its delivery note (`Lieferschein-Nr.:`) stays an invoice.
    @Test func aDeliveryNoteIsAPackingList() {
        let note = page([
            (20, phrase(40, "Messtechnik Ahrens GmbH")),
            (80, phrase(40, "Lieferschein")),
            (94, phrase(40, "Lieferschein-Nr.:") + phrase(160, "LS-80417")),
            (106, phrase(40, "Versandart:") + phrase(160, "UPS Standard, DAP Rochdale")),
            (140, phrase(40, "Pos.") + phrase(80, "Bezeichnung") + phrase(330, "Menge") + phrase(390, "ME")),
            (154, phrase(40, "1") + phrase(80, "Digitaler Messschieber 150 mm") + phrase(345, "25") + phrase(390, "Stk")),
            (168, phrase(40, "2") + phrase(80, "Endmaßsatz 32-teilig") + phrase(350, "2") + phrase(390, "Satz")),
            (200, phrase(40, "Packstücke:") + phrase(160, "3 Kartons")),
            (212, phrase(40, "Gesamtgewicht:") + phrase(160, "18,6 kg")),
        ])
        let d = Extractor().extract([note]).document
        #expect(d.kind == .packingList)
        #expect(d.invoiceNumber == "LS-80417")
        #expect(d.incoterm == "DAP")
        #expect(d.grossWeight == "18.6")
        #expect(d.packages == "3")
        #expect(d.lines.map(\.quantity) == ["25", "2"])
        let invoice = page([
            (20, phrase(40, "Hohenlohe Antriebstechnik GmbH")),
            (60, phrase(300, "Lieferschein-Nr.:") + phrase(400, "LS 26-8812")),
            (100, phrase(40, "Rechnung Nr. 2026-10482 vom 02.12.2026")),
        ])
        #expect(Extractor().extract([invoice]).document.kind == .invoice)
    }

    /// An American chamber's certificate: the goods `produced in the United States of America` (the article is no part
    /// of the name), and `6 wooden crates` under `NO. AND KIND OF PACKAGES`.
    @Test func anAmericanChamberCertificate() {
        let p = page([
            (20, phrase(200, "CERTIFICATE OF ORIGIN")),
            (60, phrase(40, "EXPORTER / SHIPPER") + phrase(300, "CONSIGNEE")),
            (72, phrase(40, "Gulf Coast Valve & Controls Inc.") + phrase(300, "Van Leeuwen Procestechniek B.V.")),
            (120, phrase(40, "MARKS AND NUMBERS") + phrase(160, "NO. AND KIND OF PACKAGES") + phrase(320, "DESCRIPTION OF GOODS")),
            (134, phrase(40, "VLP ROTTERDAM") + phrase(160, "6 wooden crates") + phrase(320, "Stainless steel ball valves")),
            (180, phrase(40, "The undersigned declares that the goods described above were produced in the United States of America.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.originStatement?.origin == "US")
        #expect(d.packages == "6")
    }

    /// Polish invoices' pieces (`szt.`).
    @Test func polishPieces() {
        #expect(Values.unit("szt.") == "PCE")
    }
}

@Suite struct FortyFifthRoundRuleTests {
    /// A Mexican packing list's boxes counted under `Cajas / Boxes`, numbered in ranges (`1-12`): each row's packages,
    /// not the start of its description.
    @Test func boxesNumberedUnderASpanishHeader() {
        let p = page([
            (20, phrase(40, "Cerámica Talavera Poblana S.A. de C.V.") + phrase(380, "LISTA DE EMPAQUE / PACKING LIST")),
            (100, phrase(40, "Cajas / Boxes") + phrase(110, "Descripción / Description") + phrase(330, "Piezas") + phrase(390, "Peso neto kg") + phrase(470, "Peso bruto kg")),
            (114, phrase(45, "1-12") + phrase(110, "Platos de talavera 27 cm") + phrase(340, "288") + phrase(400, "230.4") + phrase(480, "262.8")),
            (128, phrase(45, "13-20") + phrase(110, "Tazas de talavera") + phrase(340, "384") + phrase(400, "134.4") + phrase(480, "156.0")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.lines.map(\.description) == ["Platos de talavera 27 cm", "Tazas de talavera"])
        #expect(d.lines.map(\.packages) == ["12", "8"])
    }
}

@Suite struct FortySixthRoundRuleTests {
    /// A German list price, its discount and the net price in one word (`Einzelpreis | Rabatt % | Nettopreis`): the
    /// price paid is the net one, which times the quantity gives the line's total.
    @Test func netPriceInOneGermanWord() {
        let p = page([
            (20, phrase(40, "Schwarzwälder Präzisionsteile GmbH") + phrase(400, "RECHNUNG")),
            (100, phrase(40, "Pos.") + phrase(70, "Bezeichnung") + phrase(260, "Menge") + phrase(300, "ME") + phrase(330, "Einzelpreis")
                + phrase(400, "Rabatt %") + phrase(450, "Nettopreis") + phrase(510, "Gesamt EUR")),
            (114, phrase(40, "10") + phrase(70, "Kugelgewindetrieb 16x5") + phrase(275, "40") + phrase(300, "Stk") + phrase(355, "128,00")
                + phrase(420, "10,0") + phrase(470, "115,20") + phrase(520, "4.608,00")),
            (128, phrase(40, "20") + phrase(70, "Linearführungswagen Baugröße 20") + phrase(270, "120") + phrase(300, "Stk") + phrase(360, "46,50")
                + phrase(420, "10,0") + phrase(475, "41,85") + phrase(520, "5.022,00")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.unitPrice) == ["115.2", "41.85"])
        #expect(d.lines.map(\.lineTotal) == ["4608", "5022"])
    }

    /// A column the lexicon does not know set close after a weight's (`Brutto kg | Ladungsträger`): its words
    /// (`Europalette`) are no part of the weight, which is read.
    @Test func unknownColumnBesideAWeightIsNotPartOfIt() {
        let p = page([
            (20, phrase(40, "Allgäuer Mühlenwerke eG") + phrase(400, "PACKLISTE")),
            (100, phrase(40, "NVE") + phrase(140, "Artikel") + phrase(300, "Menge") + phrase(350, "Netto kg") + phrase(400, "Brutto kg")
                + phrase(450, "Ladungsträger")),
            (114, phrase(40, "340427110000118733") + phrase(140, "Weizenmehl Type 550") + phrase(310, "40") + phrase(358, "1.000,0")
                + phrase(408, "1.046,0") + phrase(450, "Europalette")),
            (128, phrase(40, "340427110000118757") + phrase(140, "Dinkelmehl Type 630") + phrase(310, "32") + phrase(363, "800,0")
                + phrase(413, "842,5") + phrase(450, "Europalette")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.lines.map(\.netWeight) == ["1000", "800"])
        #expect(d.lines.map(\.grossWeight) == ["1046", "842.5"])
    }

    /// Germany's registered cooperative (`eG`) is a legal form: its letterhead is the seller, not the carrier named
    /// lower down with an `AG`.
    @Test func registeredCooperativeIsALegalForm() {
        #expect(Values.legalForms.contains("eG"))
        let p = page([
            (20, phrase(40, "Allgäuer Mühlenwerke eG")),
            (34, phrase(40, "Mühlweg 3 · 87509 Immenstadt · Deutschland")),
            (70, phrase(40, "Empfänger:") + phrase(330, "Packliste Nr.") + phrase(420, "PL-26-11873")),
            (84, phrase(40, "Boulangeries Réunies SA") + phrase(330, "Spediteur") + phrase(420, "Planzer Transport AG")),
            (98, phrase(40, "Rue de l'Industrie 22") + phrase(330, "Datum") + phrase(420, "04.12.2026")),
            (112, phrase(40, "1030 Bussigny")),
            (150, phrase(40, "PACKLISTE")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Allgäuer Mühlenwerke eG")
    }

    /// A declaration of origin from South Africa to a buyer in the EU: its invoice under `Invoice reference`,
    /// the EU–SADC EPA as the agreement, and the packages counted in its goods' line.
    @Test func southAfricanDeclarationUnderTheSADCAgreement() {
        let p = page([
            (20, phrase(120, "Groot Drakenstein Wine Estates (Pty) Ltd")),
            (60, phrase(200, "DECLARATION OF ORIGIN")),
            (100, phrase(40, "Exporter:") + phrase(200, "Groot Drakenstein Wine Estates (Pty) Ltd")),
            (114, phrase(40, "Importer:") + phrase(200, "Vins du Monde SRL, Boulevard Industriel 95, 1070 Anderlecht, Belgium")),
            (128, phrase(40, "Invoice reference:") + phrase(200, "GDW-EXP-2611-042 dated 1 December 2026")),
            (142, phrase(40, "Goods:") + phrase(200, "Still red wine in bottles of 75 cl, 1,200 cases of 6 bottles (HS 2204.21)")),
            (180, phrase(40, "The exporter of the products covered by this document (customs authorisation No. ZA/AE/2019/00417) declares")),
            (192, phrase(40, "that, except where otherwise clearly indicated, these products are of South Africa preferential origin.")),
            (230, phrase(40, "Place and date: Stellenbosch, 1 December 2026")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.invoiceNumber == "GDW-EXP-2611-042")
        #expect(d.originStatement?.origin == "ZA")
        #expect(d.originStatement?.agreement == "EU-SADC EPA")
        #expect(d.packages == "1200")
    }

    /// The goods' line counts packages only with their kind after the figure: `75 cl` and `HS 2204.21` are not.
    @Test func goodsLineWithoutPackagesCountsNone() {
        let p = page([
            (20, phrase(120, "Groot Drakenstein Wine Estates (Pty) Ltd")),
            (60, phrase(200, "DECLARATION OF ORIGIN")),
            (100, phrase(40, "Goods:") + phrase(200, "Still red wine in bottles of 75 cl (HS 2204.21)")),
            (140, phrase(40, "The exporter of the products covered by this document declares that these products are of South Africa preferential origin.")),
        ])
        #expect(Extractor().extract([p]).document.packages == nil)
    }
}

@Suite struct FortySeventhRoundRuleTests {
    static func words(_ texts: String...) -> [Word] {
        var x = 40.0
        return texts.map { t in
            defer { x += Double(t.count) * 5 + 3 }
            return Word(text: t, box: DocumentExtraction.Box(x0: x, y0: 0, x1: x + Double(t.count) * 5, y1: 10), confidence: 1)
        }
    }

    /// A title and its code with no number sign between (`Ausfuhrrechnung 26-AR-0512`); a date after a title is no code.
    @Test func codeAfterATitle() throws {
        let found = try #require(Run.codeAfterTitle(Self.words("Ausfuhrrechnung", "26-AR-0512")))
        #expect(found.0 == .invoice)
        #expect(found.1.text == "26-AR-0512")
        #expect(Run.codeAfterTitle(Self.words("Invoice", "30.11.2026")) == nil)
        #expect(Run.codeAfterTitle(Self.words("Delivery", "26-AR-0512")) == nil)
    }

    /// An export invoice titled in one word and set larger than its text, with an origin declaration at its foot:
    /// an invoice numbered by the code after its title, not a certificate.
    @Test func exportInvoiceTitledWithItsCode() {
        var p = page([
            (20, phrase(40, "Textilwerk Vorarlberg GmbH")),
            (120, phrase(40, "Rechnungsdatum:") + phrase(130, "30.11.2026")),
            (300, phrase(40, "Der Ausführer (Ermächtigter Ausführer; Bewilligung Nr. AT/0815/EA) der Waren erklärt, dass diese Waren,")),
            (312, phrase(40, "soweit nicht anders angegeben, präferenzbegünstigte Ursprungswaren der Europäischen Union sind.")),
        ])
        p.words += [Word(text: "Ausfuhrrechnung", box: DocumentExtraction.Box(x0: 40, y0: 90, x1: 160, y1: 106), confidence: 1),
                    Word(text: "26-AR-0512", box: DocumentExtraction.Box(x0: 166, y0: 90, x1: 246, y1: 106), confidence: 1)]
        let d = Extractor().extract([p]).document
        #expect(d.kind == .invoice)
        #expect(d.invoiceNumber == "26-AR-0512")
    }

    /// A table's `TOTAL GÉNÉRAL` with `TOTAL` under the packages' numbers and `GÉNÉRAL` under the description:
    /// the totals, not a line of goods.
    @Test func grandTotalSpreadOverTwoColumns() {
        let p = page([
            (20, phrase(40, "STTS SARL") + phrase(400, "LISTE DE COLISAGE")),
            (60, phrase(300, "N° de colisage :") + phrase(400, "CL-2026/1147")),
            (100, phrase(40, "Colis n°") + phrase(100, "Désignation") + phrase(260, "Nbre colis") + phrase(320, "Quantité") + phrase(380, "Poids net (kg)") + phrase(460, "Poids brut (kg)")),
            (114, phrase(45, "1 à 25") + phrase(100, "Jeans denim homme") + phrase(290, "25") + phrase(340, "1 000") + phrase(410, "650,00") + phrase(490, "705,50")),
            (128, phrase(45, "26 à 40") + phrase(100, "Vestes en jean femme") + phrase(290, "15") + phrase(350, "450") + phrase(410, "337,50") + phrase(490, "369,00")),
            (142, phrase(45, "TOTAL") + phrase(100, "GÉNÉRAL") + phrase(290, "40") + phrase(340, "1 450") + phrase(410, "987,50") + phrase(485, "1 074,50")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .packingList)
        #expect(d.invoiceNumber == "CL-2026/1147")
        #expect(d.lines.map(\.description) == ["Jeans denim homme", "Vestes en jean femme"])
        #expect(d.packages == "40")
        #expect(d.grossWeight == "1074.5")
    }

    /// A long name wrapped under a letterhead's narrow cell: its first line ends with a dash, or the second opens with
    /// the initials of the first's capitalised words (`STTS`).
    @Test func longNameContinuedOnTheNextLine() {
        let upper = FortySeventhRoundRuleTests.words("Société", "Tunisienne", "des", "Textiles", "du", "Sahel")
        #expect(Run.continuedBy(upper, Self.words("STTS", "SARL")))
        #expect(Run.continuedBy(upper + Self.words("–"), Self.words("Sousse", "SARL")))
        #expect(!Run.continuedBy(upper, Self.words("Sousse", "SARL")))
        #expect(!Run.continuedBy(Self.words("Zone", "Industrielle", "4061", "Sousse"), Self.words("ZIS", "SARL")))
    }
}
