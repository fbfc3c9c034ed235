import AIOKernel
/// The text form of one call, shared by every command that prints calls.
///
///     io_cancel(ctx=0x7f.., iocb=0x55.., result=0x55..)
///         = -EINPROGRESS (-115)                               3us
///         kapi    -EINPROGRESS   agrees
///         man2    0              DIFFERS  said 0; the kernel returned ...
extension JudgedCall {
    public func renderText(style: TextStyle, verdictSource: Source, width: Int = 80) -> [String] {
        var lines = wrapCall(width: width)
        let elapsed = formatDuration(record.elapsedNs)
        let result = "    = " + record.resultText
        let gap = max(2, width - result.count - elapsed.count)
        lines.append(result + String(repeating: " ", count: gap) + style.dim(elapsed))
        lines += record.remarks.map { "    " + style.dim("(" + $0 + ")") }
        lines += renderJudgements(style: style, verdictSource: verdictSource, width: width)
        return lines
    }

    /// The call with its arguments, broken after commas to fit the width.
    func wrapCall(width: Int) -> [String] {
        let text = record.callText
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var current = "\(record.syscall.rawValue)("
        for (i, arg) in record.args.enumerated() {
            let piece = "\(arg.name)=\(arg.value)" + (i + 1 < record.args.count ? ", " : ")")
            if current.count + piece.count > width, current.trimmingWhitespace().count > 8 {
                lines.append(String(current.dropLast(current.hasSuffix(" ") ? 1 : 0)))
                current = "        "
            }
            current += piece
        }
        lines.append(current)
        return lines
    }

    func renderJudgements(style: TextStyle, verdictSource: Source, width: Int) -> [String] {
        guard !judgements.isEmpty else {
            return situation == nil ? ["    " + style.dim("no document describes this situation")] : []
        }
        if judgements.allSatisfy(\.agrees) {
            let parts = judgements.map { "\($0.source.rawValue) \($0.expectedText)" }
            return ["    " + parts.joined(separator: "  ") + "  " + style.agree("all agree")]
        }
        var lines: [String] = []
        if let situation, let s = Catalog.situation(situation) {
            lines.append("    " + style.dim("situation: " + s.summary))
        }
        for j in judgements {
            let marker = j.source == verdictSource ? "*" : " "
            let head = "   \(marker)" + j.source.rawValue.padding(7) + j.expectedText.padding(15)
            let word = j.agrees ? style.agree("agrees") : style.differ("DIFFERS")
            lines.append(head + word)
            for d in j.differences {
                // "said X; observed: Y" breaks at its semicolon when too wide.
                let parts = d.count + 8 > width ? Self.clauses(d) : [d]
                for (i, part) in parts.enumerated() {
                    lines.append(String(repeating: " ", count: i == 0 ? 8 : 10) + style.dim(part))
                }
            }
        }
        return lines
    }

    /// `text` cut at each "; ". Not `split(separator: "; ")`: splitting by a
    /// string goes through _StringProcessing's generic searcher, whose types
    /// the runtime instantiates the first time, ~0.2 ms of a cancel process.
    static func clauses(_ text: String) -> [String] {
        var parts: [String] = []
        var start = text.startIndex
        var i = start
        while i < text.endIndex {
            let next = text.index(after: i)
            if text[i] == ";", next < text.endIndex, text[next] == " " {
                if start < i { parts.append(String(text[start..<i])) }
                start = text.index(after: next)
                i = start
            } else {
                i = next
            }
        }
        if start < text.endIndex { parts.append(String(text[start...])) }
        return parts
    }
}

