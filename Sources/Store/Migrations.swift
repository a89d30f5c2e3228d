/// The SQL dialects the store speaks. Only the handful of type names differ; the table shapes,
/// names and constraints are the same in both engines, so the same tests hold for both.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    var serialKey: String { self == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY" }
    var bigint: String { self == .sqlite ? "INTEGER" : "BIGINT" }
    var bytes: String { self == .sqlite ? "BLOB" : "BYTEA" }
}

/// One schema step. Steps are append-only: a released step is never edited, a new one is added.
public struct Migration: Sendable {
    public let id: String
    public let statements: @Sendable (SQLDialect) -> [String]

    public init(id: String, statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.id = id; self.statements = statements
    }
}

public enum Migrations {
    /// Name of the table that records applied steps, in both engines.
    public static let ledgerTable = "schema_migrations"

    public static let all: [Migration] = [
        Migration(id: "001_core_tables") { d in
            [
                """
                CREATE TABLE orders (
                  id \(d.serialKey),
                  merchant_id TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL,
                  external_reference TEXT NOT NULL,
                  state TEXT NOT NULL,
                  canonical_json TEXT NOT NULL,
                  created_at \(d.bigint) NOT NULL,
                  updated_at \(d.bigint) NOT NULL,
                  UNIQUE (merchant_id, idempotency_key))
                """,
                """
                CREATE TABLE order_lines (
                  order_id \(d.bigint) NOT NULL REFERENCES orders(id),
                  line_number INTEGER NOT NULL,
                  description TEXT NOT NULL,
                  hs_code TEXT,
                  origin_country TEXT,
                  value TEXT NOT NULL,
                  currency TEXT NOT NULL,
                  PRIMARY KEY (order_id, line_number))
                """,
                """
                CREATE TABLE filings (
                  id \(d.serialKey),
                  order_id \(d.bigint) REFERENCES orders(id),
                  adapter_id TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  state TEXT NOT NULL,
                  created_at \(d.bigint) NOT NULL)
                """,
                "CREATE INDEX filings_by_order ON filings (order_id)",
                """
                CREATE TABLE outbox (
                  id \(d.serialKey),
                  filing_id \(d.bigint) REFERENCES filings(id),
                  idempotency_key TEXT NOT NULL UNIQUE,
                  adapter_id TEXT NOT NULL,
                  credential_id TEXT NOT NULL,
                  ordering_key TEXT,
                  content_type TEXT NOT NULL,
                  payload \(d.bytes) NOT NULL,
                  state TEXT NOT NULL,
                  attempts INTEGER NOT NULL DEFAULT 0,
                  generation INTEGER NOT NULL DEFAULT 1,
                  available_at \(d.bigint) NOT NULL,
                  lease_owner TEXT,
                  lease_until \(d.bigint),
                  last_error_class TEXT,
                  last_error TEXT,
                  last_attempt_id \(d.bigint),
                  created_at \(d.bigint) NOT NULL,
                  delivered_at \(d.bigint))
                """,
                // The lease query walks due rows in time order; delivered/dead rows are skipped by state.
                "CREATE INDEX outbox_due ON outbox (state, available_at, id)",
                "CREATE INDEX outbox_by_key ON outbox (ordering_key, id)",
                """
                CREATE TABLE attempts (
                  id \(d.serialKey),
                  message_id \(d.bigint) NOT NULL,
                  generation INTEGER NOT NULL,
                  number INTEGER NOT NULL,
                  previous_attempt_id \(d.bigint),
                  worker TEXT NOT NULL,
                  started_at \(d.bigint) NOT NULL,
                  finished_at \(d.bigint) NOT NULL,
                  http_status INTEGER,
                  error_class TEXT,
                  error TEXT,
                  request_body \(d.bytes) NOT NULL,
                  response_body \(d.bytes) NOT NULL)
                """,
                "CREATE INDEX attempts_by_message ON attempts (message_id, id)",
                """
                CREATE TABLE inbox (
                  id \(d.serialKey),
                  adapter_id TEXT NOT NULL,
                  external_event_id TEXT NOT NULL,
                  received_at \(d.bigint) NOT NULL,
                  body \(d.bytes) NOT NULL,
                  processed_at \(d.bigint),
                  UNIQUE (adapter_id, external_event_id))
                """,
                """
                CREATE TABLE decisions (
                  id \(d.serialKey),
                  order_id \(d.bigint) NOT NULL,
                  line_number INTEGER,
                  kind TEXT NOT NULL,
                  input TEXT NOT NULL,
                  output TEXT NOT NULL,
                  confidence TEXT,
                  evidence TEXT NOT NULL,
                  version TEXT NOT NULL,
                  decided_at \(d.bigint) NOT NULL)
                """,
                "CREATE INDEX decisions_by_order ON decisions (order_id, id)",
                """
                CREATE TABLE review_items (
                  id \(d.serialKey),
                  order_id \(d.bigint) NOT NULL,
                  line_number INTEGER,
                  reason TEXT NOT NULL,
                  state TEXT NOT NULL,
                  created_at \(d.bigint) NOT NULL,
                  resolved_at \(d.bigint),
                  resolution TEXT)
                """,
            ]
        },
        // The pipeline (#12): what each line was classified as, the evaluation shown with an order,
        // review items with their evidence, and decisions chained by hash.
        Migration(id: "002_pipeline") { d in
            [
                "ALTER TABLE orders ADD COLUMN evaluation_json TEXT NOT NULL DEFAULT '{}'",
                "ALTER TABLE order_lines ADD COLUMN hs6 TEXT",
                "ALTER TABLE order_lines ADD COLUMN national_code TEXT",
                "ALTER TABLE order_lines ADD COLUMN confidence TEXT",
                "ALTER TABLE order_lines ADD COLUMN code_source TEXT",
                "ALTER TABLE decisions ADD COLUMN actor TEXT NOT NULL DEFAULT 'customs-hub'",
                "ALTER TABLE decisions ADD COLUMN input_digest TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE decisions ADD COLUMN corrects \(d.bigint)",
                "ALTER TABLE decisions ADD COLUMN previous_hash TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE decisions ADD COLUMN hash TEXT NOT NULL DEFAULT ''",
                // The head of the chain: the newest hash and the number of records, so that deleting
                // the newest records is detected too. Appends lock this row.
                """
                CREATE TABLE decision_chain (
                  id INTEGER PRIMARY KEY,
                  head_hash TEXT NOT NULL,
                  length \(d.bigint) NOT NULL)
                """,
                "INSERT INTO decision_chain (id, head_hash, length) VALUES (1, '\(DecisionChain.genesis)', 0)",
                "ALTER TABLE review_items ADD COLUMN subject TEXT NOT NULL DEFAULT 'order'",
                "ALTER TABLE review_items ADD COLUMN detail TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE review_items ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}'",
                "ALTER TABLE review_items ADD COLUMN resolved_by TEXT",
                "ALTER TABLE review_items ADD COLUMN value TEXT",
                "CREATE INDEX review_items_by_order ON review_items (order_id, state)",
                "CREATE INDEX review_items_by_state ON review_items (state, created_at)",
                "CREATE INDEX orders_by_state ON orders (state, id)",
            ]
        },
        // Delivery and callbacks: what a filing is known by, its gateway's reasons, what each
        // attempt sent and what the response rules made of it, and what became of each callback.
        Migration(id: "002_delivery_callbacks") { d in
            [
                """
                CREATE TABLE filing_references (
                  filing_id \(d.bigint) NOT NULL REFERENCES filings(id),
                  kind TEXT NOT NULL,
                  value TEXT NOT NULL,
                  PRIMARY KEY (filing_id, kind, value))
                """,
                "CREATE INDEX filing_references_by_value ON filing_references (value)",
                "ALTER TABLE filings ADD COLUMN detail TEXT",
                "ALTER TABLE attempts ADD COLUMN request_head TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE attempts ADD COLUMN verdict TEXT",
                "ALTER TABLE inbox ADD COLUMN status TEXT NOT NULL DEFAULT 'received'",
                "ALTER TABLE inbox ADD COLUMN filing_id \(d.bigint)",
                "ALTER TABLE inbox ADD COLUMN order_id \(d.bigint)",
                "ALTER TABLE inbox ADD COLUMN note TEXT",
                "CREATE INDEX inbox_by_status ON inbox (status, id)",
            ]
        },
        // The server (#14): tenants with hashed API keys, the merchants each tenant owns (an order
        // belongs to its merchant's tenant), the API's Idempotency-Key requests, and the adapters'
        // shared rate limits and breakers.
        Migration(id: "003_tenants") { d in
            [
                """
                CREATE TABLE tenants (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  key_sha256 TEXT NOT NULL UNIQUE,
                  created_at \(d.bigint) NOT NULL)
                """,
                """
                CREATE TABLE tenant_merchants (
                  merchant_id TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  created_at \(d.bigint) NOT NULL)
                """,
                "CREATE INDEX tenant_merchants_by_tenant ON tenant_merchants (tenant_id, merchant_id)",
                """
                CREATE TABLE api_requests (
                  tenant_id TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL,
                  request_sha256 TEXT NOT NULL,
                  order_id \(d.bigint),
                  created_at \(d.bigint) NOT NULL,
                  PRIMARY KEY (tenant_id, idempotency_key))
                """,
                // Per-adapter rate limit and circuit breaker shared by every instance on one database.
                """
                CREATE TABLE adapter_gates (
                  adapter_id TEXT PRIMARY KEY,
                  tokens \(d == .sqlite ? "REAL" : "DOUBLE PRECISION") NOT NULL,
                  refilled_at \(d.bigint) NOT NULL,
                  failures INTEGER NOT NULL DEFAULT 0,
                  open_until \(d.bigint) NOT NULL DEFAULT 0)
                """,
                "CREATE INDEX orders_by_merchant ON orders (merchant_id, id)",
            ]
        },
        // Filing references (LRN, ICS message id, UNB interchange reference, courier message
        // reference) come from one counter, so no two filings ever share one, a resubmission
        // included. Numbers are reserved in blocks before rendering; an unused one is a gap.
        Migration(id: "004_reference_sequence") { d in
            [
                "CREATE TABLE reference_sequence (id INTEGER PRIMARY KEY, last_value \(d.bigint) NOT NULL)",
                "INSERT INTO reference_sequence (id, last_value) VALUES (1, 0)",
            ]
        },
        // The review workbench (#15): a screening hit a person released, scoped to that party and
        // that list version (a new version of the list brings the hit back to review).
        Migration(id: "005_screening_allowlist") { d in
            [
                """
                CREATE TABLE screening_allowlist (
                  id \(d.serialKey),
                  party_key TEXT NOT NULL,
                  party_name TEXT NOT NULL,
                  list TEXT NOT NULL,
                  entry_id TEXT NOT NULL,
                  list_version TEXT NOT NULL,
                  released_by TEXT NOT NULL,
                  review_item_id \(d.bigint),
                  created_at \(d.bigint) NOT NULL,
                  UNIQUE (party_key, list, entry_id, list_version))
                """,
            ]
        },
        // Review items beyond orders (#15, #17): a document that could not be read into a valid order
        // waits as a draft (its file, what was read, its problems) and its review item and decision
        // records point at the draft instead of an order; a DEAD delivery opens an item on its order.
        // The workbench's sessions move into the store (only the token's hash is kept).
        Migration(id: "006_document_drafts_sessions") { d in
            var steps = [
                """
                CREATE TABLE document_drafts (
                  id \(d.serialKey),
                  merchant_id TEXT NOT NULL,
                  sha256 TEXT NOT NULL,
                  content_type TEXT NOT NULL,
                  byte_count \(d.bigint) NOT NULL,
                  file \(d.bytes) NOT NULL,
                  extraction_json TEXT NOT NULL,
                  state TEXT NOT NULL,
                  order_id \(d.bigint) REFERENCES orders(id),
                  created_at \(d.bigint) NOT NULL,
                  updated_at \(d.bigint) NOT NULL,
                  UNIQUE (merchant_id, sha256))
                """,
                """
                CREATE TABLE review_sessions (
                  token_sha256 TEXT PRIMARY KEY,
                  user_name TEXT NOT NULL,
                  role TEXT NOT NULL,
                  created_at \(d.bigint) NOT NULL,
                  expires_at \(d.bigint) NOT NULL)
                """,
                "CREATE INDEX review_sessions_by_expiry ON review_sessions (expires_at)",
            ]
            switch d {
            case .postgres:
                steps += [
                    "ALTER TABLE review_items ALTER COLUMN order_id DROP NOT NULL",
                    "ALTER TABLE review_items ADD COLUMN document_id BIGINT REFERENCES document_drafts(id)",
                    "ALTER TABLE review_items ADD CONSTRAINT review_items_one_subject CHECK ((order_id IS NULL) <> (document_id IS NULL))",
                    "ALTER TABLE decisions ALTER COLUMN order_id DROP NOT NULL",
                    "ALTER TABLE decisions ADD COLUMN document_id BIGINT",
                    "ALTER TABLE decisions ADD CONSTRAINT decisions_some_subject CHECK (order_id IS NOT NULL OR document_id IS NOT NULL)",
                ]
            case .sqlite:
                // SQLite cannot drop a NOT NULL: the two tables are rebuilt with the same ids (and the
                // same AUTOINCREMENT counters), which keeps the decision chain's ids and hashes intact.
                let review = "id, order_id, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence, resolved_by, value"
                let decision = "id, order_id, line_number, kind, input, output, confidence, evidence, version, decided_at, actor, input_digest, corrects, previous_hash, hash"
                steps += [
                    """
                    CREATE TABLE review_items_006 (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      order_id INTEGER,
                      line_number INTEGER,
                      reason TEXT NOT NULL,
                      state TEXT NOT NULL,
                      created_at INTEGER NOT NULL,
                      resolved_at INTEGER,
                      resolution TEXT,
                      subject TEXT NOT NULL DEFAULT 'order',
                      detail TEXT NOT NULL DEFAULT '',
                      evidence TEXT NOT NULL DEFAULT '{}',
                      resolved_by TEXT,
                      value TEXT,
                      document_id INTEGER REFERENCES document_drafts(id),
                      CHECK ((order_id IS NULL) <> (document_id IS NULL)))
                    """,
                    "INSERT INTO review_items_006 (\(review)) SELECT \(review) FROM review_items",
                    """
                    CREATE TABLE decisions_006 (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      order_id INTEGER,
                      line_number INTEGER,
                      kind TEXT NOT NULL,
                      input TEXT NOT NULL,
                      output TEXT NOT NULL,
                      confidence TEXT,
                      evidence TEXT NOT NULL,
                      version TEXT NOT NULL,
                      decided_at INTEGER NOT NULL,
                      actor TEXT NOT NULL DEFAULT 'customs-hub',
                      input_digest TEXT NOT NULL DEFAULT '',
                      corrects INTEGER,
                      previous_hash TEXT NOT NULL DEFAULT '',
                      hash TEXT NOT NULL DEFAULT '',
                      document_id INTEGER,
                      CHECK (order_id IS NOT NULL OR document_id IS NOT NULL))
                    """,
                    "INSERT INTO decisions_006 (\(decision)) SELECT \(decision) FROM decisions",
                ]
                for table in ["review_items", "decisions"] {
                    steps += [
                        "DELETE FROM sqlite_sequence WHERE name = '\(table)_006'",
                        "INSERT INTO sqlite_sequence (name, seq) SELECT '\(table)_006', seq FROM sqlite_sequence WHERE name = '\(table)'",
                        "DROP TABLE \(table)",
                        "ALTER TABLE \(table)_006 RENAME TO \(table)",
                    ]
                }
                steps += [
                    "CREATE INDEX review_items_by_order ON review_items (order_id, state)",
                    "CREATE INDEX review_items_by_state ON review_items (state, created_at)",
                    "CREATE INDEX decisions_by_order ON decisions (order_id, id)",
                ]
            }
            return steps + [
                "CREATE INDEX review_items_by_document ON review_items (document_id)",
                "CREATE INDEX decisions_by_document ON decisions (document_id, id)",
            ]
        },
        // API keys rotate (#22): a tenant holds several keys at once, the new and the old, so that
        // a merchant's systems move to the new key without a refused request. `tenants.key_sha256`
        // keeps the newest.
        Migration(id: "007_tenant_keys") { d in
            [
                """
                CREATE TABLE tenant_keys (
                  key_sha256 TEXT PRIMARY KEY,
                  tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  created_at \(d.bigint) NOT NULL)
                """,
                "CREATE INDEX tenant_keys_by_tenant ON tenant_keys (tenant_id)",
                "INSERT INTO tenant_keys (key_sha256, tenant_id, created_at) SELECT key_sha256, id, created_at FROM tenants",
            ]
        },
        // An order's filings are looked up in the outbox by filing (`orders show`, the order page,
        // cancelling, a tenant's outbox listing). Without an index each look read every row ever
        // queued, payloads included: 1.4 s for one order on a store of 200,000 filings. A filing's
        // id never changes, so the index costs one entry per row queued and nothing per delivery.
        Migration(id: "008_outbox_by_filing") { _ in
            ["CREATE INDEX outbox_by_filing ON outbox (filing_id)"]
        },
        // The reviewers' HS corrections are read at every start and reload to teach the loaded
        // classifier; without an index that read every decision ever recorded (several per order,
        // evidence included). Partial, so the other decisions cost nothing more to write.
        Migration(id: "009_decisions_hs_corrections") { _ in
            ["CREATE INDEX decisions_hs_corrections ON decisions (id) WHERE \(DecisionSQL.hsCorrection)"]
        },
        // Review items in time order: the KPIs read the items of their period (they read every
        // item ever opened, evidence included, at every sample), and an unfiltered review listing
        // pages in this order.
        Migration(id: "010_review_items_by_created") { _ in
            ["CREATE INDEX review_items_by_created ON review_items (created_at, id)"]
        },
        // A review item's value is money: its currency is kept beside it. Items stored before take
        // their line's currency (or, about the whole order, its first line's); a document's stay
        // without one.
        Migration(id: "011_review_items_currency") { _ in
            [
                "ALTER TABLE review_items ADD COLUMN currency TEXT",
                """
                UPDATE review_items SET currency = COALESCE(
                  (SELECT l.currency FROM order_lines l WHERE l.order_id = review_items.order_id AND l.line_number = review_items.line_number),
                  (SELECT l.currency FROM order_lines l WHERE l.order_id = review_items.order_id ORDER BY l.line_number LIMIT 1))
                WHERE value IS NOT NULL AND order_id IS NOT NULL
                """,
            ]
        },
    ]
}
