import ChildProcess
import Foundation
import Hub
import JSONCore
import Store
import StoreSQLite
import Testing

@Suite("submit killed mid-way", .serialized, .timeLimit(.minutes(10)))
struct CrashTests {
    @Test("kill -9 in the middle of 1,000 orders: every order is either whole (lines, decisions, filings, outbox rows) or absent")
    func killedSubmitLeavesWholeOrders() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<1000 { text += JSONWriter.write(try Orders.gb(key: "kill-\(i)", codes: [nil, "62046231"])) + "\n" }
        let input = dir.appendingPathComponent("orders.jsonl")
        try text.write(to: input, atomically: true, encoding: .utf8)
        let database = dir.appendingPathComponent("hub.sqlite").path

        let process = Process()
        process.executableURL = HubBinary.url
        process.arguments = ["submit", input.path, "--database", database, "--model", try TestEngines.modelFile.get().path]
        process.currentDirectoryURL = repoRoot
        process.environment = HubBinary.environment()
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until some orders are in, then kill without warning.
        var printed = 0
        var buffer = Data()
        while printed < 25 {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            printed = buffer.filter { $0 == 0x0A }.count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(printed >= 25, "submit printed \(printed) lines before it ended")

        let store = try SQLiteStore(path: database)
        try await store.migrate()
        let orders = try await store.orders(OrderFilter(limit: 2000))
        #expect(orders.count >= 25 && orders.count < 1000, "\(orders.count) orders stored")
        let ids = Set(orders.map(\.id))
        for order in orders {
            let lines = try await store.orderLines(orderID: order.id)
            #expect(lines.count == 2, "order \(order.id) has \(lines.count) lines")
            let kinds = Set(try await store.decisions(orderID: order.id).map(\.kind))
            #expect(kinds.isSuperset(of: ["validation", "classification", "routing"]), "order \(order.id) decisions \(kinds)")
            let filings = try await store.filings(orderID: order.id)
            let messages = try await store.outboxMessages(filingIDs: filings.map(\.id))
            #expect(messages.count == filings.count, "order \(order.id): \(filings.count) filings, \(messages.count) outbox rows")
            if order.state == "filed" { #expect(!filings.isEmpty) }
        }
        // Nothing belongs to an order that is not there.
        let decisions = try await store.decisionStretch(afterID: 0, limit: 1_000_000)
        #expect(decisions.allSatisfy { $0.orderID.map(ids.contains) == true })
        let reviews = try await store.reviewItems(ReviewFilter())
        #expect(reviews.allSatisfy { $0.orderID.map(ids.contains) == true })
        let outbox = try await store.messages(.all)
        #expect(outbox.allSatisfy { $0.filingID != nil })
        #expect(try await HubReader(store: store).verifyAudit().broken == nil)
        try await store.close()
    }
}
