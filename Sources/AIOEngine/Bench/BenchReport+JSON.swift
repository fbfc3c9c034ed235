import AIODocuments
import AIOKernel
import Glibc

/// fio 3.33's --output-format=json (and json+) shape, every field fio writes
/// for the same job with the same JSON type, so fio's own tools
/// (fio_jsonplus_clat2csv, fio-plot) and scripts written for fio read it.
/// What aioctl does not measure (trim, sync, disk_util, latency targets) is 0,
/// as fio writes it for a job that did none. aioctl's own fields start with
/// aioctl_.
extension BenchReport {
    /// `plus`: json+, which adds clat_ns.bins (latency value in ns → count).
    public func json(version: String, plus: Bool = false) -> JSON {
        var now = timeval()
        gettimeofday(&now, nil)
        return .object([
            ("fio version", .string("aioctl-\(version)")),
            ("timestamp", .int(Int64(now.tv_sec))),
            ("timestamp_ms", .int(Int64(now.tv_sec) * 1000 + Int64(now.tv_usec) / 1000)),
            ("time", .string(BenchReport.ctime(now.tv_sec))),
            ("global options", .object(impliedOptions.map { ($0.name, .string($0.value)) })),
            ("aioctl_command", .string("bench")),
            ("aioctl_via", .string(options.via.rawValue)),
            ("aioctl_file_laid_out", .bool(laidOut)),
            ("aioctl_interrupted_by", .optional(stats.interruptedBy.map { $0 == 2 ? "SIGINT" : "SIGTERM" })),
            ("aioctl_stopped_because", .optional(stats.failure)),
            ("aioctl_exit_status", .integer(exitStatus.rawValue)),
            ("jobs", .array([job(plus: plus)])),
            ("disk_util", .array(stats.disk.map { [$0] } ?? [])),
        ])
    }

    /// What aioctl decides that the user did not type, as fio options: a
    /// fio job file with these in [global] and `typed` in the job runs the
    /// same loop (see Benchmarks/README.md).
    public var impliedOptions: [(name: String, value: String)] {
        let o = options
        let typed = Set(o.typed.map(\.name))
        var implied: [(String, String)] = [("ioengine", "libaio"), ("numjobs", "1")]
        if !typed.contains("rw") { implied.append(("rw", o.pattern.rawValue)) }
        if !typed.contains("bs") { implied.append(("bs", "\(o.blockSize)")) }
        if !typed.contains("iodepth") { implied.append(("iodepth", "\(o.iodepth)")) }
        if !typed.contains("size") { implied.append(("size", "\(fileSize)")) }
        if !typed.contains("iodepth_batch_complete_max") {
            implied.append(("iodepth_batch_complete_max", "\(o.batchCompleteMax ?? o.iodepth)"))
        }
        if o.pattern.isRandom { implied.append(("norandommap", "1")) }
        if case .runtime? = o.stop { implied.append(("time_based", "1")) }
        return implied
    }

    private func job(plus: Bool) -> JSON {
        let o = options
        let s = stats
        let measured = direction(s, plus: plus)
        let idle = direction(BenchStats(), plus: false)
        let runtimeMs = Double(max(s.elapsedNs, 1)) / 1e6
        let percentOf = { (values: [UInt64], total: UInt64) -> [JSON] in
            values.map { .double(total == 0 ? 0 : Double($0) * 100 / Double(total)) }
        }
        let depthKeys = ["1", "2", "4", "8", "16", "32", ">=64"]
        let batchKeys = ["0", "4", "8", "16", "32", "64", ">=64"]
        let submits = s.submitBatches.array, completes = s.completeBatches.array
        let (ns, us, ms) = latencyBuckets(s.clat)
        let zeroLatency = latency(BenchStats().lat, percentiles: false, bins: false)
        return .object([
            ("jobname", .string("aioctl-bench")),
            ("groupid", .int(0)),
            ("error", .integer(s.firstErrno ?? 0)),
            ("eta", .int(0)),
            ("elapsed", .uint((s.jobElapsedNs + 999_999_999) / 1_000_000_000)),
            ("job options", .object(o.typed.map { ($0.name, .string($0.value)) })),
            ("read", o.pattern.isWrite ? idle : measured),
            ("write", o.pattern.isWrite ? measured : idle),
            ("trim", idle),
            ("sync", .object([("total_ios", .int(0)), ("lat_ns", zeroLatency)])),
            ("job_runtime", .uint(s.elapsedNs / 1_000_000)),
            ("usr_cpu", .double(Double(s.usage.userNs) / 1e6 * 100 / runtimeMs)),
            ("sys_cpu", .double(Double(s.usage.systemNs) / 1e6 * 100 / runtimeMs)),
            ("ctx", .uint(s.usage.contextSwitches)),
            ("majf", .uint(s.usage.majorFaults)),
            ("minf", .uint(s.usage.minorFaults)),
            ("iodepth_level", .object(Array(zip(depthKeys, percentOf(s.depthLevels.array, UInt64(s.ios)))))),
            ("iodepth_submit", .object(Array(zip(batchKeys, percentOf(submits, submits.reduce(0, +)))))),
            ("iodepth_complete", .object(Array(zip(batchKeys, percentOf(completes, completes.reduce(0, +)))))),
            ("latency_ns", ns),
            ("latency_us", us),
            ("latency_ms", ms),
            ("latency_depth", .int(Int64(o.iodepth))),
            ("latency_target", .int(0)),
            ("latency_percentile", .double(100)),
            ("latency_window", .int(0)),
        ])
    }

