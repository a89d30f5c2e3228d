/// A bind value both engines understand; lets the filter SQL be written once.
public enum SQLValue: Sendable, Hashable {
    case int(Int64)
    case text(String)
}

extension OutboxFilter {
    /// The WHERE clause (without the keyword) with `?` placeholders, and its values in order.
    /// `defaultStates` applies when the filter names no states.
    public func sqlWhere(defaultStates: Set<OutboxState>? = nil) -> (sql: String, values: [SQLValue]) {
        var parts: [String] = []
        var values: [SQLValue] = []
        if let ids {
            if ids.isEmpty { return ("1 = 0", []) }
            parts.append("id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")")
            values += ids.map { .int($0) }
        }
        if let states = states ?? defaultStates {
            if states.isEmpty { return ("1 = 0", []) }
            let sorted = states.map(\.rawValue).sorted()
            parts.append("state IN (" + Array(repeating: "?", count: sorted.count).joined(separator: ", ") + ")")
            values += sorted.map { .text($0) }
        }
        if let adapterID { parts.append("adapter_id = ?"); values.append(.text(adapterID)) }
        if let errorClass { parts.append("last_error_class = ?"); values.append(.text(errorClass.rawValue)) }
        if let createdAfter { parts.append("created_at >= ?"); values.append(.int(createdAfter)) }
        if let createdBefore { parts.append("created_at < ?"); values.append(.int(createdBefore)) }
        return (parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND "), values)
    }
}

/// SQL text shared by both engines, so the two implementations differ only where the engines do.
public enum OutboxSQL {
    public static let columns = """
        id, filing_id, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload, state, \
        attempts, generation, available_at, lease_owner, lease_until, last_error_class, last_error, created_at, delivered_at
        """

    /// Rows a worker may take now: due pending rows, and leased rows whose lease expired. A row with
    /// an ordering key waits for every older unfinished row with the same key (and only those).
    public static let deliverable = """
        ((o.state = 'pending' AND o.available_at <= ?) OR (o.state = 'leased' AND o.lease_until <= ?))
        AND \(orderingKeyClear)
        """

    /// No older unfinished row holds this row's ordering key.
    public static let orderingKeyClear = """
        (o.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p WHERE p.ordering_key = o.ordering_key AND p.id < o.id
          AND p.state IN ('pending', 'leased')))
        """

    public static let nextDue = """
        SELECT MIN(CASE WHEN o.state = 'pending' THEN o.available_at ELSE o.lease_until END) \
        FROM outbox o WHERE o.state IN ('pending', 'leased')
        """

    public static func adapterClause(_ adapters: Set<String>?) -> (sql: String, values: [SQLValue]) {
        guard let adapters else { return ("", []) }
        if adapters.isEmpty { return (" AND 1 = 0", []) }
        let sorted = adapters.sorted()
        return (" AND o.adapter_id IN (" + Array(repeating: "?", count: sorted.count).joined(separator: ", ") + ")",
                sorted.map { .text($0) })
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
