import AIODocuments
import AIOKernel
import SystemPackage

/// The result of `aioctl bench`.
public struct BenchReport: Sendable {
    public let options: BenchOptions
    public let fileSize: UInt64
    /// Whether the file was created or extended first (outside the timing).
    public let laidOut: Bool
    public let stats: BenchStats

    /// 130/143 on a signal, 70 when a call failed, 1 when I/Os returned errors.
    public var exitStatus: ExitStatus {
        switch stats.interruptedBy {
        case 2?: return .interrupted
        case _?: return .terminated
        case nil: break
        }
        if stats.failure != nil { return .software }
        return stats.errors > 0 ? .differs : .agrees
    }

    /// fio's completion-latency percentiles, in its order.
    public static let fioPercentiles: [Double] = [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99]

    public func renderText(style: TextStyle) -> String {
        let o = options
        var lines: [String] = []
        lines.append(style.bold("aioctl bench") + ": \(o.pattern.rawValue) bs=\(formatSize(UInt64(o.blockSize))) "
                     + "iodepth=\(o.iodepth) batch-submit=\(o.batchSubmit) batch-complete=\(o.batchComplete) "
                     + "\(o.direct ? "direct" : "buffered") via \(o.via.rawValue)")
        lines.append("  file: \(o.path) (\(formatSize(fileSize))\(laidOut ? ", laid out by this run" : ""))")
        let s = stats
        lines.append("  \(o.pattern.direction): IOPS=\(Int(s.iops.rounded())), BW=\(formatSize(UInt64(s.bandwidth)))/s "
                     + "(\(UInt64(s.bandwidth)) bytes/s), \(s.ios) ios, \(formatSize(s.bytes)) in \(formatDuration(s.elapsedNs))")
        lines.append("    slat  " + s.slat.summary.text)
        lines.append("    clat  " + s.clat.summary.text)
        lines.append("    lat   " + s.lat.summary.text)
        if s.shortIOs > 0 { lines.append("  short I/Os: \(s.shortIOs)") }
        if s.errors > 0 {
            let name = s.firstErrno.map { Errno(rawValue: $0).name } ?? "?"
            lines.append(style.differ("  \(s.errors) I/Os failed (first: -\(name))"))
        }
        if let failure = s.failure { lines.append(style.differ("  stopped early: \(failure)")) }
        if let sig = s.interruptedBy {
            lines.append(style.differ("  interrupted by \(sig == 2 ? "SIGINT" : "SIGTERM"); partial results, the context was destroyed"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
