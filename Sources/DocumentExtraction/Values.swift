import CustomsModel
import Foundation

/// How a document writes numbers, learned from its unambiguous amounts (`12,50` says comma).
public enum DecimalMark: String, Sendable, Codable {
    case point, comma
    /// The document prints amounts to the thousandth (`14,788.800`, the fils of a Bahraini dinar): there a
    /// lone mark before three digits (`1.185` a kilogram) is the decimal mark, not grouping.
    case pointToThousandths, commaToThousandths

    /// The character that marks the decimals.
    var separator: Character { self == .comma || self == .commaToThousandths ? "," : "." }
}

/// Reading dates, amounts and codes in their local formats.
public enum Values {
    static let currencySymbols: [String: CurrencyCode] = ["€": "EUR", "$": "USD", "£": "GBP", "₹": "INR", "¥": "JPY", "Fr": "CHF",
                                                          "₱": "PHP", "₩": "KRW", "₺": "TRY", "₫": "VND", "฿": "THB", "₦": "NGN", "₪": "ILS", "₴": "UAH"]
    static let currencyWords: [String: CurrencyCode] = ["rs": "INR", "inr": "INR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
                                                        "usd": "USD", "gbp": "GBP", "chf": "CHF", "sek": "SEK", "jpy": "JPY",
                                                        // China's renminbi as its own invoices write it (`AMOUNT (RMB)`).
                                                        "rmb": "CNY"]
    /// Signs printed before an amount that name its currency only with the page's help (the rand's
    /// `R 2 450,00`, the crowns' `kr 1.234,50`): dropped from the number, never read as a currency.
    static let amountSigns: Set<String> = ["R", "kr", "Kr", "KR", "RM"]
    /// Letters that name one currency only when written just so, in capitals (`RM 86,110.00`, the
    /// ringgit): as a word of any case they mean other things.
    static let signWords: [String: CurrencyCode] = ["RM": "MYR"]

    /// The OCR look-alikes of digits, replaced only inside tokens that are mostly digits.
    static let lookAlikes: [Character: Character] = ["O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                                                      "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "g": "9"]

