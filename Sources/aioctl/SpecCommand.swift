import AIOCore
import ArgumentParser

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Print the expectation catalog: what each document claims for each AIO situation.",
        discussion: """
        For each syscall (all six unless some are named), every situation aioctl \
        knows a claim about, each source's claim in aioctl's words with where the \
        source says it, and the `aioctl check` scenarios that provoke the situation, \
        or why none can here. A source that says nothing about a situation is not \
        listed for it.

        Return conventions: raw syscall(2) returns -1 and sets errno; libaio's \
        wrappers return the negated errno. Expected values are written as the kernel \
        means them ("-EINVAL"); `aioctl check` shows them in each convention.

        JSON (--json): { conventions: {syscall, libaio}, syscalls: [ {syscall, \
        situations: [ {id, summary, claims: [ {source, expected, facts, claim, \
        reference} ], scenarios: [names], not_provokable: reason or null} ] } ] }.

        EXAMPLES
          aioctl spec io_cancel
          aioctl spec --json | jq '.syscalls[].situations[].id'
        """
    )

    @Argument(help: ArgumentHelp("Syscalls to show: io_setup, io_destroy, io_submit, io_cancel, io_getevents, io_pgetevents.",
                                 valueName: "syscall"),
              completion: .list(AIOSyscall.allCases.map(\.rawValue)))
    var syscalls: [String] = []

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @OptionGroup var display: DisplayOptions

    func run() throws {
        let chosen = try syscalls.map { name -> AIOSyscall in
            guard let s = AIOSyscall(rawValue: name) else {
                throw UsageError("unknown syscall '\(name)' (io_setup, io_destroy, io_submit, io_cancel, io_getevents, io_pgetevents)")
            }
            return s
        }
        let list = chosen.isEmpty ? AIOSyscall.allCases : chosen
        if json {
            print(document(list).serialized())
        } else {
            print(text(list, style: .forStandardOutput()), terminator: "")
        }
    }

    /// io_pgetevents shares io_getevents' situations; the catalog files them there.
    private func situations(_ syscall: AIOSyscall) -> [Situation] {
        Catalog.situations(for: syscall == .io_pgetevents ? .io_getevents : syscall)
    }

    /// Every scenario that provokes the situation (io_getevents' situations
    /// are provoked by io_pgetevents scenarios too).
    private func scenarios(_ syscall: AIOSyscall, _ situation: Situation) -> [String] {
        Scenarios.provoking(situation.id).map(\.name)
    }

    private func text(_ list: [AIOSyscall], style: TextStyle) -> String {
        var lines = ["Return conventions: \(Via.syscall.conventionSummary); \(Via.libaio.conventionSummary).", ""]
        for syscall in list {
            lines.append(style.bold(syscall.rawValue))
            if syscall == .io_pgetevents { lines.append("  (judged by io_getevents' situations; no document separates them)") }
            for situation in situations(syscall) {
                lines.append("  \(situation.id): \(situation.summary)")
                for claim in situation.claims {
                    lines.append("    " + claim.source.rawValue.padding(toLength: 8)
                                 + claim.expected.description.padding(toLength: 14) + claim.text)
                    lines.append("    " + String(repeating: " ", count: 22) + style.dim("[\(claim.reference)]"))
                    for (key, value) in claim.facts.sorted(by: { $0.key < $1.key }) {
                        lines.append("    " + String(repeating: " ", count: 22) + "and " + Fact.describe(key, value))
                    }
                }
                let provoking = scenarios(syscall, situation)
                if !provoking.isEmpty {
                    lines.append("    provoked by: " + provoking.joined(separator: ", "))
                } else if let reason = Scenarios.whyNotProvoked(situation.id) {
                    lines.append("    " + style.dim("not provokable here: \(reason)"))
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    private func document(_ list: [AIOSyscall]) -> JSON {
        .object([
            ("conventions", .object([
                ("syscall", .string(Via.syscall.conventionSummary)),
                ("libaio", .string(Via.libaio.conventionSummary)),
            ])),
            ("syscalls", .array(list.map { syscall in
                .object([
                    ("syscall", .string(syscall.rawValue)),
                    ("situations", .array(situations(syscall).map { situation in
                        let provoking = scenarios(syscall, situation)
                        return .object([
                            ("id", .string(situation.id)),
                            ("summary", .string(situation.summary)),
                            ("claims", .array(situation.claims.map { claim in
                                .object([
                                    ("source", .string(claim.source.rawValue)),
                                    ("expected", .string(claim.expected.description)),
                                    ("facts", .object(claim.facts.sorted { $0.key < $1.key }.map { ($0.key, .bool($0.value)) })),
                                    ("claim", .string(claim.text)),
                                    ("reference", .string(claim.reference)),
                                ])
                            })),
                            ("scenarios", .array(provoking.map { .string($0) })),
                            ("not_provokable", .optional(Scenarios.whyNotProvoked(situation.id))),
                        ])
                    })),
                ])
            })),
        ])
    }
}
