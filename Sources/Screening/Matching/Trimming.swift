extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` (or `.whitespacesAndNewlines`) without the round trip
    /// through NSString, which made trimming most of the cost of loading the OFAC list at start-up.
    func trimmingWhitespace(newlines: Bool = false) -> String {
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.value < 0x80 {
                return scalar == " " || scalar == "\t" || (newlines && (0x0A...0x0D).contains(scalar.value))
            }
            // Foundation's `.whitespaces` is the Zs category and tab; `.newlines` adds U+0085, U+2028, U+2029.
            return newlines ? scalar.properties.isWhitespace : scalar.properties.generalCategory == .spaceSeparator
        }
        let text = String(self)
        let utf8 = text.utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return text }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !blank($0) }), let end = scalars.lastIndex(where: { !blank($0) }) else { return "" }
        return String(Substring(scalars[start...end]))
    }
}

extension StringProtocol {
    /// Where the ASCII `needle` first occurs, found byte by byte: the generic `firstRange(of:)` and
    /// Foundation's `range(of:)` were a sixth of parsing the OFAC remarks at start-up.
    func asciiRange(of needle: StaticString) -> Range<Index>? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return nil }
        let bytes = utf8
        var from = bytes.startIndex
        while let at = bytes[from...].firstIndex(of: first) {
            var i = at, matched = 0
            while matched < pattern.count, i < bytes.endIndex, bytes[i] == pattern[matched] {
                i = bytes.index(after: i)
                matched += 1
            }
            if matched == pattern.count { return at..<i }
            from = bytes.index(after: at)
        }
        return nil
    }
}
