import Glibc

/// A one-line progress bar on stderr for long runs: only on a terminal, and
/// only once the run has lasted a second, so short runs and pipes see nothing.
public final class ProgressBar {
    private let label: String
    private let startNs: UInt64
    private var nextDrawNs: UInt64
    private var drawn = false
    /// The bar's cells: 30, fewer on a narrow terminal so the line never
    /// wraps (a wrapped bar stacks a new line at every redraw).
    private let width: Int
    private static let quietPeriodNs: UInt64 = 1_000_000_000
    private static let redrawEveryNs: UInt64 = 100_000_000

    init(label: String, columns: Int? = nil, now: UInt64 = Monotonic.now()) {
        self.label = label
        // "label [bar] 100%" and a spare column for the cursor.
        width = Swift.max(0, Swift.min(30, (columns ?? 80) - label.count - 9))
        startNs = now
        nextDrawNs = now + ProgressBar.quietPeriodNs
    }

    /// A bar when stderr is a terminal, otherwise nil.
    public static func forStandardError(label: String) -> ProgressBar? {
        isatty(2) == 1 ? ProgressBar(label: label, columns: TextStyle.terminalWidth(fd: 2)) : nil
    }

    /// Cheap enough for every iteration: it draws at most ten times a second.
    @inline(__always)
    public func update(fraction: Double, now: UInt64) {
        guard now >= nextDrawNs else { return }
        nextDrawNs = now + ProgressBar.redrawEveryNs
        draw(fraction: fraction)
    }

    private func draw(fraction: Double) {
        let clamped = Swift.min(Swift.max(fraction, 0), 1)
        let filled = Int(clamped * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        StandardError.write(width < 5 ? "\r\(Int(clamped * 100))%" : "\r\(label) [\(bar)] \(Int(clamped * 100))%")
        drawn = true
    }

    /// Erases the bar so the report starts on a clean line.
    public func finish() {
        guard drawn else { return }
        StandardError.write("\r\u{1B}[K")
        drawn = false
    }
}