    /// Signs that name one currency each. `$` names several and comes last (`dollar(in:)`).
    static let singleCurrencySigns: [(sign: Character, code: CurrencyCode)] = [("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("¥", "JPY"),
        ("₱", "PHP"), ("₩", "KRW"), ("₺", "TRY"), ("₫", "VND"), ("฿", "THB"), ("₦", "NGN"), ("₪", "ILS"), ("₴", "UAH")]
    /// The letters printed before a dollar sign that say whose dollar it is (`C$`, `AU$`, `HK$`).
    static let dollarPrefixes: [String: CurrencyCode] = ["US": "USD", "C": "CAD", "CA": "CAD", "CAN": "CAD", "A": "AUD", "AU": "AUD",
                                                         "NZ": "NZD", "HK": "HKD", "S": "SGD", "SG": "SGD", "MX": "MXN", "R": "BRL"]

    static let dollarPrefixesLongestFirst = dollarPrefixes.keys.sorted { $0.count > $1.count }

    /// The currency a text names, if any: a sign of one currency first, then an ISO code or a
    /// currency's name, and the dollar sign last, since a code beside it (`Total Due (CAD)
    /// $9,537.81`) says which dollar it is.
    public static func currency(in text: String) -> CurrencyCode? {
        for (sign, code) in singleCurrencySigns where text.contains(sign) { return code }
        for raw in text.split(whereSeparator: { !$0.isLetter }) {
            let t = raw.lowercased()
            if let c = currencyWords[t], t != "rs" || raw == "Rs" { return c }
            if isFranc(raw, in: text) { return "CHF" }
            // A Swiss company's UID (`CHE-112.345.678 MWST`) is no amount in the WIR euro.
            if raw == "CHE", text[raw.endIndex...].first == "-" { continue }
            if let c = signWords[String(raw)] { return c }
            // Other ISO codes only written in capitals (`ALL` the word is not the lek).
            // `KGS` after a weight is kilograms (`1,912.0 KGS`); the som stands before its amount.
            if raw == "KGS", text[raw.endIndex...].drop(while: { $0 == " " }).first?.isNumber != true { continue }
            if raw.count == 3, raw.allSatisfy(\.isUppercase), CurrencyCode(String(raw)).isAssigned { return CurrencyCode(String(raw)) }
        }
        let normalized = Lexicon.normalize(text)
        for (phrase, code) in currencyNames where normalized.contains(phrase) { return code }
        return dollar(in: text)
    }

    /// The Swiss franc as Swiss invoices write it (`Betrag Fr.`, `Fr. 1'680.00`, `SFr. 20.–`): `Fr.` only before
    /// an amount or closing a column's or a total's name, where the German `Fr.` (Frau) never stands.
    static func isFranc(_ word: Substring, in text: String) -> Bool {
        if word == "SFr" || word == "sFr" { return true }
        guard word == "Fr" else { return false }
        let after = text[word.endIndex...].drop { $0 == "." || $0 == " " }
        if after.first?.isNumber == true { return true }
        let before = text[..<word.startIndex].split(separator: " ")
        return after.isEmpty && !before.isEmpty && before.last?.last?.isLetter == true
    }

    /// Currencies named in words (`Tous les montants sont en dollars canadiens`), which say whose
    /// dollar a bare `$` is.
    static let currencyNames: [(phrase: String, code: CurrencyCode)] = [
        ("canadian dollar", "CAD"), ("dollars canadiens", "CAD"), ("dollar canadien", "CAD"), ("kanadische dollar", "CAD"),
        ("canadese dollar", "CAD"), ("australian dollar", "AUD"), ("dollars australiens", "AUD"), ("australische dollar", "AUD"),
        ("new zealand dollar", "NZD"), ("hong kong dollar", "HKD"), ("singapore dollar", "SGD"),
        ("us dollar", "USD"), ("u s dollar", "USD"), ("dollars americains", "USD"), ("us dollars", "USD"), ("amerikanische dollar", "USD"),
        ("amerikaanse dollar", "USD"), ("ringgit", "MYR"), ("philippine peso", "PHP"), ("tunisian dinar", "TND"), ("dinar tunisien", "TND"),
        ("dinars tunisiens", "TND"),
    ]

    /// A `$` with nothing to say whose dollar it is (no prefix, code or name): the document's other
    /// currency evidence, or its seller's country, decides.
    static func isBareDollar(_ text: String) -> Bool {
        guard text.contains("$") else { return false }
        for (sign, _) in singleCurrencySigns where text.contains(sign) { return false }
        guard let c = currency(in: text), c == "USD", dollar(in: text) == "USD" else { return false }
        let sign = text.firstIndex(of: "$")!
        let prefix = text[..<sign].reversed().prefix { $0.isLetter && $0.isUppercase }
        return prefix.isEmpty && !text.split(whereSeparator: { !$0.isLetter }).contains { $0.lowercased() == "usd" }
            && !currencyNames.contains { Lexicon.normalize(text).contains($0.phrase) }
    }

    /// The dollar of a country whose currency is a dollar, for a bare `$` on its seller's invoice.
    static let countryDollars: [CountryCode: CurrencyCode] = [
        "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "HK": "HKD", "SG": "SGD",
    ]

    /// The dollar a text's `$` names: its prefix's (`C$ 120`, `HK$`), else the US dollar.
    static func dollar(in text: String) -> CurrencyCode? {
        guard let sign = text.firstIndex(of: "$") else { return nil }
        let prefix = String(text[..<sign].reversed().prefix { $0.isLetter && $0.isUppercase }.reversed())
        return dollarPrefixes[prefix] ?? "USD"
    }

    /// Decides the document's decimal mark from amounts written with exactly two decimals, or with
    /// three after both separators (`14,788.800`, `1.234,567`), which only thousandths explain.
    static func decimalMark(of texts: [String]) -> DecimalMark {
        var comma = 0, point = 0, commaThousandths = 0, pointThousandths = 0
        for t in texts {
            let chars = Array(t.filter { $0.isNumber || $0 == "." || $0 == "," })
            guard chars.count >= 4 else { continue }
            let n = chars.count
            if chars[n - 3] == ",", chars[n - 2].isNumber, chars[n - 1].isNumber { comma += 1 }
            if chars[n - 3] == ".", chars[n - 2].isNumber, chars[n - 1].isNumber { point += 1 }
            // A space between digit groups is grouping too (`32 880,000`, a Tunisian dinar's millimes).
            let spaced = t.contains(" ") && (1...3).contains(t.prefix { $0 != " " }.count) && t.split(separator: " ").dropFirst().allSatisfy { $0.first?.isNumber == true && $0.prefix { $0.isNumber }.count == 3 }
            if n >= 9 || spaced && n >= 8, chars[n - 4] == "." || chars[n - 4] == ",", chars.suffix(3).allSatisfy(\.isNumber),
               let other = spaced ? " " : chars[..<(n - 4)].last(where: { $0 == "." || $0 == "," }), other != chars[n - 4] {
                if chars[n - 4] == "," { commaThousandths += 1 } else { pointThousandths += 1 }
            }
        }
        if commaThousandths >= 2, commaThousandths > pointThousandths, commaThousandths > comma { return .commaToThousandths }
        if pointThousandths >= 2, pointThousandths > commaThousandths, pointThousandths > point { return .pointToThousandths }
        return comma > point ? .comma : .point
    }

    /// Reads a number written the local way: `1.234,56`, `1 234,56`, `1,234.56`, `₹ 1,93,900`, `12,5`, `-3`.
    /// A single separator followed by exactly three digits is grouping unless `mark` says otherwise
    /// and the text has no other separator; any other single separator is the decimal mark.
    /// Returns the value and whether OCR look-alikes had to be repaired.
    public static func number(_ raw: String, mark: DecimalMark = .point) -> (value: Decimal, repaired: Bool)? {
        var s = raw.trimmingCharacters(in: .whitespaces)
        // Whose dollar it is, glued to the sign (`US$4.85`, `HK$`), is no part of the number.
        if s.contains("$") { for prefix in dollarPrefixesLongestFirst { s = s.replacingOccurrences(of: prefix + "$", with: " ") } }
        for (sym, _) in currencySymbols { s = s.replacingOccurrences(of: sym, with: " ") }
        var kept = ""
        var repaired = false
        var negative = false
        var groups: [String] = []
        let letters = s.filter(\.isLetter)
        let digits = s.filter(\.isNumber)
        // Currency codes and units around the number are dropped; a token of look-alikes is repaired.
        for token in s.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}" || $0 == "'" }) {
            var t = String(token)
            // A currency's code glued to its amount (`RMB124,248.00`, `USD1,250.00`).
            let head = t.prefix { $0.isLetter }
            if head.count >= 3, t.dropFirst(head.count).first?.isNumber == true,
               currencyWords[head.lowercased()] != nil || head.count == 3 && head.allSatisfy(\.isUppercase) && CurrencyCode(String(head)).isAssigned {
                t.removeFirst(head.count)
            }
            let norm = t.lowercased().trimmingCharacters(in: CharacterSet.punctuationCharacters)
            if currencyWords[norm] != nil || amountSigns.contains(t) || (t.count == 3 && t.allSatisfy(\.isUppercase))
                || Lexicon.units[norm] != nil || t.contains(where: { !$0.isASCII }) && Lexicon.units[Lexicon.normalize(t)] != nil { continue }
            var out = ""
            for ch in t {
                if ch.isNumber || ch == "." || ch == "," { out.append(ch) }
                else if ch == "-" || ch == "−" { if out.isEmpty { negative = true } }
                else if let d = lookAlikes[ch], digits.count >= 1, letters.count <= 2 { out.append(d); repaired = true }
                else if ch.isLetter { return nil }
            }
            if !out.isEmpty { groups.append(out) }
            kept += out
        }
        // Digits in several words join only as thousands groups (`1 234,56`, `12'345`): a table row
        // whose columns ran together (`4  14.4`, packages beside a weight) must not read as 414.4.
        // A word that only carries on a number (`.20` after `16`, `20` after `16.`) joins as before.
        // A word that already ends in its decimals (`290,00`, `8.5`) ends its number: the next one
        // (`870,00`) is another cell's number, not its thousands.
        for (previous, g) in zip(groups, groups.dropFirst()) {
            let integer = g.prefix { $0 != "." && $0 != "," }
            let carriesOn = integer.isEmpty || previous.last == "." || previous.last == ","
            if !carriesOn && integer.count != 3 { return nil }
            let decimals = previous.reversed().prefix { $0 != "." && $0 != "," }.count
            if !carriesOn, decimals < previous.count, (1...2).contains(decimals) { return nil }
        }
        guard kept.contains(where: \.isNumber) else { return nil }
        while let f = kept.first, f == "." || f == "," { kept.removeFirst() }
        while let l = kept.last, l == "." || l == "," { kept.removeLast() }
        // The last separator is the decimal mark when its group is not exactly three digits
        // (`1.234,56`, `12,5`, OCR's `1.249.00`); three digits after it mean grouping (`1,939`,
        // `1.234.567`, Indian `1,93,900`), except after a lone zero (`0,125`).
        let lastSep = kept.lastIndex(where: { $0 == "." || $0 == "," })
        var decimalAt: String.Index?
        if let at = lastSep {
            let frac = kept.distance(from: at, to: kept.endIndex) - 1
            let mixed = Set(kept.filter { $0 == "." || $0 == "," }).count == 2
            let thousandths = (mark == .pointToThousandths || mark == .commaToThousandths) && kept[at] == mark.separator
            if frac != 3 || kept[..<at] == "0" || mixed || thousandths { decimalAt = at }
        }
        var plain = ""
        for i in kept.indices {
            if i == decimalAt { plain.append(".") } else if kept[i].isNumber { plain.append(kept[i]) }
        }
        guard let d = Decimal(string: plain, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return (negative ? -d : d, repaired)
    }

