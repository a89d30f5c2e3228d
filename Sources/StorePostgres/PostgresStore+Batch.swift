import Foundation
import NIOCore
import PostgresNIO
import Store

/// Many rows in one statement: an order's lines, review items, filings with their references and
/// outbox rows, and a run of decision records each go to the server as one multi-row `INSERT`, so
/// accepting an order costs a handful of round trips instead of one per row.
extension PostgresStore {
    /// Statements whose shape depends on the data (a `VALUES` list per row, CTEs per chunk) are
    /// built by appending to one interpolation: each value is appended as a bind where it stands,
    /// so its `$n` is numbered then and no text is ever scanned for placeholders.
    typealias Statement = PostgresQuery.StringInterpolation

    /// `WITH ord AS (SELECT $n::BIGINT AS id) `: the order that the statements below insert rows for.
    static func withOrd(_ orderID: Int64?) -> Statement {
        var q = Statement("WITH ord AS (SELECT ")
        q.appendInterpolation(orderID)
        q.appendLiteral("::BIGINT AS id) ")
        return q
    }

    /// `(v1, v2, …)`: one row of binds, untyped (each takes its column's type).
    static func appendRow(_ row: [Arg], to q: inout Statement) {
        q.appendLiteral("(")
        for (i, value) in row.enumerated() {
            if i > 0 { q.appendLiteral(", ") }
            q.appendInterpolation(value)
        }
        q.appendLiteral(")")
    }

    /// A `VALUES` list for many rows, each value cast to its column's type (so NULLs and numbers
    /// keep their types).
    static func appendValues(_ rows: some Sequence<[Arg]>, types: [String], to q: inout Statement) {
        q.appendLiteral("VALUES ")
        for (i, row) in rows.enumerated() {
            precondition(row.count == types.count, "a VALUES row needs \(types.count) values")
            q.appendLiteral(i == 0 ? "(" : ", (")
            for (j, (value, type)) in zip(row, types).enumerated() {
                if j > 0 { q.appendLiteral(", ") }
                q.appendInterpolation(value)
                q.appendLiteral("::" + type)
            }
            q.appendLiteral(")")
        }
    }

    /// At most this many rows per statement (PostgreSQL takes at most 65 535 bind values in one).
    static let rowsPerStatement = 2000
    /// Filings per statement (each binds its own values, its references' and its outbox row's).
    static let filingsPerStatement = 500

    /// `INSERT` of order lines for the order the CTE `ord` names (one row: its id; no row: nothing).
    static func insertLines(_ lines: ArraySlice<OrderLineRecord>, to q: inout Statement) {
        q.appendLiteral("""
            INSERT INTO order_lines (order_id, line_number, description, hs_code, origin_country, value, currency,
                                     hs6, national_code, confidence, code_source)
            SELECT ord.id, v.* FROM ord CROSS JOIN (
            """)
        appendValues(lines.lazy.map { line -> [Arg] in
            [.int(Int64(line.lineNumber)), .text(line.description), .text(line.hsCode), .text(line.originCountry),
             .text("\(line.value)"), .text(line.currency), .text(line.hs6), .text(line.nationalCode),
             .text(line.confidence.map { "\($0)" }), .text(line.codeSource)]
        }, types: ["BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT"], to: &q)
        q.appendLiteral("""
            )
              AS v(line_number, description, hs_code, origin_country, value, currency, hs6, national_code, confidence, code_source)
            """)
    }

    /// `INSERT` of review items for the order the CTE `ord` names, numbered in the order given.
    static func insertReviews(_ items: ArraySlice<ReviewItem>, to q: inout Statement) {
        q.appendLiteral("""
            INSERT INTO review_items (order_id, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence,
                                      resolved_by, value, currency, document_id)
            SELECT ord.id, v.line_number, v.reason, v.state, v.created_at, v.resolved_at, v.resolution, v.subject, v.detail, v.evidence,
                   v.resolved_by, v.value, v.currency, v.document_id
            FROM ord CROSS JOIN (
            """)
        appendValues(items.enumerated().map { n, item -> [Arg] in
            [.int(Int64(n)), .int(item.lineNumber.map(Int64.init)), .text(item.reason), .text(item.state), .int(item.createdAt),
             .int(item.resolvedAt), .text(item.resolution), .text(item.subject), .text(item.detail), .text(item.evidence),
             .text(item.resolvedBy), .text(item.value.map { "\($0)" }), .text(item.currency), .int(item.documentID)]
        }, types: ["BIGINT", "BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT"], to: &q)
        q.appendLiteral("""
            )
              AS v(n, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence, resolved_by, value, currency, document_id)
            ORDER BY v.n
            """)
    }

