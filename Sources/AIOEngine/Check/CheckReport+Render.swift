import AIODocuments
import AIOKernel
/// KTAP and text renderings of a check run.
extension CheckReport {
    /// The two line protocols `check` writes: KTAP version 1 (the kernel's
    /// format, read by kunit_parser and KernelCI) and TAP version 13 (the
    /// header kselftest's ksft_print_header writes, read by tappy and prove).
    /// The body is the same.
    public enum LineProtocol: Sendable {
        case ktap, tap13

        public var versionLine: String { self == .ktap ? "KTAP version 1" : "TAP version 13" }
    }

    /// Version, plan, header diagnostics, then per run a result line
    /// (`not ok 3 NAME # kapi expected -EINVAL, got 0` with a short stable
    /// reason, `ok 4 NAME # SKIP`) followed by its `#` diagnostics, then the
    /// totals. Names and directives carry nothing that changes between runs
    /// (LAVA's parser makes a skip's reason part of the test's name); the
    /// diagnostics come after the result they explain, which is where LAVA's
    /// parser attaches them.
    public func ktap(header: [String] = [], protocol lineProtocol: LineProtocol = .ktap) -> String {
        var lines = ktapHead(count: results.count, header: header, protocol: lineProtocol)
        for (i, r) in results.enumerated() { lines += ktapLines(for: r, number: i + 1) }
        lines += ktapTail()
        return lines.joined(separator: "\n") + "\n"
    }

    /// The version, the plan and the header diagnostics: what a streamed
    /// document writes before its first result.
    public func ktapHead(count: Int, header: [String], protocol lineProtocol: LineProtocol = .ktap) -> [String] {
        [lineProtocol.versionLine, "1..\(count)"] + header.map { "# " + ktapText($0) }
    }

    /// What follows the last result: the interruption, if any, and the totals.
    public func ktapTail() -> [String] {
        var lines: [String] = []
        if let signal = interruptedBy {
            lines.append("# interrupted by \(SignalNames.name(signal)): \(interruptedRuns) run(s) not made or ended early, reported as skipped")
        }
        let t = tally
        lines.append("# Totals: pass:\(t.pass) fail:\(t.fail) xfail:0 xpass:0 skip:\(t.skip) error:0")
        return lines
    }

    /// One run: its result line, then its diagnostics.
    public func ktapLines(for r: ScenarioResult, number: Int) -> [String] {
        let name = ktapName("\(r.name) \(r.via.rawValue)")
        if r.status == .skipped {
            // A bare SKIP: LAVA makes a skip's reason part of the test's name, and
            // the same scenario must keep its name whether or not it ran this time.
            return ["ok \(number) \(name) # SKIP", "# skipped: \(ktapText(r.skipReason ?? "precondition not met"))"]
        }
        let ok = r.passes(against: expect) ?? true
        var lines = [ok ? "ok \(number) \(name)" : "not ok \(number) \(name) # \(failureReason(r))"]
        lines.append("# situation \(r.situation)")
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
        return lines
    }

    /// "kapi expected -EOVERFLOW, got -EINVAL": the chosen source's claim and
    /// the kernel's answer in the form the claim uses (an errno is -ENAME
    /// whichever convention returned it).
    func failureReason(_ r: ScenarioResult) -> String {
        let source = expect.rawValue
        let got: String
        if let errno = r.observedErrno {
            got = "-" + errno
        } else if let value = r.observedReturn {
            got = String(value)
        } else {
            got = r.observed
        }
        // A crash with no claim from the chosen source: nothing it says foresees it.
        if r.status == .crashed, r.verdict(for: expect)?.state == SourceVerdict.State.noClaim {
            return ktapText("\(source) makes no claim; \(got)")
        }
        guard let expected = r.verdict(for: expect)?.expected, expected != got else {
            return ktapText("\(source) differs beyond the return (\(got))")
        }
        return ktapText("\(source) expected \(expected), got \(got)")
    }

    /// Test names may not contain '#', which starts a directive.
    private func ktapName(_ s: String) -> String { s.replacingHashes() }
    private func ktapText(_ s: String) -> String { s.replacingHashes().replacingNewlines() }

    /// One line per run, `-v` adds each call; then a summary per syscall and per source.
    public func text(style: TextStyle, verbose: Bool) -> String {
        let width = CheckReport.textWidth(results.map(\.name))
        let lines = results.flatMap { textLines(for: $0, width: width, style: style, verbose: verbose) }
            + textSummary(style: style)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The name column's width for these scenario names.
    public static func textWidth(_ names: [String]) -> Int { min(52, (names.map(\.count).max() ?? 20) + 1) }

    /// One run's line (a narrow terminal gets two), and with `verbose` its calls.
    public func textLines(for r: ScenarioResult, width: Int, style: TextStyle, verbose: Bool) -> [String] {
        var lines: [String] = []
        let word: String
        switch r.passes(against: expect) {
        case nil: word = style.dim("SKIP")
        case true?: word = style.agree("ok  ")
        case false?: word = style.differ("DIFF")
        }
        let line = word + "  " + r.name.padding(width) + r.via.rawValue.padding(8)
        if r.status == .skipped {
            let reason = r.skipReason ?? ""
            if let columns = style.width, 6 + r.name.padding(width).count + 8 + reason.count > columns {
                lines.append(line)
                lines += CheckReport.wrap(reason, columns: columns - 6).map { "      " + style.dim($0) }
            } else {
                lines.append(line + style.dim(reason))
            }
            return lines
        }
        let verdicts = r.verdicts.map { "\($0.source.rawValue):\(short($0.state))" }.joined(separator: " ")
        // On a terminal too narrow for the whole line, what the kernel said
        // and the verdicts go on a line of their own rather than wrap anywhere.
        let plainLength = 6 + r.name.padding(width).count + r.via.rawValue.padding(8).count
            + r.observed.padding(22).count + verdicts.count
        if let columns = style.width, plainLength > columns {
            lines.append(line)
            lines.append("      " + r.observed.padding(22) + verdicts)
        } else {
            lines.append(line + r.observed.padding(22) + verdicts)
        }
        if verbose {
            lines += r.callLines.map { "      " + $0 }
            lines += r.events.map { "      event " + $0 }
            // The call lines carry the judgement; a crash has none.
            for v in r.verdicts where v.state == .differs && r.callLines.isEmpty {
                lines += v.differences.map { "      \(v.source.rawValue): " + $0 }
            }
            lines += r.notes.map { "      " + style.dim("(" + $0 + ")") }
        }
        return lines
    }

    /// The summary per syscall and per source, and the totals line.
    public func textSummary(style: TextStyle) -> [String] {
        var lines: [String] = []
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
        if let signal = interruptedBy {
            lines.append(style.differ("interrupted by \(SignalNames.name(signal)): \(interruptedRuns) run(s) not made "
                                      + "or ended early (skipped); the contexts were destroyed"))
        }
        return lines
    }

    /// Words into lines of at most `columns` (a longer word stands alone).
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > columns {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        return current.isEmpty ? lines : lines + [current]
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