    /// A number written with one mark before exactly three digits (`24,680`, `1.185`) read with that
    /// mark as its decimals, which `number` reads as grouping unless a witness says otherwise.
    static func loneMarkAsDecimals(_ raw: String) -> Decimal? {
        let kept = raw.filter { $0.isNumber || $0 == "." || $0 == "," }
        let marks = kept.filter { $0 == "." || $0 == "," }
        guard marks.count == 1, let at = kept.firstIndex(where: { $0 == "." || $0 == "," }),
              kept.distance(from: at, to: kept.endIndex) == 4, at != kept.startIndex else { return nil }
        return Decimal(string: kept.replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Reads a date in the usual local formats and returns it as `YYYY-MM-DD`.
    /// Numeric dates are day first (`19.04.2024`, `19/04/2024`, `19-04-2014`) unless the first
    /// number cannot be a day-of-month-first date (`04/19/2024`) or the year comes first.
    /// `monthFirst` reads a slashed date whose first two numbers could both be a month the American
    /// way (`12/03/26` is 3 December), for a seller in the United States.
    public static func date(_ raw: String, monthFirst: Bool = false) -> String? {
        let text = Lexicon.normalize(raw.replacingOccurrences(of: "1er", with: "1"))
        let toks = text.split(separator: " ").map(String.init)
        // Numeric forms; OCR may have split them into several tokens.
        let compact = raw.filter { $0.isNumber || $0 == "." || $0 == "/" || $0 == "-" }
        if let d = numericDate(compact, monthFirst: monthFirst) { return d }
        // Month names: `19 April 2024`, `19. April 2024`, `April 19, 2024`, `7 mars 2024`.
        var day: Int?
        var month: Int?
        var year: Int?
        for t in toks {
            if let m = Lexicon.months[t], month == nil { month = m; continue }
            if let n = Int(t) ?? ordinalDay(t) {
                if n >= 1900 && n <= 2100 { year = n } else if n >= 1 && n <= 31 && day == nil { day = n }
            } else if t.count > 3, let m = Lexicon.months.first(where: { t.hasPrefix($0.key) && $0.key.count >= 3 })?.value, month == nil {
                month = m
            }
        }
        if let d = day, let m = month, let y = year { return iso(y, m, d) }
        // Tally's and SAP's short form, the year in two digits (`3-Dec-26`): the day, the month's name and the year, nothing else.
        if toks.count == 3, let d = Int(toks[0]), let m = Lexicon.months[toks[1]], toks[2].count == 2, let y = Int(toks[2]) {
            return iso(2000 + y, m, d)
        }
        return nil
    }

    /// A day written as an ordinal: `3rd`, `21st`, `1er`, `1e`, `2ème`, `1ste`.
    static func ordinalDay(_ t: String) -> Int? {
        let digits = t.prefix { $0.isNumber }
        guard (1...2).contains(digits.count), let n = Int(digits),
              ["st", "nd", "rd", "th", "er", "e", "eme", "de", "ste"].contains(String(t.dropFirst(digits.count))) else { return nil }
        return n
    }

    static func numericDate(_ s: String, monthFirst: Bool = false) -> String? {
        let parts = s.split(whereSeparator: { $0 == "." || $0 == "/" || $0 == "-" }).compactMap { Int($0) }
        let groups = s.split(whereSeparator: { $0 == "." || $0 == "/" || $0 == "-" })
        guard parts.count == 3, groups.count == 3 else { return nil }
        if groups[0].count == 4 { return iso(parts[0], parts[1], parts[2]) }
        guard groups[2].count == 4 || groups[2].count == 2 else { return nil }
        let y = groups[2].count == 2 ? 2000 + parts[2] : parts[2]
        if parts[1] > 12 && parts[0] <= 12 { return iso(y, parts[0], parts[1]) }
        // Dotted dates are day first everywhere (`03.12.2026`); only the slash is American.
        if monthFirst, s.contains("/"), parts[0] <= 12 { return iso(y, parts[0], parts[1]) }
        return iso(y, parts[1], parts[0])
    }

    static func iso(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1900...2100).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        let days = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= days[m - 1] else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// An HS code printed as `6117.10.00`, `6117 10 00` or `6117100000`; OCR look-alikes repaired.
    static func hsCode(_ raw: String) -> String? {
        var digits = ""
        for ch in raw {
            if ch.isNumber { digits.append(ch) }
            else if ch == "." || ch == " " || ch == "-" { continue }
            else if let d = lookAlikes[ch] { digits.append(d) }
            else { return nil }
        }
        // Up to Turkey's 12 digits (`6302.60.00.00.00`).
        return (4...12).contains(digits.count) && digits.count % 2 == 0 ? digits : nil
    }

    /// The country an address's lines name: a country line (`Canada`), else the shape of an
    /// American (`Chicago, IL 60614`) or Canadian (`Montréal, QC H3B 3A7`) city line, which
    /// often stands without one.
    static func country(ofAddress lines: [String]) -> CountryCode? {
        for line in lines.reversed() {
            if let c = country(line) { return c }
            // The country after the town (`85521 Ottobrunn, Germany`).
            if let tail = line.split(separator: ",").last, line.contains(","), tail.split(separator: " ").count <= 3,
               tail.trimmingCharacters(in: .whitespaces).count > 3,
               let c = country(String(tail)) { return c }
        }
        for line in lines {
            let toks = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "·" || $0 == "(" || $0 == ")" }).map(String.init)
            for (a, b) in zip(toks, toks.dropFirst()) {
                let zip = b.count == 5 || (b.count == 10 && b.dropFirst(5).first == "-")
                if usStates.contains(a), zip, b.prefix(5).allSatisfy(\.isNumber) { return "US" }
            }
            let province = toks.contains { canadianProvinces.contains($0) || canadianProvinces.contains(Lexicon.normalize($0)) }
            if province, line.range(of: #"\b[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]\b"#, options: .regularExpression) != nil { return "CA" }
            // A Dutch postcode before its town (`3044 AS Rotterdam`): four digits, two capitals (never SA, SD or SS).
            if line.range(of: #"^[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2} \p{L}"#, options: .regularExpression) != nil { return "NL" }
        }
        return nil
    }

    static let usStates: Set<String> = [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
        "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
        "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
    ]
    static let canadianProvinces: Set<String> = [
        "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT", "quebec", "ontario", "alberta", "manitoba",
    ]

    /// A country printed as an ISO code (`DE`) or a name in one of the four languages.
    static func country(_ raw: String) -> CountryCode? {
        let t = raw.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        if t.count == 2, t.allSatisfy({ $0.isUppercase && $0.isASCII }) {
            let code = CountryCode(t == "UK" ? "GB" : t)
            return code.isAssigned ? code : nil
        }
        let name = Lexicon.normalize(t)
        if let c = Lexicon.countries[name] { return c }
        // A state's formal name (`Kingdom of Bahrain`, `Republic of Kenya`, `Sultanate of Oman`) names its country.
        for style in Lexicon.formalStateStyles where name.hasPrefix(style + " ") {
            if let c = Lexicon.countries[String(name.dropFirst(style.count + 1))] { return c }
        }
        return nil
    }

    /// Letters whose small and capital forms differ only in size (`Mx` for MX) and digits OCR
    /// reads for capitals (`U5` for US), in a two-letter code.
    static let codeSlips: [Character: Character] = [
        "c": "C", "k": "K", "o": "O", "p": "P", "s": "S", "u": "U", "v": "V", "w": "W", "x": "X", "z": "Z",
        "5": "S", "0": "O", "1": "I", "8": "B",
    ]

    /// A country written in an origin column, forgiving one OCR slip in a two-letter code whose
    /// first letter is a capital (`Mx`, `U5`). Returns the country and whether it was repaired.
    static func countryInColumn(_ raw: String) -> (country: CountryCode, repaired: Bool)? {
        if let c = country(raw) { return (c, false) }
        let t = Array(raw.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)))
        guard t.count == 2, t[0].isASCII, t[0].isUppercase, let second = codeSlips[t[1]] else { return nil }
        return country(String([t[0], second])).map { ($0, true) }
    }

