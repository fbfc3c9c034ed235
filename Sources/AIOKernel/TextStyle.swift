import Glibc

/// When text output gets colour: `--color` decides, else only a terminal
/// that is not TERM=dumb, and never with NO_COLOR set (no-color.org).
public enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never
}

/// Colour and width for text a person reads.
public struct TextStyle: Sendable {
    public var color: Bool
    /// The terminal's columns (COLUMNS, else TIOCGWINSZ), or nil when the
    /// output is no terminal and COLUMNS is unset: then nothing is wrapped.
    public var width: Int?

    public init(color: Bool, width: Int? = nil) {
        self.color = color
        self.width = width
    }

    /// Set once from `--color` before anything prints.
    nonisolated(unsafe) public static var choice: ColorChoice = .auto

    /// The style standard output should get right now.
    public static func forStandardOutput() -> TextStyle {
        TextStyle(color: wantsColor(fd: 1), width: terminalWidth(fd: 1))
    }

    public static func wantsColor(fd: Int32, environment: (String) -> String? = TextStyle.environment) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto: break
        }
        if let noColor = environment("NO_COLOR"), !noColor.isEmpty { return false }
        if environment("TERM") == "dumb" { return false }
        return isatty(fd) == 1
    }

    /// COLUMNS when it is a positive number, else the terminal's width on fd.
    public static func terminalWidth(fd: Int32, environment: (String) -> String? = TextStyle.environment) -> Int? {
        if let text = environment("COLUMNS"), let columns = Int(text), columns > 0 { return columns }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    public func agree(_ text: String) -> String { paint(text, "32") }
    public func differ(_ text: String) -> String { paint(text, "31;1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func bold(_ text: String) -> String { paint(text, "1") }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
