import AdapterKit
import EDIFACT
import Foundation

/// Which gateway a built-in adapter talks to, read from what its adapter file says it takes back:
/// the sandbox answers each in that gateway's own messages.
public enum GatewayProtocol: String, Sendable, Hashable {
    /// UK CDS: WCO DEC in, DMS notifications (`MetaData/Response`) back.
    case cds
    /// UK ICS: entry summary (IE315) in, HMRC's `SuccessResponse` at once, then IE328 (MRN
    /// allocated), IE316 (rejected) or IE351 (advance intervention) back.
    case ics
    /// An EDIFACT customs gateway: CUSDEC in (over HTTP or by file drop), a CONTRL syntax report
    /// and CUSRES customs responses back.
    case cusdec
    /// EasyPost's tracker events.
    case easypost
    /// The hub's generic status webhook envelope (`filing.status`).
    case webhook
    /// Nothing comes back (the adapter reads no status).
    case silent

    public init(_ adapter: AdapterDefinition) {
        let statusTypes = Set(adapter.inbound.filter { $0.kind == "status" }.compactMap(\.messageType))
        let mapping = adapter.callbacks?.mapping ?? ""
        if mapping.hasPrefix("uk-cds/") {
            self = .cds
        } else if mapping.hasPrefix("easypost/") {
            self = .easypost
        } else if adapter.callbacks != nil {
            self = .webhook
        } else if statusTypes.contains("CUSRES") || statusTypes.contains("CONTRL") {
            self = .cusdec
        } else if statusTypes.contains("CC328A") {
            self = .ics
        } else {
            self = .silent
        }
    }

    /// The content type callbacks in this protocol carry.
    public var callbackContentType: String {
        switch self {
        case .cds, .ics: "application/xml"
        case .cusdec: "application/edifact"
        case .easypost, .webhook, .silent: "application/json"
        }
    }

    /// The status steps a filing gets, by the final word `SandboxGateway.finalKind` chose for it.
    /// CDS: accepted, duty assessed, then cleared, held or rejected with reasons. CUSDEC: the CONTRL
    /// syntax report (a rejecting one ends it), CUSRES accepted with the duty, then CUSRES
    /// cleared, held or rejected. ICS: the MRN allocated (IE328), then an advance intervention
    /// (IE351) when held; a rejected ENS gets IE316 and no MRN.
    func script(final last: String, syntaxRejected: Bool) -> [(kind: String, errors: [(String, String)])] {
        switch self {
        case .cusdec:
            if syntaxRejected { return [("syntax", [])] }
            let errors: [(String, String)] = last == "rejected" ? [("R009", "Commodity code not valid for the declared procedure")] : []
            return [("syntax", []), ("accepted", []), (last, errors)]
        case .ics:
            if last == "rejected" { return [("rejected", [("8104", "Place of loading not recognised for this mode of transport")])] }
            return last == "held" ? [("accepted", []), ("held", [])] : [("accepted", [])]
        default:
            let errors: [(String, String)] = last == "rejected" ? [("CDS12056", "Commodity code not valid for the declared procedure")] : []
            return [("accepted", []), ("duty_assessed", []), (last, errors)]
        }
    }
}

/// The EDIFACT side of the sandbox: what it reads from a CUSDEC interchange, its CONTRL report
/// (built by the EDIFACT engine from the reader's diagnostics) and its CUSRES answers.
enum EdifactGateway {
    struct Received {
        /// UNB 0020, which CONTRL names.
        var controlRef: String
        /// BGM 1004 of the first message, the declaration's LRN, which CUSRES quotes in RFF+ABO.
        var documentNumber: String?
        /// The CONTRL for the interchange, written at receipt.
        var contrl: [UInt8]
        var rejected: Bool
    }

    /// Reads an interchange and writes the CONTRL a gateway sends for it (action 7, or 4 with the
    /// syntax error when the reader found one).
    static func receive(_ body: [UInt8], now: Date) -> Received? {
        let document = EDIFACTReader.read(body)
        guard let interchange = document.interchanges.first, !interchange.header.elements.isEmpty else { return nil }
        // Any syntax error rejects the whole interchange (UCI action 4): a CUSDEC interchange holds
        // one declaration, and the hub's CONTRL mapping reads the UCI action, not per-message UCMs.
        let diagnostics = document.errors.filter { $0.interchangeIndex == nil || $0.interchangeIndex == 0 }.map { d -> Diagnostic in
            var d = d
            d.messageIndex = nil
            d.groupRef = nil
            return d
        }
        let (date, time) = stamp(now, century: false)
        let options = ContrlOptions(syntaxVersion: 3, controlRef: "SBX" + String(interchange.controlRef.suffix(11)), date: date, time: time)
        let ack = ContrlBuilder.acknowledge(interchange, interchangeIndex: 0, diagnostics: diagnostics, options: options)
        var writer = EDIFACTWriter()
        guard let bytes = try? writer.write(ack) else { return nil }
        let number = interchange.allMessages.first?.first("BGM")?.value(1)
        return Received(controlRef: interchange.controlRef, documentNumber: number.flatMap { $0.isEmpty ? nil : $0 }, contrl: bytes,
                        rejected: diagnostics.contains { $0.severity == .error })
    }

