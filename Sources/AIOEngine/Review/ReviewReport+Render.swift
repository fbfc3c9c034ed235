import AIODocuments
import AIOKernel
/// `aioctl review` as text, JSON and Markdown for a reply to the patch.
extension ReviewReport {
    public func text(style: TextStyle) -> String {
        var lines = ["aioctl review: kernel \(kernel) (\(machine)); "
                     + specs.map { "\($0.name) from \($0.file) (\($0.dialect))" }.joined(separator: ", "), ""]
        for s in statements {
            let mark: String
            switch s.verdict {
            case .confirmed: mark = style.agree("confirmed    ")
            case .refuted: mark = style.differ("REFUTED      ")
            case .partly: mark = style.differ("PARTLY       ")
            case .notExercised: mark = style.dim("not exercised")
            }
            lines.append("\(mark) \(s.syscall) \(s.title)")
            for line in s.evidence { lines.append("                " + line) }
        }
        lines.append("")
        lines.append(coverageLine)
        return lines.joined(separator: "\n") + "\n"
    }

    public var json: JSON {
        .object([
            ("kernel", .string(kernel)), ("machine", .string(machine)),
            ("specs", .array(specs.map { .object([("name", .string($0.name)), ("file", .string($0.file)),
                                                  ("dialect", .string($0.dialect))]) })),
            ("statements", .array(statements.map { s in
                .object([
                    ("syscall", .string(s.syscall)), ("kind", .string(s.entry.kind.rawValue)),
                    ("key", .string(s.entry.key)), ("summary", .optional(s.entry.summary)),
                    ("line", .integer(Int64(s.entry.line))), ("statement", .string(s.title)),
                    ("verdict", .string(s.verdict.rawValue)),
                    ("evidence", .array(s.evidence.map { .string($0) })),
                    ("holds", .array(s.holds.map { .string($0) })), ("fails", .array(s.fails.map { .string($0) })),
                    ("reproducers", .array(reproducers(s).map { .object([("scenario", .string($0.scenario)),
                                                                          ("script", .optional($0.script)),
                                                                          ("command", .string($0.command))]) })),
                ])
            })),
            ("coverage", .object([
                ("exercised", .integer(Int64(exercisedCount))), ("total", .integer(Int64(statements.count))),
                ("confirmed", .integer(Int64(count(.confirmed)))), ("refuted", .integer(Int64(count(.refuted)))),
                ("partly", .integer(Int64(count(.partly)))), ("not_exercised", .integer(Int64(count(.notExercised)))),
            ])),
            ("elapsed_ms", .integer(Int64(elapsedNs / 1_000_000))),
        ])
    }

    /// A table a reviewer can paste into a reply, and a script for each refutation.
    public var markdown: String {
        var out = ["### aioctl review of " + specs.map { "`\($0.name)`" }.joined(separator: ", ")
                   + " on Linux \(kernel) (\(machine))", "",
                   "Each statement of the spec tried against the running kernel through raw syscalls.", "",
                   "| syscall | statement | verdict | evidence |", "|---|---|---|---|"]
        for s in statements {
            let verdict = s.verdict == .refuted || s.verdict == .partly ? "**\(s.verdict.rawValue)**" : s.verdict.rawValue
            out.append("| \(s.syscall) | \(cell(s.title)) | \(verdict) | \(cell(s.evidence.joined(separator: "; "))) |")
        }
        out += ["", coverageLine]
        for s in statements where !s.fails.isEmpty {
            out += ["", "#### \(s.verdict == .refuted ? "Refuted" : "Partly"): \(s.syscall) \(s.title)", ""]
            out += s.fails.map { "- " + $0 }
            for r in reproducers(s) {
                out.append("")
                if let script = r.script {
                    out += ["```", "aioctl run - <<'EOF'", script + "EOF", "```"]
                } else {
                    out += ["```", r.command, "```"]
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    struct Reproduction {
        var scenario: String
        var script: String?
        var command: String
    }

    func reproducers(_ s: ReviewStatement) -> [Reproduction] {
        var seen = Set<String>()
        return s.refutingScenarios.filter { seen.insert($0).inserted }.map { name in
            Reproduction(scenario: name, script: Scenarios.named(name).flatMap(Reproducer.script),
                         command: "aioctl check --filter '\(name)' --via syscall --expect kapi -v")
        }
    }

    private func cell(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
