import Foundation

/// Choosing between two OCR readings of the same pages (`PageText.secondReading`), by the
/// document's own cross-checks rather than by taking one reading whole.
///
/// Two readings of a scan slip in different places: the German model reads `Holzlöffel` where
/// the English one reads `Holzloffel`, but it may read `2,15 €` as `215` where the English one
/// kept the comma. Both are read into a document; the first stays the answer, and from the
/// second it takes:
/// - a table line's quantity, unit price or line total, cell by cell, when the first reading's
///   three do not make quantity × unit price = line total and taking the fewest cells from the
///   second makes it hold (lines paired by their order, when both readings found the same number
///   of lines);
/// - the whole table, when the second reading found lines and the first none, or more lines whose
///   arithmetic holds;
/// - the invoice total, when the first's does not match its lines and the second's does;
/// - a field the document's kind requires (`check`) that the first reading did not find at all
///   (a field the kind may lack, such as a packing list's currency, is not taken: the first
///   reading's silence may be right).
extension Run {
    /// The fields each kind requires, taken from the second reading when the first has none, with
    /// the names of their `Field`s.
    static func requiredFields(_ kind: DocumentKind) -> [(WritableKeyPath<ExtractedDocument, String?>, String)] {
        switch kind {
        case .invoice:
            [(\.invoiceNumber, "invoice_number"), (\.invoiceDate, "invoice_date"), (\.currency, "currency"),
             (\.sellerName, "seller_name"), (\.buyerName, "buyer_name")]
        case .packingList: [(\.sellerName, "seller_name"), (\.buyerName, "buyer_name")]
        case .certificate: [(\.sellerName, "seller_name")]
        case .unknown: []
        }
    }

    mutating func chooseReadings(_ other: Run) {
        guard other.doc.kind == doc.kind else { return }
        chooseTable(other)
        chooseTotal(other)
        for (path, name) in Self.requiredFields(doc.kind) where doc[keyPath: path] == nil {
            guard let v = other.doc[keyPath: path] else { continue }
            doc[keyPath: path] = v
            fields.removeAll { $0.name == name }
            fields += other.fields.filter { $0.name == name }
            if name == "seller_name" { doc.sellerAddress = other.doc.sellerAddress }
            if name == "buyer_name" { doc.buyerAddress = other.doc.buyerAddress }
        }
        if doc.kind == .certificate, doc.originStatement == nil, doc.countryOfOrigin == nil, let s = other.doc.originStatement {
            doc.originStatement = s
            fields.removeAll { $0.name.hasPrefix("origin_statement.") }
            fields += other.fields.filter { $0.name.hasPrefix("origin_statement.") }
        }
    }

    /// True when the line's three amounts are all read and quantity × unit price = line total, to the cent.
    static func holds(_ l: DocumentLine) -> Bool {
        let posix = Locale(identifier: "en_US_POSIX")
        guard let q = l.quantity.flatMap({ Decimal(string: $0, locale: posix) }), let p = l.unitPrice.flatMap({ Decimal(string: $0, locale: posix) }),
              let t = l.lineTotal.flatMap({ Decimal(string: $0, locale: posix) }) else { return false }
        return abs(q * p - t) <= Decimal(string: "0.011")!
    }

