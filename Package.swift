// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every CustomsHub target: Swift 6 mode (strict concurrency) comes with the
/// tools version; these add the upcoming features the team agreed on.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// For the libraries whose work grows with the content (JSON and CSV readers, the order model,
/// mappings, tariff packs, the classifier's training and scoring, the screening index): optimised
/// in debug builds too. The CLI and serve tests run the debug `customs-hub` on the real packs,
/// lists and examples, and without optimisation (no generic specialisation in the standard
/// library) `train`, `data index` and `quote` on the US packs took 5 to 9 times their release CPU
/// time, most of the CLI suite's (docs/benchmarks.md). Same code and checks: `-O` keeps overflow
/// traps, exclusivity checks and preconditions, and these modules use no `assert`.
let contentSettings: [SwiftSetting] = settings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "CustomsHub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "customs-hub", targets: ["customs-hub"]),
        .library(name: "CustomsModel", targets: ["CustomsModel"]),
        .library(name: "SecureXML", targets: ["SecureXML"]),
        .library(name: "CustomsXML", targets: ["CustomsXML"]),
        .library(name: "Classification", targets: ["Classification"]),
        .executable(name: "classify-bench", targets: ["classify-bench"]),
        .library(name: "Tariff", targets: ["Tariff"]),
        .executable(name: "outbox-bench", targets: ["outbox-bench"]),
        .executable(name: "pipeline-bench", targets: ["pipeline-bench"]),
        .executable(name: "load-bench", targets: ["load-bench"]),
        .executable(name: "extract-bench", targets: ["extract-bench"]),
    ],
    // Chosen once for the whole product (see README "Dependencies"); targets adopt them as they land.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Already in the graph through Hummingbird/AHC/postgres-nio; named here because the relay, the
        // stores and the loopback sink use ByteBuffer and HTTP field names directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // Pure: JSON values with exact numbers, positioned parse errors, JSON Pointer, JSON Schema subset.
        .target(name: "JSONCore", swiftSettings: contentSettings),
        // Pure: RFC 4180 CSV reading with line numbers, for the public data files.
        .target(name: "CSVCore", swiftSettings: contentSettings),
        // Pure: the canonical order model, ISO tables and validation at the source.
        .target(name: "CustomsModel", dependencies: ["JSONCore", "CSVCore"], exclude: ["ISO-SOURCES.md"], swiftSettings: contentSettings),
        // Pure: the declarative mapping language (YAML/JSON specs, load-time checks, the engine).
        .target(
            name: "Mapping",
            dependencies: ["CustomsModel", "JSONCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: contentSettings),
        // Pure: adapter definitions (Adapters/*.yaml), the catalog that checks them with their
        // mappings, rendering filings and reading inbound messages and gateway answers.
        .target(
            name: "AdapterKit",
            dependencies: ["CustomsModel", "JSONCore", "CSVCore", "Mapping", "Digests", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings),
        // libxml2, reached only through SecureXML.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Pure: hardened XML on libxml2 — immutable namespace-resolved tree, streaming events, writer,
        // XSD validation from in-memory schema files, SOAP unwrap. No DTDs, no entities, no network.
        .target(name: "SecureXML", dependencies: ["CLibXML2"], swiftSettings: settings),
        // Pure: customs XML the mappings cannot express — UK CDS DMS notifications, ICS answers and
        // the XSD catalog. Filings are rendered by the adapter catalog's mappings (see CustomsXML.swift).
        .target(name: "CustomsXML", dependencies: ["CustomsModel", "SecureXML"], swiftSettings: settings),
        // Pure: XML writer/reader for the declarative mappings (AdapterKit's MessageWriter/Reader), on SecureXML.
        .target(name: "XMLMessages", dependencies: ["AdapterKit", "Mapping", "JSONCore", "SecureXML"], swiftSettings: settings),
        // Release-mode benchmark: parse and validate MB/s on a generated CDS declaration batch.
        .executableTarget(name: "xml-bench", dependencies: ["CustomsXML", "SecureXML", "CustomsModel", "HubContent", "AdapterKit"], swiftSettings: settings),
        // Pure: sanctions list loaders (bytes in), name normalisation, blocking index, match scoring, embargo rules.
        .target(name: "Screening", dependencies: ["CustomsModel", "JSONCore", "CSVCore", "SecureXML", "Digests"], swiftSettings: contentSettings),
        // Pure: per-line risk scores with weighted reasons, and routing of only the flagged lines/parties to review.
        .target(name: "Risk", dependencies: ["CustomsModel"], swiftSettings: settings),
        // Pure: EDIFACT writer, reader and grammar validator for the mapping engine (AdapterKit formats).
        .target(name: "EDIFACTMessages", dependencies: ["AdapterKit", "Mapping", "JSONCore", "EDIFACT"], swiftSettings: settings),
        // Edge: finds and reads the content files (Data/, Schemas/) and hands values to the pure engines.
        .target(name: "HubContent", dependencies: ["CustomsModel", "JSONCore", "CSVCore", "Mapping", "AdapterKit", "XMLMessages", "CustomsXML", "SecureXML", "Classification", "Tariff", "EDIFACT", "EDIFACTMessages"], swiftSettings: contentSettings),
        // Pure: HS classification (knowledge base, features, linear models, memory, calibration, evidence).
        .target(name: "Classification", dependencies: ["JSONCore", "CSVCore", "CEmbeddingKernels"], swiftSettings: contentSettings),
        // The embedding scan's integer dot products, on AVX2 when the processor has it (chosen at run
        // time); optimised in debug builds too, as the classifier is (the tests scan 25k rows per line).
        .target(name: "CEmbeddingKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        // Pure: a BERT sentence encoder (safetensors weights, the forward pass, mean pooling; the
        // WordPiece tokenizer is Classification's, which the static encoder in the model uses too)
        // for the classifier's encoder features, and the static encoder's distillation; OpenBLAS when present.
        .target(name: "TextEmbedding", dependencies: ["Classification", "JSONCore"], swiftSettings: contentSettings),
        // Pure: duty and tax engine (rate texts, content packs, jurisdiction rules, landed cost).
        .target(name: "Tariff", dependencies: ["CustomsModel", "JSONCore", "CSVCore"], swiftSettings: contentSettings),
        // Release-mode measurement of quotes per second and pack load time (issue #7).
        // Pure: UN/EDIFACT (ISO 9735) reader, writer, charsets, envelope checks, CONTRL, grammars.
        .target(name: "EDIFACT", dependencies: ["JSONCore"], swiftSettings: settings),
        // Release-mode benchmark of the EDIFACT engine against pydifact (not part of `swift test`).
        .executableTarget(name: "edifact-bench", dependencies: ["EDIFACT"], swiftSettings: settings),
        .executableTarget(name: "tariff-bench", dependencies: ["Tariff", "HubContent", "JSONCore"], swiftSettings: settings),
        // Pure: store protocol, records, migrations shared by both engines, relay decisions (backoff,
        // token bucket, breaker, error classes) with an injected clock.
        // Lowercase hex and SHA-256 text: the one way every digest, key hash, token and signature is written.
        .target(name: "Digests", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: settings),
        .target(name: "Store", dependencies: ["CustomsModel", "JSONCore", "Digests"], swiftSettings: settings),
        // Pure: one order (or a batch, stage by stage) in, one evaluation per order out (validate, classify, screen, risk, quote, route,
        // render); routes as data. No I/O and no clock: time is handed in.
        .target(
            name: "Pipeline",
            dependencies: ["CustomsModel", "JSONCore", "Classification", "Screening", "Risk", "Tariff", "AdapterKit", "Mapping", "Digests"],
            swiftSettings: settings),
        // Edge: the hub service around the pipeline (submit, review, audit, engine loading and reload).
        .target(
            name: "Hub",
            dependencies: ["Pipeline", "Store", "Relay", "HubContent", "CustomsModel", "JSONCore", "Classification", "Screening", "Risk", "Tariff",
                           "AdapterKit", "Digests",
                           .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                           .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: settings),
        // Edge: the embedded default store, one SQLite file in WAL mode through GRDB.
        .target(
            name: "StoreSQLite",
            dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings),
        // Edge: the multi-instance store on PostgreSQL (SKIP LOCKED leasing, LISTEN/NOTIFY wake-ups).
        .target(
            name: "StorePostgres",
            dependencies: [
                "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // PostgresStore is a Service: its pool and LISTEN loop run in the caller's ServiceGroup.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        // Edge: the delivery service that leases outbox rows and sends them over HTTP.
        .target(
            name: "Relay",
            dependencies: [
                "Store", "AdapterKit", "JSONCore", "EDIFACT", "CustomsModel", "Digests",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        // Test/benchmark helper: a scriptable HTTP gateway stand-in on 127.0.0.1.
        .target(
            name: "LoopbackSink",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: settings),
        // Edge: the hub as an HTTP service (#14): API routes, tenants, problem+json, callback intake and
        // processing, metrics, JSON logs, configuration.
        .target(
            name: "HubServer",
            dependencies: [
                "Hub", "HubContent", "Pipeline", "Relay", "Store", "AdapterKit", "CustomsModel", "JSONCore", "Mapping", "Digests",
                "Classification", "Screening", "Tariff", "Documents", "DocumentExtraction",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings),
        // Edge: a stand-in for every built-in gateway on loopback, with signed, delayed callbacks.
        .target(
            name: "SandboxGateway",
            dependencies: [
                "AdapterKit", "Mapping", "JSONCore", "Digests", "EDIFACT",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings),
        .executableTarget(
            name: "outbox-bench",
            dependencies: [
                "Store", "StoreSQLite", "StorePostgres", "Relay", "LoopbackSink",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: settings),
        // poppler's GLib API and zlib, linked: only the document tests use it (zlib to build hostile PDFs).
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        // poppler (with GLib and cairo) and Tesseract/Leptonica, opened with dlopen when a document is
        // first read instead of linked: the other commands start without their 78 libraries. Reached
        // only through Documents; at run time libpoppler-glib8, libtesseract5 and tesseract-ocr-eng.
        .target(name: "CDocumentLibraries", linkerSettings: [.linkedLibrary("z"), .linkedLibrary("dl")]),
        // Pure: document intake — word boxes in, draft document/order with per-field confidence,
        // page and box, cross-checks and problems out. No I/O, no OCR.
        .target(name: "DocumentExtraction", dependencies: ["CustomsModel", "JSONCore", "Mapping"], swiftSettings: settings),
        // Edge: reads PDFs (poppler) and images/scans (Tesseract) into word boxes behind one protocol,
        // refusing hostile files within fixed limits.
        .target(name: "Documents", dependencies: ["DocumentExtraction", "CDocumentLibraries", "JSONCore"], swiftSettings: settings),
        // Release-mode field precision/recall and pages per CPU-second on Fixtures/documents, beside
        // the pdftotext/tesseract + regex baseline (Scripts/documents_baseline.py).
        .executableTarget(name: "extract-bench", dependencies: ["Documents", "DocumentExtraction"], swiftSettings: settings),
        .executableTarget(
            name: "customs-hub",
            dependencies: [
                "CustomsModel", "HubContent", "JSONCore", "CSVCore", "Mapping", "AdapterKit", "SecureXML", "CustomsXML", "EDIFACT", "Risk", "Screening", "Classification", "Tariff",
                "Store", "StoreSQLite", "StorePostgres", "Relay", "Pipeline", "Hub", "Documents", "DocumentExtraction", "HubServer", "SandboxGateway", "Digests",
                "TextEmbedding",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings),
        // Release-mode measurement of the whole pipeline on SQLite beside the engines' own costs (issue #12).
        .executableTarget(
            name: "pipeline-bench",
            dependencies: ["Pipeline", "Hub", "HubContent", "Store", "StoreSQLite", "CustomsModel", "JSONCore", "Classification", "Screening",
                           "Risk", "Tariff", "AdapterKit"],
            swiftSettings: settings),
        // Release-mode HTTP load generator against a running `serve` (issue #14); Scripts/load-bench.sh.
        .executableTarget(
            name: "load-bench",
            dependencies: ["JSONCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: settings),
        // Evaluation and speed of Screening on the full lists, beside the rapidfuzz/nomenklatura baselines (release only).
        .executableTarget(name: "screen-bench", dependencies: ["Screening", "CustomsModel"], swiftSettings: settings),
        // libFuzzer harness over every reader of outside bytes (Scripts/fuzz.sh); a plain build replays files.
        .executableTarget(name: "fuzz-readers", dependencies: ["JSONCore", "CSVCore", "SecureXML", "Mapping", "Screening", "Tariff"], swiftSettings: settings),
        // Test support: child processes run off the cooperative pool (for the tests that drive the real
        // binary), the one seeded generator of the fuzz and property tests, and the repository's files.
        .target(name: "ChildProcess", path: "Tests/Support", swiftSettings: settings),
        // Deterministic mutation fuzzing of those readers, with the regression inputs in Fixtures/fuzz.
        .testTarget(name: "FuzzTests", dependencies: ["JSONCore", "CSVCore", "SecureXML", "Mapping", "Screening", "Tariff", "ChildProcess"], swiftSettings: settings),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore", "ChildProcess"], swiftSettings: settings),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Hub", "Store", "StoreSQLite", "StorePostgres", "HubContent", "Classification", "CustomsModel",
                           "JSONCore", "Mapping", "Relay", "Risk", "customs-hub", "ChildProcess"],
            swiftSettings: settings),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "HubServer", "SandboxGateway", "Hub", "HubContent", "Pipeline", "Relay", "Store", "StoreSQLite", "AdapterKit", "Classification", "JSONCore",
                // customs-hub: uploaded documents are read by its `extract --worker` in a child process.
                "customs-hub", "ChildProcess",
                "Screening", "CustomsModel", "Documents", "DocumentExtraction",
                // The alert webhook's receiver on loopback.
                "LoopbackSink",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: settings),
        .testTarget(name: "CSVCoreTests", dependencies: ["CSVCore"], swiftSettings: settings),
        .testTarget(name: "CustomsModelTests", dependencies: ["CustomsModel", "HubContent", "JSONCore", "ChildProcess"], swiftSettings: settings),
        .testTarget(name: "AdapterTests", dependencies: ["AdapterKit", "Mapping", "HubContent", "CustomsModel", "JSONCore"], swiftSettings: settings),
        .testTarget(name: "SecureXMLTests", dependencies: ["SecureXML", "ChildProcess"], swiftSettings: settings),
        .testTarget(name: "CustomsXMLTests", dependencies: ["CustomsXML", "SecureXML", "CustomsModel", "ChildProcess"], swiftSettings: settings),
        .testTarget(name: "XMLMessagesTests", dependencies: ["XMLMessages", "AdapterKit", "Mapping", "JSONCore", "SecureXML", "CustomsModel"], swiftSettings: settings),
        .testTarget(name: "ScreeningTests", dependencies: ["Screening", "CustomsModel", "Digests"], swiftSettings: settings),
        .testTarget(name: "RiskTests", dependencies: ["Risk", "CustomsModel"], swiftSettings: settings),
        // Evaluation and throughput of the classifier beside a scikit-learn baseline (release build).
        .executableTarget(name: "classify-bench", dependencies: ["Classification", "TextEmbedding"], swiftSettings: settings),
        .testTarget(name: "ClassificationTests", dependencies: ["Classification", "CEmbeddingKernels", "HubContent", "JSONCore", "ChildProcess", "TextEmbedding"], swiftSettings: settings),
        .testTarget(name: "EDIFACTTests", dependencies: ["EDIFACT", "JSONCore", "ChildProcess"], swiftSettings: settings),
        .testTarget(name: "CLITests", dependencies: ["customs-hub", "ChildProcess"], swiftSettings: settings),
        // The review workbench in a real headless Chromium (W3C WebDriver over HTTP) against `serve --demo`.
        .testTarget(
            name: "BrowserTests",
            dependencies: ["customs-hub", "ChildProcess", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: settings),
        // `customs-hub serve` as real processes: configuration, /metrics, two instances on one PostgreSQL.
        .testTarget(
            name: "ServeTests",
            dependencies: ["customs-hub", "ChildProcess", "Store", "StorePostgres",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"), "Digests",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: settings),
        .testTarget(name: "TariffTests", dependencies: ["Tariff", "HubContent", "CustomsModel", "JSONCore"], swiftSettings: settings),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "DocumentExtraction", "CustomsModel", "CPoppler", "ChildProcess"], swiftSettings: settings),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                // customs-hub: the process fault tests run the real binary.
                "customs-hub", "ChildProcess", "Store", "StoreSQLite", "StorePostgres", "Relay", "LoopbackSink", "AdapterKit", "HubContent",
                "CustomsModel", "JSONCore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                // A raw TCP server that answers the relay's HTTP/1.1 client with exact bytes.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Raw statements against PostgreSQL (a `?` in SQL text is text).
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // A database written by the migrations before 006, upgraded in place.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings),
    ]
)
