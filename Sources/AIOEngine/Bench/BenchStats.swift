import AIODocuments
import AIOKernel
import Glibc

/// What a bench run counted; filled in the loop without allocating (the
/// throughput samples append once per half second).
public struct BenchStats: Sendable {
    /// Completed I/Os, whatever their result.
    public internal(set) var ios = 0
    public internal(set) var bytes: UInt64 = 0
    /// Events with res < 0, and the first such errno.
    public internal(set) var errors = 0
    public internal(set) var firstErrno: Int32?
    /// Events that moved fewer bytes than a block (fio's short_ios).
    public internal(set) var shortIOs = 0
    /// fio's slat: from preparing the iocb to io_submit's return.
    public var slat = LatencyRecorder()
    /// fio's clat: from io_submit's return to io_getevents' return.
    public var clat = LatencyRecorder()
    /// fio's lat: slat + clat.
    public var lat = LatencyRecorder()
    /// From the first submission to the last completion.
    public internal(set) var elapsedNs: UInt64 = 0
    /// From the engine's start (the file laid out, the context set up) to the end (fio's elapsed).
    public internal(set) var jobElapsedNs: UInt64 = 0
    public internal(set) var interruptedBy: Int32?
    public internal(set) var failure: String?

    /// fio's io_u_map: I/Os counted by the depth in flight once submitted
    /// (buckets 1, 2, 4, 8, 16, 32, >=64).
    public internal(set) var depthLevels = DepthBuckets()
    /// fio's io_u_submit / io_u_complete: calls counted by how many iocbs one
    /// io_submit took or one io_getevents returned (0, 4, 8, 16, 32, 64, >=64).
    public internal(set) var submitBatches = DepthBuckets()
    public internal(set) var completeBatches = DepthBuckets()
    /// Throughput over each half second (fio's bw_avg_time and iops_avg_time).
    public internal(set) var samples = ThroughputSamples()
    /// This thread's CPU time and faults over the run (fio's usr_cpu, sys_cpu, ctx, majf, minf).
    public internal(set) var usage = ResourceUsage()
    /// fio's disk_util entry for the file's block device, if it has one.
    public internal(set) var disk: JSON?

    @inline(__always)
    mutating func count(res: Int64, blockSize: Int) {
        ios += 1
        if res < 0 {
            errors += 1
            if firstErrno == nil { firstErrno = Int32(truncatingIfNeeded: -res) }
            return
        }
        bytes += UInt64(res)
        if res < blockSize { shortIOs += 1 }
    }

    public var iops: Double { elapsedNs == 0 ? 0 : Double(ios) * 1e9 / Double(elapsedNs) }
    public var bandwidth: Double { elapsedNs == 0 ? 0 : Double(bytes) * 1e9 / Double(elapsedNs) }
}

/// Seven counters, in fio's bucket order.
public struct DepthBuckets: Sendable {
    public internal(set) var counts = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))

    public var array: [UInt64] { [counts.0, counts.1, counts.2, counts.3, counts.4, counts.5, counts.6] }

    @inline(__always)
    mutating func add(_ n: UInt64, at index: Int) {
        switch index {
        case 0: counts.0 += n
        case 1: counts.1 += n
        case 2: counts.2 += n
        case 3: counts.3 += n
        case 4: counts.4 += n
        case 5: counts.5 += n
        default: counts.6 += n
        }
    }

    /// fio's io_u_mark_depth: the depth now in flight, weighted by the iocbs just submitted.
    @inline(__always)
    mutating func markDepth(_ depth: Int, submitted: Int) {
        let index = depth >= 64 ? 6 : depth >= 32 ? 5 : depth >= 16 ? 4 : depth >= 8 ? 3 : depth >= 4 ? 2 : depth >= 2 ? 1 : 0
        add(UInt64(submitted), at: index)
    }

    /// fio's io_u_mark_submit/complete: one call that moved n iocbs.
    @inline(__always)
    mutating func markBatch(_ n: Int) {
        let index = n == 0 ? 0 : n <= 4 ? 1 : n <= 8 ? 2 : n <= 16 ? 3 : n <= 32 ? 4 : n <= 64 ? 5 : 6
        add(1, at: index)
    }
}

/// IOPS and bandwidth per window, as fio samples them every 500 ms.
public struct ThroughputSamples: Sendable {
    public static let windowNs: UInt64 = 500_000_000
    public internal(set) var iops: [Double] = []
    /// KiB/s, fio's unit for bw samples.
    public internal(set) var kibPerSecond: [Double] = []
    var windowStart: UInt64 = 0
    var iosAtStart = 0
    var bytesAtStart: UInt64 = 0

    @inline(__always)
    mutating func maybeSample(now: UInt64, ios: Int, bytes: UInt64) {
        guard now &- windowStart >= ThroughputSamples.windowNs else { return }
        let seconds = Double(now - windowStart) / 1e9
        iops.append(Double(ios - iosAtStart) / seconds)
        kibPerSecond.append(Double(bytes - bytesAtStart) / 1024 / seconds)
        windowStart = now
        iosAtStart = ios
        bytesAtStart = bytes
    }

    mutating func start(at now: UInt64) {
        windowStart = now
        iops.reserveCapacity(256)
        kibPerSecond.reserveCapacity(256)
    }
}

/// getrusage(RUSAGE_THREAD) differences across the run.
public struct ResourceUsage: Sendable {
    public internal(set) var userNs: UInt64 = 0
    public internal(set) var systemNs: UInt64 = 0
    public internal(set) var contextSwitches: UInt64 = 0
    public internal(set) var majorFaults: UInt64 = 0
    public internal(set) var minorFaults: UInt64 = 0

    static func now() -> rusage {
        var u = rusage()
        // RUSAGE_THREAD (1) sits behind _GNU_SOURCE, out of Swift's sight.
        getrusage(__rusage_who_t(1), &u)
        return u
    }

    init() {}

    init(from a: rusage, to b: rusage) {
        func ns(_ t: timeval) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_usec) * 1000 }
        func delta(_ x: Int, _ y: Int) -> UInt64 { UInt64(max(y - x, 0)) }
        userNs = UInt64(max(ns(b.ru_utime) - ns(a.ru_utime), 0))
        systemNs = UInt64(max(ns(b.ru_stime) - ns(a.ru_stime), 0))
        contextSwitches = delta(a.ru_nvcsw + a.ru_nivcsw, b.ru_nvcsw + b.ru_nivcsw)
        majorFaults = delta(a.ru_majflt, b.ru_majflt)
        minorFaults = delta(a.ru_minflt, b.ru_minflt)
    }
}
