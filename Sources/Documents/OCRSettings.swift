import Foundation

/// The `CUSTOMS_HUB_OCR_…` settings, read once from the environment. A name this reader does not
/// know (`CUSTOMS_HUB_OCR_CLEANUP=despeckel`, or a variable a release removed) is a broken
/// configuration, refused as `environment:0: NAME: problem` like the server's own settings
/// (`docs/configuration.md`): falling back to the standard steps without a word measured the wrong
/// reading and left the reader believing it had changed something.
public struct OCRSettings: Sendable, Equatable {
    public var languages = "eng"
    public var cleanup: TesseractOCR.Cleanup = .standard
    public var rereadIn: [String: String] = TesseractOCR.rereadLanguages
    public var secondLook: TesseractOCR.SecondLook? = .otsu
    public var missedInk: TesseractOCR.MissedInkReading? = .standard
    public var repairs: TesseractOCR.Repairs = .standard
    /// Tesseract's own settings (`CUSTOMS_HUB_OCR_VARIABLES=name=value,…`), set on every engine after the
    /// reader's, for measuring one against the standard ones.
    public var variables: [String: String] = [:]
    /// The share of a page, from its top, read first to guess its language, and how many words of one
    /// language it must show, more than of English (`CUSTOMS_HUB_OCR_GUESS=0.15/1`, the standard; `none`:
    /// English first on every page, then the page's language). A German, French or Dutch page is then
    /// read once in its language, with the table cells and the required fields' lines its reading puts
    /// in doubt read again in English: 3–12 % less scan CPU, and no field lost on eleven sets
    /// (`docs/benchmarks.md`, s32-scans, s33-scans and s34-scans). One word, not two: a letterhead fills
    /// the strip of many pages with names and an address, leaving one word of the language in it
    /// (`Rechnung`, `Factuur`, `Käufer`); with two, 27 of the 131 layout pages were read a second time in
    /// their language, with one 14; one page of eleven sets was guessed wrong and read once more, no
    /// field lost (`docs/benchmarks.md`, s35-scans).
    public var guessFrom: Double? = 0.15
    public var guessWords = 1

    public init() {}

    /// A setting this reader cannot use; `description` is the one line `extract` and `serve` print.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var problem: String
        public var description: String { "environment:0: \(name): \(problem)" }
    }

    public static let prefix = "CUSTOMS_HUB_OCR_"
    public static let names = ["LANGUAGES", "CLEANUP", "REREAD", "SECOND_LOOK", "MISSED_INK", "REPAIRS", "VARIABLES", "GUESS"].map { prefix + $0 }

    /// The settings in `environment`; the first unknown name or value, in name order, is thrown.
    public init(environment: [String: String]) throws(Problem) {
        for name in environment.keys.sorted() where name.hasPrefix(Self.prefix) && !Self.names.contains(name) {
            throw Problem(name: name, problem: "unknown OCR setting (have \(Self.names.joined(separator: ", ")))")
        }
        func value<T>(_ suffix: String, _ choices: String, _ parse: (String) -> T?) throws(Problem) -> T? {
            guard let text = environment[Self.prefix + suffix] else { return nil }
            guard let parsed = parse(text) else {
                throw Problem(name: Self.prefix + suffix, problem: "unknown value '\(text)' (expected \(choices))")
            }
            return parsed
        }
        if let v = environment[Self.prefix + "LANGUAGES"] {
            guard !v.isEmpty, v.allSatisfy({ $0.isLetter || $0.isNumber || "+_-/".contains($0) }) else {
                throw Problem(name: Self.prefix + "LANGUAGES", problem: "expected Tesseract language codes joined by + (eng, deu+eng), got '\(v)'")
            }
            languages = v
        }
        if let v = try value("CLEANUP", "all, none, or a comma-separated list of despeckle, median, vrules, hrules, rules, bands",
                             { TesseractOCR.Cleanup($0) }) { cleanup = v }
        // `alone`: each language's model without English's, for measuring.
        if let v = try value("REREAD", "standard, alone or none", { ["standard", "alone", "none"].contains($0) ? $0 : nil }) {
            rereadIn = TesseractOCR.rereadModels(v)
        }
        if let v = try value("SECOND_LOOK", "otsu, median or none", { (text: String) -> TesseractOCR.SecondLook?? in
            text == "none" ? .some(nil) : TesseractOCR.SecondLook(rawValue: text).map { .some($0) }
        }) {
            secondLook = v
        }
        if let v = try value("MISSED_INK", "standard, tall, uncovered, unsure or none",
                             { (text: String) -> TesseractOCR.MissedInkReading?? in
                                 text == "none" ? .some(nil) : TesseractOCR.MissedInkReading(text).map { .some($0) }
                             }) {
            missedInk = v
        }
        if let v = try value("VARIABLES", "name=value pairs joined by commas (tessedit_do_invert=0)", { (text: String) -> [String: String]? in
            var out: [String: String] = [:]
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, !pair[0].isEmpty else { return nil }
                out[pair[0]] = pair[1]
            }
            return out
        }) { variables = v }
        if let v = try value("GUESS", "none, or a share of the page from 0.05 to 1 and a number of words (0.15/1)",
                             { (text: String) -> (Double?, Int)? in
                                 if text == "none" { return (nil, guessWords) }
                                 let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                                 guard parts.count == 1 || parts.count == 2, let share = Double(parts[0]), share >= 0.05, share <= 1,
                                       let words = parts.count == 2 ? Int(parts[1]) : guessWords, words >= 1 else { return nil }
                                 return (share, words)
                             }) {
            (guessFrom, guessWords) = v
        }
        if let v = try value("REPAIRS", "standard, none, or a comma-separated list of overruns, numbers, units, marks, names, characters, together", { TesseractOCR.Repairs($0) }) { repairs = v }
    }

    /// This process's settings, or what is wrong with them: `extract` and `serve` stop on the
    /// problem before reading anything (exit 3).
    public static let current: Result<OCRSettings, Problem> = {
        do throws(Problem) { return .success(try OCRSettings(environment: ProcessInfo.processInfo.environment)) } catch {
            return .failure(error)
        }
    }()
}