    private func direction(_ s: BenchStats, plus: Bool) -> JSON {
        let hasSamples = !s.samples.iops.isEmpty
        let bw = Spread(s.samples.kibPerSecond), iops = Spread(s.samples.iops)
        return .object([
            ("io_bytes", .uint(s.bytes)),
            ("io_kbytes", .uint(s.bytes / 1024)),
            ("bw_bytes", .uint(UInt64(s.bandwidth))),
            ("bw", .uint(UInt64(s.bandwidth / 1024))),
            ("iops", .double(s.iops)),
            ("runtime", .uint(s.elapsedNs / 1_000_000)),
            ("total_ios", .integer(s.ios)),
            ("short_ios", .integer(s.shortIOs)),
            ("drop_ios", .int(0)),
            ("slat_ns", latency(s.slat, percentiles: false, bins: false)),
            ("clat_ns", latency(s.clat, percentiles: true, bins: plus)),
            ("lat_ns", latency(s.lat, percentiles: false, bins: false)),
            ("bw_min", .uint(UInt64(bw.min))),
            ("bw_max", .uint(UInt64(bw.max))),
            // One job is the whole group: fio writes 100 once it has samples.
            ("bw_agg", .double(hasSamples ? 100 : 0)),
            ("bw_mean", .double(bw.mean)),
            ("bw_dev", .double(bw.deviation)),
            ("bw_samples", .integer(s.samples.kibPerSecond.count)),
            ("iops_min", .uint(UInt64(iops.min))),
            ("iops_max", .uint(UInt64(iops.max))),
            ("iops_mean", .double(iops.mean)),
            ("iops_stddev", .double(iops.deviation)),
            ("iops_samples", .integer(s.samples.iops.count)),
        ])
    }

    /// fio: {"min", "max", "mean", "stddev", "N", "percentile": {"99.000000": ns}, "bins": {"ns": count}}.
    private func latency(_ recorder: LatencyRecorder, percentiles: Bool, bins: Bool) -> JSON {
        let summary = recorder.summary(percentiles: percentiles ? BenchReport.fioPercentiles : [])
        var members: [(String, JSON)] = [
            ("min", .uint(summary.min)), ("max", .uint(summary.max)), ("mean", .double(summary.mean)),
            ("stddev", .double(summary.stddev)), ("N", .uint(summary.count)),
        ]
        if percentiles, summary.count > 0 {
            members.append(("percentile", .object(summary.percentiles.map { (fioKey($0.0), JSON.uint($0.1)) })))
        }
        if bins, summary.count > 0 {
            members.append(("bins", .object(recorder.buckets.map { ("\($0.value)", JSON.uint($0.count)) })))
        }
        return .object(members)
    }

    /// fio's latency_ns/us/ms: the share of I/Os whose completion latency
    /// falls under each key (and at or above the previous one).
    private func latencyBuckets(_ recorder: LatencyRecorder) -> (JSON, JSON, JSON) {
        let limits: [UInt64] = [2, 4, 10, 20, 50, 100, 250, 500, 750, 1000]
        let msLimits = limits + [2000]
        var nsCounts = [UInt64](repeating: 0, count: limits.count)
        var usCounts = nsCounts
        var msCounts = [UInt64](repeating: 0, count: msLimits.count + 1)
        for (value, count) in recorder.buckets {
            if value < 1000 {
                nsCounts[limits.firstIndex { value < $0 }!] += count
            } else if value < 1_000_000 {
                usCounts[limits.firstIndex { value / 1000 < $0 }!] += count
            } else {
                msCounts[msLimits.firstIndex { value / 1_000_000 < $0 } ?? msLimits.count] += count
            }
        }
        let total = Double(max(recorder.count, 1))
        let share = { (keys: [String], counts: [UInt64]) -> JSON in
            .object(zip(keys, counts).map { ($0, JSON.double(Double($1) * 100 / total)) })
        }
        let keys = limits.map(String.init)
        return (share(keys, nsCounts), share(keys, usCounts), share(msLimits.map(String.init) + [">=2000"], msCounts))
    }

    /// fio prints percentile keys with printf's %f: "99.900000".
    private func fioKey(_ p: Double) -> String {
        let micro = Int((p * 1_000_000).rounded())
        let fraction = String(micro % 1_000_000)
        return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// "Mon Nov 30 19:40:11 2026", as fio's "time" (ctime without the newline).
    static func ctime(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var buffer = [CChar](repeating: 0, count: 32)
        guard ctime_r(&t, &buffer) != nil else { return "" }
        return String(nulTerminated: buffer).trimmingWhitespace()
    }
}

/// min, max, mean and sample standard deviation of fio's per-window samples.
private struct Spread {
    var min = 0.0, max = 0.0, mean = 0.0, deviation = 0.0

    init(_ values: [Double]) {
        guard let lowest = values.min(), let highest = values.max() else { return }
        min = lowest
        max = highest
        mean = values.reduce(0, +) / Double(values.count)
        if values.count > 1 {
            let m = mean
            deviation = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
        }
    }
}
