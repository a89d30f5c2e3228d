/// The order in which a name's letters are shown when it carries directional overrides.
///
/// Screening reads names as stored, with the invisible controls removed. An override changes what
/// a person sees without changing the stored letters: `U+202E` (right-to-left override) shows
/// everything up to its `U+202C` (pop) reversed, so a name stored as "NITUP RIMIDALV" is shown,
/// and declared to an officer, as "VLADIMIR PUTIN". Embeddings and isolates do not reverse Latin
/// letters and only move whole words, which token matching does not mind; they are left to the
/// normaliser, which strips them.
enum BidiDisplay {
    /// The name in shown order, or nil when it has no right-to-left override (nothing to reverse).
    static func shownOrder(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard scalars.contains(where: { $0.value == 0x202E }) else { return nil }
        var position = 0
        // Overrides and embeddings nest; a pop closes the innermost, the end of the name closes all.
        // Each nested run is one piece of its parent, so an LTR override inside an RTL one keeps
        // its own order while the pieces around it are reversed.
        func run(reversed: Bool) -> [Unicode.Scalar] {
            var pieces: [[Unicode.Scalar]] = []
            while position < scalars.count {
                let scalar = scalars[position]
                position += 1
                switch scalar.value {
                case 0x202E: pieces.append(run(reversed: true))
                case 0x202A, 0x202B, 0x202D: pieces.append(run(reversed: false))
                case 0x202C: return (reversed ? pieces.reversed() : pieces).flatMap { $0 }
                default: pieces.append([scalar])
                }
            }
            return (reversed ? pieces.reversed() : pieces).flatMap { $0 }
        }
        var shown: [Unicode.Scalar] = []
        while position < scalars.count { shown += run(reversed: false) }
        return String(String.UnicodeScalarView(shown))
    }
}
