import Digests
import Testing
@testable import Screening

@Suite struct NormaliserTests {
    private func texts(_ s: String) -> [String] { NameNormaliser.normalise(s).tokens.map(\.text) }

    @Test func transliteratesCyrillicWithOwnTable() {
        let n = NameNormaliser.normalise("Сергей Викторович ЛАВРОВ")
        #expect(n.tokens.map(\.text) == ["sergey", "viktorovich", "lavrov"])
        #expect(n.notes.contains("transliterated Cyrillic"))
        #expect(texts("Юлия Щербакова") == ["yuliya", "shcherbakova"])
        #expect(texts("Олександр Їжак") == ["oleksandr", "yizhak"])
    }

    @Test func transliteratesGreek() {
        #expect(texts("Γιώργος Παπαδόπουλος") == ["giorgos", "papadopoulos"])
        #expect(NameNormaliser.normalise("Θεόδωρος").notes == ["transliterated Greek"])
    }

    @Test func transliteratesArabicToConsonantSkeleton() {
        let n = NameNormaliser.normalise("محمد علي")
        #expect(n.tokens.map(\.text) == ["mhmd", "ly"])
        #expect(n.notes == ["transliterated Arabic"])
        // Same skeleton as the Latin spellings lists use.
        #expect(StringMetrics.skeleton(Array("mhmd".utf8)) == StringMetrics.skeleton(Array("muhammad".utf8)))
        #expect(StringMetrics.skeleton(Array("mohammed".utf8)) == StringMetrics.skeleton(Array("muhammad".utf8)))
    }

    @Test func foldsLatinDiacriticsAndSpecialLetters() {
        #expect(texts("José Müller-Straße") == ["jose", "muller", "strasse"])
        #expect(texts("Łukasz Øvergård Ærø") == ["lukasz", "overgard", "aero"])
        #expect(texts("ŞAHİN Çelik") == ["sahin", "celik"])
    }

    @Test func apostrophesJoinAndPunctuationSplits() {
        #expect(texts("AL-QA'IDA") == ["al", "qaida"])
        #expect(texts("O’Brien, J.") == ["obrien", "j"])
        #expect(texts("ABU-'UMAR") == ["abu", "umar"])
    }

    @Test func legalFormsAreTaggedNotDeleted() {
        let ooo = NameNormaliser.normalise("OOO Romashka")
        #expect(ooo.legalForm == "llc")
        #expect(ooo.tokens.map(\.role) == [.legalForm, .word])
        #expect(ooo.scoringTokens.map(\.text) == ["romashka"])
        #expect(NameNormaliser.normalise("Romashka Limited Liability Company").legalForm == "llc")
        #expect(NameNormaliser.normalise("KARAT INDUSTRY CO., LTD.").legalForm == "ltd")
        #expect(NameNormaliser.normalise("CECOEX, S.A.").scoringTokens.map(\.text) == ["cecoex"])
        #expect(NameNormaliser.normalise("Obshchestvo s Ogranichennoy Otvetstvennostyu Vega").scoringTokens.map(\.text) == ["vega"])
        // A short form that is also a name part is only a legal form after the first word.
        #expect(NameNormaliser.normalise("SA Holdings").tokens.first?.role == .word)
        #expect(NameNormaliser.normalise("CO Hung").tokens.first?.role == .word)
    }

    @Test func honorificsParticlesInitialsNumbers() {
        let n = NameNormaliser.normalise("Dr. Ayman al Zawahiri")
        #expect(n.tokens.map(\.role) == [.honorific, .word, .particle, .word])
        #expect(n.notes.contains("honorific 'dr' ignored"))
        #expect(NameNormaliser.normalise("J. R. Smith").tokens.map(\.role) == [.initial, .initial, .word])
        #expect(NameNormaliser.normalise("Vessel 11420").tokens.last?.role == .number)
        #expect(NameNormaliser.normalise("Bank of Kunlun").tokens.map(\.role) == [.word, .stopWord, .word])
        // A one-word name is never dropped as an honorific.
        #expect(NameNormaliser.normalise("Sheikh").scoringTokens.count == 1)
    }

    @Test func familyNameIsMarked() {
        let n = NameNormaliser.normalise("Nicolas MADURO MOROS", familyName: "MADURO MOROS")
        #expect(n.tokens.map(\.isFamily) == [false, true, true])
    }

    @Test func gluedFormForSplitAndJoinedSpellings() {
        #expect(NameNormaliser.normalise("Al Qaida").glued == NameNormaliser.normalise("ALQAIDA").glued)
    }
}

@Suite struct StringMetricsTests {
    @Test func jaroWinklerKnownValues() {
        #expect(abs(StringMetrics.jaroWinkler("martha", "marhta") - 0.9611) < 0.0001)
        #expect(abs(StringMetrics.jaroWinkler("dwayne", "duane") - 0.84) < 0.0001)
        #expect(abs(StringMetrics.jaroWinkler("dixon", "dicksonx") - 0.8133) < 0.0001)
        #expect(StringMetrics.jaroWinkler("abc", "abc") == 1)
        #expect(StringMetrics.jaroWinkler("abc", "xyz") == 0)
        #expect(StringMetrics.jaroWinkler("", "abc") == 0)
    }

    @Test func jaroWinklerIsSymmetricAndHandlesLongTokens() {
        let long = String(repeating: "ab", count: 50)
        let other = String(repeating: "ab", count: 49) + "ba"
        #expect(StringMetrics.jaroWinkler(long, other) > 0.95)
        #expect(StringMetrics.jaroWinkler("kadhafi", "qaddafi") == StringMetrics.jaroWinkler("qaddafi", "kadhafi"))
    }

    @Test func skeletonFoldsLookAlikeConsonants() {
        func key(_ s: String) -> String { String(decoding: StringMetrics.skeleton(Array(s.utf8)), as: UTF8.self) }
        #expect(key("qadhafi") == key("kadafi"))
        #expect(key("muhammad") == "mhmd")
        #expect(key("philip") == key("filip"))
        #expect(StringMetrics.isVowelless(Array("mhmd".utf8)))
        #expect(!StringMetrics.isVowelless(Array("muhammad".utf8)))
    }

    @Test func sha256MatchesStandardVectors() {
        #expect(Digests.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digests.sha256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Digests.sha256(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A text is hashed in place: the same digest as its bytes, empty, short (stored inline) and long.
        #expect(Digests.sha256("abc") == Digests.sha256(Array("abc".utf8)))
        #expect(Digests.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let text = String(repeating: "Zoë ∑ 漢字 ", count: 500)
        #expect(Digests.sha256(text) == Digests.sha256(Array(text.utf8)))
        let tail = String(text.dropFirst(3))
        #expect(Digests.sha256(tail) == Digests.sha256(Array(tail.utf8)))
    }
}
