import AIODocuments
import AIOKernel
/// What a bench run counted; filled in the loop without allocating.
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
    public internal(set) var interruptedBy: Int32?
    public internal(set) var failure: String?

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
