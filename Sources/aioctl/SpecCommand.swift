import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Print the expectation catalog, or check it against KAPI spec files (--kapi).",
        discussion: """
        For each syscall (all six unless some are named), every situation aioctl \
        knows a claim about, each source's claim in aioctl's words with where the \
        source says it (cited as data: a KAPI entry by syscall, kind and key; a man \
        page by name, section, heading and errno), and the `aioctl check` scenarios \
        that provoke the situation, or why none can here. A source that says nothing \
        about a situation is not listed for it; man2 has no io_pgetevents page, so \
        io_pgetevents gets no man2 claim.

        With --kapi FILE..., reads the draft specifications instead (a patch or \
        mail, a source file with the specs applied, or tools/kapi's JSON; RFC v5's \
        dialect or the short-token one), prints them entry by entry with the \
        situations that cite each, and cross-checks the catalog: every kapi claim's \
        cited entry must exist and predict the same errno or value; entries no \
        situation cites are listed. Exit 0 when every citation holds, 1 when one is \
        missing or predicts something else, 64 when a file holds no readable \
        specification (the message names the line), 66 when a file cannot be read.

        Return conventions: raw syscall(2) returns -1 and sets errno; libaio's \
        wrappers return the negated errno. Expected values are written as the kernel \
        means them ("-EINVAL"); `aioctl check` shows them in each convention.

        JSON (--json): { conventions: {syscall, libaio}, syscalls: [ {syscall, \
        situations: [ {id, summary, claims: [ {source, expected, facts, claim, \
        reference, citations: [ {document: kapi, syscall, kind, key, summary} or \
        {document: man, page, section, heading, errno} ], condition} ], \
        scenarios: [names], not_provokable: reason or null} ] } ] }. With --kapi: \
        { specs: [ {name, function, summary, file, line, dialect, entries: [ {kind, \
        key, summary, header, line, fields, cited_by: [situation ids]} ]} ], \
        cross_check: {checked, agrees, missing: [ {situation, citation, problem} ], \
        mismatched: [...], uncited: [ {syscall, kind, key, summary, line} ]} }.

        EXAMPLES
          aioctl spec io_cancel
          aioctl spec --json | jq '.syscalls[].situations[].id'
          aioctl spec --kapi io_cancel-kapi-spec.txt
        """
    )

    @Argument(help: ArgumentHelp("Syscalls to show: io_setup, io_destroy, io_submit, io_cancel, io_getevents, io_pgetevents.",
                                 valueName: "syscall"),
              completion: .list(AIOSyscall.allCases.map(\.rawValue)))
    var syscalls: [String] = []

    @OptionGroup var output: JSONOption
    var json: Bool { output.json }

    @Option(name: .customLong("kapi"), parsing: .upToNextOption,
            help: ArgumentHelp("KAPI spec files to print and check the catalog against (patch, mail, source or tools/kapi JSON).",
                               valueName: "file"),
            completion: .file())
    var kapiFiles: [String] = []

    @OptionGroup var display: DisplayOptions

    func run() throws {
        if !kapiFiles.isEmpty {
            guard syscalls.isEmpty else { throw UsageError("--kapi takes spec files; name no syscalls with it") }
            try runKAPI()
            return
        }
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

    /// io_pgetevents shares io_getevents' situations; the catalog files them
    /// there. Only the claims whose documents are about the call are shown.
    private func situations(_ syscall: AIOSyscall) -> [Situation] {
        Catalog.situations(for: syscall == .io_pgetevents ? .io_getevents : syscall).compactMap { situation in
            var shown = situation
            shown.claims = situation.claims.filter { $0.applies(to: syscall) }
            return shown.claims.isEmpty ? nil : shown
        }
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
                                 + claim.expected.description.padding(toLength: 14) + claim.text
                                 + (claim.predictsCrash ? " (or a crash)" : ""))
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
                                    ("citations", .array(claim.citations.map(\.json))),
                                    ("condition", .optional(claim.condition?.description)),
                                    ("predicts_crash", .bool(claim.predictsCrash)),
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