    /// CTEs (each starting with a comma) that insert `filings` for the order the CTE `ord` names:
    /// `fid` numbers them from 1 and takes their ids from the sequence, so that `ref` (their
    /// references) and `box` (their outbox rows, `RETURNING id, filing_id, idempotency_key`) can
    /// name them in the same statement. An outbox key already taken inserts no row (the caller
    /// finds it missing from `box`).
    static func filingCTEs(_ filings: ArraySlice<NewFiling>, now: Millis, to q: inout Statement) {
        let numbered = filings.enumerated().map { (n: Int64($0.offset + 1), filing: $0.element) }
        q.appendLiteral("""
            , fid AS (
              SELECT g.n, nextval('filings_id_seq') AS id, ord.id AS order_id FROM ord CROSS JOIN generate_series(1,
            """)
        q.appendInterpolation(Int64(filings.count))
        q.appendLiteral("""
            ::BIGINT) AS g(n)),
            fil AS (
              INSERT INTO filings (id, order_id, adapter_id, kind, state, created_at)
              SELECT fid.id, fid.order_id, v.adapter_id, v.kind, 'queued',
            """)
        q.appendInterpolation(now)
        q.appendLiteral("::BIGINT\n  FROM fid JOIN (")
        appendValues(numbered.map { [.int($0.n), .text($0.filing.message.adapterID), .text($0.filing.kind)] },
                     types: ["BIGINT", "TEXT", "TEXT"], to: &q)
        q.appendLiteral(") AS v(n, adapter_id, kind) ON v.n = fid.n ORDER BY fid.n)")
        let references = numbered.flatMap { n, filing in
            filing.references.filter { !$0.value.isEmpty }.map { r -> [Arg] in [.int(n), .text(r.kind), .text(r.value)] }
        }
        if !references.isEmpty {
            q.appendLiteral("""

                , ref AS (
                  INSERT INTO filing_references (filing_id, kind, value)
                  SELECT fid.id, v.kind, v.value FROM fid JOIN (
                """)
            appendValues(references, types: ["BIGINT", "TEXT", "TEXT"], to: &q)
            q.appendLiteral(") AS v(n, kind, value) ON v.n = fid.n\n  ON CONFLICT DO NOTHING)")
        }
        q.appendLiteral("""

            , box AS (
              INSERT INTO outbox (filing_id, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload,
                                  state, attempts, generation, available_at, created_at)
              SELECT fid.id, v.idempotency_key, v.adapter_id, v.credential_id, v.ordering_key, v.content_type, v.payload,
                     'pending', 0, 1,
            """)
        q.appendInterpolation(now)
        q.appendLiteral("::BIGINT, ")
        q.appendInterpolation(now)
        q.appendLiteral("::BIGINT\n  FROM fid JOIN (")
        appendValues(numbered.map { n, filing -> [Arg] in
            let m = filing.message
            return [.int(n), .text(m.idempotencyKey), .text(m.adapterID), .text(m.credentialID), .text(m.orderingKey),
                    .text(m.contentType), .bytes(m.payload)]
        }, types: ["BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BYTEA"], to: &q)
        q.appendLiteral("""
            ) AS v(n, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload)
                ON v.n = fid.n
              ORDER BY fid.n
              ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, filing_id, idempotency_key)
            """)
    }

    /// The error for a filing whose outbox key another message holds (the whole transaction rolls back).
    static func keyTaken(_ key: String) -> StoreError {
        StoreError(.constraint, "outbox already holds idempotency key \(key)")
    }
}

extension PostgresQuery.StringInterpolation {
    /// A statement being built, starting with `sql`.
    init(_ sql: String) {
        self.init(literalCapacity: sql.utf8.count, interpolationCount: 0)
        appendLiteral(sql)
    }

    /// One bind of a `VALUES` row (a typed NULL for nil; bytes as `bytea`).
    mutating func appendInterpolation(_ arg: PostgresStore.Arg) {
        switch arg {
        case .int(let v): appendInterpolation(v)
        case .text(let v): appendInterpolation(v)
        case .bytes(let v): appendInterpolation(ByteBuffer(bytes: v))
        }
    }

    /// A fragment shared with SQLite: its text as is, each of its values as a bind.
    mutating func appendInterpolation(_ fragment: SQLFragment) {
        for piece in fragment.pieces {
            switch piece {
            case .sql(let text): appendLiteral(text)
            case .value(.int(let v)): appendInterpolation(v)
            case .value(.text(let v)): appendInterpolation(v)
            }
        }
    }

    /// `$1, $2, …` for an `IN (…)` list (the caller guarantees it is not empty).
    mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(list values: some Sequence<Value>) {
        for (i, value) in values.enumerated() {
            if i > 0 { appendLiteral(", ") }
            appendInterpolation(value)
        }
    }
}

extension Collection {
    /// The collection in consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> [SubSequence] {
        var out: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            out.append(self[start..<end])
            start = end
        }
        return out
    }
}
