import Foundation

extension Classifier {
    /// For a benchmark that studies the ranker offline: one line's candidate pool on the path
    /// `classify` takes, best first, with each candidate's probability and ranker features (in
    /// `rankerFeatureNames` order). Not part of the public interface.
    @_spi(RankerStudy) public func rankedPool(_ description: String) -> [(hs6: String, probability: Double, features: [Double])] {
        let (s, _) = cascadeScore(description)
        return zip(s.candidates, s.probabilities).map { (model.subheadingCodes[Int($0.hs6)], $1, $0.vector) }
    }

    /// The features the confidence is read from for one line (`Calibrator.featureNames` order), then
    /// the agreement readings it does not use (`confidenceStudyFeatureNames`), on the path `classify`
    /// takes: for studying the confidence offline on test rows.
    @_spi(RankerStudy) public func confidenceFeatures(_ description: String) -> [Double] {
        let s = cascadeScore(description).0
        let base = Self.calibrationFeatures(s)
        return base + Self.agreementFeatures(s, base: base)
    }

    @_spi(RankerStudy) public static var confidenceStudyFeatureNames: [String] { Calibrator.featureNames + agreementFeatureNames }

    @_spi(RankerStudy) public static var rankerFeatureNames: [String] { CandidateFeatures.names }
}
