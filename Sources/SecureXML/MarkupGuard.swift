/// Counts attributes (namespace declarations included) as the bytes arrive, before libxml2 sees
/// them. libxml2 reports a start tag only once it has read all of it, and checks duplicate
/// attributes and namespace declarations pairwise, so 200,000 attributes on one element cost
/// seconds before any callback could refuse them. Each attribute of a start tag has exactly one
/// `=` outside its quoted value; comments, CDATA, processing instructions and end tags are skipped.
/// It also counts lines, so a refusal says where it happened.
struct MarkupGuard {
    private enum State: UInt8 {
        case text, tagOpen, startTag, quoted, endTag, bang, comment, cdata, declaration, instruction
    }

    let maxAttributes: Int
    private var state = State.text
    private var quote: UInt8 = 0
    private var attributes = 0
    private var last1: UInt8 = 0
    private var last2: UInt8 = 0
    private(set) var line = 1

    init(maxAttributes: Int) { self.maxAttributes = maxAttributes }

    /// Scans `bytes`; returns false (and stops) when a start tag goes over the attribute limit.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes {
            if b == 0x0A { line += 1 }
            switch state {
            case .text:
                if b == 0x3C { state = .tagOpen }
            case .tagOpen:
                switch b {
                case 0x21: state = .bang  // <!
                case 0x3F: state = .instruction  // <?
                case 0x2F: state = .endTag  // </
                default:
                    state = .startTag
                    attributes = 0
                }
            case .startTag:
                if b == 0x22 || b == 0x27 {
                    quote = b
                    state = .quoted
                } else if b == 0x3D {
                    attributes += 1
                    if attributes > maxAttributes { return false }
                } else if b == 0x3E {
                    state = .text
                }
            case .quoted:
                if b == quote { state = .startTag }
            case .endTag, .declaration:
                if b == 0x3E { state = .text }
            case .bang:
                state = b == 0x2D ? .comment : b == 0x5B ? .cdata : .declaration
            case .comment:
                if b == 0x3E && last1 == 0x2D && last2 == 0x2D { state = .text }
            case .cdata:
                if b == 0x3E && last1 == 0x5D && last2 == 0x5D { state = .text }
            case .instruction:
                if b == 0x3E && last1 == 0x3F { state = .text }
            }
            last2 = last1
            last1 = b
        }
        return true
    }
}
