import AdapterKit
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Mapping
import Testing

@Suite struct BuiltInAdapterTests {
    @Test func repositoryContentLoadsWithoutErrors() {
        #expect(Repo.loaded.errors.isEmpty, "\(Repo.loaded.errors.map(\.description))")
        #expect(Set(Repo.catalog.adapters.keys).isSuperset(of: ["easypost", "dhl-express", "generic-webhook"]))
    }

    @Test(arguments: try Repo.goldenCases())
    func rendersExactlyTheGoldenMessage(_ name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        let order = String(parts[1].prefix { $0 != "." })
        if name.hasSuffix(".refused.json") {
            #expect {
                try Repo.render(order, parts[0])
            } throws: { error in
                guard let e = error as? AdapterError, !e.violations.isEmpty else { return false }
                let golden = try? Repo.json("Fixtures/golden/\(name)")
                return (try? JSONParser.parse(try CanonicalJSON.encode(e.violations))) == golden
            }
            return
        }
        let filing = try Repo.render(order, parts[0])
        if name.hasSuffix(".xml") {
            #expect(filing.body + "\n" == (try Repo.text("Fixtures/golden/\(name)")))
        } else if name.hasSuffix(".edi") {
            #expect(filing.body == (try Repo.text("Fixtures/golden/\(name)")))
        } else {
            #expect(try JSONParser.parse(filing.body) == Repo.json("Fixtures/golden/\(name)"))
        }
    }

    static let dmsNotifications = ["TT_IM001a_01_DMSACC", "TT_IM001a_02_DMSTAX", "TT_IM001a_04_DMSCLE", "example_02_DMSRCV", "example_03_DMSREJ", "example_09_DMSCLE"]

    @Test(arguments: dmsNotifications)
    func cdsNotificationsBecomeStatusEvents(_ name: String) throws {
        let result = try Repo.catalog.ingest(try Repo.bytes("Fixtures/xml/hmrc-cds/\(name).xml"), adapter: "uk-cds")
        let golden = try Repo.text("Fixtures/golden/uk-cds/callback-\(name).jsonl").split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(try result.events.map { try JSONParser.parse(try CanonicalJSON.encode($0)) } == golden)
        #expect(result.events.allSatisfy { $0.reference != nil && $0.authorityReference != nil })
    }

    static let edifactAnswers = ["cusres_d96b", "contrl_accepted", "contrl_rejected"]

    /// CUSRES and CONTRL answers are told apart by their UNH message type and read into status events.
    @Test(arguments: edifactAnswers)
    func edifactAnswersBecomeStatusEvents(_ name: String) throws {
        let result = try Repo.catalog.ingest(try Repo.bytes("Fixtures/edifact/synthetic/\(name).edi"), adapter: "cusdec-gateway")
        let golden = try Repo.text("Fixtures/golden/cusdec-gateway/callback-\(name).jsonl").split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(try result.events.map { try JSONParser.parse(try CanonicalJSON.encode($0)) } == golden)
    }

    @Test func edifactAnswerDetails() throws {
        let cusres = try Repo.catalog.ingest(try Repo.bytes("Fixtures/edifact/synthetic/cusres_d96b.edi"), adapter: "cusdec-gateway").events
        #expect(cusres.first?.reference == "LRN-2026-0001")
        #expect(cusres.first?.authorityReference == "26GB00000000000001")
        #expect(cusres.first?.errors.map(\.code) == ["R009"])
        let rejected = try Repo.catalog.ingest(try Repo.bytes("Fixtures/edifact/synthetic/contrl_rejected.edi"), adapter: "cusdec-gateway").events
        #expect(rejected.first?.kind == .rejected && rejected.first?.errors.first?.code == "29")
        #expect(throws: AdapterError.self) { try Repo.catalog.ingest(try Repo.bytes("Fixtures/edifact/pydifact_order.edi"), adapter: "cusdec-gateway") }
    }

    /// A CUSDEC that breaks the D96B grammar is stopped before it can be filed.
    @Test func edifactThatBreaksTheGrammarIsNotRendered() throws {
        var mapping = try Repo.text("Mappings/cusdec/cusdec-d96b.yaml")
        mapping = mapping.replacingOccurrences(of: "  - segment: UNS\n    elements: [D]\n", with: "")
        let content = try Repo.scratchContent([
            "Adapters/cusdec-gateway.yaml": try Repo.text("Adapters/cusdec-gateway.yaml"),
            "Mappings/cusdec/cusdec-d96b.yaml": mapping,
            "Mappings/cusdec/cusres-d96b.yaml": try Repo.text("Mappings/cusdec/cusres-d96b.yaml"),
            "Mappings/cusdec/contrl.yaml": try Repo.text("Mappings/cusdec/contrl.yaml"),
            "Data/edifact/grammars/D96B.json": try Repo.text("Data/edifact/grammars/D96B.json"),
            "Data/edifact/grammars/CONTRL.json": try Repo.text("Data/edifact/grammars/CONTRL.json"),
        ])
        let (catalog, errors) = content.loadCatalog()
        #expect(errors.isEmpty, "\(errors)")
        #expect {
            try catalog.render(try Repo.order("gb-b2c-apparel-from-cn"), adapter: "cusdec-gateway", now: Repo.goldenTime, context: try Repo.goldenContext("gb-b2c-apparel-from-cn"))
        } throws: { error in
            "\(error)".contains("breaks D96B")
        }
    }

    /// An order pushed by a web shop becomes a canonical order that passes validation as it stands.
    @Test func shopWebhookOrderBecomesAValidCanonicalOrder() throws {
        let result = try Repo.catalog.ingest(try Repo.bytes("Fixtures/json/shop/order_created.json"), adapter: "shop-webhook")
        #expect(result.kind == "order")
        let order = try #require(result.orders.first)
        let golden = try JSONParser.parse(try Repo.text("Fixtures/golden/shop-webhook/order_created.jsonl").trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try JSONParser.parse(try CanonicalJSON.encode(order)) == golden)
        #expect(order.lines.map(\.lineValue.amount) == [29, Decimal(string: "47.70")!])
        #expect(try order.intrinsicValue().amount == Decimal(string: "76.70")!)
        let validator = try ContentRoot(url: Repo.root).loadOrderValidator()
        #expect(validator.check(order: order).isEmpty, "\(validator.check(order: order))")
    }

    @Test func cdsRejectionAndTaxCarryTheirDetails() throws {
        let rej = try Repo.catalog.ingest(try Repo.bytes("Fixtures/xml/hmrc-cds/example_03_DMSREJ.xml"), adapter: "uk-cds").events
        #expect(rej.first?.kind == .rejected)
        #expect(rej.first?.errors == [.init(code: "CDS12005", pointer: "42A/17C/R144")])
        let tax = try Repo.catalog.ingest(try Repo.bytes("Fixtures/xml/hmrc-cds/TT_IM001a_02_DMSTAX.xml"), adapter: "uk-cds").events
        #expect(tax.first?.kind == .dutyAssessed)
        #expect(tax.first?.amounts == [Money(20, "GBP"), Money(204, "GBP")])
    }

    /// Issue #20: the CUSDEC's document references are marked `identifier: true` in the mapping, so an
    /// order reference longer than the 35 characters RFF holds stops the filing, naming field and value.
    @Test func aReferenceTooLongForItsFieldStopsTheFiling() throws {
        var order = try Repo.order("gb-b2c-apparel-from-cn")
        order.externalReference = "NW-100231-SPLIT-SHIPMENT-PART-0000001"
        #expect {
            try Repo.catalog.render(order, adapter: "cusdec-gateway", now: Repo.goldenTime, context: try Repo.goldenContext("gb-b2c-apparel-from-cn"))
        } throws: { error in
            let d = "\(error)"
            return d.contains("cusdec-d96b.yaml") && d.contains("identifier \"NW-100231-SPLIT-SHIPMENT-PART-0000001\"") && d.contains("holds 35")
        }
    }

    /// Rendered XML is checked against the gateway's XSD before it can leave: a mapping that writes
    /// elements out of the schema's order is stopped.
    @Test func xmlThatBreaksTheXSDIsNotRendered() throws {
        var mapping = try Repo.text("Mappings/uk-cds/import-declaration.yaml")
        mapping = mapping.replacingOccurrences(of: "  - {to: /md:MetaData/Declaration/FunctionCode, value: \"9\"}\n", with: "")
        mapping += "  - {to: /md:MetaData/Declaration/FunctionCode, value: \"9\"}\n"
        let content = try Repo.scratchContent([
            "Adapters/uk-cds.yaml": try Repo.text("Adapters/uk-cds.yaml"),
            "Mappings/uk-cds/import-declaration.yaml": mapping,
            "Mappings/uk-cds/dms-notification.yaml": try Repo.text("Mappings/uk-cds/dms-notification.yaml"),
        ])
        let (catalog, errors) = content.loadCatalog()
        #expect(errors.isEmpty, "\(errors)")
        #expect {
            try catalog.render(try Repo.order("gb-b2c-apparel-from-cn"), adapter: "uk-cds", now: Repo.goldenTime, context: try Repo.goldenContext("gb-b2c-apparel-from-cn"))
        } throws: { error in
            "\(error)".contains("breaks cds-declaration")
        }
    }

    /// Every order renders through every adapter that takes its route, and nothing else is tried.
    @Test(arguments: try Repo.orderNames())
    func everyOrderRendersThroughEveryAdapterThatTakesIt(_ name: String) throws {
        let order = try Repo.order(name)
        for adapter in Repo.catalog.adapters.values where adapter.outbound != nil {
            let golden = ["json", "xml", "edi"].contains { FileManager.default.fileExists(atPath: Repo.url("Fixtures/golden/\(adapter.id)/\(name).\($0)").path) }
            let refused = FileManager.default.fileExists(atPath: Repo.url("Fixtures/golden/\(adapter.id)/\(name).refused.json").path)
            if adapter.routes.accepts(order) {
                // Either a filing (with its golden) or a refusal by the business rules (with its golden).
                do {
                    let filing = try Repo.render(name, adapter.id)
                    #expect(!filing.body.isEmpty)
                    #expect(golden, "no golden file for \(adapter.id)/\(name)")
                } catch let e as AdapterError where !e.violations.isEmpty {
                    #expect(refused, "\(adapter.id)/\(name) refused without a golden .refused.json: \(e)")
                }
            } else {
                #expect(throws: AdapterError.self) { try Repo.catalog.render(order, adapter: adapter.id, now: Repo.goldenTime) }
            }
        }
    }

    @Test func renderedFilingCarriesEndpointHeadersAndTruncationNotes() throws {
        let filing = try Repo.catalog.render(try Repo.order("gb-b2c-apparel-from-cn"), adapter: "easypost", now: Repo.goldenTime)
        #expect(filing.method == "POST")
        #expect(filing.endpoint == "https://api.easypost.com/v2/shipments")
        let headers = Dictionary(filing.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["Idempotency-Key"] == "m_northwind:northwind-NW-100231")
        #expect(headers["Authorization"]?.contains("env:EASYPOST_API_KEY") == true)
        #expect(!filing.body.contains("EASYPOST_API_KEY"))
        #expect(filing.notes.contains { $0.path == "/shipment/customs_info/customs_signer" && $0.message.contains("truncated from 37 to 35") })
    }

    @Test func easyPostTrackerWebhookBecomesStatusEvents() throws {
        let result = try Repo.catalog.ingest(try Repo.bytes("Fixtures/json/easypost/webhook_event_tracker_updated.json"), adapter: "easypost")
        let golden = try Repo.text("Fixtures/golden/easypost/callback-tracker-updated.jsonl").split(separator: "\n").map { try JSONParser.parse(String($0)) }
        let got = try result.events.map { try JSONParser.parse(try CanonicalJSON.encode($0)) }
        #expect(got == golden)
        #expect(result.events.first?.kind == .received)
        #expect(result.events.allSatisfy { $0.reference == "1" && $0.source == "easypost" })
    }

    @Test func genericStatusCallbackKeepsGatewayErrors() throws {
        let result = try Repo.catalog.ingest(try Repo.bytes("Fixtures/json/generic-webhook/status_rejected.json"), adapter: "generic-webhook")
        let event = try #require(result.events.first)
        #expect(event.kind == .rejected)
        #expect(event.errors.map(\.code) == ["H7-012", "H7-031"])
        #expect(event.errors.first?.pointer == "/parties/1/postal_code")
        let golden = try JSONParser.parse(try Repo.text("Fixtures/golden/generic-webhook/callback-status-rejected.jsonl").trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try JSONParser.parse(try CanonicalJSON.encode(event)) == golden)
    }

    @Test func malformedInboundMessageIsAnErrorNotACrash() {
        #expect(throws: AdapterError.self) { try Repo.catalog.ingest(Array("{\"result\": ".utf8), adapter: "easypost") }
        #expect(throws: AdapterError.self) { try Repo.catalog.ingest(Array("{\"result\": {\"tracking_details\": [{\"status\": \"delivered\"}]}}".utf8), adapter: "easypost") }
    }

    @Test func responsesMapToOutcomes() throws {
        let accepted = try Repo.catalog.interpret(status: 201, body: Array(#"{"id": "shp_1"}"#.utf8), adapter: "easypost")
        #expect(accepted.outcome == .accepted && accepted.reference == "shp_1")
        let rejected = try Repo.catalog.interpret(
            status: 422, body: Array(#"{"error": {"code": "PARAMETER.INVALID", "errors": [{"field": "customs_items.0.weight", "message": "must be greater than 0"}]}}"#.utf8),
            adapter: "easypost")
        #expect(rejected.outcome == .rejected)
        #expect(rejected.reasons == [.init(code: "customs_items.0.weight", message: "must be greater than 0")])
        let unknown = try Repo.catalog.interpret(status: 503, body: [], adapter: "easypost")
        #expect(unknown.outcome == .unknown)
    }
}

@Suite struct CallbackSignatureTests {
    let body = Array(#"{"id":"evt_1"}"#.utf8)

    @Test func hexHMACMatchesOnlyTheRightSecret() throws {
        let sig = try #require(Repo.catalog.adapters["easypost"]?.callbacks?.signature)
        // HMAC-SHA256(key "secret", body), computed independently with Python's hmac module.
        let expected = "16abb10adb33ff9cff34f6a57fc2c0b902c11ea19fe73dae86f2940c235e7ed5"
        try CallbackVerifier.verify(sig, secret: Array("secret".utf8), headers: ["x-hmac-signature": expected], body: body, now: Date())
        try CallbackVerifier.verify(sig, secret: Array("secret".utf8), headers: ["X-Hmac-Signature": "sha256=" + expected.uppercased()], body: body, now: Date())
        #expect(throws: CallbackVerifier.Failure.badSignature) { try CallbackVerifier.verify(sig, secret: Array("other".utf8), headers: ["X-Hmac-Signature": expected], body: body, now: Date()) }
        #expect(throws: CallbackVerifier.Failure.missingHeader("X-Hmac-Signature")) { try CallbackVerifier.verify(sig, secret: [1], headers: [:], body: body, now: Date()) }
    }

    @Test func base64HMACForShopWebhooks() throws {
        let sig = try #require(Repo.catalog.adapters["shop-webhook"]?.callbacks?.signature)
        // base64(HMAC-SHA256(key "secret", body)), computed independently with Python's hmac module.
        let expected = "FquxCtsz/5z/NPalf8LAuQLBHqGf5z2uhvKUDCNeftU="
        try CallbackVerifier.verify(sig, secret: Array("secret".utf8), headers: ["X-Shop-Hmac-Sha256": expected], body: body, now: Date())
        #expect(throws: CallbackVerifier.Failure.badSignature) {
            try CallbackVerifier.verify(sig, secret: Array("secret".utf8), headers: ["X-Shop-Hmac-Sha256": expected.lowercased()], body: body, now: Date())
        }
    }

    @Test func standardWebhooksCheckSignatureAndAge() throws {
        let sig = try #require(Repo.catalog.adapters["generic-webhook"]?.callbacks?.signature)
        let secret = CallbackVerifier.secretBytes("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let ts = 1_764_000_000
        // base64(HMAC-SHA256(secret, "msg_1.1764000000." + body)), computed independently with Python.
        let signed = "2fw4i42wHib4xMT7j66Hcsq0loobQ/FhTwZ0fCRZPdk="
        let headers = ["webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": "v1,bogus v1,\(signed)"]
        let now = Date(timeIntervalSince1970: TimeInterval(ts + 10))
        try CallbackVerifier.verify(sig, secret: secret, headers: headers, body: body, now: now)
        #expect(throws: CallbackVerifier.Failure.badSignature) { try CallbackVerifier.verify(sig, secret: secret, headers: headers, body: body + [0x20], now: now) }
        let late = Date(timeIntervalSince1970: TimeInterval(ts + 3600))
        #expect(throws: CallbackVerifier.Failure.stale(seconds: 3600)) { try CallbackVerifier.verify(sig, secret: secret, headers: headers, body: body, now: late) }
    }
}