    static func unit(_ raw: String) -> UnitCode? {
        // Metres as Italian, Spanish and Portuguese invoices print them, in lower case (`420,00 mt`);
        // `MT` in capitals is the metric ton of English commodity trade (`Qty (MT)`, `USD/MT`).
        let bare = raw.trimmingCharacters(in: .punctuationCharacters)
        if bare == "mt" { return "MTR" }
        if bare == "MT" || bare == "M/T" { return "TNE" }
        let t = Lexicon.normalize(raw)
        if let u = Lexicon.units[t] { return u }
        let upper = raw.uppercased().filter(\.isLetter)
        return UnitCode.known[upper] != nil ? UnitCode(rawValue: upper) : nil
    }

    /// The letters after a number in one word (`400PCS`, `4,500kg`): a unit that OCR glued to its
    /// quantity where the page left a narrow space. Nil unless the word is a number and then letters.
    public static func unitGluedToNumber(_ word: String) -> String? {
        let letters = word.reversed().prefix { $0.isLetter }
        let number = word.dropLast(letters.count)
        guard !letters.isEmpty, number.first?.isNumber == true, number.last?.isNumber == true,
              number.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." }) else { return nil }
        return String(letters.reversed())
    }

    /// Letters OCR takes for one another in small print (`pes` for `pcs`, `bont` for `bout`).
    static let letterSlips: Set<String> = ["ce", "ec", "oa", "ao", "il", "li", "l1", "1l", "o0", "0o", "nu", "un", "rn", "nr", "kx", "xk", "s5", "5s"]

