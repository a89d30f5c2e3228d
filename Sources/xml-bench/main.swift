// Release-mode benchmark for the XML layer: parse and XSD-validate MB/s on a generated batch of UK CDS
// import declarations, side by side with FoundationXML's XMLParser and Python lxml (libxml2) in the
// same run.
//
//   swift build -c release --product xml-bench && .build/release/xml-bench [declarations] [lines-per-declaration]
//
// Defaults: 400 declarations of 40 goods items (about 31 MB). Each figure is the best of 3 passes.
// Run from the repo root (or set CUSTOMS_HUB_HOME) so the schemas are found.

import AdapterKit
import CustomsModel
import CustomsXML
import Foundation
import HubContent
import SecureXML

#if canImport(FoundationXML)
    import FoundationXML
#endif

let args = CommandLine.arguments
let declarations = args.count > 1 ? Int(args[1]) ?? 400 : 400
let linesPerDeclaration = args.count > 2 ? Int(args[2]) ?? 40 : 40
let passes = 3

/// A synthetic order with `lines` varied goods items bound for GB.
func syntheticOrder(_ n: Int, lines: Int) -> Order {
    let materials = ["cotton", "polyester & elastane", "stainless steel", "beech wood", "ABS plastic", "glass <tempered>"]
    let codes = ["6109100010", "6204623100", "7323930090", "4419901000", "9503007000", "7013490000"]
    var orderLines: [OrderLine] = []
    for i in 0..<lines {
        let unit = Money(Decimal(string: "\(3 + (i * 7 + n) % 40).\(10 + i % 89)")!, "GBP")
        orderLines.append(OrderLine(
            lineID: "\(i + 1)", sku: "SKU-\(n)-\(i)", description: "Item \(i + 1) of order \(n): \(materials[i % materials.count]) article, model \(i * 31 % 997)",
            quantity: Decimal(1 + i % 3), unitValue: unit, lineValue: unit * Decimal(1 + i % 3), netWeight: Weight(Decimal(string: "0.\(100 + i % 800)")!, .kg),
            originCountry: ["CN", "VN", "IN", "TR"][i % 4] as CountryCode, hsCode: HSCode(rawValue: codes[i % codes.count])))
    }
    return Order(
        merchantID: "m_bench", externalReference: "BENCH-\(n)", idempotencyKey: "bench-\(n)", createdAt: Date(timeIntervalSince1970: 1_795_000_000),
        currency: "GBP", parties: [
            Party(role: .seller, name: "Bench Seller \(n)", company: "Bench Export Co. & Sons", addressLines: ["\(n) Export Road"], city: "Shenzhen", postalCode: "518000", country: "CN"),
            Party(role: .consignee, name: "Customer \(n)", addressLines: ["\(n) High Street"], city: "Leeds", postalCode: "LS1 1AA", country: "GB"),
        ],
        shipment: Shipment(
            shipFromCountry: "CN", destinationCountry: "GB", incoterm: "DAP", transportMode: .courier,
            parcels: [Parcel(reference: "TRK\(n)", grossWeight: Weight(Decimal(lines), .kg))]),
        lines: orderLines)
}

