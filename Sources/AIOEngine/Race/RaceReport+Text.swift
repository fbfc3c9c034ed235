import AIODocuments
import AIOKernel
extension RaceReport {
    /// The report a person reads: a table of outcome shares per setting,
    /// latencies, the window, and anything that went wrong, loudly.
    public func renderText(style: TextStyle) -> String {
        var lines: [String] = []
        let ready = options.sweep.map { "sweep \($0) around the cancel" } ?? "ready after \(options.readyAfter)"
        lines.append(style.bold("aioctl race") + ": POLL(IN) on \(options.target) via \(options.via.rawValue), "
                     + "cancel after \(formatDuration(options.cancelAfterNs)), \(ready)")
        lines.append("")
        lines.append(pad("offset", 9) + pad("ready", 9) + pad("measured", 10) + pad("iters", 8)
                     + pad("cancelled", 11) + pad("completed", 11) + pad("other", 8) + pad("lost/dup", 9) + "cycles/s")
        for tally in tallies {
            let offset = tally.setting.offsetNs.map(formatSignedDuration) ?? "-"
            let readyText = tally.setting.readyAfterNs.map(formatDuration) ?? "never"
            let measured = tally.offsetBins.medianNs.map(formatSignedDuration) ?? "-"
            let lost = tally.lostOrDuplicatedEvents
            let lostText = lost == 0 ? pad("0", 9) : style.differ(pad("\(lost)", 9))
            lines.append(pad(offset, 9) + pad(readyText, 9) + pad(measured, 10) + pad("\(tally.iterations)", 8)
                         + pad(percent(tally.share(of: .cancelled)), 11) + pad(percent(tally.share(of: .completedFirst)), 11)
                         + pad(percent(tally.share(of: .other)), 8) + lostText
                         + "\(Int(tally.iterationsPerSecond.rounded()))")
        }
        let others = tallies.flatMap { t in t.otherOutcomes.map { (t.setting.offsetNs, $0.0, $0.1) } }
        if !others.isEmpty {
            lines.append("")
            lines.append("other outcomes:")
            for (offset, outcome, n) in others.prefix(20) {
                let at = offset.map { "offset \(formatSignedDuration($0))" } ?? "the setting"
                lines.append("  \(at): \(n) x \(outcome.summary)")
            }
        }
        lines.append("")
        lines.append("latency (all settings):")
        var submit = LatencyRecorder(), cancel = LatencyRecorder(), arrival = LatencyRecorder()
        for tally in tallies {
            submit.add(tally.submitLatency)
            cancel.add(tally.cancelLatency)
            arrival.add(tally.cancelledArrival)
        }
        lines.append("  io_submit                      " + submit.summary.text)
        lines.append("  io_cancel                      " + cancel.summary.text)
        lines.append("  cancelled event after cancel   " + arrival.summary.text)
        lines.append("")
        let threshold = "each outcome at least \(Int(RaceReport.windowMinShare * 100))% of the iterations "
            + "whose write and io_cancel took under \(formatDuration(RaceEngine.cleanCallNs))"
        if let window = window() {
            lines.append("window: both outcomes from offset \(formatSignedDuration(window.fromNs)) to "
                         + "\(formatSignedDuration(window.toNs)) (width \(formatSignedDuration(window.toNs - window.fromNs)) "
                         + "in requested offsets, \(threshold))")
        } else if options.sweep != nil {
            lines.append("window: no setting had both outcomes at \(threshold) (shrink the sweep step)")
        }
        if let measured = measuredWindow() {
            lines.append("measured window: \(formatSignedDuration(measured.fromNs)) to \(formatSignedDuration(measured.toNs)) "
                         + "(width \(formatSignedDuration(measured.toNs - measured.fromNs)); readiness write start minus "
                         + "io_cancel call, 100ns bins of 20+ iterations)")
        }
        if lostOrDuplicated > 0 {
            lines.append(style.differ("KERNEL BUG: \(lostOrDuplicated) lost or duplicated completion(s): an iocb must produce exactly one event"))
            for tally in tallies { for text in tally.anomalies { lines.append(style.differ("  " + text)) } }
        }
        if lateEvents > 0 {
            lines.append("late: \(lateEvents) event(s) came after --reap-timeout \(formatDuration(options.reapTimeoutNs)); "
                         + "each was waited for up to \(formatDuration(RaceEngine.reapGraceNs)) more (a short timeout, not a lost event)")
        }
        if let stoppedBecause { lines.append(style.differ("stopped early: \(stoppedBecause)")) }
        if let sig = interruptedBy {
            lines.append(style.differ("interrupted by \(sig == 2 ? "SIGINT" : "SIGTERM") after \(iterations) iterations; partial results, the context was destroyed"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
