import CustomsModel
import Foundation
import JSONCore
import Pipeline
import Testing

/// The meter `pipeline-bench` times the engines with inside `submit`: it must be told of every
/// engine call `evaluate` makes, in evaluate's order, and leave the evaluation exactly as it is.
@Suite("Engine calls told to a meter")
struct EngineMeterTests {
    /// Records the calls it is told of, in order.
    final class Recorder: EngineMeter, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [EngineCall] = []

        func measure<T, E: Error>(_ call: EngineCall, _ body: () throws(E) -> T) throws(E) -> T {
            lock.lock(); recorded.append(call); lock.unlock()
            return try body()
        }

        /// The calls so far, forgotten.
        func take() -> [EngineCall] { lock.lock(); defer { recorded = []; lock.unlock() }; return recorded }
    }

    @Test func everyEngineCallIsToldInEvaluatesOrderAndTheEvaluationIsUnchanged() throws {
        let plain = try TestEngines.engines(reviewBelow: 0.5)
        let recorder = Recorder()
        var metered = plain
        metered.meter = recorder
        let documents = try EvaluationTextTests.documents()
        var states: Set<OrderState> = []
        var expectedTotals: [EngineCall: Int] = [:]
        for (k, document) in documents.enumerated() {
            let v = Pipeline.evaluate(document, engines: metered, now: TestEngines.now, firstReference: 1000 + 8 * k)
            let calls = recorder.take()
            let reference = Pipeline.evaluate(document, engines: plain, now: TestEngines.now, firstReference: 1000 + 8 * k)
            let label = "order \(k) (\(v.state.rawValue))"
            states.insert(v.state)
            #expect(v.text == reference.text, "\(label)")
            #expect(v.decisions.map { [$0.kind, $0.input, $0.output, $0.evidence] } == reference.decisions.map { [$0.kind, $0.input, $0.output, $0.evidence] }, "\(label)")
            #expect(v.filings.map(\.rendered.body) == reference.filings.map(\.rendered.body), "\(label)")
            #expect(calls == calls.sorted { $0.rawValue < $1.rawValue }, "\(label): calls out of evaluate's order: \(calls)")
            let count = { (call: EngineCall) in calls.filter { $0 == call }.count }
            #expect(count(.validate) == 1, "\(label)")
            if v.state != .invalid {
                #expect(count(.classify) == 1, "\(label)")   // the order's lines together
                #expect(count(.screen) == 1, "\(label)")
                #expect(count(.risk) == 1, "\(label)")
                #expect(count(.quote) == (plain.tariff == nil ? 0 : 1), "\(label)")
            }
            if v.state == .filed {
                // The filed lines encoded once for the mappings, then each filing rendered.
                try #require(!v.filings.isEmpty, "\(label)")
                #expect(count(.render) == v.filings.count + 1, "\(label)")
            }
            for call in calls { expectedTotals[call, default: 0] += 1 }
        }
        #expect(states.isSuperset(of: [.filed, .heldForReview, .invalid]), "the orders must cover the filed, held and invalid outcomes")

        // A batch, stage by stage, makes the same calls as its orders one by one.
        _ = Pipeline.evaluate(documents, engines: metered, now: TestEngines.now, firstReferences: documents.indices.map { 1000 + 8 * $0 })
        var batchTotals: [EngineCall: Int] = [:]
        for call in recorder.take() { batchTotals[call, default: 0] += 1 }
        #expect(batchTotals == expectedTotals)
    }
}