func best(_ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<passes {
        let start = ContinuousClock.now
        try body()
        let d = ContinuousClock.now - start
        fastest = min(fastest, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
    return fastest
}

func row(_ name: String, _ bytes: Int, _ seconds: Double, _ note: String = "") {
    let mb = Double(bytes) / 1_048_576
    let rate = String(format: "%8.1f MB/s", mb / seconds)
    print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(rate)  (\(String(format: "%.3f", seconds)) s)\(note.isEmpty ? "" : "  " + note)")
}

// MARK: - Generate

// Declarations come from the one filing path: the uk-cds adapter and its mapping.
let (catalog, catalogErrors) = try ContentRoot.locate().loadCatalog()
guard catalogErrors.isEmpty else { fatalError("content does not load: \(catalogErrors)") }
let movement = RenderContext(values: ["goods_location": "LHRLHRLHR", "arrival_transport_id": "BA0028", "incoterm_place": "GBLHR"])
var documents: [[UInt8]] = []
for n in 0..<declarations {
    let order = syntheticOrder(n, lines: linesPerDeclaration)
    var context = movement
    context.sequence = n + 1
    let filing = try catalog.render(order, adapter: "uk-cds", now: Date(timeIntervalSince1970: 1_795_000_000), context: context)
    documents.append(XMLWriter(indent: "  ").bytes(try SecureXMLParser().parse(Array(filing.body.utf8)).root))
}
let total = documents.reduce(0) { $0 + $1.count }
print("xml-bench: \(declarations) CDS declarations x \(linesPerDeclaration) goods items, \(String(format: "%.1f", Double(total) / 1_048_576)) MB, best of \(passes)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (shared; other builds may be running)")

let root = try ContentRoot.locate()
let entry = XMLSchemaCatalog.named("cds-declaration")!
let schemaFiles = try root.fileContents(under: "Schemas/xml/\(entry.folder)").mapValues { [UInt8]($0) }
let schema = try XMLSchemaSet(files: schemaFiles, entry: entry.entry)

// Sanity: every generated document must be valid, or the validate figure means nothing.
for doc in documents.prefix(3) {
    let issues = try schema.validate(doc)
    guard issues.isEmpty else { fatalError("generated declaration does not validate: \(issues)") }
}

// MARK: - Parse

print("parse")
var elementCount = 0
let tTree = try best {
    for doc in documents { _ = try SecureXMLParser().parse(doc) }
}
row("SecureXML tree (SecureXMLParser)", total, tTree)

let tStream = try best {
    elementCount = 0
    for doc in documents {
        try XMLEventReader().read(doc) { if case .start = $0 { elementCount += 1 } }
    }
}
row("SecureXML streaming events (XMLEventReader)", total, tStream, "\(elementCount) elements")

#if canImport(FoundationXML)
    final class Counter: NSObject, XMLParserDelegate {
        var count = 0
        func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            count += 1
        }
    }
    var foundationCount = 0
    var foundationOK = true
    let tFoundation = best {
        foundationCount = 0
        for doc in documents {
            let p = XMLParser(data: Data(doc))
            p.shouldProcessNamespaces = true
            let c = Counter()
            p.delegate = c
            foundationOK = p.parse() && foundationOK
            foundationCount += c.count
        }
    }
    row("baseline: FoundationXML XMLParser (SAX)", total, tFoundation, "\(foundationCount) elements\(foundationOK ? "" : ", parse FAILED")")
#endif

// MARK: - Validate

print("validate (parse + XSD, compiled schema reused)")
let tValidate = try best {
    for doc in documents { _ = try schema.validate(doc) }
}
row("SecureXML XMLSchemaSet.validate", total, tValidate)

// MARK: - Python lxml baseline (same documents, same XSD files)

let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("xml-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: tmp) }
for (i, doc) in documents.enumerated() { try Data(doc).write(to: tmp.appendingPathComponent("d\(i).xml")) }

let process = Process()
process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
process.arguments = ["python3", root.file("Scripts/xml_lxml_baseline.py").path, tmp.path, root.file("Schemas/xml/\(entry.folder)/\(entry.entry)").path, String(passes)]
let out = Pipe()
process.standardOutput = out
process.standardError = Pipe()
do {
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus == 0, let r = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        let p = r["parse"] as? Double, let v = r["validate"] as? Double
    {
        let lib = r["libxml2"] as? String ?? "?"
        print("baseline: Python lxml (libxml2 \(lib)), same documents and XSD")
        row("lxml etree.fromstring", total, p)
        row("lxml XMLSchema.validate(fromstring)", total, v, (r["ok"] as? Bool) == true ? "" : "(lxml found the documents invalid!)")
    } else {
        print("baseline: Python lxml unavailable (python3 -c 'import lxml' failed; pip install lxml)")
    }
} catch {
    print("baseline: python3 not runnable: \(error)")
}
