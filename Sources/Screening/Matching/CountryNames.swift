import CustomsModel

/// Lists name countries in English prose ("Korea, North", "Russia", "Iran (Islamic Republic of)");
/// rules and qualifiers need ISO codes. This resolves the ISO short names plus the spellings the
/// OFAC and UN lists actually use.
public enum CountryNames {
    /// The code for an English country name, or `nil` when the text names no country we know.
    public static func code(for name: String) -> CountryCode? {
        table[key(name)]
    }

    static func key(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private static let aliases: [(String, CountryCode)] = [
        ("Russia", "RU"), ("Russian Federation", "RU"), ("Iran", "IR"), ("Iran (Islamic Republic of)", "IR"),
        ("Korea, North", "KP"), ("North Korea", "KP"), ("Democratic People's Republic of Korea", "KP"),
        ("Korea, South", "KR"), ("South Korea", "KR"), ("Republic of Korea", "KR"), ("Syria", "SY"),
        ("Burma", "MM"), ("Myanmar", "MM"), ("Venezuela", "VE"), ("Bolivia", "BO"), ("Tanzania", "TZ"),
        ("United Republic of Tanzania", "TZ"), ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Laos", "LA"),
        ("Lao People's Democratic Republic", "LA"), ("Moldova", "MD"), ("Republic of Moldova", "MD"),
        ("Congo, Democratic Republic of the", "CD"), ("Democratic Republic of the Congo", "CD"),
        ("Congo, Republic of the", "CG"), ("Congo", "CG"), ("Cote d Ivoire", "CI"), ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"), ("Turkey", "TR"), ("Türkiye", "TR"), ("Turkiye", "TR"), ("United Kingdom", "GB"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"), ("United States", "US"),
        ("United States of America", "US"), ("Palestinian", "PS"), ("West Bank", "PS"), ("Gaza", "PS"),
        ("State of Palestine", "PS"), ("Taiwan", "TW"), ("Macau", "MO"), ("Macao", "MO"), ("Hong Kong", "HK"),
        ("Brunei", "BN"), ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("Macedonia", "MK"), ("North Macedonia", "MK"),
        ("The Former Yugoslav Republic of Macedonia", "MK"), ("Kosovo", "XK"), ("Micronesia, Federated States of", "FM"),
        ("Netherlands Antilles", "CW"), ("Curacao", "CW"), ("Cape Verde", "CV"), ("Cabo Verde", "CV"),
        ("Swaziland", "SZ"), ("Eswatini", "SZ"), ("Bahamas, The", "BS"), ("The Bahamas", "BS"), ("Gambia, The", "GM"),
        ("The Gambia", "GM"), ("Vatican City", "VA"), ("Holy See", "VA"), ("Saint Kitts and Nevis", "KN"),
        ("St. Kitts and Nevis", "KN"), ("Saint Vincent and the Grenadines", "VC"), ("St. Vincent and the Grenadines", "VC"),
        ("Saint Lucia", "LC"), ("Libya", "LY"), ("Yemen", "YE"), ("Sudan", "SD"), ("South Sudan", "SS"),
        ("Bosnia and Herzegovina", "BA"), ("Region: Crimea", "UA"), ("Crimea", "UA"), ("Ukraine", "UA"),
        ("Belarus", "BY"), ("Kyrgyzstan", "KG"), ("Timor-Leste", "TL"), ("East Timor", "TL"),
        ("Falkland Islands", "FK"), ("British Virgin Islands", "VG"), ("Virgin Islands, British", "VG"),
        ("United Arab Emirates", "AE"), ("UAE", "AE"), ("Saudi Arabia", "SA"), ("Iraq", "IQ"), ("Afghanistan", "AF"),
        ("Pakistan", "PK"), ("Lebanon", "LB"), ("Cuba", "CU"), ("China", "CN"), ("Nicaragua", "NI"),
    ]

    private static let table: [String: CountryCode] = {
        var t: [String: CountryCode] = [:]
        for code in CountryCode.allAssigned {
            if let name = code.name { t[key(name)] = code }
        }
        for (name, code) in aliases { t[key(name)] = code }
        return t
    }()
}
