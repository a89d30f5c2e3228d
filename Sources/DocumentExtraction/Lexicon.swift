import CustomsModel
import Foundation

/// The words documents use in English, German, French and Dutch, normalised (lower case, no
/// diacritics, punctuation as spaces) so that OCR's lost accents still match.
enum Lexicon {
    static func normalize(_ s: String) -> String { asciiNormalized(s) ?? normalizedByFolding(s) }

    /// `normalizedByFolding` for ASCII text, on its bytes: folding leaves ASCII in lower case, and its only
    /// alphanumerics are the letters and digits. Every word of a text PDF's page passes here on every
    /// label tried, and Foundation's folding was a tenth of its CPU. Nil for text beyond ASCII.
    static func asciiNormalized(_ s: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var space = true
        for c in s.utf8 {
            guard c < 0x80 else { return nil }
            if (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == 0x23 {
                out.append(c)
                space = false
            } else if c >= 0x41 && c <= 0x5A {
                out.append(c + 0x20)
                space = false
            } else if !space {
                out.append(0x20)
                space = true
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower case, no diacritics, `ß` as `ss`, every run of other characters than letters, digits and `#` as one space.
    static func normalizedByFolding(_ s: String) -> String {
        // The numero sign (`Инвойс №`, `№ | Description`) is the word `No.` of the languages that print it.
        let folded = s.replacingOccurrences(of: "ß", with: "ss").replacingOccurrences(of: "№", with: " no ").folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var out = ""
        var space = true
        for ch in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) || ch == "#" {
                out.unicodeScalars.append(ch)
                space = false
            } else if !space {
                out.append(" ")
                space = true
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    static func tokens(_ s: String) -> [String] { normalize(s).split(separator: " ").map(String.init) }

    /// Key-value labels, longest first within each field when matched.
    static let labels: [(field: String, phrases: [String])] = [
        ("invoice_number", [
            "invoice no", "invoice number", "invoice nr", "invoice #", "inv no", "commercial invoice no",
            "rechnungsnummer", "rechnungs nr", "rechnung nr", "rechnungsnr", "rg nr", "handelsrechnung nr", "handelsrechnungsnummer",
            "facture n", "facture no", "numero de facture", "n de facture", "no de facture", "facture commerciale n",
            "factuurnummer", "factuur nr", "factuurnr", "handelsfactuur nr",
            // A German ERP's document number (`Beleg-Nr.`), the invoice's own.
            "beleg nr", "belegnummer", "beleg no",
            // A proforma invoice's own number (`PI No.`).
            "pi no", "pi number", "proforma invoice no", "proforma no", "proforma nr",
            // `proforma` after the noun in French and Dutch (`FACTURE PROFORMA N° PF-2026-118`).
            "facture proforma n", "facture proforma no", "facture pro forma n", "facture pro forma no", "proforma factuur nr",
            "pro forma factuur nr", "proforma rechnung nr", "pro forma rechnung nr",
            // A number and its date under one label (`No. & date of invoice`), as on L/C forms.
            "no date of invoice", "no and date of invoice", "number and date of invoice", "number date of invoice",
            // A declaration's reference to the invoice it is attached to (`Invoice reference: GDW-EXP-2611-042 dated …`).
            "invoice reference", "invoice ref", "invoice ref no", "rechnungsreferenz", "reference de la facture", "reference facture",
            "factuurreferentie",
        ]),
        ("invoice_date", [
            "invoice date", "date of invoice", "date", "dated", "rechnungsdatum", "datum", "date de facture", "date facture",
            "factuurdatum", "date of issue", "issue date", "issued on", "date issued", "order date", "placed on", "ordered on",
            "bestelldatum", "date de commande", "besteldatum", "emise le", "emis le", "date d emission", "ausgestellt am",
            "pi date", "proforma date",
        ]),
        ("incoterm", [
            "terms of delivery", "delivery terms", "incoterms", "incoterm", "terms of sale", "lieferbedingung", "lieferbedingungen",
            "lieferung", "livraison", "levering",
            // Swiss German (`Lieferkondition: FCA Thun`).
            "lieferkondition",
            "conditions de livraison", "leveringsvoorwaarden", "leveringsvoorwaarde", "leveringsconditie", "leveringscondities",
            // `Terms: FOB Brisbane`: taken only when the value names an Incoterm (`accept`).
            "terms", "trade terms", "price terms", "lieferkonditionen", "conditions", "condities", "konditionen",
            // `Delivery: CPT Tilburg`, `Conditions of sale …: Sale, FCA Buffalo NY`: also only an Incoterm.
            "delivery", "conditions of sale",
            // A shop's `Shipping` block (`DAP Portland via An Post EMS`): also only an Incoterm.
            "shipping", "shipping terms",
            // A delivery note's way of dispatch (`Versandart: UPS Standard, DAP Rochdale`): also only an Incoterm.
            "versandart", "shipping method", "ship via", "mode d expedition", "verzendwijze",
        ]),
        ("currency", ["currency", "wahrung", "devise", "monnaie", "valuta", "munteenheid"]),
        ("country_of_origin", ["country of origin", "country of origin of goods", "country of origin of the goods", "origin", "ursprungsland", "pays d origine", "land van oorsprong",
                                // The goods named after the label (`Ursprungsland der Waren: Deutschland`), so that the value is what follows.
                                "origin of goods", "origin of the goods", "ursprungsland der waren", "ursprungsland der ware",
                                "pays d origine des marchandises", "land van oorsprong van de goederen",
                                "origine des marchandises", "origine de la marchandise", "origine des produits", "herkunft der waren", "ursprung der waren",
                                "ursprung der ware",
                                // Said of every line, maybe with an exception after it.
                                "oorsprong van alle goederen", "origin of all goods", "ursprung aller waren", "origine de toutes les marchandises",
                                "ursprungsland aller waren", "country of origin of all goods", "pays d origine de toutes les marchandises",
                                "country of origin of all items", "origin of all items", "country of origin of all products", "origin of all products",
                                "land van oorsprong van alle goederen",
                                // The word alone, in a box of labels (`Oorsprong / Origine :`, `Ursprung: Deutschland`).
                                "origine", "oorsprong", "ursprung", "herkunftsland", "herkomst", "herkunft"]),
    ]

    /// Words one letter from a label that are words of their own, never a slip (`Shipped per` is
    /// no `Shipper`).
    static let nearLabelWords: Set<String> = ["shipped", "shipping", "buyers", "sellers", "vendors", "suppliers"]

    static let sellerLabels = [
        "seller", "vendor", "exporter", "shipper", "consignor", "supplier", "sold by", "from",
        // A GSP certificate's first box (`1. Goods consigned from (Exporter's business name, …)`).
        "goods consigned from", "verkauft von", "vendu par", "verkocht door",
        "verkaufer", "ausfuhrer", "versender", "lieferant", "absender",
        "vendeur", "exportateur", "expediteur", "fournisseur",
        "verkoper", "exporteur", "afzender", "leverancier",
        // The seller on a documentary credit's papers is its beneficiary.
        "beneficiary",
    ]
    static let buyerLabels = [
        "buyer", "consignee", "goods consigned to", "bill to", "ship to", "sold to", "customer", "importer", "importer of record", "invoice to",
        "billing address", "shipping address", "delivery address", "deliver to", "messrs",
        // The buyer on a letter-of-credit form (`For account & risk of Messrs.`).
        "for account risk of messrs", "for account and risk of messrs", "for account of messrs", "for account and risk of",
        "for account risk of",
        // The buyer who opened the documentary credit (`Applicant / Buyer:`).
        "applicant",
        "kaufer", "empfanger", "kunde", "rechnungsempfanger", "warenempfanger", "rechnung an", "rechnungsadresse",
        "rechnungsanschrift", "lieferadresse", "lieferanschrift",
        "acheteur", "destinataire", "client", "importateur", "facture a", "facturer a", "adresse de facturation",
        "adresse de livraison", "livrer a",
        // Quebec's pair of blocks (`Vendu à :` beside `Expédié à :`).
        "vendu a", "expedie a", "livre a",
        // The debtor on a French invoice of the old style (`DOIT : Maison …`).
        "doit",
        "koper", "ontvanger", "klant", "afnemer", "geadresseerde", "factuur aan", "factuuradres", "afleveradres", "leveradres",
    ]

    /// Words after `Total` that make it a total of a measure, not of money (`Total Measurement`, `Total Qty`).
    static let totalsOfNoMoney: Set<String> = ["measurement", "measurements", "meas", "volume", "cbm", "m3", "quantity", "qty", "pcs",
                                                "pieces", "units", "menge", "volumen", "quantite", "qte", "hoeveelheid", "aantal"]

    /// Totals at the foot of an invoice or packing list.
    static let totalLabels: [(kind: String, phrases: [String])] = [
        ("subtotal", ["subtotal", "sub total", "net total", "total net amount", "zwischensumme", "nettobetrag", "summe netto",
                      "total ht", "sous total", "montant ht", "subtotaal", "totaal excl btw",
                      // The goods before freight and insurance, under a table whose groups have subtotals of their own.
                      "goods total", "total goods", "merchandise total", "total merchandise", "total marchandises", "warenwert gesamt",
                      // Swiss German: the goods' value (`Total Warenwert`) over the invoice's (`Rechnungstotal`).
                      "total warenwert", "warenwert"]),
        // Duties charged on a DDP invoice add to the total as a tax does (`Duties & taxes (DDP)`).
        ("tax", ["vat", "tax", "taxes", "sales tax", "gst", "igst", "hst", "pst", "qst", "mwst", "ust", "umsatzsteuer", "mehrwertsteuer", "tva", "btw",
                 "duties", "duty", "import duties", "duties and taxes", "zoll", "zolle", "droits de douane", "droits et taxes", "invoerrechten",
                 // A fiscal stamp on every invoice (Tunisia's `Droit de timbre 1,000`).
                 "droit de timbre", "timbre fiscal", "stamp duty"]),
        // Insurance and packing charged beside the freight (`Total CIF Hamburg` less `Freight` and `Insurance`).
        ("insurance", ["insurance", "insurance charge", "insurance premium", "assurance", "versicherung", "transportversicherung",
                       "verzekering"]),
        ("packing_charge", ["emballage", "frais d emballage", "packing charge", "packing charges", "packing costs", "packaging",
                            "verpackung", "verpackungskosten", "verpakking", "verpakkingskosten", "handling", "handling charge",
                            "handling charges", "handling fee",
                            // A grower's containers and trolleys charged (`Fust en karren`, `Fustkosten`).
                            "fust", "fust en karren", "fustkosten", "karren"]),
        ("shipping", ["shipping", "freight", "carriage", "postage", "versandkosten", "versand", "fracht", "frais de port",
                      "transport", "port", "emballage et port", "port et emballage", "frais d envoi", "verzendkosten", "vracht",
                      // Compounds naming how it travelled (`Koeltransport`, `Kühltransport`) or what it cost.
                      "koeltransport", "kuhltransport", "kuhlversand", "transportkosten", "frachtkosten", "lieferkosten", "bezorgkosten", "verzending",
                      "delivery charge", "delivery charges", "frais de transport",
                      // A shop's `Delivery €12.30` between its subtotal and total (read only with an amount beside it).
                      "delivery", "delivery fee",
                      // How it travelled, before the word (`Sea Freight to Mombasa`).
                      "sea freight", "ocean freight", "air freight", "road freight", "seefracht", "luftfracht", "fret maritime", "fret aerien", "zeevracht", "luchtvracht"]),
        // A deduction under the goods (`LESS 3% TRADE DISCOUNT  -804.60`): the lines add up to the total with it added back.
        ("discount", ["discount", "trade discount", "less", "rabatt", "nachlass", "remise", "rabais", "korting"]),
        ("net_weight", ["total net weight", "net weight", "nettogewicht gesamt", "gesamtnettogewicht", "nettogewicht",
                        "poids net total", "poids net", "totaal nettogewicht", "nettogewicht totaal", "net wt", "n w", "nw",
                        "gewicht netto", "netto", "net"]),
        ("gross_weight", ["total gross weight", "gross weight", "bruttogewicht gesamt", "gesamtbruttogewicht", "bruttogewicht",
                          "poids brut total", "poids brut", "totaal brutogewicht", "brutogewicht", "gross wt", "g w", "gw",
                          "gewicht brutto", "brutto", "bruto", "gross",
                          // A delivery note's one weight, the parcel's (`Gesamtgewicht: 18,6 kg`).
                          "gesamtgewicht", "total weight", "poids total", "totaalgewicht", "totaal gewicht"]),
        ("packages", ["total packages", "number of packages", "packages", "total cartons", "number of cartons", "cartons",
                      // A count named by its kind of package (`Total cases: 600`).
                      "total cases", "number of cases", "no of cases", "total boxes", "number of boxes", "total crates", "total pallets",
                      "number of pallets", "total bags", "number of bags", "total drums", "total bales", "number of bales", "total rolls",
                      "kolli gesamt", "anzahl kolli", "packstucke", "anzahl kartons", "paket", "pakete",
                      "nombre de colis", "colis", "totaal colli", "aantal colli",
                      // `Packing: 310 cartons`, `Colisage : 184 colis`, taken only when a kind of package follows the count.
                      "packing", "colisage"]),
        ("total", ["grand total", "total amount", "invoice total", "total due", "amount due", "total", "totals", "total invoice value",
                   "invoice value", "total value", "order total", "balance due", "total payable", "gesamtbetrag",
                   "rechnungsbetrag", "endbetrag", "gesamtwert", "valeur totale", "totale waarde", "gesamtsumme", "summe", "gesamt", "total ttc", "montant total", "net a payer",
                   "totaal", "totaalbedrag", "te betalen", "totaal incl btw", "zu zahlen", "zahlbetrag", "zu zahlender betrag",
                   "montant du", "solde du", "rechnungstotal", "endtotal", "totalbetrag",
                   // A table's last row over all its groups (`TOTAL GÉNÉRAL`, `Totaal generaal`).
                   "total general", "totaal generaal",
                   // Swedish and Danish invoices' `Att betala`, `At betale`, in English `To pay SEK`.
                   "to pay", "amount to pay", "att betala", "at betale", "a betale",
                   // A proforma's value declared for customs, no payment asked (`Wert für Zollzwecke`).
                   "wert fur zollzwecke", "zollwert", "value for customs purposes", "value for customs", "customs value",
                   "valeur en douane", "valeur pour la douane", "douanewaarde", "waarde voor douanedoeleinden"]),
    ]

    /// Taxes a price's header says it is given without or with (`excl. btw`, `incl. VAT`, `zzgl. MwSt.`).
    static let taxWords: Set<String> = ["vat", "btw", "mwst", "ust", "gst", "tva", "tax", "taxes", "iva", "hst"]
    static let taxQualifiers: Set<String> = ["excl", "incl", "exkl", "inkl", "ex", "inc", "zzgl", "hors", "plus", "excluding", "including",
                                             "exclusive", "inclusive", "exclusief", "inclusief", "before", "after", "ohne", "mit", "sans", "avec"]

    /// Weight labels of one bare word (`brutto 251,400 kg`, `netto 176 kg`): a weight only with its unit
    /// after it, since `Betrag brutto` is money.
    static let bareWeightLabels: Set<String> = ["netto", "net", "brutto", "bruto", "gross"]

    /// Totals that name a weight on a packing list only (on an invoice `Total net` is an amount).
    static let packingWeightTotals: [(field: String, phrases: [String])] = [
        ("net_weight", ["total net", "totaal netto", "netto totaal", "gesamt netto", "netto gesamt", "total netto", "total poids net"]),
        ("gross_weight", ["total gross", "gross total", "totaal bruto", "bruto totaal", "gesamt brutto", "brutto gesamt",
                          "summe brutto", "total brutto", "total brut", "total poids brut"]),
    ]

    /// A packing list's own number, which the document's number is on a packing list (an invoice
    /// that cites its packing list's number is not numbered by it).
    /// The packages a packing list groups its goods by, in a heading across its table (`Pallet 1 of 2`).
    static let packageWords: Set<String> = ["pallet", "palette", "palet", "pallett", "carton", "karton", "box", "crate", "case",
                                            "kiste", "colis", "kolli", "collo", "doos", "skid", "package", "packstuck",
                                            // Textiles ship in bales, bulk goods in bags, drums and rolls.
                                            "bale", "bundle", "roll", "drum", "bag", "sack", "reel", "coil", "barrel",
                                            // Tea ships in chests.
                                            "chest",
                                            "ballen", "rolle", "fass", "balle", "sac", "rouleau", "baal", "zak", "rol", "caisse", "kist", "krat"]

    /// Headers that name the kind of package a row is packed in (`Gebinde`, `Verpackung`), beside its count.
    static let packageKindHeaders: Set<String> = ["gebinde", "gebindeart", "verpackung", "verpackungsart", "package type", "type of package",
                                                  "kind of package", "packaging type", "type d emballage", "verpakkingstype", "soort verpakking"]

    /// Words that make an exception to what a statement says of every line (`behalve artikel …`).
    static let exceptWords: Set<String> = ["behalve", "except", "excepted", "ausser", "sauf", "excepte", "uitgezonderd"]

    /// Plurals of packages that are not the singular and an `s` (`Packstücke`, `Kolli`, `pièces` is no package).
    static let packagesPlural: Set<String> = ["packstucke", "kartons", "kisten", "paletten", "colli", "kratten", "pallets", "caisses", "pkgs",
                                              "rouleaux"]

    static let packingListNumbers = ["packing list no", "packing list number", "packing list nr", "packing list #", "pl no", "p l no",
                                     "packliste nr", "packlisten nr", "packlistennummer", "liste de colisage n", "liste de colisage no",
                                     "paklijst nr", "paklijstnummer",
                                     // A delivery note's or packing slip's own number, beside the invoice's it cites (`Pakbonnummer | Factuurnummer`).
                                     "pakbon nr", "pakbonnummer", "packing slip no", "packing slip number", "delivery note no", "delivery note number",
                                     "lieferschein nr", "lieferscheinnummer", "bon de livraison n",
                                     // The French list's own number (`N° de colisage : CL-2026/1147`) beside its invoice's.
                                     "n de colisage", "no de colisage", "numero de colisage", "n de la liste de colisage", "liste d emballage n"]

    /// What a money cell prints for goods given free of charge.
    static let noCharge: Set<String> = ["n c", "nc", "foc", "f o c", "free of charge", "no charge", "free", "gratis", "kostenlos", "sans frais", "gratuit"]

    /// The headers of a column of line numbers.
    static let positionHeaders: Set<String> = Set(headers.first { $0.column == .position }?.phrases ?? [])

    /// Table column headers.
    static let headers: [(column: Column, phrases: [String])] = [
        (.position, ["pos", "no", "nr", "n", "item", "#", "line", "ln", "sl", "sl no", "s no", "sr", "sr no", "sno", "lfd nr"]),
        (.reference, ["ref", "reference", "sku", "art nr", "art no", "article no", "article number", "item no", "item number",
                      "item code", "product code", "part no", "part number", "artikelnr", "artikel nr", "artikel no",
                      // `Art.` over an article number, in German and Dutch.
                      "art", "artikelnummer", "bestellnr",
                      "code article", "reference article", "artikelcode", "code", "item code",
                      // A commodity sold by the lot (`Lot No`), or a batch.
                      "lot no", "lot nr", "lot number", "lot", "batch no", "batch",
                      // A garment's style number (`Style No.`).
                      "style no", "style nr", "style number"]),
        (.description, ["description of goods", "name of goods", "name of the goods", "name of product", "product name", "item description", "description", "goods", "article", "product",
                        "bezeichnung", "beschreibung", "artikel", "warenbezeichnung", "artikelbezeichnung",
                        "designation", "libelle", "marchandise", "omschrijving", "artikelomschrijving", "product",
                        // A packing list's contents (`Inhalt`) are its goods.
                        "inhalt", "contents", "contenu", "inhoud", "warenbeschreibung",
                        // A commodity's lots are named by their grade (`Mark / Grade`: a tea garden's mark and grade).
                        "mark grade", "grade",
                        // A customs invoice form's goods (`12. Specification of commodities`).
                        "specification of commodities", "specification of goods", "description of commodities",
                        // An accounting package's goods or services (`ACTIVITY | QTY | RATE | AMOUNT`).
                        "activity", "product service", "product or service",
                        // A commodity's name (`Commodity | HS Code | Qty (MT)`).
                        "commodity", "commodities", "description of commodity",
                        // An e-invoice's printed view in the standard's own terms (EN 16931: `Item name`).
                        "item name", "article name",
                        // Garments named by their style and colour (`Style / Colour`), and a shop's `Items`.
                        "style colour", "style color", "style description", "style and description", "items"]),
        (.hsCode, ["hs code", "hs", "h s code", "h s", "h s no", "hs no", "hs nr", "hs number", "hs tariff", "hsn", "hsn code", "hsn sac", "harmonized tariff no", "harmonized tariff number",
                   "harmonized code", "harmonised code", "harmonized tariff", "tariff no", "tariff number", "commodity code", "tariff code", "hts code", "hts", "customs code",
                   "zolltarifnr", "zolltarifnummer", "warentarifnummer", "warennummer", "warennr", "stat nr",
                   "code sh", "code douanier", "nomenclature", "gn code", "gs code", "goederencode",
                   // The EU's Combined Nomenclature (`CN code`, eight digits).
                   "cn code", "cn", "cn no", "kn code", "nc code",
                   // Turkey's tariff number (`GTİP No`).
                   "gtip", "gtip no",
                   // Mercosur's eight-digit nomenclature on Brazilian and Argentine invoices (`NCM`).
                   "ncm", "ncm code"]),
        (.origin, ["country of origin", "origin", "coo", "made in", "country of manufacture", "country of manufacturing", "ursprung", "ursprungsland", "origine", "pays d origine",
                   "oorsprong", "land van oorsprong"]),
        (.quantity, ["qty", "q ty", "quantity", "no of units", "number of units", "quant", "menge", "anzahl", "qte", "quantite", "aantal", "hoeveelheid",
                     "stuck", "stk", "stuckzahl", "stuks",
                     // Flowers are counted by the stem (`Stelen`, `Stems`).
                     "stelen", "stems",
                     // Wine and spirits by the bottle beside their cases (`Cases | Bottles | Price per bottle`).
                     "bottles", "btls", "flessen", "flaschen", "bouteilles",
                     // Fabric is counted by the metre or yard (`Metres`), the column's header its unit.
                     "metres", "meters", "mtrs", "yards",
                     // A packing list's whole quantity beside the quantity per carton (`Qty/Ctn | Total Qty`).
                     "total qty", "total quantity", "total pcs", "total units",
                     // Pieces beside a count of boxes (`Aantal dozen | Aantal stuks`).
                     "aantal stuks", "anzahl stuck", "nombre de pieces", "number of pieces", "no of pieces",
                     // Pieces alone beside the cartons (`Cartons | Pcs | N.W. kg`).
                     "pcs", "pieces",
                     // Tiles and flooring by the square metre, the column's header its unit (`Pallets | SQM | USD/SQM`).
                     "sqm", "sq m", "m2", "m²", "square metres", "square meters", "qm",
                     // A delivery note's or packing slip's counts, ordered beside delivered and still owed
                     // (`Besteld | Geleverd | Nog te leveren`): `oneOfEachKind` reads the delivered.
                     "ordered", "shipped", "delivered", "back ordered", "bestellt", "geliefert", "offen", "reste a livrer",
                     "besteld", "geleverd", "nog te leveren"]),
        // What the price is for (`PE 100`: the price of a hundred pieces), in German wholesale.
        (.priceUnit, ["pe", "preiseinheit", "prijseenheid",
                      // SAP's `Preis | pro | Wert`: the price's quantity beside it (`100 ST`).
                      "pro"]),
        (.unit, ["unit", "uom", "unit of measure", "unit of measurement", "einheit", "me", "unite", "eenheid",
                 // Italian invoices' `U.M.` (unità di misura), also in their English.
                 "u m", "unit code", "unit of measure code"]),
        (.unitPrice, ["unit price", "u price", "price each",
                      // Austrian and German trade's `EP` (Einzelpreis) beside `GP` (Gesamtpreis).
                      "ep", "unit value", "price", "rate", "einzelpreis",
                      // A value for customs, by the piece (`Wert je Stück EUR`).
                      "wert je stuck", "wert pro stuck", "stuckwert", "einzelwert", "value per unit", "value each", "valeur unitaire",
                      "waarde per stuk", "stuckpreis", "preis", "e preis",
                      "prix unitaire", "prix unit", "prix", "pu", "p u", "prijs per stuk", "stukprijs", "eenheidsprijs", "prijs",
                      "unit cost", "cost per unit", "price per unit",
                      // A VAT invoice's price before tax (`Net unit price | Net value | VAT rate | VAT amount | Gross value`).
                      "net unit price", "net price", "unit net price", "unit price net",
                      // The price before a line's discount, beside the net price paid (`List Price | Disc % | Net Price`).
                      "list price", "unit list price",
                      // The same in one German or Dutch word (`Einzelpreis | Rabatt % | Nettopreis`).
                      "nettopreis", "nettoeinzelpreis", "nettoprijs", "listenpreis", "lijstprijs"]),
        (.amount, ["amount", "line total", "total", "value", "total value", "gesamtwert", "valeur totale", "totale waarde",
                   "line net amount", "line amount", "line extension amount", "net value", "net amount", "gross value", "gross amount", "gesamtpreis", "gesamt", "betrag", "summe", "wert",
                   "montant", "total ligne", "montant ht", "bedrag", "totaal", "gp",
                   // American ERPs' quantity times net price (`Extended`, `Ext. Price`).
                   "extended", "extended price", "extended amount", "ext price", "ext amount", "extension"]),
        (.packages, ["packages", "pkgs", "cartons", "ctns", "cases", "no of cases", "number of cases", "kolli", "packstucke", "colis", "colli", "pakketten", "anz kolli",
                     // Not `Anzahl Kolli` nor `Aantal Colli`: `Anzahl | Kolli` are two columns side by side as often.
                     "nb colis", "nbre colis", "nombre de colis", "no of packages", "number of packages", "no of ctns", "no of cartons",
                     "no of pkgs", "no of bags", "number of bags", "no of bales", "number of bales", "no of rolls", "no of drums",
                     // Boxes counted beside their pieces (`Aantal dozen`, `Anzahl Kartons`).
                     // Not the kind alone (`boxes`, `bags`): a sentence under the table names them beside its weights
                     // (`Shipping details 500 boxes on 6 pallets  Net wt …  Gross wt …`) and read as a second header.
                     "aantal dozen", "anzahl kartons", "nbre de cartons", "nombre de cartons", "no of boxes", "number of boxes",
                     // Spanish beside English on Mexican and Spanish packing lists (`Cajas / Boxes`, `Bultos`).
                     "cajas", "bultos",
                     // Pallets counted (`No. of pallets`); a packing list's bare `Pallets` numbers one pallet a row, below.
                     "no of pallets", "number of pallets", "anzahl paletten", "nombre de palettes", "aantal pallets"]),
        (.netWeight, ["net weight", "net wt", "net", "nw", "n w", "netto", "nettogewicht", "poids net", "net kg",
                      "total n w", "total nw", "total net weight", "total net wt"]),
        (.grossWeight, ["gross weight", "gross wt", "gross", "gw", "g w", "brutto", "bruttogewicht", "poids brut", "bruto", "brutogewicht",
                        "total g w", "total gw", "total gross weight", "total gross wt"]),
        // Shipping marks, carton numbers and volumes, printed beside the goods but not read.
        (.other, [// A preferential origin's criterion beside the origin (`Pref. criterion`: `A`, `B`).
                  "pref criterion", "preference criterion", "origin criterion", "criterion",
                  // A crate's number (`Kiste / Crate | 1`), `packagesByNumber`'s.
                  "kiste", "crate",
                  "marks", "marks nos", "marks and nos", "marks and numbers", "shipping marks", "c no", "c nos", "ctn no", "ctn nos",
                  "carton no", "carton nos", "case no", "case nos", "crate no", "crate nos", "pallet no", "pallet nos", "kiste nr",
                  "bale no", "bale nos", "roll no", "roll nos", "c t no", "c t nos", "ct no", "ct nos",
                  // Which pallet (`Palette | P1`), one package a row.
                  "palette", "pallet",
                  // Pieces in each carton (`Pcs / ctn`) beside a quantity of cartons.
                  "pcs ctn", "pcs per ctn", "pcs per carton", "pieces per carton", "units per carton", "units ctn", "stk karton", "stk pro karton",
                  "colis n", "colis no", "kolli nr", "colli nr", "caisse n", "caisse no", "caisses n", "boite n", "boite no", "doos nr", "krat nr", "meas", "measurement", "measurements", "volume", "cbm",
                  "markierung", "zeichen und nummern", "marques", "marques et numeros", "merken", "volumen", "volumineux",
                  "dimensions", "dimension", "dims", "abmessungen", "afmetingen", "carton size", "carton dimensions", "size",
                  "masse", "masse l b h", "l b h", "l x b x h", "lxbxh",
                  // The kind of package (`Palette`, `Karton`) beside its count. Not `Emballage` nor `Packaging`,
                  // which under an invoice's table name a charge more often than a column (`Emballage et port
                  // 185.00` under `Total marchandises` read as a header of three columns).
                  "verpackung", "verpackungsart",
                  // The container a row's goods are filled in (`Gebinde | Stahlfass 200 l`), its size no quantity.
                  "gebinde", "gebindeart", "package type", "type of package", "kind of package", "packaging type", "type d emballage",
                  "verpakkingstype", "soort verpakking",
                  // A flower grower's containers (`Fust`), counted beside the stems; the invoice's colli are its packages.
                  "fust",
                  // A line's tax rate or tax (`VAT % | 0%`) is neither its price nor its amount (`%` is no token).
                  "vat", "vat rate", "tax rate", "vat amount", "tax amount", "vat value", "montant tva", "btw bedrag", "mwst betrag", "mwst", "mwst satz", "ust", "steuersatz", "tva", "taux tva", "btw"]),
        // A discount beside the unit price (`Korting 10 %`): the line total is what was charged after it.
        (.discount, ["discount", "discount %", "disc", "rabatt", "rabatt %", "remise", "rabais", "korting"]),
    ]

    /// Titles of a delivery note, a packing list's kind only when printed as the page's title: an invoice names its delivery note too.
    static let deliveryNoteTitles: Set<String> = ["lieferschein", "delivery note", "bon de livraison"]

    static let titles: [(kind: DocumentKind, phrases: [String])] = [
        (.packingList, ["packing list", "packliste", "packschein", "liste de colisage", "colisage", "paklijst", "pakbon",
                        // A delivery note lists what a parcel holds, as a packing list does (`deliveryNoteTitles`).
                        "lieferschein", "delivery note", "bon de livraison",
                        // Bulk goods' list of packages and weights (`PACKING & WEIGHT LIST`).
                        "packing weight list", "packing and weight list", "weight and packing list", "weight list", "packing specification",
                        // Quebec's and Belgium's French (`LISTE D'EMBALLAGE`), and Dutch.
                        "liste d emballage", "verpakkingslijst"]),
        (.certificate, ["statement on origin", "origin declaration", "declaration of origin", "certificate of origin",
                        // The form of CPTPP, RCEP and USMCA (`CERTIFICATION OF ORIGIN`, its data elements in numbered boxes).
                        "certification of origin",
                        // The movement certificates of the EU's preferential agreements.
                        "eur 1", "eur med", "movement certificate",
                        "ursprungserklarung", "ursprungszeugnis", "declaration d origine", "certificat d origine",
                        "oorsprongsverklaring", "certificaat van oorsprong"]),
        (.invoice, ["commercial invoice", "proforma invoice", "pro forma invoice", "tax invoice", "invoice", "rechnung",
                    "handelsrechnung", "facture", "facture commerciale", "factuur", "handelsfactuur",
                    // French and Dutch put `proforma` after the noun (`FACTURE PROFORMA N° PF-2026-118`).
                    "facture proforma", "facture pro forma", "proforma factuur", "pro forma factuur",
                    // An export invoice in one German or Dutch word (`Ausfuhrrechnung 26-AR-0512`), and in English and French.
                    "ausfuhrrechnung", "exportrechnung", "export invoice", "exportfactuur", "facture d exportation", "facture export"]),
    ]

    /// Words of the statement on origin (EU-UK TCA and the EU's other agreements), in four languages.
    /// The agreement a statement on origin is made under, which it does not name: the exporter's side (`EU`, `UK`) and the
    /// importer's country decide.
    static let agreementsByPartner: [String: [CountryCode: String]] = {
        // Each agreement read from either side: a Korean exporter's statement to a buyer in Germany is
        // the EU–Korea agreement's as much as a German exporter's to Seoul. The UK as a buyer's country is `GB`.
        var both = agreementsFromEUAndUK
        for (origin, partners) in agreementsFromEUAndUK {
            for (partner, agreement) in partners {
                both[partner.rawValue, default: [:]][origin == "UK" ? "GB" : CountryCode(origin)] = agreement
            }
        }
        return both
    }()

    /// The agreements by the EU's or the UK's side; `EU` as a partner stands for any member state as the
    /// importer (Switzerland, the EEA's other members and the deep and comprehensive free trade areas
    /// trade with the EU under their own agreements).
    static let agreementsFromEUAndUK: [String: [CountryCode: String]] = [
        "EU": ["JP": "EU-JP EPA", "CA": "CETA", "KR": "EU-KR FTA", "SG": "EU-SG FTA", "VN": "EU-VN FTA", "NZ": "EU-NZ FTA",
               "CH": "EU-CH FTA", "NO": "EEA", "IS": "EEA", "LI": "EEA",
               "UA": "EU-UA DCFTA", "MD": "EU-MD DCFTA", "GE": "EU-GE DCFTA",
               // The Euro-Mediterranean association agreements (`origine préférentielle marocaine`).
               "MA": "EU-MA AA", "TN": "EU-TN AA", "DZ": "EU-DZ AA", "EG": "EU-EG AA", "JO": "EU-JO AA", "LB": "EU-LB AA",
               "IL": "EU-IL AA",
               // The economic partnership agreements with African and Caribbean states, and the association and
               // trade agreements with Latin America, whose statements on origin read like the others.
               "ZA": "EU-SADC EPA", "BW": "EU-SADC EPA", "NA": "EU-SADC EPA", "LS": "EU-SADC EPA", "SZ": "EU-SADC EPA",
               "MZ": "EU-SADC EPA", "MG": "EU-ESA EPA", "MU": "EU-ESA EPA", "SC": "EU-ESA EPA", "ZW": "EU-ESA EPA",
               "KM": "EU-ESA EPA", "KE": "EU-KE EPA", "GH": "EU-GH EPA", "CI": "EU-CI EPA", "CM": "EU-CM EPA",
               "MX": "EU-MX GA", "CL": "EU-CL AA", "CO": "EU-CO-PE-EC TA", "PE": "EU-CO-PE-EC TA", "EC": "EU-CO-PE-EC TA"],
        // The UK's own agreements, most continuing the EU's (`UK-KR FTA`, `UK-CA TCA`), and its new ones.
        "UK": ["JP": "UK-JP CEPA", "AU": "UK-AU FTA", "NZ": "UK-NZ FTA", "KR": "UK-KR FTA", "CA": "UK-CA TCA", "CH": "UK-CH TA",
               "NO": "UK-EEA FTA", "IS": "UK-EEA FTA", "LI": "UK-EEA FTA", "SG": "UK-SG FTA", "VN": "UK-VN FTA", "TR": "UK-TR FTA",
               "MX": "UK-MX TCA", "UA": "UK-UA PFTA", "MA": "UK-MA AA", "IL": "UK-IL TCA", "CL": "UK-CL AA",
               "ZA": "UK-SACUM EPA", "BW": "UK-SACUM EPA", "NA": "UK-SACUM EPA", "LS": "UK-SACUM EPA", "SZ": "UK-SACUM EPA",
               "MZ": "UK-SACUM EPA", "KE": "UK-KE EPA", "GH": "UK-GH TPA", "CI": "UK-CI EPA", "CM": "UK-CM EPA",
               "CO": "UK-Andean TA", "PE": "UK-Andean TA", "EC": "UK-Andean TA"],
    ]

    /// Schemes of preferences a beneficiary's statement on origin names in its text (the EU's GSP
    /// statement with a REX number, the UK's DCTS), in four languages.
    static let preferenceSchemes: [(agreement: String, phrases: [String])] = [
        ("EU GSP", ["generalised system of preferences of the european union", "generalized system of preferences of the european union",
                    "allgemeinen praferenzsystems der europaischen union", "systeme des preferences generalisees de l union europeenne",
                    "stelsel van algemene preferenties van de europese unie"]),
        ("UK DCTS", ["developing countries trading scheme"]),
    ]

    /// Agreements among many parties, named on the certification's form rather than derived from the
    /// exporter's and importer's countries (the UK and Malaysia trade under CPTPP), matched as whole words.
    static let plurilateralAgreements: [(agreement: String, phrases: [String])] = [
        ("CPTPP", ["comprehensive and progressive agreement for trans pacific partnership", "cptpp"]),
        ("RCEP", ["regional comprehensive economic partnership", "rcep"]),
        ("USMCA", ["united states mexico canada agreement", "canada united states mexico agreement", "usmca", "cusma", "t mec"]),
    ]

    /// Adjectives of nationality, in four languages, that name where goods come from in a sentence
    /// (`Goods of Italian origin`, `Marchandises d'origine française`, `origine préférentielle suisse`,
    /// `Waren deutschen Ursprungs`). German endings are added below; French feminines are listed.
    static let nationalities: [String: CountryCode] = {
        let stems: [String: [String]] = [
            "DE": ["german", "deutsch", "allemand", "allemande", "duits", "duitse"],
            "FR": ["french", "franzosisch", "francais", "francaise", "frans", "franse"],
            "IT": ["italian", "italienisch", "italien", "italienne", "italiaans", "italiaanse"],
            "CH": ["swiss", "schweizerisch", "suisse", "zwitsers", "zwitserse"],
            "NL": ["dutch", "niederlandisch", "neerlandais", "neerlandaise", "nederlands", "nederlandse"],
            "BE": ["belgian", "belgisch", "belge", "belgische"],
            "AT": ["austrian", "osterreichisch", "autrichien", "autrichienne", "oostenrijks", "oostenrijkse"],
            "ES": ["spanish", "spanisch", "espagnol", "espagnole", "spaans", "spaanse"],
            "PT": ["portuguese", "portugiesisch", "portugais", "portugaise", "portugees", "portugese"],
            "GB": ["british", "britisch", "britannique", "brits", "britse"],
            "IE": ["irish", "irisch", "irlandais", "irlandaise", "iers", "ierse"],
            "PL": ["polish", "polnisch", "polonais", "polonaise", "pools", "poolse"],
            "CZ": ["czech", "tschechisch", "tcheque", "tsjechisch", "tsjechische"],
            "FI": ["finnish", "finnisch", "finlandais", "finlandaise", "fins", "finse"],
            "SE": ["swedish", "schwedisch", "suedois", "suedoise", "zweeds", "zweedse"],
            "DK": ["danish", "danisch", "danois", "danoise", "deens", "deense"],
            "NO": ["norwegian", "norwegisch", "norvegien", "norvegienne", "noors", "noorse"],
            "US": ["american", "amerikanisch", "americain", "americaine", "amerikaans", "amerikaanse"],
            "CA": ["canadian", "kanadisch", "canadien", "canadienne", "canadees", "canadese"],
            "CN": ["chinese", "chinesisch", "chinois", "chinoise", "chinees"],
            "JP": ["japanese", "japanisch", "japonais", "japonaise", "japans", "japanse"],
            "KR": ["korean", "koreanisch", "coreen", "coreenne", "koreaans", "koreaanse"],
            "IN": ["indian", "indisch", "indien", "indienne", "indiaas", "indiase"],
            "VN": ["vietnamese", "vietnamesisch", "vietnamien", "vietnamienne", "vietnamees"],
            "TH": ["thai", "thailandisch", "thailandais", "thailandaise", "thais", "thaise"],
            "TR": ["turkish", "turkisch", "turc", "turque", "turks", "turkse"],
            "TW": ["taiwanese", "taiwanesisch", "taiwanais", "taiwanaise", "taiwanees"],
            "BD": ["bangladeshi"], "PK": ["pakistani"], "KH": ["cambodian"],
            "PH": ["philippine", "filipino", "philippin", "philippinisch", "filipijns", "filipijnse"],
            "MY": ["malaysian", "malaysisch", "malaisien", "malaisienne", "maleisisch", "maleisische"],
            "ID": ["indonesian", "indonesisch", "indonesien", "indonesienne", "indonesische"],
            "TN": ["tunisian", "tunesisch", "tunisien", "tunisienne", "tunesische"],
            "MA": ["moroccan", "marokkanisch", "marocain", "marocaine", "marokkaans", "marokkaanse"],
            "MX": ["mexican", "mexikanisch", "mexicain", "mexicaine", "mexicaans", "mexicaanse"],
            "BR": ["brazilian", "brasilianisch", "bresilien", "bresilienne", "braziliaans", "braziliaanse"],
        ]
        var m: [String: CountryCode] = [:]
        for (code, words) in stems {
            for w in words {
                m[w] = CountryCode(code)
                // German adjectives decline (`deutschen Ursprungs`, `schweizerischer Herkunft`).
                if w.hasSuffix("isch") || w == "deutsch" { for e in ["e", "en", "er", "es"] { m[w + e] = CountryCode(code) } }
            }
        }
        return m
    }()

    /// The words for origin next to which an adjective of nationality names the goods' country.
    static let originWords: Set<String> = ["origin", "origine", "ursprungs", "ursprung", "herkunft", "oorsprong", "provenance"]

    /// Words before `in` and a country in a declaration of origin (`the goods were produced in China`).
    static let producedWords: Set<String> = ["produced", "manufactured", "originate", "originating", "obtained"]

    /// How a line naming the delivery note or order of the lines under it starts, normalised.
    static let referenceHeadings = ["lieferschein", "lieferschein nr", "lieferscheinnummer", "ls nr", "delivery note", "delivery note no",
                                    "bon de livraison", "bl n", "pakbon", "afleverbon", "leverbon", "auftrag", "auftrag nr", "ihr auftrag",
                                    "your order", "order no", "commande n", "votre commande", "uw order", "uw bestelling"]

    /// Where an invoice's goods were made, in a sentence of its own (`All goods made in the USA.`), in four languages.
    static let madeInPhrases: Set<String> = ["made in", "produced in", "manufactured in", "hergestellt in", "gefertigt in", "produziert in",
                                             "fabrique en", "fabriques en", "fabrique au", "fabriques au", "fabrique aux", "fabriques aux",
                                             "gemaakt in", "vervaardigd in", "geproduceerd in",
                                             // Craft goods (`Handgemaakt in Nederland`, `Handmade in Ireland`, `Handgefertigt in Österreich`).
                                             "handgemaakt in", "handmade in", "handgefertigt in", "fait main en",
                                             // `Product of USA.`, `Produce of Spain`, `Produit de France`: only with a country after it.
                                             "product of", "produce of", "produit de", "produits de", "product van", "erzeugnis aus"]

    static let preferentialWords = ["preferential", "praferenzbegunstigte", "praferenzbegunstigt", "preferentielle", "preferentiele"]

    static let months: [String: Int] = {
        var m: [String: Int] = [:]
        let names: [[String]] = [
            ["january", "jan", "januar", "janvier", "janv", "januari", "jan"],
            ["february", "feb", "februar", "fevrier", "fevr", "fev", "februari"],
            ["march", "mar", "marz", "maerz", "mars", "maart", "mrt"],
            ["april", "apr", "avril", "avr"],
            ["may", "mai", "mei"],
            ["june", "jun", "juni", "juin"],
            ["july", "jul", "juli", "juillet", "juil"],
            ["august", "aug", "aout", "augustus"],
            ["september", "sep", "sept", "septembre"],
            ["october", "oct", "oktober", "okt", "octobre"],
            ["november", "nov", "novembre"],
            ["december", "dec", "dezember", "dez", "decembre"],
        ]
        for (i, list) in names.enumerated() { for n in list { m[n] = i + 1 } }
        return m
    }()

    /// A movement certificate's (EUR.1, EUR-MED) box labels in the four languages, normalized: the
    /// form is the same everywhere, its printed labels are the issuing country's.
    static let movementBoxes = (
        parties: ["preferential trade between", "praferenzverkehr zwischen", "echanges preferentiels entre", "preferentieel handelsverkeer tussen",
                  "preferentiele handelsverkeer tussen"],
        and: ["and", "und", "et", "en"],
        union: ["european union", "eu", "european community", "ec", "europaischen union", "europaische union", "union europeenne",
                "europese unie", "ue", "eg"],
        origin: ["considered as originating", "ursprungserzeugnisse", "ursprungswaren", "considerees comme originaires", "als van oorsprong"],
        grossMass: ["gross mass", "rohgewicht", "masse brute", "brutogewicht", "brutomassa",
                    // A GSP certificate's box 9 (Form A: `Gross weight or other quantity`).
                    "gross weight"],
        packages: ["number and kind of packages", "anzahl und art der packstucke", "nombre et nature des colis", "aantal en soort",
                   // An American chamber's form (`NO. AND KIND OF PACKAGES`).
                   "no and kind of packages"],
        invoices: ["invoices", "rechnungen", "factures", "facturen"]
    )

    /// How an addressee's attention line starts (`t.a.v. inkoop`, `Attn: Purchasing`, `z. Hd. Frau Berger`), normalised.
    static let attentionLines = ["t a v", "tav", "attn", "attention", "z hd", "zhd", "zu handen", "a l attention", "ter attentie"]

    /// Words that make a party's label an authorisation's (`Exportateur agréé n°`, `Approved exporter No.`).
    static let approvalWords: Set<String> = ["agree", "approved", "authorised", "authorized", "registered", "zugelassener", "ermachtigter",
                                             "toegelaten", "erkende", "autorise"]

    /// Printed units to UN/ECE Rec 20 codes.
    static let units: [String: UnitCode] = [
        "pcs": "PCE", "pc": "PCE", "pce": "PCE", "pces": "PCE", "piece": "PCE", "pieces": "PCE", "stk": "PCE", "st": "PCE",
        "stuck": "PCE", "stuks": "PCE",
        // Mexican invoices' `PZA` (pieza), Indian ones' `Nos`.
        "pza": "PCE", "pzas": "PCE", "pieza": "PCE", "piezas": "PCE", "nos": "PCE",
        // Italian invoices' `pz` (pezzi).
        "pz": "PCE", "pzi": "PCE", "pezzi": "PCE",
        // Polish invoices' `szt.` (sztuk).
        "szt": "PCE", "ea": "EA", "each": "EA", "unit": "PCE", "units": "PCE", "u": "PCE",
        "pk": "PK", "pack": "PK", "packs": "PK", "pkg": "PK", "paq": "PK", "pak": "PK", "paquet": "PK",
        "kg": "KGM", "kgs": "KGM", "g": "GRM", "l": "LTR", "ltr": "LTR", "m": "MTR",
        "lb": "LBR", "lbs": "LBR", "pound": "LBR", "pounds": "LBR", "tonne": "TNE", "tonnes": "TNE",
        // The tonne's symbol (`Qty, t`, `Price per t`), and the units of Russian-language invoices (`т`, `кг`, `шт`).
        "t": "TNE", "т": "TNE", "тн": "TNE", "кг": "KGM", "шт": "PCE",
        "mtr": "MTR", "mtrs": "MTR", "metre": "MTR", "metres": "MTR", "meter": "MTR", "meters": "MTR",
        "yd": "YRD", "yds": "YRD", "yard": "YRD", "yards": "YRD",
        "btl": "BO", "bottle": "BO", "fl": "BO", "flasche": "BO", "bout": "BO", "bouteille": "BO", "fles": "BO",
        "pr": "PR", "prs": "PR", "pair": "PR", "pairs": "PR", "paar": "PR", "paire": "PR", "set": "SET", "sets": "SET",
        // A set in German and French (`6 Satz`, `4 jeux`); coffee, cocoa and grain by the bag (`320 BAGS`).
        "satz": "SET", "satze": "SET", "jeu": "SET", "jeux": "SET", "bag": "BG", "bags": "BG",
        // Timber and boards by the cubic or square metre (`8,64 m³`, `96 m²`).
        // Rec 20's codes for a piece and for one, as e-invoices print them.
        "h87": "PCE", "c62": "PCE",
        "m3": "MTQ", "m³": "MTQ", "cbm": "MTQ", "m2": "MTK", "m²": "MTK", "sqm": "MTK", "qm": "MTK",
        "box": "BX", "boxes": "BX", "doos": "BX", "coffret": "BX", "coffrets": "BX", "ctn": "CT", "ctns": "CT", "carton": "CT", "cartons": "CT", "dz": "DZN", "dozen": "DZN", "doz": "DZN", "dzn": "DZN", "dozens": "DZN",
    ]

    /// Country names in four languages (and the English ISO names) to ISO 3166-1 codes.
    /// How a state's formal name begins before its short name (`Kingdom of Bahrain`).
    static let formalStateStyles = ["kingdom of", "the kingdom of", "republic of", "the republic of", "state of", "the state of",
                                    "sultanate of", "the sultanate of", "federal republic of", "people s republic of", "principality of",
                                    "grand duchy of", "commonwealth of", "royaume de", "republique de", "konigreich", "republik", "koninkrijk",
                                    // A state's style that names its people or faith first (`Arab Republic of Egypt`).
                                    "arab republic of", "the arab republic of", "islamic republic of", "the islamic republic of",
                                    "socialist republic of", "united republic of", "hashemite kingdom of",
                                    "plurinational state of", "bolivarian republic of", "oriental republic of"]

    static let countries: [String: CountryCode] = {
        var m: [String: CountryCode] = [:]
        for code in CountryCode.allAssigned {
            if let name = code.name { m[normalize(name)] = code }
        }
        let extra: [String: [String]] = [
            "GB": ["united kingdom", "uk", "great britain", "england", "scotland", "wales", "vereinigtes konigreich", "grossbritannien",
                   "royaume uni", "verenigd koninkrijk", "groot brittannie"],
            "DE": ["germany", "deutschland", "allemagne", "duitsland"],
            "FR": ["france", "frankreich", "frankrijk"],
            "NL": ["netherlands", "the netherlands", "nederland", "niederlande", "pays bas", "holland"],
            "BE": ["belgium", "belgien", "belgique", "belgie"],
            "CH": ["switzerland", "schweiz", "suisse", "zwitserland"],
            "AT": ["austria", "osterreich", "autriche", "oostenrijk"],
            "IT": ["italy", "italien", "italie", "italia"],
            "ES": ["spain", "spanien", "espagne", "spanje", "espana"],
            "US": ["united states", "usa", "u s a", "united states of america", "vereinigte staaten", "etats unis", "verenigde staten"],
            "IN": ["india", "indien", "inde"],
            "CN": ["china", "chine", "volksrepublik china"],
            "SE": ["sweden", "schweden", "suede", "zweden", "sverige"],
            "PT": ["portugal"], "PL": ["poland", "polen", "pologne"], "CZ": ["czech republic", "czechia", "tschechien", "tchequie", "tsjechie"],
            "DK": ["denmark", "danemark", "danmark", "denemarken", "danemark"], "IE": ["ireland", "irland", "irlande", "ierland"],
            "JP": ["japan", "japon"], "VN": ["vietnam", "viet nam"], "TW": ["taiwan"], "MX": ["mexico", "mexiko", "mexique"],
            "CA": ["canada", "kanada"], "AU": ["australia", "australien", "australie"], "NO": ["norway", "norwegen", "norvege", "noorwegen"],
            "TR": ["turkey", "turkei", "turquie", "turkije"], "MA": ["maroc", "marokko"],
            "AE": ["uae", "u a e", "vereinigte arabische emirate", "emirats arabes unis", "verenigde arabische emiraten"],
            "ZA": ["sudafrika", "afrique du sud", "zuid afrika"], "SG": ["singapur", "singapour"], "LU": ["luxemburg"],
            "TN": ["tunisie", "tunesien", "tunesie"], "DZ": ["algerie", "algerien", "algerije"], "EG": ["egypte", "agypten"],
            "PH": ["philippinen", "filipijnen"], "MY": ["malaisie"], "ID": ["indonesie", "indonesien"], "TH": ["thailande"],
            "BR": ["bresil", "brasilien", "brazilie", "brasil"], "GR": ["grece", "griechenland", "griekenland"], "HU": ["hongrie", "ungarn", "hongarije"],
            "RO": ["roumanie", "rumanien", "roemenie"], "FI": ["finlande", "finnland"], "AR": ["argentine", "argentinien", "argentinie"],
            "NZ": ["neuseeland", "nouvelle zelande", "nieuw zeeland"], "RU": ["russie", "russland", "rusland"],
            "KR": ["korea", "south korea", "republic of korea", "korea republic", "rep of korea", "sudkorea", "coree du sud", "zuid korea"], "HK": ["hong kong"],
        ]
        for (code, names) in extra { for n in names { m[n] = CountryCode(code) } }
        return m
    }()

    /// The sum carried from one page of a table to the next, as one word or as a phrase.
    static let carriedForward: Set<String> = ["ubertrag", "uebertrag", "overdracht"]
    static let carriedForwardPhrases = ["carried forward", "brought forward", "a reporter", "report de la page", "van vorige pagina",
                                        "naar volgende pagina"]

    /// The signs that number a thing on their own (`N° 0871`, `No. 0871`, `Nr. 0871`), as normalised,
    /// and the words, under the title, whose colon a scan may lose (`Numéro  BAM-2026-0917`).
    static let numberSigns: Set<String> = ["n", "no", "nr", "#", "numero", "nummer", "number"]

    /// The parties of the EU–UK statement on origin, named in words.
    static let statementOrigins: [(phrase: String, origin: String)] = [
        ("european union", "EU"), ("europaischen union", "EU"), ("europaische union", "EU"), ("union europeenne", "EU"),
        ("europese unie", "EU"), ("united kingdom", "UK"), ("vereinigten konigreichs", "UK"), ("vereinigten konigreich", "UK"),
        ("vereinigtes konigreich", "UK"), ("royaume uni", "UK"), ("verenigd koninkrijk", "UK"),
    ]

    static let incoterms: Set<String> = ["EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP", "DAT"]

    /// Incoterms written out (`Ex Works Prato`, `Free on Board Santos`, `ab Werk`), in four languages, longest first.
    static let incotermNames: [(phrase: String, term: String)] = [
        ("ex works", "EXW"), ("ex work", "EXW"), ("ab werk", "EXW"), ("depart usine", "EXW"), ("a l usine", "EXW"), ("af fabriek", "EXW"),
        ("free carrier", "FCA"), ("frei frachtfuhrer", "FCA"), ("franco transporteur", "FCA"), ("vrachtvrij tot vervoerder", "FCA"),
        ("free alongside ship", "FAS"), ("free on board", "FOB"), ("frei an bord", "FOB"), ("franco a bord", "FOB"),
        ("cost and freight", "CFR"), ("cost insurance and freight", "CIF"), ("carriage paid to", "CPT"),
        ("carriage and insurance paid to", "CIP"), ("delivered at place unloaded", "DPU"), ("delivered at place", "DAP"),
        ("delivered duty paid", "DDP"), ("geliefert verzollt", "DDP"), ("rendu droits acquittes", "DDP"),
    ].sorted { $0.phrase.count > $1.phrase.count }

    /// A declaration's label for its goods, whose line may count their packages.
    static let goodsLabels: Set<String> = ["goods", "description of goods", "waren", "warenbezeichnung", "marchandises",
                                           "designation des marchandises", "goederen", "omschrijving van de goederen"]

    /// The Incoterm a text opens with when it is written out.
    static func incotermNamed(_ text: String) -> String? {
        let n = normalize(text)
        return incotermNames.first { n == $0.phrase || n.hasPrefix($0.phrase + " ") }?.term
    }
}

/// Kinds of table column the extractor knows.
enum Column: String, Hashable, Sendable {
    /// `reference` is the seller's article number (`SKU`, `Réf.`, `Art.-Nr.`): kept apart from the description, not read.
    case position, reference, description, hsCode, origin, quantity, unit, unitPrice, priceUnit, discount, amount, packages, netWeight, grossWeight
    /// A header word not in the lexicon, until the cells under it say what it is.
    case unknown
    /// A column the extractor does not read (`Marks & Nos.`, `Meas. (CBM)`): kept as a column so
    /// that its cells do not spill into their neighbours.
    case other

    /// Numbers are set right-aligned under right-aligned headers; text left-aligned.
    var isNumeric: Bool { [.position, .quantity, .unitPrice, .priceUnit, .discount, .amount, .packages, .netWeight, .grossWeight].contains(self) }
}

/// The language of a page from its words: the one whose common words (articles and prepositions,
/// and the headers of invoices and packing lists) it uses most, counted without accents. What
/// decides which OCR model reads a page again (`TesseractOCR`).
public enum DocumentLanguage {
    /// Words of one language only: `de` (French and Dutch), `datum` (German and Dutch), `total`
    /// and `date` (English and French) tell nothing and are left out.
    static let words: [String: Set<String>] = [
        "en": ["the", "of", "and", "for", "with", "invoice", "quantity", "qty", "price", "amount", "description", "seller",
               "buyer", "consignee", "shipper", "exporter", "packing", "weight", "gross", "country", "terms", "each", "pcs"],
        "de": ["der", "die", "das", "und", "mit", "fur", "von", "auf", "rechnung", "rechnungsnummer", "lieferschein", "packliste",
               "menge", "einzelpreis", "gesamtpreis", "betrag", "gesamtbetrag", "summe", "bezeichnung", "ursprungsland", "stk",
               "kaufer", "verkaufer", "empfanger", "lieferbedingungen", "wahrung", "gewicht", "nettogewicht", "bruttogewicht", "waren"],
        "fr": ["le", "la", "les", "des", "du", "et", "pour", "sur", "facture", "quantite", "prix", "unitaire", "montant",
               "designation", "acheteur", "vendeur", "destinataire", "expediteur", "origine", "poids", "brut", "colis", "tva", "produits"],
        "nl": ["het", "van", "en", "voor", "een", "op", "factuur", "factuurnummer", "aantal", "prijs", "bedrag", "totaal",
               "omschrijving", "eenheid", "paklijst", "pakbon", "afzender", "ontvanger", "leverancier", "klant", "oorsprong",
               "gewicht", "bruto", "btw", "levering", "goederen"],
    ]

    /// `de`, `fr`, `nl` or `en`, or nil when fewer than `atLeast` of any language's words are read
    /// (fewer are asked of a strip of the page read only to choose its model, `TesseractOCR.guessFrom`).
    public static func guess(_ texts: [String], atLeast: Int = 3) -> String? {
        var counts: [String: Int] = [:]
        for text in texts {
            for token in Lexicon.normalize(text).split(separator: " ") {
                for (language, set) in words where set.contains(String(token)) { counts[language, default: 0] += 1 }
            }
        }
        // English wins a tie: its pages are read once.
        let english = counts["en", default: 0]
        guard let best = counts.filter({ $0.key != "en" }).max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              best.value >= atLeast, best.value > english else { return english >= atLeast ? "en" : nil }
        return best.key
    }
}
