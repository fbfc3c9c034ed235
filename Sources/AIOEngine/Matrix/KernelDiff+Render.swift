import AIODocuments
import AIOKernel
/// Text, Markdown and JSON renderings of a comparison between kernels.
extension KernelDiff {
    public func text(style: TextStyle) -> String {
        var lines = [header]
        if let table = tallyTable() {
            lines += ["", tallyTitle] + alignedLines(table, style: style)
        }
        for difference in differences {
            lines.append("")
            lines.append(style.bold(difference.name) + situationSuffix(difference))
            lines += alignedLines([tableHeader(difference)] + difference.rows.map { cells($0, difference) }, style: style)
            for claim in claimLines(difference) { lines.append("  " + claim) }
        }
        if !unstable.isEmpty {
            lines.append("")
            lines.append("Unstable within one kernel's runs, so not compared:")
            for u in unstable { lines.append("  " + unstableLine(u)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        var lines = [header]
        if let table = tallyTable() {
            lines += ["", tallyTitle, ""]
                + markdownTable(head: table[0], rows: table.dropFirst().map { $0.map(markdownCell) })
        }
        for difference in differences {
            lines.append("")
            lines.append("### `\(difference.name)`" + situationSuffix(difference))
            lines.append("")
            lines += markdownTable(head: tableHeader(difference), rows: difference.rows.map { row in
                var c = cells(row, difference).map(markdownCell)
                c[3] = "`" + c[3] + "`"
                return c
            })
            lines.append("")
            for claim in claimLines(difference) { lines.append("- " + markdownCell(claim)) }
        }
        if !unstable.isEmpty {
            lines.append("")
            lines.append("Unstable within one kernel's runs, so not compared:")
            lines.append("")
            for u in unstable { lines.append("- " + markdownCell(unstableLine(u))) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var json: JSON {
        .object([
            ("kernels", .array(kernels.map { .object([("kernel", .string($0.kernel)),
                                                      ("documents", .integer($0.documents))]) })),
            ("differences", .array(differences.map { d in
                .object([
                    ("name", .string(d.name)),
                    ("syscall", .string(d.syscall)),
                    ("situation", .string(d.situation)),
                    ("differing_via", .array(d.differingVias.map { .string($0) })),
                    ("rows", .array(d.rows.map(rowJSON))),
                    ("claims", .array(d.claims.map { c in
                        .object([("source", .string(c.source)), ("claim", .optional(c.claim)),
                                 ("reference", .optional(c.reference))])
                    })),
                ])
            })),
            ("sources_by_kernel", .array(sourceTallies.map { t in
                .object([
                    ("kernel", .string(t.kernel)), ("stable_results", .integer(t.stableResults)),
                    ("sources", .array(t.counts.map { c in
                        .object([("source", .string(c.source)), ("agrees", .integer(c.agrees)),
                                 ("differs", .integer(c.differs)), ("no_claim", .integer(c.noClaim))])
                    })),
                ])
            })),
            ("unstable", .array(unstable.map { u in
                .object([
                    ("name", .string(u.name)), ("via", .string(u.via)), ("kernel", .string(u.kernel)),
                    ("runs", .integer(u.runs)),
                    ("answers", .array(u.answers.map { answerJSON($0.answer, count: $0.count) })),
                ])
            })),
        ])
    }

    // MARK: - Pieces

    /// Columns padded to their widest cell, indented two spaces, the header row dimmed.
    private func alignedLines(_ table: [[String]], style: TextStyle) -> [String] {
        let widths = (0..<table[0].count).map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.enumerated().map { i, row in
            var line = "  "
            for (column, cell) in row.enumerated() {
                let padded = column == row.count - 1 ? cell : cell.padding(widths[column] + 2)
                line += i == 0 ? style.dim(padded) : padded
            }
            return line
        }
    }

    /// A Markdown table: `head` as given, `rows` already escaped.
    private func markdownTable(head: [String], rows: [[String]]) -> [String] {
        ["| " + head.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: head.count)]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }
    }

    private var tallyTitle: String {
        "Each source against every stable answer, per kernel (agrees / differs / no claim):"
    }

    /// Header row, then a row per kernel; nil when no kernel has a stable answer.
    private func tallyTable() -> [[String]]? {
        guard sourceTallies.contains(where: { $0.stableResults > 0 }) else { return nil }
        var sources: [String] = []
        for t in sourceTallies { for c in t.counts where !sources.contains(c.source) { sources.append(c.source) } }
        let rows = sourceTallies.map { t in
            [t.kernel, "\(t.stableResults)"] + sources.map { s in
                t.counts.first { $0.source == s }.map { "\($0.agrees) / \($0.differs) / \($0.noClaim)" } ?? "-"
            }
        }
        return [["kernel", "stable results"] + sources] + rows
    }

    private var header: String {
        let names = kernels.map { "\($0.kernel) (\($0.documents) run\($0.documents == 1 ? "" : "s"))" }
        var line = "aioctl diff: \(kernels.count) kernel\(kernels.count == 1 ? "" : "s"): "
            + names.joined(separator: ", ") + ". "
        switch differences.count {
        case 0: line += "No scenario was answered differently by two kernels"
        case 1: line += "1 scenario was answered differently by two kernels"
        default: line += "\(differences.count) scenarios were answered differently by two kernels"
        }
        line += " (each answer the same in every run of its kernel)"
        if !unstable.isEmpty { line += "; \(unstable.count) result\(unstable.count == 1 ? "" : "s") unstable" }
        return line + "."
    }

    /// The catalog situation, when the scenario's name does not already say it.
    private func situationSuffix(_ d: ScenarioDifference) -> String {
        d.situation == d.name ? "" : " (situation \(d.situation))"
    }

    private func sourceNames(_ d: ScenarioDifference) -> [String] {
        var names = d.claims.map(\.source)
        for row in d.rows {
            if case .stable(_, _, let verdicts) = row.outcome {
                for v in verdicts where !names.contains(v.source) { names.append(v.source) }
            }
        }
        return names
    }

    private func tableHeader(_ d: ScenarioDifference) -> [String] {
        ["kernel", "via", "runs", "answer"] + sourceNames(d)
    }

    private func cells(_ row: Row, _ d: ScenarioDifference) -> [String] {
        let sources = sourceNames(d)
        switch row.outcome {
        case let .stable(answer, runs, verdicts):
            let states = sources.map { s in verdicts.first { $0.source == s }.map { stateWord($0.state) } ?? "-" }
            return [row.kernel, row.via, "\(runs)", answer.summary] + states
        case .unstable(let answers):
            let total = answers.reduce(0) { $0 + $1.count }
            let text = "unstable: " + answers.map { "\($0.count)x \($0.answer.summary)" }.joined(separator: " / ")
            return [row.kernel, row.via, "\(total)", text] + sources.map { _ in "-" }
        case let .unconfirmed(answer, runs):
            return [row.kernel, row.via, "\(runs)", "too few runs: " + answer.summary] + sources.map { _ in "-" }
        case .skipped(let reason):
            return [row.kernel, row.via, "0", "skipped: " + reason] + sources.map { _ in "-" }
        }
    }

    private func stateWord(_ state: String) -> String { state == "no-claim" ? "no claim" : state }

    private func claimLines(_ d: ScenarioDifference) -> [String] {
        d.claims.map { c in
            guard let claim = c.claim else { return "\(c.source): no claim about this situation" }
            return "\(c.source): \(claim)" + (c.reference.map { " [\($0)]" } ?? "")
        }
    }

    private func unstableLine(_ u: UnstableResult) -> String {
        "\(u.name) \(u.via) on \(u.kernel): "
            + u.answers.map { "\($0.count) of \(u.runs) \($0.answer.summary)" }.joined(separator: "; ")
    }

    private func markdownCell(_ s: String) -> String {
        String(s.flatMap { c -> [Character] in c == "|" ? ["\\", "|"] : (c == "\n" ? [" "] : [c]) })
    }

    private func rowJSON(_ row: Row) -> JSON {
        var members: [(String, JSON)] = [("kernel", .string(row.kernel)), ("via", .string(row.via))]
        switch row.outcome {
        case let .stable(answer, runs, verdicts):
            members += [("outcome", .string("stable")), ("runs", .integer(runs))]
            members += answerMembers(answer)
            members.append(("verdicts", .object(verdicts.map { ($0.source, .string($0.state)) })))
        case .unstable(let answers):
            members += [("outcome", .string("unstable")),
                        ("runs", .integer(answers.reduce(0) { $0 + $1.count })),
                        ("answers", .array(answers.map { answerJSON($0.answer, count: $0.count) }))]
        case let .unconfirmed(answer, runs):
            members += [("outcome", .string("unconfirmed")), ("runs", .integer(runs))]
            members += answerMembers(answer)
        case .skipped(let reason):
            members += [("outcome", .string("skipped")), ("runs", .integer(0)), ("skip_reason", .string(reason))]
        }
        return .object(members)
    }

    private func answerMembers(_ a: CheckedRun.Answer) -> [(String, JSON)] {
        [("status", .string(a.status)), ("observed", .string(a.observed)),
         ("events", .array(a.events.map { .string($0) }))]
    }

    private func answerJSON(_ a: CheckedRun.Answer, count: Int) -> JSON {
        .object(answerMembers(a) + [("count", .integer(count))])
    }
}
