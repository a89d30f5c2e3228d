import Foundation
import Testing
@testable import Screening

/// The aggregate's rules on what a left-out or weakly matched word means, on a small in-memory
/// list where every token occurs once (so the IDF weights are equal and only the rules differ).
@Suite struct ScoringRulesTests {
    static func entity(_ id: String, _ type: EntityType, _ name: String, family: String? = nil) -> ListedEntity {
        ListedEntity(listID: "test", entryID: id, type: type, names: [ListedName(text: name, quality: .strong, familyName: family)])
    }

    static let index = ScreeningIndex(lists: [SanctionsList(
        version: ListVersion(listID: "test", name: "Test list", published: nil, version: "1", entryCount: 6),
        entities: [
            entity("firm-w", .organization, "GRUPO W S.A."),
            entity("person-w", .person, "Jonas W KOWALCZYK", family: "KOWALCZYK"),
            entity("firm-3", .organization, "ALPHA GAMMA BETA"),
            entity("person-3", .person, "Alpine Gammon BETTERIDGE", family: "BETTERIDGE"),
            entity("noori", .person, "Hamid Reza NOORI", family: "NOORI"),
            entity("saleh", .person, "Salim SALEH", family: "SALEH"),
        ])])

    /// Every hit down to 0, so scores below the review threshold can be compared.
    static let everything = Screener(index: index, thresholds: Thresholds(review: 0, block: 0.93))

    static func hit(_ query: String, _ entry: String) throws -> ScreeningHit {
        try #require(everything.screen(ScreeningQuery(name: query)).hits.first { $0.entryID == entry }, "\(query) should reach \(entry)")
    }

    @Test func aLoneLetterInAFirmsNameIsNotAnInitial() throws {
        // GRUPO W is not Woolworths Group: the W is part of the firm's name.
        let firm = try Self.hit("Woolworths Grupo", "firm-w")
        #expect(!firm.evidence.aligned.contains { $0.listed == "w" })
        #expect(firm.evidence.unmatchedListed == ["w"])
        // In a person's name the same letter is an initial, and a full name still matches it.
        let person = try Self.hit("Jonas Walter Kowalczyk", "person-w")
        #expect(person.evidence.aligned.contains { $0.query == "walter" && $0.listed == "w" && $0.method == .initial })
    }

    @Test func aWordOfAFirmsNameLeftOutCostsMoreThanAPersonsMiddleName() throws {
        // Same shape, one word left out of the middle: another firm, but routinely the same person.
        let firm = try Self.hit("Alpha Beta", "firm-3")
        let person = try Self.hit("Alpine Betteridge", "person-3")
        #expect(firm.evidence.unmatchedListed == ["gamma"])
        #expect(person.evidence.unmatchedListed == ["gammon"])
        #expect(firm.score < person.score)
        #expect(firm.score < Thresholds.standard.review)
        #expect(person.score >= Thresholds.standard.review)
    }

    @Test func theFirstGivenNameLeftOutCostsMoreThanAMiddleOne() throws {
        let middleLeftOut = try Self.hit("Hamid Noori", "noori")
        let firstLeftOut = try Self.hit("Reza Noori", "noori")
        #expect(middleLeftOut.evidence.unmatchedListed == ["reza"])
        #expect(firstLeftOut.evidence.unmatchedListed == ["hamid"])
        #expect(firstLeftOut.score < middleLeftOut.score)
        #expect(middleLeftOut.score >= Thresholds.standard.review)
    }

    @Test func aPairJustOverTheFloorEarnsLittle() throws {
        // Salma and Salim are two given names, not a misspelling: the pair is kept in the evidence
        // but earns little, so the shared family name alone does not make a review.
        let r = try Self.hit("Salma Saleh", "saleh")
        let pair = try #require(r.evidence.aligned.first { $0.query == "salma" })
        #expect(pair.listed == "salim" && pair.score < Screener.doubtfulPairCeiling)
        #expect(r.score < Thresholds.standard.review)
        // A typo of the same name is well above the ceiling and still matches.
        #expect(try Self.hit("Saliim Saleh", "saleh").score >= Thresholds.standard.review)
    }
}
