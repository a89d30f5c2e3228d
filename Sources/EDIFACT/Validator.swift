/// Checks a message against its grammar: segment order, groups, repeats, mandatory segments and
/// elements, formats and code lists. Grouping follows the grammar, so `UNS` closes the detail
/// section instead of being taken into the last LIN group.
public struct StructureValidator: Sendable {
    public let grammar: GrammarSet.Resolved

    /// Errors reported for one message; past it the check stops with one warning saying so, so a
    /// message of a million wrong segments costs a bounded list, not gigabytes.
    public var maxErrorsPerMessage: Int

    /// Every segment tag of the message grammar, computed once per validator (per message it was
    /// a fifth of validating 50,000 small messages).
    private let known: Set<String>

    public init(grammar: GrammarSet.Resolved, maxErrorsPerMessage: Int = 1000) {
        self.grammar = grammar
        self.maxErrorsPerMessage = maxErrorsPerMessage
        known = Set(Self.allTags(grammar.message.structure))
    }

    private struct Frame {
        var nodes: [StructureNode]
        var counts: [Int]
        var pos: Int
        var name: String
    }

    /// Diagnostics for one message; `messageIndex`/`interchangeIndex` are copied into them so a
    /// CONTRL can be built from the result.
    public func validate(_ message: Message, messageIndex: Int? = nil, interchangeIndex: Int? = nil) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var stack = [Frame(nodes: grammar.message.structure, counts: Array(repeating: 0, count: grammar.message.structure.count), pos: -1, name: "")]

        func path() -> String { stack.dropFirst().map(\.name).joined(separator: " > ") }

        func diag(_ code: Int, _ text: String, position: Int, tag: String?, element: Int? = nil, component: Int? = nil, groupPath: String? = nil) {
            var d = Diagnostic(code: code, message: text, interchangeIndex: interchangeIndex, messageRef: message.controlRef,
                               messageIndex: messageIndex, segmentTag: tag, positionInMessage: position, elementPosition: element,
                               componentPosition: component)
            let p = groupPath ?? path()
            d.groupPath = p.isEmpty ? nil : p
            if position - 1 < message.segments.count, position >= 1, let base = message.segmentIndex { d.segmentIndex = base + position - 1 }
            out.append(d)
        }

        func checkMissing(_ frame: Frame, from: Int, to: Int, position: Int, before: String) {
            guard from < to else { return }
            let p = ([frame.name].filter { !$0.isEmpty }).joined()
            let framePath = stack.map(\.name).filter { !$0.isEmpty }.joined(separator: " > ")
            for j in from..<to where frame.counts[j] < frame.nodes[j].min {
                let node = frame.nodes[j]
                let what: String
                if case .group = node { what = "mandatory group \(node.label)" } else { what = "mandatory segment \(node.triggerTag)" }
                diag(SyntaxError.missing, "\(what) missing \(before)\(p.isEmpty ? "" : " in \(p)")", position: position,
                     tag: node.triggerTag, groupPath: framePath)
            }
        }