    /// A unit written in a unit column, forgiving one OCR letter slip in a unit word of three
    /// letters or more. Returns the unit and whether it had to be repaired.
    public static func unitInColumn(_ raw: String) -> (unit: UnitCode, repaired: Bool)? {
        if let u = unit(raw) { return (u, false) }
        let t = Array(Lexicon.normalize(raw))
        guard t.count >= 3, !t.contains(" ") else { return nil }
        var found: UnitCode?
        for (word, code) in Lexicon.units where word.count == t.count {
            let w = Array(word)
            let diffs = (0..<w.count).filter { w[$0] != t[$0] }
            guard diffs.count == 1, letterSlips.contains(String([t[diffs[0]], w[diffs[0]]])) else { continue }
            if let f = found, f != code { return nil }
            found = code
        }
        return found.map { ($0, true) }
    }

    /// Legal forms printed after a company's name, as they are spelled.
    static let legalForms = [
        "Ltd", "Ltd.", "Limited", "LLC", "LLP", "Inc", "Inc.", "Co", "Co.", "Corp", "Corp.", "plc", "PLC", "Pvt.",
        "GmbH", "AG", "KG", "OHG", "UG", "e.K.", "SA", "S.A.", "SAS", "SARL", "S.A.R.L.", "SNC", "B.V.", "BV", "N.V.", "NV",
        "AB", "Oy", "S.p.A.", "S.r.l.", "SRL", "S.L.", "ApS", "A/S", "AS",
        "o.o.", "s.r.o.", "a.s.", "d.o.o.", "Kft.", "Zrt.", "OÜ", "SIA", "UAB", "Pty", "Pty.", "Pte", "Pte.", "Ltda", "Ltda.",
        "Lda", "Lda.", "KGaA", "BVBA", "VOF",
        // The Gulf's free-zone companies, Turkey's joint-stock company, Luxembourg's and Belgium's limited ones.
        "FZE", "FZCO", "FZ-LLC", "WLL", "W.L.L.", "A.S.", "A.Ş.", "r.l.", "SPRL",
        // Germany's registered cooperative (`Allgäuer Mühlenwerke eG`), the European company, a Dutch cooperative's `U.A.`.
        "eG", "SE", "U.A.",
        // Set in capitals in a letterhead (`KISARAGI CUTLERY CO., LTD.`), and Quebec's lower case (`Côté & Fils inc.`, `ltée`).
        "LTD", "LTD.", "LIMITED", "INC", "INC.", "CO.", "CORP.", "inc.", "ltée", "Ltée", "LTÉE",
    ]

