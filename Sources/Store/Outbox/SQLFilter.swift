/// A bind value both engines understand; lets the filter SQL be written once.
public enum SQLValue: Sendable, Hashable {
    case int(Int64)
    case text(String)
}

/// SQL text with its bind values kept beside it, never as placeholder characters in the text, so
/// that each engine places them its own way: SQLite (GRDB) renders a `?` per value
/// (`questionMarks`); PostgreSQL appends numbered binds (`$n`) as it meets them. No engine scans SQL
/// text for placeholders, so a `?` inside a literal or an operator is just text.
///
/// Written like postgres-nio's `PostgresQuery`: `"adapter_id = \(value)"` binds a value,
/// `"\(unescaped: column)"` appends trusted SQL text, `"\(fragment)"` appends another fragment.
public struct SQLFragment: Sendable, Hashable, ExpressibleByStringInterpolation {
    public enum Piece: Sendable, Hashable {
        case sql(String)
        case value(SQLValue)
    }

    public private(set) var pieces: [Piece] = []

    public init() {}

    public init(stringLiteral value: String) {
        if !value.isEmpty { pieces = [.sql(value)] }
    }

    public init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.pieces
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var pieces: [Piece] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { pieces.append(.sql(literal)) }
        }

        public mutating func appendInterpolation(_ value: SQLValue) { pieces.append(.value(value)) }
        public mutating func appendInterpolation(_ value: Int64) { pieces.append(.value(.int(value))) }
        public mutating func appendInterpolation(_ value: String) { pieces.append(.value(.text(value))) }
        public mutating func appendInterpolation(unescaped sql: String) { appendLiteral(sql) }
        public mutating func appendInterpolation(_ fragment: SQLFragment) { pieces += fragment.pieces }

        /// `v1, v2, …` for an `IN (…)` list (the caller guarantees it is not empty).
        public mutating func appendInterpolation(list values: [SQLValue]) {
            for (i, value) in values.enumerated() {
                if i > 0 { appendLiteral(", ") }
                appendInterpolation(value)
            }
        }
    }

    public mutating func append(_ other: SQLFragment) { pieces += other.pieces }

    public static func + (lhs: SQLFragment, rhs: SQLFragment) -> SQLFragment {
        var out = lhs
        out.append(rhs)
        return out
    }

    /// The conditions joined with AND; `1 = 1` when there are none (a filter with nothing set).
    public static func all(_ conditions: [SQLFragment]) -> SQLFragment {
        guard var clause = conditions.first else { return "1 = 1" }
        for condition in conditions.dropFirst() { clause = clause + " AND " + condition }
        return clause
    }

    /// ` ORDER BY id` (`DESC` for the newest first) and ` LIMIT n` when there is a limit: the order
    /// every listing pages in.
    public static func orderByID(newestFirst: Bool, limit: Int?) -> SQLFragment {
        let order: SQLFragment = newestFirst ? " ORDER BY id DESC" : " ORDER BY id"
        guard let limit else { return order }
        return order + " LIMIT \(Int64(max(0, limit)))"
    }

    /// The values in order.
    public var values: [SQLValue] {
        pieces.compactMap { if case .value(let v) = $0 { v } else { nil } }
    }

    /// The text with a `?` for each value, and the values in order (SQLite's placeholders).
    public var questionMarks: (sql: String, values: [SQLValue]) {
        var sql = ""
        var values: [SQLValue] = []
        for piece in pieces {
            switch piece {
            case .sql(let text): sql += text
            case .value(let v): sql += "?"; values.append(v)
            }
        }
        return (sql, values)
    }
}

extension OutboxFilter {
    /// The WHERE clause (without the keyword) and its values. `defaultStates` applies when the
    /// filter names no states.
    public func sqlWhere(defaultStates: Set<OutboxState>? = nil) -> SQLFragment {
        var parts: [SQLFragment] = []
        if let ids {
            if ids.isEmpty { return "1 = 0" }
            parts.append("id IN (\(list: ids.map { .int($0) }))")
        }
        if let states = states ?? defaultStates {
            if states.isEmpty { return "1 = 0" }
            parts.append("state IN (\(list: states.map(\.rawValue).sorted().map { .text($0) }))")
        }
        if let adapterID { parts.append("adapter_id = \(adapterID)") }
        if let errorClass { parts.append("last_error_class = \(errorClass.rawValue)") }
        if let createdAfter { parts.append("created_at >= \(createdAfter)") }
        if let createdBefore { parts.append("created_at < \(createdBefore)") }
        if let afterID { parts.append("id > \(afterID)") }
        if let tenantID {
            parts.append("""
                filing_id IN (SELECT f.id FROM filings f JOIN orders o ON o.id = f.order_id \
                JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE t.tenant_id = \(tenantID))
                """)
        }
        return .all(parts)
    }

