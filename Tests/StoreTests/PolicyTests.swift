import Store
import Testing

@Suite("Delivery policy")
struct PolicyTests {
    @Test func backoffCeilingDoublesUpToTheCap() {
        let p = RetryPolicy(maxAttempts: 10, baseDelayMillis: 100, maxDelayMillis: 1000)
        #expect((1...6).map { p.ceiling(afterAttempt: $0) } == [100, 200, 400, 800, 1000, 1000])
        #expect(p.ceiling(afterAttempt: 500) == 1000)
    }

    @Test func fullJitterSpansZeroToTheCeiling() {
        let p = RetryPolicy(maxAttempts: 10, baseDelayMillis: 100, maxDelayMillis: 10_000)
        #expect(p.delay(afterAttempt: 3, unit: 0) == 0)
        #expect(p.delay(afterAttempt: 3, unit: 0.5) == 200)
        #expect(p.delay(afterAttempt: 3, unit: 0.999_999) == 399)
        #expect(p.delay(afterAttempt: 3, unit: .nan) == 0)
        #expect(p.delay(afterAttempt: 3, unit: 7) == 400)
    }

    @Test func outcomesFollowTheErrorClass() {
        let p = RetryPolicy(maxAttempts: 3, baseDelayMillis: 1000, maxDelayMillis: 60_000, maxRetryAfterMillis: 120_000)
        #expect(p.outcome(afterAttempt: 1, result: .delivered, now: t0, unit: 0.5) == .delivered)
        #expect(p.outcome(afterAttempt: 1, result: .failed(.permanent, retryAfterMillis: nil), now: t0, unit: 0.5) == .dead)
        #expect(p.outcome(afterAttempt: 2, result: .failed(.retryable, retryAfterMillis: nil), now: t0, unit: 0.5) == .retry(at: t0 + 1000))
        #expect(p.outcome(afterAttempt: 2, result: .failed(.unknownDelivery, retryAfterMillis: nil), now: t0, unit: 0) == .retry(at: t0))
        #expect(p.outcome(afterAttempt: 3, result: .failed(.retryable, retryAfterMillis: nil), now: t0, unit: 0.5) == .dead)
    }

    @Test func retryAfterIsAFloorAndIsClamped() {
        let p = RetryPolicy(maxAttempts: 5, baseDelayMillis: 1000, maxDelayMillis: 60_000, maxRetryAfterMillis: 120_000)
        // The gateway asked for 30 s; jitter would have said 0.5 s.
        #expect(p.outcome(afterAttempt: 1, result: .failed(.retryable, retryAfterMillis: 30_000), now: t0, unit: 0.5) == .retry(at: t0 + 30_000))
        // Jitter larger than the header wins.
        #expect(p.outcome(afterAttempt: 5 - 1, result: .failed(.retryable, retryAfterMillis: 10), now: t0, unit: 0.5) == .retry(at: t0 + 4000))
        // A day-long header is clamped.
        #expect(p.outcome(afterAttempt: 1, result: .failed(.retryable, retryAfterMillis: 86_400_000), now: t0, unit: 0) == .retry(at: t0 + 120_000))
    }

    @Test func httpStatusesAreClassified() {
        #expect(HTTPClassifier.classify(status: 201, retryAfter: nil, now: t0) == .delivered)
        #expect(HTTPClassifier.classify(status: 409, retryAfter: nil, now: t0) == .delivered)
        #expect(HTTPClassifier.classify(status: 500, retryAfter: nil, now: t0) == .failed(.retryable, retryAfterMillis: nil))
        #expect(HTTPClassifier.classify(status: 429, retryAfter: "7", now: t0) == .failed(.retryable, retryAfterMillis: 7000))
        #expect(HTTPClassifier.classify(status: 503, retryAfter: "soon", now: t0) == .failed(.retryable, retryAfterMillis: nil))
        #expect(HTTPClassifier.classify(status: 400, retryAfter: "7", now: t0) == .failed(.permanent, retryAfterMillis: nil))
        #expect(HTTPClassifier.classify(status: 501, retryAfter: nil, now: t0) == .failed(.permanent, retryAfterMillis: nil))
        #expect(HTTPClassifier.classify(status: 302, retryAfter: nil, now: t0) == .failed(.permanent, retryAfterMillis: nil))
    }

