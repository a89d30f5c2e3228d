import Foundation
import PostgresNIO
import Store

/// Many rows in one statement: an order's lines, review items, filings with their references and
/// outbox rows, and a run of decision records each go to the server as one multi-row `INSERT`, so
/// accepting an order costs a handful of round trips instead of one per row.
extension PostgresStore {
    /// A `VALUES` list for many rows, each placeholder cast to its column's type (so NULLs and
    /// numbers keep their types), with the bind values in placeholder order.
    struct ValuesList {
        let types: [String]
        private(set) var sql = "VALUES "
        private(set) var args: [Arg] = []
        private(set) var count = 0

        init(_ types: [String]) { self.types = types }

        mutating func append(_ row: [Arg]) {
            precondition(row.count == types.count, "a VALUES row needs \(types.count) values")
            if count > 0 { sql += ", " }
            sql += "(" + types.map { "?::" + $0 }.joined(separator: ", ") + ")"
            args += row
            count += 1
        }
    }

    /// At most this many rows per statement (PostgreSQL takes at most 65 535 bind values in one).
    static let rowsPerStatement = 2000
    /// Filings per statement (each binds its own values, its references' and its outbox row's).
    static let filingsPerStatement = 500

    /// `INSERT` of order lines for the order the CTE `ord` names (one row: its id; no row: nothing).
    static func insertLines(_ lines: ArraySlice<OrderLineRecord>) -> (sql: String, args: [Arg]) {
        var values = ValuesList(["BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT"])
        for line in lines {
            values.append([.int(Int64(line.lineNumber)), .text(line.description), .text(line.hsCode), .text(line.originCountry),
                           .text("\(line.value)"), .text(line.currency), .text(line.hs6), .text(line.nationalCode),
                           .text(line.confidence.map { "\($0)" }), .text(line.codeSource)])
        }
        return ("""
            INSERT INTO order_lines (order_id, line_number, description, hs_code, origin_country, value, currency,
                                     hs6, national_code, confidence, code_source)
            SELECT ord.id, v.* FROM ord CROSS JOIN (\(values.sql))
              AS v(line_number, description, hs_code, origin_country, value, currency, hs6, national_code, confidence, code_source)
            """, values.args)
    }

    /// `INSERT` of review items for the order the CTE `ord` names, numbered in the order given.
    static func insertReviews(_ items: ArraySlice<ReviewItem>) -> (sql: String, args: [Arg]) {
        var values = ValuesList(["BIGINT", "BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT"])
        for (n, item) in items.enumerated() {
            values.append([.int(Int64(n)), .int(item.lineNumber.map(Int64.init)), .text(item.reason), .text(item.state), .int(item.createdAt),
                           .int(item.resolvedAt), .text(item.resolution), .text(item.subject), .text(item.detail), .text(item.evidence),
                           .text(item.resolvedBy), .text(item.value.map { "\($0)" }), .int(item.documentID)])
        }
        return ("""
            INSERT INTO review_items (order_id, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence,
                                      resolved_by, value, document_id)
            SELECT ord.id, v.line_number, v.reason, v.state, v.created_at, v.resolved_at, v.resolution, v.subject, v.detail, v.evidence,
                   v.resolved_by, v.value, v.document_id
            FROM ord CROSS JOIN (\(values.sql))
              AS v(n, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence, resolved_by, value, document_id)
            ORDER BY v.n
            """, values.args)
    }

    /// CTEs (each starting with a comma) that insert `filings` for the order the CTE `ord` names:
    /// `fid` numbers them from 1 and takes their ids from the sequence, so that `ref` (their
    /// references) and `box` (their outbox rows, `RETURNING id, filing_id, idempotency_key`) can
    /// name them in the same statement. An outbox key already taken inserts no row (the caller
    /// finds it missing from `box`).
    static func filingCTEs(_ filings: ArraySlice<NewFiling>, now: Millis) -> (sql: String, args: [Arg]) {
        var heads = ValuesList(["BIGINT", "TEXT", "TEXT"])
        var references = ValuesList(["BIGINT", "TEXT", "TEXT"])
        var messages = ValuesList(["BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BYTEA"])
        for (i, filing) in filings.enumerated() {
            let n = Int64(i + 1)
            let m = filing.message
            heads.append([.int(n), .text(m.adapterID), .text(filing.kind)])
            for r in filing.references where !r.value.isEmpty { references.append([.int(n), .text(r.kind), .text(r.value)]) }
            messages.append([.int(n), .text(m.idempotencyKey), .text(m.adapterID), .text(m.credentialID), .text(m.orderingKey),
                             .text(m.contentType), .bytes(m.payload)])
        }
        var sql = """
            , fid AS (
              SELECT g.n, nextval('filings_id_seq') AS id, ord.id AS order_id FROM ord CROSS JOIN generate_series(1, ?::BIGINT) AS g(n)),
            fil AS (
              INSERT INTO filings (id, order_id, adapter_id, kind, state, created_at)
              SELECT fid.id, fid.order_id, v.adapter_id, v.kind, 'queued', ?::BIGINT
              FROM fid JOIN (\(heads.sql)) AS v(n, adapter_id, kind) ON v.n = fid.n ORDER BY fid.n)
            """
        var args: [Arg] = [.int(Int64(filings.count)), .int(now)] + heads.args
        if references.count > 0 {
            sql += """
                , ref AS (
                  INSERT INTO filing_references (filing_id, kind, value)
                  SELECT fid.id, v.kind, v.value FROM fid JOIN (\(references.sql)) AS v(n, kind, value) ON v.n = fid.n
                  ON CONFLICT DO NOTHING)
                """
            args += references.args
        }
        sql += """
            , box AS (
              INSERT INTO outbox (filing_id, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload,
                                  state, attempts, generation, available_at, created_at)
              SELECT fid.id, v.idempotency_key, v.adapter_id, v.credential_id, v.ordering_key, v.content_type, v.payload,
                     'pending', 0, 1, ?::BIGINT, ?::BIGINT
              FROM fid JOIN (\(messages.sql)) AS v(n, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload)
                ON v.n = fid.n
              ORDER BY fid.n
              ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, filing_id, idempotency_key)
            """
        args += [.int(now), .int(now)] + messages.args
        return (sql, args)
    }

    /// The error for a filing whose outbox key another message holds (the whole transaction rolls back).
    static func keyTaken(_ key: String) -> StoreError {
        StoreError(.constraint, "outbox already holds idempotency key \(key)")
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