    /// `ORDER BY …` and `LIMIT …` as the filter asks (no LIMIT when it sets none).
    public var sqlOrderAndLimit: SQLFragment { .orderByID(newestFirst: newestFirst, limit: limit) }
}

extension ReviewFilter {
    /// The WHERE conditions (without the keyword) for the filter's fields that are set, and only
    /// those: `(? IS NULL OR order_id = ?)` kept SQLite from using `review_items_by_order`, so the
    /// review items of one order (read after every order that sent a line to review) were found by
    /// scanning every item ever written.
    public func sqlWhere() -> SQLFragment {
        var parts: [SQLFragment] = []
        if let orderID { parts.append("order_id = \(orderID)") }
        if let state {
            parts.append(state == "open" ? "state IN ('open', 'held')" : "state = \(state)")
        }
        if let reason { parts.append("reason = \(reason)") }
        if let createdSince { parts.append("created_at >= \(createdSince)") }
        return .all(parts)
    }
}

extension OrderFilter {
    /// The WHERE conditions (without the keyword) of an order listing, only those set: with
    /// `($1::text IS NULL OR state = $1)` a generic PostgreSQL plan could not search
    /// `orders_by_state` and read the orders in id order instead. The cursor's `id > n` is named
    /// only when there is a cursor.
    public func sqlWhere() -> SQLFragment {
        var parts: [SQLFragment] = []
        if let state { parts.append("state = \(state)") }
        if let updatedSince { parts.append("updated_at >= \(updatedSince)") }
        if let afterID { parts.append("id > \(afterID)") }
        return .all(parts)
    }
}

/// The condition that selects the reviewers' HS corrections, written as a literal so that both
/// engines can use the partial index `decisions_hs_corrections` (a bound value cannot prove the
/// index's condition).
public enum DecisionSQL {
    public static let hsCorrectionKind = "hs_correction"
    public static let hsCorrection = "kind = '\(hsCorrectionKind)'"
}

public enum InboxSQL {
    /// The WHERE conditions of a callback listing (inbox rows by status and adapter), only those
    /// set, so `inbox_by_status` serves the intake's and the metrics' look for waiting callbacks.
    public static func filter(status: String?, adapterID: String?) -> SQLFragment {
        var parts: [SQLFragment] = []
        if let status { parts.append("status = \(status)") }
        if let adapterID { parts.append("adapter_id = \(adapterID)") }
        return .all(parts)
    }
}

/// SQL text shared by both engines, so the two implementations differ only where the engines do.
public enum OutboxSQL {
    public static let columns = """
        id, filing_id, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload, state, \
        attempts, generation, available_at, lease_owner, lease_until, last_error_class, last_error, created_at, delivered_at
        """

    /// Rows a worker may take at `now`: due pending rows, and leased rows whose lease expired. A row
    /// with an ordering key waits for every older unfinished row with the same key (and only those).
    public static func deliverable(now: Millis) -> SQLFragment {
        """
        ((o.state = 'pending' AND o.available_at <= \(now)) OR (o.state = 'leased' AND o.lease_until <= \(now)))
        AND \(unescaped: orderingKeyClear)
        """
    }

    /// No older unfinished row holds this row's ordering key.
    public static let orderingKeyClear = """
        (o.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p WHERE p.ordering_key = o.ordering_key AND p.id < o.id
          AND p.state IN ('pending', 'leased')))
        """

    /// The earliest time a pending row becomes due or a lease runs out, for the adapters of
    /// `adapterClause`. Two minimums, each read from the `(state, available_at)` index or from the
    /// few leased rows: one `MIN(CASE …)` over every unfinished row read the whole backlog's rows,
    /// and an idle relay asks this at every pause.
    public static func nextDue(_ adapterClause: SQLFragment) -> SQLFragment {
        """
        SELECT MIN(due) FROM (
          SELECT MIN(o.available_at) AS due FROM outbox o WHERE o.state = 'pending'\(adapterClause)
          UNION ALL
          SELECT MIN(o.lease_until) AS due FROM outbox o WHERE o.state = 'leased'\(adapterClause)) AS next
        """
    }

    /// ` AND o.adapter_id IN (…)` for a worker limited to some adapters; nothing for nil.
    public static func adapterClause(_ adapters: Set<String>?) -> SQLFragment {
        guard let adapters else { return "" }
        if adapters.isEmpty { return " AND 1 = 0" }
        return " AND o.adapter_id IN (\(list: adapters.sorted().map { .text($0) }))"
    }

    /// Filing state that mirrors a final outcome.
    public static func filingState(_ outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .delivered: "delivered"
        case .dead: "dead"
        case .retry: "queued"
        }
    }
}
