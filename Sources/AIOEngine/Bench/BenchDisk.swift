import AIODocuments
import AIOKernel
import Glibc

/// The block device under the bench file, read from /sys/dev/block/MAJ:MIN/stat
/// before and after the run: fio's disk_util. A file on tmpfs or another
/// device-less file system has none, and fio then lists no disk either.
public struct BenchDisk: Sendable {
    public let name: String
    /// The stat file's first eleven counters (read_ios, read_merges, read_sectors,
    /// read_ticks, write_ios, write_merges, write_sectors, write_ticks, in_flight,
    /// io_ticks, time_in_queue).
    let counters: [UInt64]

    /// The device holding `fd`'s file now, or nil.
    static func sample(fd: Int32) -> BenchDisk? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let major = (st.st_dev >> 8) & 0xfff | ((st.st_dev >> 32) & ~0xfff)
        let minor = (st.st_dev & 0xff) | ((st.st_dev >> 12) & ~0xff)
        guard major != 0 else { return nil }
        let directory = "/sys/dev/block/\(major):\(minor)"
        guard let line = try? String(contentsOfProcFile: directory + "/stat", limit: 512) else { return nil }
        let counters = line.split(separator: " ").compactMap { UInt64($0) }
        guard counters.count >= 11 else { return nil }
        var link = [CChar](repeating: 0, count: 4096)
        let n = readlink(directory, &link, link.count - 1)
        let target = n > 0 ? String(nulTerminated: link) : directory
        return BenchDisk(name: String(target.split(separator: "/").last ?? "?"), counters: Array(counters.prefix(11)))
    }

    /// fio's disk_util entry for what happened between `before` and `self`, over `elapsedMs`.
    func json(since before: BenchDisk, elapsedMs: Double) -> JSON {
        let d = zip(counters, before.counters).map { $0 >= $1 ? $0 - $1 : 0 }
        let util = elapsedMs > 0 ? min(Double(d[9]) * 100 / elapsedMs, 100) : 0
        return .object([
            ("name", .string(name)),
            ("read_ios", .uint(d[0])), ("write_ios", .uint(d[4])),
            ("read_merges", .uint(d[1])), ("write_merges", .uint(d[5])),
            ("read_ticks", .uint(d[3])), ("write_ticks", .uint(d[7])),
            ("in_queue", .uint(d[10])),
            ("util", .double(util)),
        ])
    }
}