    /// Folds what OCR takes for one another in a legal form: case, `8`/`B`, `¥`/`V`, `1`/`l`/`i`/`I`,
    /// `0`/`O`, `5`/`S`, a comma for a full stop.
    static func formKey(_ word: String) -> String {
        String(word.lowercased().map { ch -> Character in
            switch ch {
            case "8": "b"
            case "¥": "v"
            case "1", "i", "|", "!": "l"
            case "0": "o"
            case "5", "$": "s"
            case ",": "."
            default: ch
            }
        })
    }

    /// The last word of a legal form of several words, after the word before it (Poland's `Sp. z o.o.`,
    /// Mexico's `S.A. de C.V.`), as it is spelled: alone, `0.0.` has no letter to tell it from a number.
    static let formTails: [(before: String, last: String)] = [("z", "o.o."), ("de", "C.V.")]

    static let formsByKey: [String: String] = {
        var m: [String: String] = [:]
        for f in legalForms where m[formKey(f)] == nil { m[formKey(f)] = f }
        return m
    }()

    /// A company name whose last word is a legal form misread by OCR (`8.V.`, `B.¥.`, `itd`, `Inc,`)
    /// with that word written as the form is spelled. Returns the name and whether it was repaired;
    /// a word that is already a legal form, or a name of one word, is left alone.
    public static func legalName(_ name: String) -> (name: String, repaired: Bool) {
        var words = name.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // A form of several words, its last one misread: `Sp. z 0.0.` (no letter left in it) and `S.A. de c.V.`.
        if words.count >= 3, let last = words.last,
           let tail = formTails.first(where: { words[words.count - 2] == $0.before && formKey(last) == formKey($0.last) }), last != tail.last {
            words[words.count - 1] = tail.last
            return (words.joined(separator: " "), true)
        }
        guard words.count >= 2, let last = words.last, !legalForms.contains(last),
              last.contains(where: \.isLetter), let form = formsByKey[formKey(last)],
              // `LTD.` and `GMBH` in a name set in capitals are the forms as printed, not misreadings.
              last.lowercased() != form.lowercased() else { return (name, false) }
        words[words.count - 1] = form
        return (words.joined(separator: " "), true)
    }

    /// The exact decimal as a plain string (`1939`, `18.5`): the document's wire form.
    public static func plain(_ d: Decimal) -> String {
        var v = d
        var r = Decimal()
        NSDecimalRound(&r, &v, 6, .plain)
        let s = NSDecimalNumber(decimal: r).stringValue
        return s
    }
}
