import AIODocuments
import AIOKernel
/// fio's --output-format=json shape, so scripts written for fio read it:
/// `.jobs[0].read.iops`, `.jobs[0].read.clat_ns.percentile["99.000000"]`.
/// Only fields that mean what fio means by them; aioctl's own are prefixed.
extension BenchReport {
    public var json: JSON {
        let o = options
        let measured = direction(stats)
        let idle = direction(BenchStats())
        let jobOptions: JSON = .object([
            ("name", .string("aioctl-bench")), ("filename", .string(o.path)), ("rw", .string(o.pattern.rawValue)),
            ("bs", .string("\(o.blockSize)")), ("iodepth", .string("\(o.iodepth)")), ("ioengine", .string("libaio")),
            ("direct", .string(o.direct ? "1" : "0")), ("size", .string("\(fileSize)")),
            ("iodepth_batch_submit", .string("\(o.batchSubmit)")),
            ("iodepth_batch_complete_min", .string("\(o.batchComplete)")),
        ])
        let job: JSON = .object([
            ("jobname", .string("aioctl-bench")),
            ("groupid", .int(0)),
            ("error", .integer(stats.firstErrno ?? 0)),
            ("job options", jobOptions),
            ("read", o.pattern.isWrite ? idle : measured),
            ("write", o.pattern.isWrite ? measured : idle),
            ("job_runtime", .uint(stats.elapsedNs / 1_000_000)),
        ])
        return .object([
            ("aioctl_command", .string("bench")),
            ("aioctl_via", .string(o.via.rawValue)),
            ("aioctl_file_laid_out", .bool(laidOut)),
            ("aioctl_interrupted_by", .optional(stats.interruptedBy.map { $0 == 2 ? "SIGINT" : "SIGTERM" })),
            ("aioctl_stopped_because", .optional(stats.failure)),
            ("aioctl_exit_status", .integer(exitStatus.rawValue)),
            ("jobs", .array([job])),
        ])
    }

    private func direction(_ s: BenchStats) -> JSON {
        .object([
            ("io_bytes", .uint(s.bytes)),
            ("io_kbytes", .uint(s.bytes / 1024)),
            ("bw_bytes", .uint(UInt64(s.bandwidth))),
            ("bw", .uint(UInt64(s.bandwidth / 1024))),
            ("iops", .double(s.iops)),
            ("runtime", .uint(s.elapsedNs / 1_000_000)),
            ("total_ios", .integer(s.ios)),
            ("short_ios", .integer(s.shortIOs)),
            ("drop_ios", .int(0)),
            ("slat_ns", latency(s.slat, withPercentiles: false)),
            ("clat_ns", latency(s.clat, withPercentiles: true)),
            ("lat_ns", latency(s.lat, withPercentiles: false)),
        ])
    }

    /// fio: {"min", "max", "mean", "stddev", "N", "percentile": {"99.000000": ns}}.
    private func latency(_ recorder: LatencyRecorder, withPercentiles: Bool) -> JSON {
        let summary = recorder.summary(percentiles: withPercentiles ? BenchReport.fioPercentiles : [])
        var members: [(String, JSON)] = [
            ("min", .uint(summary.min)), ("max", .uint(summary.max)), ("mean", .double(summary.mean)),
            ("stddev", .double(summary.stddev)), ("N", .uint(summary.count)),
        ]
        if withPercentiles, summary.count > 0 {
            members.append(("percentile", .object(summary.percentiles.map { (fioKey($0.0), JSON.uint($0.1)) })))
        }
        return .object(members)
    }

    /// fio prints percentile keys with printf's %f: "99.900000".
    private func fioKey(_ p: Double) -> String {
        let micro = Int((p * 1_000_000).rounded())
        let fraction = String(micro % 1_000_000)
        return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
