import CAio
import Glibc
/// Exit statuses, shared by every subcommand; documented in --help and the man page.
public enum ExitStatus: Int32, Sendable {
    /// The kernel agreed with the chosen source on every documented call.
    case agrees = 0
    /// The kernel differed from the chosen source somewhere.
    case differs = 1
    /// AIO is unavailable here (kselftest's skip code).
    case unavailable = 4
    /// Bad usage: an unknown option value, conflicting flags (EX_USAGE).
    case usage = 64
    /// The target cannot be opened (EX_NOINPUT).
    case noInput = 66
    /// An internal failure (EX_SOFTWARE).
    case software = 70
    /// Standard output could not be written (EX_IOERR): a full disk, a closed pipe.
    case outputError = 74
    case interrupted = 130
    case terminated = 143
}

/// An error that ends a command with one line on stderr and an exit status.
public struct AioctlError: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var message: String
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { message }
}

public func UsageError(_ message: String) -> AioctlError { AioctlError(.usage, message) }

/// Unbuffered writes to descriptor 2, without touching C's shared FILE *stderr.
public enum StandardError {
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// C's stdout as far as the tool needs to know it.
public enum StandardOutput {
    /// A write through stdio failed (a full disk, a closed pipe).
    public static var hasError: Bool { caio_stdout_error() != 0 }
}
