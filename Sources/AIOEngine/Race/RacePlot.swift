import AIODocuments
import AIOKernel
/// `--plot FILE.svg`: the share of each outcome against the sweep offset, as
/// a self-contained SVG (no scripts, fonts or stylesheets to fetch), so the
/// window shows as the span where the two curves cross.
public struct RacePlot {
    public let report: RaceReport

    public init(report: RaceReport) { self.report = report }

    // The legend sits under the axis label, two entries a row: to the right
    // of the plot it was cut off in rsvg and ImageMagick renders.
    private let width = 760.0, height = 480.0
    private let left = 70.0, right = 30.0, top = 50.0, bottom = 100.0

    private static let series: [(RaceOutcome.Category, String, String)] = [
        (.cancelled, "#1f77b4", "cancelled (-EINPROGRESS, res 0)"),
        (.completedFirst, "#ff7f0e", "completed first (-EINVAL, poll bits)"),
        (.other, "#7f7f7f", "other combination"),
        (.lostOrDuplicated, "#d62728", "lost or duplicated"),
    ]

    public var svg: String {
        let points = report.tallies.compactMap { t in t.setting.offsetNs.map { (Double($0), t) } }
        let xs = points.map(\.0)
        var low = xs.min() ?? 0, high = xs.max() ?? 1
        if low == high { low -= 1000; high += 1000 }
        let plotW = width - left - right, plotH = height - top - bottom
        let x = { (ns: Double) in left + (ns - low) / (high - low) * plotW }
        let y = { (share: Double) in top + 1.5 + (1 - share) * (plotH - 3) }

        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="22" font-size="15" font-weight="bold">\(escape(title))</text>
        <text x="\(left)" y="40" fill="#555">\(escape(subtitle))</text>

        """
        if let window = report.window() {
            let x0 = x(Double(window.fromNs)), x1 = x(Double(window.toNs))
            out += "<rect x=\"\(f(x0 - 3))\" y=\"\(f(top))\" width=\"\(f(x1 - x0 + 6))\" height=\"\(f(plotH))\" fill=\"#fff3c4\"/>\n"
        }
        for tick in 0...4 {
            let share = Double(tick) / 4
            out += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(share)))\" y2=\"\(f(y(share)))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(y(share) + 4))\" text-anchor=\"end\">\(tick * 25)%</text>\n"
        }
        for ns in xTicks(low: low, high: high) {
            out += "<line x1=\"\(f(x(ns)))\" x2=\"\(f(x(ns)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(f(x(ns)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\">\(escape(formatSignedDuration(Int64(ns))))</text>\n"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 38))\" text-anchor=\"middle\">readiness relative to io_cancel (negative: before)</text>\n"
        out += "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">share of iterations</text>\n"

        var legendIndex = 0
        for (category, colour, label) in RacePlot.series {
            let values = points.map { (x($0.0), y($0.1.share(of: category))) }
            if category == .lostOrDuplicated || category == .other, points.allSatisfy({ $0.1.count(of: category) == 0 }) { continue }
            if values.count > 1 {
                let path = values.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            }
            for (px, py) in values { out += "<circle cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"3\" fill=\"\(colour)\"/>\n" }
            let lx = left + Double(legendIndex % 2) * plotW / 2
            let ly = top + plotH + 62 + Double(legendIndex / 2) * 18
            out += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
            out += "<text x=\"\(f(lx + 18))\" y=\"\(f(ly))\">\(escape(label))</text>\n"
            legendIndex += 1
        }
        // The frame last, so a series at 0% or 100% runs along the axis in its
        // own colour instead of hiding under it; the series are drawn 1.5 px
        // inside the frame for the same reason.
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\" stroke-width=\"0.5\"/>\n"
        out += "</svg>\n"
        return out
    }

    private var title: String {
        "io_cancel versus readiness: POLL(IN) on \(report.options.target), cancel at \(formatDuration(report.options.cancelAfterNs))"
    }

    private var subtitle: String {
        let n = report.tallies.first?.iterations ?? 0
        guard let window = report.window() else { return "\(n) iterations per offset; no offset saw both outcomes" }
        guard window.toNs > window.fromNs else {
            // One offset saw both: the window is narrower than the sweep's step, not 0 wide.
            let step = report.options.sweep.map { " step (" + formatDuration(UInt64($0.stepNs)) + ")" } ?? " step"
            return "\(n) iterations per offset; both outcomes only at \(formatSignedDuration(window.fromNs)) "
                + "(shaded): the window is narrower than the sweep's\(step)"
        }
        return "\(n) iterations per offset; both outcomes from \(formatSignedDuration(window.fromNs)) to "
            + "\(formatSignedDuration(window.toNs)) (shaded, width \(formatSignedDuration(window.toNs - window.fromNs)))"
    }

    /// About eight ticks at a round step (1, 2 or 5 times a power of ten).
    private func xTicks(low: Double, high: Double) -> [Double] {
        let raw = (high - low) / 8
        var step = 1.0
        while step * 10 <= raw { step *= 10 }
        if step * 5 <= raw { step *= 5 } else if step * 2 <= raw { step *= 2 }
        var ticks: [Double] = []
        var tick = (low / step).rounded(.up) * step
        while tick <= high + step / 1000 {
            ticks.append(tick)
            tick += step
        }
        return ticks
    }

    private func f(_ value: Double) -> String { String((value * 10).rounded() / 10) }

    private func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