    @Test func retryAfterAcceptsSecondsAndHTTPDates() {
        // 2027-01-15T08:00:00Z = 1 800 000 000 000 ms → t0 is 2027-01-15T08:00:00Z.
        #expect(HTTPClassifier.parseRetryAfter("120", now: t0) == 120_000)
        #expect(HTTPClassifier.parseRetryAfter(" 3 ", now: t0) == 3000)
        #expect(HTTPClassifier.parseRetryAfter("-1", now: t0) == nil)
        #expect(HTTPClassifier.parseRetryAfter("Fri, 15 Jan 2027 08:00:30 GMT", now: t0) == 30_000)
        #expect(HTTPClassifier.parseRetryAfter("Fri, 15 Jan 2027 07:00:00 GMT", now: t0) == 0)
        #expect(HTTPClassifier.parseRetryAfter("Fri, 15 Foo 2027 08:00:30 GMT", now: t0) == nil)
        #expect(HTTPClassifier.parseRetryAfter("Friday", now: t0) == nil)
    }

    @Test func tokenBucketAllowsBurstThenTheRate() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 3, now: t0)
        var waits: [Millis?] = []
        for ms in [t0, t0, t0, t0, t0 + 50, t0 + 100] { waits.append(bucket.take(now: ms)) }
        #expect(waits == [nil, nil, nil, 100, 50, nil])
        // Idle time refills, but never beyond the burst.
        let refilled = bucket.available(now: t0 + 60_000)
        #expect(refilled == 3)
        var taken = 0
        for ms in stride(from: t0 + 60_000, to: t0 + 61_000, by: 1) where bucket.take(now: ms) == nil { taken += 1 }
        // 3 from the burst plus 10 per second (the 10th lands on or just after the last millisecond).
        #expect(taken == 12 || taken == 13)
    }

    @Test func breakerAlertsOnceOnOpenAndOnceOnClose() {
        var breaker = CircuitBreaker(failureThreshold: 3, coolDownMillis: 1000)
        var transitions: [CircuitBreaker.Transition] = []
        for i in 0..<10 {
            if breaker.allow(now: t0 + Millis(i)), let t = breaker.record(success: false, now: t0 + Millis(i)) { transitions.append(t) }
        }
        #expect(transitions == [.opened])
        var allowed: [Bool] = []
        allowed.append(breaker.allow(now: t0 + 500))
        #expect(breaker.retryAt(now: t0 + 500) == t0 + 2 + 1000)
        // Half-open after the cool-down: exactly one probe.
        allowed.append(breaker.allow(now: t0 + 1002))
        allowed.append(breaker.allow(now: t0 + 1003))
        #expect(allowed == [false, true, false])
        // The probe fails: open again, silently.
        let reopened = breaker.record(success: false, now: t0 + 1010)
        #expect(reopened == nil)
        allowed = [breaker.allow(now: t0 + 1500), breaker.allow(now: t0 + 2010)]
        #expect(allowed == [false, true])
        let closed = breaker.record(success: true, now: t0 + 2020)
        #expect(closed == .closed)
        allowed = [breaker.allow(now: t0 + 2021), breaker.allow(now: t0 + 2022)]
        #expect(allowed == [true, true])
        let quiet = breaker.record(success: true, now: t0 + 2030)
        #expect(quiet == nil)
    }

    @Test func filterBuildsPlaceholdersInOrder() {
        let f = OutboxFilter(ids: [4, 9], states: [.dead, .pending], adapterID: "ups", errorClass: .permanent, createdAfter: 5)
        let (sql, values) = f.sqlWhere().questionMarks
        #expect(sql == "id IN (?, ?) AND state IN (?, ?) AND adapter_id = ? AND last_error_class = ? AND created_at >= ?")
        #expect(values == [.int(4), .int(9), .text("dead"), .text("pending"), .text("ups"), .text("permanent"), .int(5)])
        #expect(OutboxFilter().sqlWhere(defaultStates: [.dead]).questionMarks.sql == "state IN (?)")
    }

    /// SQLite gets the shared fragments as before: a `?` per value, the values in order.
    @Test func sharedFragmentsRenderQuestionMarksForSQLite() {
        let adapters = OutboxSQL.adapterClause(["ups", "dhl"]).questionMarks
        #expect(adapters.sql == " AND o.adapter_id IN (?, ?)")
        #expect(adapters.values == [.text("dhl"), .text("ups")])
        #expect(OutboxSQL.adapterClause([]).questionMarks.sql == " AND 1 = 0")
        #expect(OutboxSQL.adapterClause(nil).pieces.isEmpty)
        let due = OutboxSQL.deliverable(now: 7).questionMarks
        #expect(due.sql.hasPrefix("((o.state = 'pending' AND o.available_at <= ?) OR (o.state = 'leased' AND o.lease_until <= ?))"))
        #expect(due.values == [.int(7), .int(7)])
        #expect(OutboxFilter(ids: []).sqlWhere().questionMarks.sql == "1 = 0")
        #expect(OutboxFilter().sqlWhere().questionMarks.sql == "1 = 1")
    }
}