    /// A CUSRES D96B: BGM 962 accepted (with the duty), 964 cleared, 965 held, 963 rejected with
    /// ERC error codes and their FTX text. It quotes the declaration's LRN in RFF+ABO and carries
    /// the MRN as BGM's document number.
    static func cusres(kind: String, lrn: String, mrn: String, errors: [(String, String)], sequence: Int, now: Date) -> [UInt8]? {
        let codes = ["accepted": "962", "cleared": "964", "held": "965", "rejected": "963"]
        guard let code = codes[kind] else { return nil }
        let (date, time) = stamp(now, century: false)
        let (full, _) = stamp(now, century: true)
        var body: [Segment] = [
            Segment("BGM", [code], [mrn], ["9"]),
            Segment("DTM", ["137", full, "203"]),
            Segment("GIS", ["1"]),
            Segment("RFF", ["ABO", lrn]),
            Segment("RFF", ["ABT", mrn]),
        ]
        for (c, text) in errors {
            body.append(Segment("ERC", [c]))
            body.append(Segment("FTX", ["AAO"], [], [], [text]))
        }
        if kind == "accepted" {
            body.append(Segment("TAX", ["1"], ["A00"]))
            body.append(Segment("MOA", ["55", "7.80", "GBP"]))
        }
        let ref = String(mrn.suffix(10)) + String(sequence)
        let unh = Segment("UNH", ["1"], ["CUSRES", "D", "96B", "UN"])
        let message = Message(type: "CUSRES", version: "D", release: "96B", agency: "UN", controlRef: "1",
                              segments: [unh] + body + [Segment("UNT", [String(body.count + 2)], ["1"])])
        let unb = Segment("UNB", ["UNOC", "3"], ["GATEWAY", "ZZ"], ["CUSTOMSHUB", "ZZ"], [date, time], [ref])
        let interchange = Interchange(header: unb, messages: [message], trailer: Segment("UNZ", ["1"], [ref]))
        var writer = EDIFACTWriter()
        return try? writer.write(interchange)
    }

    /// UNB S004 date and time (`YYMMDD` or, with the century, `CCYYMMDDHHMM` for DTM format 203).
    static func stamp(_ now: Date, century: Bool) -> (String, String) {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = century ? "yyyyMMddHHmm" : "yyMMdd"
        let date = f.string(from: now)
        f.dateFormat = "HHmm"
        return (date, f.string(from: now))
    }
}

/// The UK ICS side: HMRC's synchronous `SuccessResponse` and the ENS outcome messages after it.
/// The outcomes follow the ICS message layout of the IE315 the hub sends (`CC315A`: header
/// `HEAHEA` with `RefNumHEA4`, the LRN, and `DocNumHEA5`, the MRN; functional errors in `FUNERRER1`).
enum ICSGateway {
    static func successResponse(correlationID: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?><ns:SuccessResponse xmlns:ns="http://www.hmrc.gov.uk/successresponse/2" \
        xmlns="http://www.govtalk.gov.uk/enforcement/ICS/responsedata/7"><ns:ResponseData><CorrelationId>\(correlationID)</CorrelationId>\
        </ns:ResponseData></ns:SuccessResponse>
        """
    }

    /// IE328 (MRN allocated), IE316 (rejected, with its functional errors) or IE351 (advance
    /// intervention: the consignment is held for control on arrival).
    static func outcome(kind: String, lrn: String, mrn: String, errors: [(String, String)], sequence: Int, now: Date) -> [UInt8]? {
        let type: String
        switch kind {
        case "accepted": type = "CC328A"
        case "rejected": type = "CC316A"
        case "held": type = "CC351A"
        default: return nil
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyMMdd"
        let day = f.string(from: now)
        f.dateFormat = "HHmm"
        let clock = f.string(from: now)
        f.dateFormat = "yyyyMMddHHmm"
        let stamp = f.string(from: now)
        let e = SandboxGateway.escape
        var header = "<RefNumHEA4>\(e(lrn))</RefNumHEA4>"
        switch type {
        case "CC328A": header += "<DocNumHEA5>\(e(mrn))</DocNumHEA5><RegDatTimHEA115>\(stamp)</RegDatTimHEA115>"
        case "CC316A": header += "<DecRejDatTimHEA116>\(stamp)</DecRejDatTimHEA116><DecRejReaHEA252>Functional errors</DecRejReaHEA252>"
        default: header += "<DocNumHEA5>\(e(mrn))</DocNumHEA5><NotDatTimHEA104>\(stamp)</NotDatTimHEA104>"
        }
        let errorXML = errors.map {
            "<FUNERRER1><ErrTypER11>\(e($0.0))</ErrTypER11><ErrPoiER12>HEAHEA</ErrPoiER12><ErrReaER13>\(e($0.1))</ErrReaER13></FUNERRER1>"
        }.joined()
        let control = type == "CC351A" ? "<CUSINT632><ConRefNumCUSINT633>CTL\(sequence)</ConRefNumCUSINT633><TypOfConCUSINT634>A</TypOfConCUSINT634></CUSINT632>" : ""
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><ie:\(type) xmlns:ie="http://ics.dgtaxud.ec/\(type)"><MesSenMES3>HMRC-ICS</MesSenMES3>\
            <DatOfPreMES9>\(day)</DatOfPreMES9><TimOfPreMES10>\(clock)</TimOfPreMES10><MesIdeMES19>\(e(String(mrn.suffix(10))))\(sequence)</MesIdeMES19>\
            <MesTypMES20>\(type)</MesTypMES20><HEAHEA>\(header)</HEAHEA>\(errorXML)\(control)</ie:\(type)>
            """
        return Array(xml.utf8)
    }
}
