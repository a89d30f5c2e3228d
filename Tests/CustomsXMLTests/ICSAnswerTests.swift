import ChildProcess
import CustomsModel
import Foundation
import SecureXML
import Testing

@testable import CustomsXML

private let prepared = Timestamp.parse("2026-11-21T15:04:00Z")!

/// The ICS API's synchronous answers; the entry summary itself is rendered by the uk-ics mapping.
@Suite struct ICSAnswerTests {
    @Test func synchronousAnswersBecomeEvents() throws {
        let ok = try ICSAnswer.parse(try Repo.bytes("Fixtures/xml/hmrc-ics/success_response.xml"), receivedAt: prepared, reference: "ENS-KT-2026-0412")
        #expect(ok.correlationID == "87491122139921")
        #expect(ok.event.kind == .received)
        #expect(ok.event.occurredAt == prepared)
        #expect(ok.event.reference == "ENS-KT-2026-0412")
        let bad = try ICSAnswer.parse(try Repo.bytes("Fixtures/xml/hmrc-ics/error_response.xml"), receivedAt: prepared)
        #expect(bad.event.kind == .rejected)
        #expect(bad.event.errors == [StatusEvent.GatewayError(code: "4065", message: "Invalid content found at element 'MesSenMES3'", pointer: "/ie:CC315A[1]/MesSenMES3[1]")])
        #expect(throws: XMLError.self) { _ = try ICSAnswer.parse(Array("<Other/>".utf8), receivedAt: prepared) }
    }

    @Test func answerSchemasAcceptTheSamples() throws {
        #expect(try Schemas.named("ics-success-response").validate(try Repo.bytes("Fixtures/xml/hmrc-ics/success_response.xml")) == [])
        #expect(try Schemas.named("ics-error-response").validate(try Repo.bytes("Fixtures/xml/hmrc-ics/error_response.xml")) == [])
    }
}
