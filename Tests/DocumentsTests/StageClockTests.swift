import Dispatch
import Documents
import Testing

/// `extract-bench --stages` times readings one after another, but a server reads documents on
/// several threads: with the clock on, each thread keeps its own path of open stages, so
/// concurrent readings never nest into each other's paths, and every entry is counted.
@Suite(.serialized) struct StageClockTests {
    @Test func concurrentReadingsKeepTheirOwnPathsAndCounts() {
        let threads = 4, rounds = 300
        StageClock.enabled = true
        defer {
            StageClock.enabled = false
            _ = StageClock.take()
        }
        _ = StageClock.take()
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            for _ in 0..<rounds {
                StageClock.measure("reading\(i)") {
                    var x = 0
                    for k in 0..<200 { x &+= k }
                    StageClock.measure("page") { x &+= 1 }
                    precondition(x > 0)
                }
            }
        }
        // Other suites may read documents meanwhile; only this test's stages are looked at.
        let mine = StageClock.take().filter { $0.path.contains("reading") }
        let expected = (0..<threads).flatMap { ["reading\($0)", "reading\($0)>page"] }
        #expect(mine.map(\.path).sorted() == expected.sorted(), "\(mine.map(\.path))")
        #expect(mine.allSatisfy { $0.count == rounds }, "\(mine.map { ($0.path, $0.count) })")
        #expect(mine.allSatisfy { $0.seconds >= 0 })
    }
}
