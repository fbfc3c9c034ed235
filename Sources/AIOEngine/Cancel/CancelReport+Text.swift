import AIODocuments
import AIOKernel
extension CancelReport {
    /// The report for people: a header, each call, the events, the verdict.
    public func renderText(style: TextStyle) -> String {
        var lines: [String] = []
        let after = options.after == .never ? "no io_cancel (--after never)" : "io_cancel after \(options.after)"
        lines.append(style.bold("aioctl cancel: \(options.request) on \(options.target)"))
        lines.append(style.dim("\(after), via \(options.via.rawValue): \(options.via.conventionSummary)"))
        lines.append(style.dim("verdict from \(options.expect.rawValue) (marked *)"))
        for (index, run) in runs.enumerated() {
            if runs.count > 1 { lines.append(""); lines.append(style.bold("run \(index + 1) of \(runs.count)")) }
            lines += renderRun(run, style: style)
        }
        if runs.count > 1 {
            let s = summary
            lines.append("")
            lines.append(style.bold("summary of \(runs.count) runs"))
            lines.append("  io_cancel returned: " + s.cancel.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
            lines.append("  event res:          " + s.events.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
            lines.append("  runs agreeing with \(options.expect.rawValue): \(s.agreed) of \(runs.count)")
        }
        lines.append("")
        if let sig = interruptedBy {
            lines.append(style.differ("interrupted by \(sig == 2 ? "SIGINT" : "SIGTERM"); the context was destroyed"))
        }
        let verdict = agrees ? style.agree("agrees") : style.differ("differs")
        lines.append("verdict (\(options.expect.rawValue)): " + verdict)
        return lines.joined(separator: "\n") + "\n"
    }

    func renderRun(_ run: CancelRun, style: TextStyle) -> [String] {
        var lines: [String] = []
        if let ready = run.readyAction { lines.append(style.dim("--ready: \(ready)")) }
        for call in run.calls {
            lines.append("")
            lines += call.renderText(style: style, verdictSource: options.expect)
            if call.syscall == .io_cancel {
                let asked = run.requestedDelayNs.map(formatDuration) ?? "never"
                let got = run.actualDelayNs.map(formatDuration) ?? "-"
                var when = "    called \(got) after io_submit's call (asked \(asked))"
                if run.cancelledDuringSubmit { when += ",\n    while io_submit was blocked" }
                lines.append(style.dim(when))
            }
            if call.syscall == .io_submit, let action = run.unblockAction, let at = run.unblockAfterNs {
                lines.append(style.dim("    unblocked at \(formatDuration(at)): \(action);"))
                lines.append(style.dim("    io_submit returned after \(formatDuration(run.submitElapsedNs))"))
            }
        }
        if !run.events.isEmpty {
            lines.append("")
            for (i, e) in run.events.enumerated() {
                lines.append("event \(i + 1): res=\(e.resText) res2=\(e.res2) obj \(e.objMatches ? "= iocb" : "≠ iocb") data \(e.dataMatches ? "= aio_data" : "≠ aio_data") at \(formatDuration(e.afterNs))")
            }
        }
        if run.extraEvents > 0 {
            lines.append(style.differ("extra: \(run.extraEvents) event(s) more than requests submitted"))
        }
        for note in run.notes { lines.append(style.differ("note: " + note)) }
        return lines
    }
}
