import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser
import KAPISpec

/// `aioctl spec --kapi FILE...`: the specs entry by entry, and the catalog held against them.
extension SpecCommand {
    func runKAPI() throws {
        let specs = try KAPIFiles.load(kapiFiles)
        let check = CatalogCrossCheck.run(specs)
        if json {
            print(kapiDocument(specs, check).serialized())
        } else {
            print(kapiText(specs, check, style: .forStandardOutput()), terminator: "")
        }
        if !check.agrees { throw ExitCode(ExitStatus.differs.rawValue) }
    }

    private func kapiText(_ specs: [KAPISpec], _ check: CatalogCrossCheck, style: TextStyle) -> String {
        var lines: [String] = []
        for spec in specs {
            lines.append(style.bold(spec.name) + " (\(spec.functionName), \(spec.dialect.rawValue) dialect) "
                         + "from \(spec.file)\(spec.line > 0 ? ":\(spec.line)" : ""): \(spec.summary)")
            for entry in spec.entries where CatalogCrossCheck.citable.contains(entry.kind) {
                var what = entry.kind == .error ? entry.key + (entry.summary.map { " \"\($0)\"" } ?? "")
                    : entry.kind == .return ? "success " + (entry.success ?? "?") : entry.key
                if entry.kind == .param, let range = entry.range { what += " range \(range.lower)..\(range.upper)" }
                let citers = Catalog.situations(citing: entry, of: spec.name)
                lines.append("  " + entry.kind.rawValue.padding(toLength: 12) + what
                             + (entry.line > 0 ? style.dim("  line \(entry.line)") : ""))
                if !citers.isEmpty { lines.append("  " + String(repeating: " ", count: 12) + "cited by " + citers.joined(separator: ", ")) }
            }
            lines.append("")
        }
        lines.append("Catalog against these specs: \(check.checked) kapi citations checked, "
                     + "\(check.missing.count) missing, \(check.mismatched.count) predicting something else.")
        for finding in check.missing { lines.append("  MISSING   \(finding.situation): \(finding.problem)") }
        for finding in check.mismatched { lines.append("  DIFFERENT \(finding.situation): \(finding.problem) [\(finding.citation)]") }
        if !check.uncited.isEmpty {
            lines.append("Entries no situation cites (\(check.uncited.count)):")
            for u in check.uncited {
                let what = u.entry.kind == .error ? u.entry.key + (u.entry.summary.map { " \"\($0)\"" } ?? "") : u.entry.key
                lines.append("  \(u.syscall) \(u.entry.kind.rawValue) \(what)" + (u.entry.line > 0 ? style.dim("  line \(u.entry.line)") : ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func kapiDocument(_ specs: [KAPISpec], _ check: CatalogCrossCheck) -> JSON {
        func finding(_ f: CatalogCrossCheck.Finding) -> JSON {
            .object([("situation", .string(f.situation)), ("citation", f.citation.json), ("problem", .string(f.problem))])
        }
        return .object([
            ("specs", .array(specs.map { spec in
                .object([
                    ("name", .string(spec.name)), ("function", .string(spec.functionName)),
                    ("summary", .string(spec.summary)), ("file", .string(spec.file)), ("line", .integer(Int64(spec.line))),
                    ("dialect", .string(spec.dialect.rawValue)),
                    ("entries", .array(spec.entries.map { entry in
                        .object([
                            ("kind", .string(entry.kind.rawValue)), ("key", .string(entry.key)),
                            ("summary", .optional(entry.summary)), ("header", .string(entry.header)),
                            ("line", .integer(Int64(entry.line))),
                            ("fields", .object(entry.fields.map { ($0.name, .string($0.value)) })),
                            ("cited_by", .array(Catalog.situations(citing: entry, of: spec.name).map { .string($0) })),
                        ])
                    })),
                ])
            })),
            ("cross_check", .object([
                ("checked", .integer(Int64(check.checked))), ("agrees", .bool(check.agrees)),
                ("missing", .array(check.missing.map(finding))), ("mismatched", .array(check.mismatched.map(finding))),
                ("uncited", .array(check.uncited.map { u in
                    .object([("syscall", .string(u.syscall)), ("kind", .string(u.entry.kind.rawValue)),
                             ("key", .string(u.entry.key)), ("summary", .optional(u.entry.summary)),
                             ("line", .integer(Int64(u.entry.line)))])
                })),
            ])),
        ])
    }
}
