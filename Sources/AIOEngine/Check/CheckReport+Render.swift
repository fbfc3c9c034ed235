import AIODocuments
import AIOKernel
/// KTAP and text renderings of a check run.
extension CheckReport {
    /// KTAP version 1 as kselftest writes it: version, plan, one result line
    /// per run with `#` diagnostics before it, `# SKIP reason`, and the totals.
    public func ktap(header: [String] = []) -> String {
        var lines = ["KTAP version 1", "1..\(results.count)"]
        lines += header.map { "# " + $0 }
        for (i, r) in results.enumerated() {
            let number = i + 1
            let name = ktapName("\(r.name) \(r.via.rawValue)")
            if r.status == .skipped {
                lines.append("ok \(number) \(name) # SKIP \(ktapText(r.skipReason ?? "precondition not met"))")
                continue
            }
            lines.append("# \(name): situation \(r.situation)")
            lines.append("# observed: \(ktapText(r.observed))")
            for e in r.events { lines.append("# event: \(ktapText(e))") }
            for v in r.verdicts {
                let marker = v.source == expect ? " (chosen)" : ""
                switch v.state {
                case .noClaim:
                    lines.append("# \(v.source.rawValue)\(marker): no claim")
                case .agrees:
                    lines.append("# \(v.source.rawValue)\(marker): expected \(ktapText(v.expected ?? "?")): agrees")
                case .differs:
                    lines.append("# \(v.source.rawValue)\(marker): expected \(ktapText(v.expected ?? "?")): differs")
                    for d in v.differences { lines.append("#   \(ktapText(d))") }
                }
            }
            for n in r.notes { lines.append("# note: \(ktapText(n))") }
            if r.verdict(for: expect)?.state ?? .noClaim == .noClaim {
                lines.append("# \(expect.rawValue) makes no claim about this situation: counted as a pass")
            }
            let ok = r.passes(against: expect) ?? true
            lines.append("\(ok ? "ok" : "not ok") \(number) \(name)")
        }
        let t = tally
        lines.append("# Totals: pass:\(t.pass) fail:\(t.fail) xfail:0 xpass:0 skip:\(t.skip) error:0")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Test names may not contain '#', which starts a directive.
    private func ktapName(_ s: String) -> String { s.replacingHashes() }
    private func ktapText(_ s: String) -> String { s.replacingHashes().replacingNewlines() }

    /// One line per run, `-v` adds each call; then a summary per syscall and per source.
    public func text(style: TextStyle, verbose: Bool) -> String {
        var lines: [String] = []
        let width = min(52, (results.map { $0.name.count }.max() ?? 20) + 1)
        for r in results {
            let word: String
            switch r.passes(against: expect) {
            case nil: word = style.dim("SKIP")
            case true?: word = style.agree("ok  ")
            case false?: word = style.differ("DIFF")
            }
            var line = word + "  " + r.name.padding(width) + r.via.rawValue.padding(8)
            if r.status == .skipped {
                line += style.dim(r.skipReason ?? "")
                lines.append(line)
                continue
            }
            line += r.observed.padding(22)
            line += r.verdicts.map { "\($0.source.rawValue):\(short($0.state))" }.joined(separator: " ")
            lines.append(line)
            if verbose {
                lines += r.callLines.map { "      " + $0 }
                lines += r.events.map { "      event " + $0 }
                // The call lines carry the judgement; a crash has none.
                for v in r.verdicts where v.state == .differs && r.callLines.isEmpty {
                    lines += v.differences.map { "      \(v.source.rawValue): " + $0 }
                }
                lines += r.notes.map { "      " + style.dim("(" + $0 + ")") }
            }
        }
        lines.append("")
        lines.append(style.bold("per syscall") + " (against \(expect.rawValue))")
        for syscall in AIOSyscall.allCases {
            let subset = results.filter { $0.syscall == syscall }
            guard !subset.isEmpty else { continue }
            let t = tally(subset)
            lines.append("  " + syscall.rawValue.padding(15) + "pass \(t.pass)".padding(10) + "fail \(t.fail)".padding(10)
                         + "skip \(t.skip)")
        }
        lines.append(style.bold("per source") + " (runs made: \(results.filter { $0.status != .skipped }.count))")
        for source in Source.allCases {
            let a = agreement(of: source)
            lines.append("  " + source.rawValue.padding(8) + "agreed \(a.agrees)".padding(12)
                         + "differed \(a.differs)".padding(14) + "no claim \(a.noClaim)")
        }
        let t = tally
        lines.append("\(t.total) runs: \(t.pass) pass, \(t.fail) fail, \(t.skip) skip against \(expect.rawValue) in "
                     + formatDuration(elapsedNs))
        return lines.joined(separator: "\n") + "\n"
    }

    private func short(_ state: SourceVerdict.State) -> String {
        switch state {
        case .agrees: return "ok"
        case .differs: return "DIFF"
        case .noClaim: return "-"
        }
    }
}

extension String {
    func replacingHashes() -> String { String(map { $0 == "#" ? "_" : $0 }) }
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