        for (i, segment) in message.segments.enumerated() {
            let position = i + 1
            if out.count >= maxErrorsPerMessage {
                var d = Diagnostic(code: nil, severity: .warning, message: "more than \(maxErrorsPerMessage) errors in this message; the check stopped at segment \(position)",
                                   interchangeIndex: interchangeIndex, messageRef: message.controlRef, messageIndex: messageIndex,
                                   segmentTag: segment.tag, positionInMessage: position)
                if let base = message.segmentIndex { d.segmentIndex = base + i }
                out.append(d)
                return out
            }
            let tag = segment.tag
            // Greedy as the directories intend: the innermost open group first, then outwards. A
            // position already at its maximum takes the segment (as "too many") only when nothing
            // later in the same group can; a group's trigger repeating starts a new occurrence of
            // the group one level out.
            func find() -> (Int, Int)? {
                var level = stack.count - 1
                while level >= 0 {
                    let frame = stack[level]
                    var full: Int? = nil
                    var j = max(frame.pos, 0)
                    while j < frame.nodes.count {
                        let node = frame.nodes[j]
                        if node.triggerTag == tag {
                            if j == frame.pos && frame.counts[j] >= node.max {
                                if !(level > 0 && j == 0) && full == nil { full = j }
                            } else {
                                return (level, j)
                            }
                        }
                        j += 1
                    }
                    if let full { return (level, full) }
                    level -= 1
                }
                return nil
            }
            let found = find()
            let matched = found != nil
            if let (level, j) = found {
                let frame = stack[level]
                let node = frame.nodes[j]
                // Close the frames above the one that takes the segment.
                while stack.count - 1 > level {
                    let closing = stack.removeLast()
                    checkMissing(closing, from: closing.pos + 1, to: closing.nodes.count, position: position, before: "before \(tag)")
                }
                if j == frame.pos {
                    stack[level].counts[j] += 1
                    if stack[level].counts[j] > node.max {
                        if case .group = node {
                            diag(SyntaxError.tooManyGroupRepetitions, "group \(node.label) occurs more than \(node.max) times", position: position, tag: tag)
                        } else {
                            diag(SyntaxError.tooManyRepetitions, "segment \(tag) occurs more than \(node.max) times here", position: position, tag: tag)
                        }
                    }
                } else {
                    checkMissing(stack[level], from: frame.pos + 1, to: j, position: position, before: "before \(tag)")
                    stack[level].pos = j
                    stack[level].counts[j] = 1
                }
                if case .group(let name, _, _, let children) = node {
                    var child = Frame(nodes: children, counts: Array(repeating: 0, count: children.count), pos: 0, name: name)
                    child.counts[0] = 1
                    stack.append(child)
                }
            }
            if !matched {
                if known.contains(tag) {
                    diag(SyntaxError.notSupportedInPosition, "segment \(tag) is not allowed here\(path().isEmpty ? "" : " (in \(path()))")", position: position, tag: tag)
                } else {
                    diag(SyntaxError.notSupportedInPosition, "segment \(tag) is not part of \(grammar.message.type) \(grammar.directory)", position: position, tag: tag)
                }
                continue
            }
            if let def = grammar.segments[tag] {
                checkElements(segment, def, position: position, diag: diag)
            }
        }
        let end = message.segments.count
        while let closing = stack.popLast() {
            checkMissing(closing, from: closing.pos + 1, to: closing.nodes.count, position: end, before: "at the end of the message")
        }
        return out
    }

    private static func allTags(_ nodes: [StructureNode]) -> [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .segment(let tag, _, _): [tag]
            case .group(_, _, _, let children): allTags(children)
            }
        }
    }

    private func checkElements(_ s: Segment, _ def: SegmentDefinition, position: Int,
                               diag: (Int, String, Int, String?, Int?, Int?, String?) -> Void) {
        func report(_ code: Int, _ text: String, _ element: Int, _ component: Int?) {
            diag(code, "\(s.tag) element \(element)\(component.map { " component \($0)" } ?? ""): \(text)", position, s.tag, element, component, nil)
        }
        if s.elements.count > def.elements.count {
            report(SyntaxError.tooManyConstituents, "\(s.tag) has \(def.elements.count) data elements, got \(s.elements.count)", def.elements.count + 1, nil)
        }
        for (i, e) in def.elements.enumerated() {
            let position1 = i + 1
            let element = i < s.elements.count ? s.elements[i] : nil
            guard let element, !element.isEmpty else {
                if e.required { report(SyntaxError.missing, "mandatory \(e.id) is missing", position1, nil) }
                continue
            }
            if element.repetitions.count > e.repeats {
                report(SyntaxError.tooManyRepetitions, "\(e.id) repeats \(element.repetitions.count) times, at most \(e.repeats)", position1, nil)
            }
            for comps in element.repetitions {
                if let components = e.components {
                    if comps.count > components.count {
                        report(SyntaxError.tooManyConstituents, "\(e.id) has \(components.count) components, got \(comps.count)", position1, components.count + 1)
                    }
                    for (j, c) in components.enumerated() {
                        let value = j < comps.count ? comps[j] : ""
                        if value.isEmpty {
                            if c.required { report(SyntaxError.missing, "mandatory \(c.id) in \(e.id) is missing", position1, j + 1) }
                            continue
                        }
                        if let (code, text) = check(value, c.format, id: c.id) { report(code, text, position1, j + 1) }
                    }
                } else if let format = e.format {
                    if comps.count > 1 {
                        report(SyntaxError.tooManyConstituents, "\(e.id) is a simple data element but has \(comps.count) components", position1, 2)
                    }
                    if let (code, text) = check(comps.first ?? "", format, id: e.id) { report(code, text, position1, nil) }
                }
            }
        }
    }

    /// Type, length and code list of one value; numbers count digits only (sign and decimal mark
    /// are not counted, as ISO 9735 says), and either decimal mark is accepted on input.
    private func check(_ value: String, _ format: ValueFormat, id: String) -> (Int, String)? {
        var length = value.count
        switch format.kind {
        case .numeric:
            var digits = 0, marks = 0, ok = true
            for (k, ch) in value.enumerated() {
                if ch.isASCII, ch.isNumber { digits += 1 } else if ch == "." || ch == "," { marks += 1 } else if ch == "-" && k == 0 { continue } else { ok = false }
            }
            if !ok || marks > 1 || digits == 0 {
                return (SyntaxError.invalidTypeOfCharacters, "\(id) must be numeric (\(format)), got '\(value)'")
            }
            length = digits
        case .alphabetic:
            if value.contains(where: { $0.isNumber }) {
                return (SyntaxError.invalidTypeOfCharacters, "\(id) must be alphabetic (\(format)), got '\(value)'")
            }
        case .alphanumeric:
            break
        }
        if length > format.maxLength {
            return (SyntaxError.dataElementTooLong, "\(id) is \(length) characters, at most \(format.maxLength) (\(format)): '\(value)'")
        }
        if length < format.minLength {
            return (SyntaxError.dataElementTooShort, "\(id) is \(length) characters, exactly \(format.minLength) required (\(format)): '\(value)'")
        }
        if let codes = grammar.codes[id], !codes.contains(value) {
            return (SyntaxError.invalidValue, "\(id) value '\(value)' is not in its code list")
        }
        return nil
    }
}