    private mutating func chooseTable(_ other: Run) {
        let mine = doc.lines.filter(Self.holds).count, theirs = other.doc.lines.filter(Self.holds).count
        if (doc.lines.isEmpty && !other.doc.lines.isEmpty) || theirs > mine && other.doc.lines.count >= doc.lines.count && doc.lines.count != other.doc.lines.count {
            doc.lines = other.doc.lines
            lineEvidence = other.lineEvidence
            lineCells = other.lineCells
            lineDiscounts = other.lineDiscounts
            lineReferences = other.lineReferences
            return
        }
        guard doc.lines.count == other.doc.lines.count else { return }
        for i in doc.lines.indices {
            if !Self.holds(doc.lines[i]), let fromOther = Self.cellsToTake(doc.lines[i], other.doc.lines[i]) {
                for (path, key) in Self.amountCells where fromOther.contains(key) {
                    doc.lines[i][keyPath: path] = other.doc.lines[i][keyPath: path]
                    lineEvidence[i][key] = other.lineEvidence[i][key]
                    lineCells[i][key] = other.lineCells[i][key]
                }
            }
            // A cell the first reading left empty (its words lost, or not a code or a country).
            for (path, key) in Self.lineCellsToFill where doc.lines[i][keyPath: path] == nil {
                guard let v = other.doc.lines[i][keyPath: path] else { continue }
                doc.lines[i][keyPath: path] = v
                lineEvidence[i][key] = other.lineEvidence[i][key]
            }
        }
    }

    static var amountCells: [(WritableKeyPath<DocumentLine, String?>, String)] {
        [(\.quantity, "quantity"), (\.unitPrice, "unit_price"), (\.lineTotal, "line_total")]
    }

    /// Which of a line's three amounts to take from the second reading so that quantity × unit
    /// price = line total: cell by cell (the first reading's quantity may be right where its unit
    /// price is not), as few as will do; nil when no mix of the two readings holds, or two
    /// equally small mixes disagree.
    static func cellsToTake(_ mine: DocumentLine, _ theirs: DocumentLine) -> Set<String>? {
        var best: (taken: Set<String>, line: DocumentLine)?
        var tie = false
        for mask in 1..<8 {
            var line = mine
            var taken = Set<String>()
            for (k, (path, key)) in amountCells.enumerated() where mask & (1 << k) != 0 {
                guard let v = theirs[keyPath: path], v != mine[keyPath: path] else { continue }
                line[keyPath: path] = v
                taken.insert(key)
            }
            guard !taken.isEmpty, holds(line) else { continue }
            if let b = best, b.taken.count < taken.count { continue }
            if let b = best, b.taken.count == taken.count {
                if b.line != line { tie = true }
                continue
            }
            best = (taken, line)
            tie = false
        }
        return tie ? nil : best?.taken
    }

    /// The line fields without arithmetic, filled from the second reading's paired line.
    static var lineCellsToFill: [(WritableKeyPath<DocumentLine, String?>, String)] {
        [(\.description, "description"), (\.unit, "unit"), (\.hsCode, "hs_code"), (\.originCountry, "origin_country"),
         (\.packages, "packages"), (\.netWeight, "net_weight"), (\.grossWeight, "gross_weight")]
    }

    private mutating func chooseTotal(_ other: Run) {
        guard doc.kind == .invoice, !doc.lines.isEmpty, let theirs = other.doc.total else { return }
        let posix = Locale(identifier: "en_US_POSIX")
        func number(_ s: String?) -> Decimal? { s.flatMap { Decimal(string: $0, locale: posix) } }
        let sum = doc.lines.compactMap { number($0.lineTotal) }.reduce(0, +)
        let tolerance = Decimal(string: "0.011")! * Decimal(doc.lines.count)
        func matches(_ total: Decimal?, _ d: ExtractedDocument) -> Bool {
            guard let total else { return false }
            let net = total - (number(d.tax) ?? 0) - d.charges
            return abs(sum - total) <= tolerance || abs(sum - net) <= tolerance
        }
        guard doc.total == nil || !matches(number(doc.total), doc), matches(number(theirs), other.doc) else { return }
        doc.total = theirs
        doc.tax = other.doc.tax
        doc.shipping = other.doc.shipping
        doc.insurance = other.doc.insurance
        doc.packingCharge = other.doc.packingCharge
        doc.subtotal = other.doc.subtotal
        for k in ["total", "subtotal", "tax", "shipping", "insurance", "packing_charge"] {
            fields.removeAll { $0.name == k }
            fields += other.fields.filter { $0.name == k }
        }
    }
}
