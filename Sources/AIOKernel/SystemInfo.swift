import CAio
import Glibc
import SystemPackage

/// What `aioctl info` reports: the facts about this machine that decide
/// what AIO can do here.
public struct SystemInfo: Sendable {
    public var kernelRelease: String
    public var machine: String
    public var cpus: Int
    /// The io_setup probe: nil when it succeeded, else its errno name.
    public var setupError: String?
    public var aioNr: Int?
    public var aioMaxNr: Int?
    public var requestedEvents: Int
    /// The ring's size in events, from the header the kernel mapped.
    public var ringEvents: Int?
    /// How much /proc/sys/fs/aio-nr grew while the probe context lived
    /// (system-wide, so another process's contexts can blur it).
    public var reservedEvents: Int?
    public var libaioPath: String?
    public var libaioPackageVersion: String?
    public var seccompMode: String?
    /// MachinePace's factor: how much every check bound is stretched here.
    public var pace: Double = 1
    public var paceOrigin: MachinePace.Origin = .measured

    public var aioAvailable: Bool { setupError == nil }

    /// Probes with a real context of `nrEvents`, destroyed before returning.
    public static func probe(nrEvents: Int, via: Via = .libaio) -> SystemInfo {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: &names.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let machine = withUnsafeBytes(of: &names.machine) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        var info = SystemInfo(kernelRelease: release, machine: machine, cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                              requestedEvents: nrEvents)
        info.aioMaxNr = readNumber("/proc/sys/fs/aio-max-nr")
        info.aioNr = readNumber("/proc/sys/fs/aio-nr")
        let (context, record) = AIOContext.setup(nrEvents: nrEvents, via: via)
        if let context {
            info.ringEvents = context.ringHeader.map { Int($0.nr) }
            if let before = info.aioNr, let during = readNumber("/proc/sys/fs/aio-nr") {
                info.reservedEvents = during - before
            }
            context.destroy()
        } else {
            info.setupError = record.outcome.errno?.name ?? "no handle"
        }
        info.libaioPath = caio_libaio_path().map { String(cString: $0) }
        info.libaioPackageVersion = dpkgVersion(of: "libaio1") ?? dpkgVersion(of: "libaio1t64")
        info.seccompMode = statusField("Seccomp").map(describeSeccomp)
        (info.pace, info.paceOrigin) = MachinePace.current
        return info
    }

    public var json: JSON {
        .object([
            ("kernel", .string(kernelRelease)),
            ("machine", .string(machine)),
            ("cpus", .integer(cpus)),
            ("aio_available", .bool(aioAvailable)),
            ("io_setup_error", .optional(setupError)),
            ("aio_nr", .optional(aioNr)),
            ("aio_max_nr", .optional(aioMaxNr)),
            ("nr_events", .integer(requestedEvents)),
            ("ring_events", .optional(ringEvents)),
            ("reserved_events", .optional(reservedEvents)),
            ("libaio", .optional(libaioPath)),
            ("libaio_package", .optional(libaioPackageVersion)),
            ("seccomp", .optional(seccompMode)),
            ("pace", .double(pace)),
            ("pace_from", .string(paceOrigin.rawValue)),
        ])
    }

    public func renderText() -> String {
        func show<T>(_ v: T?) -> String { v.map { "\($0)" } ?? "unknown" }
        let rows: [(String, String)] = [
            ("kernel", "\(kernelRelease) (\(machine))"),
            ("cpus online", "\(cpus)"),
            ("AIO", aioAvailable ? "available (io_setup(\(requestedEvents)) succeeded)"
                                 : "unavailable: io_setup(\(requestedEvents)) failed with \(setupError ?? "?")"),
            ("aio-nr", show(aioNr) + "  (/proc/sys/fs/aio-nr, events reserved now)"),
            ("aio-max-nr", show(aioMaxNr) + "  (/proc/sys/fs/aio-max-nr)"),
            ("ring for nr_events=\(requestedEvents)", show(ringEvents) + " events in the mapped ring"),
            ("aio-nr grew by", show(reservedEvents) + " while the probe context lived"),
            ("libaio", show(libaioPath) + (libaioPackageVersion.map { " (Debian \($0))" } ?? "")),
            ("seccomp", show(seccompMode)),
            ("pace", MachinePace.describe(pace, paceOrigin)),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(width + 2) + $0.1 }.joined(separator: "\n") + "\n"
    }

    public static func readNumber(_ path: String) -> Int? {
        readFile(path).flatMap { Int($0.trimmingWhitespace()) }
    }

    public static func readFile(_ path: String) -> String? {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The whole file as bytes (procfs files report no size, so read to EOF).
    public static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// `thread`: the calling thread's own status (capabilities are per thread).
    public static func statusField(_ name: String, thread: Bool = false) -> String? {
        guard let status = readFile(thread ? "/proc/thread-self/status" : "/proc/self/status") else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingWhitespace()
        }
        return nil
    }

    static func describeSeccomp(_ mode: String) -> String {
        switch mode {
        case "0": return "0 (disabled)"
        case "1": return "1 (strict)"
        case "2": return "2 (filter: a filter may refuse io_* calls with EPERM or ENOSYS)"
        default: return mode
        }
    }

    /// The installed version of a Debian package, from dpkg's status file.
    static func dpkgVersion(of package: String) -> String? {
        guard let status = readFile("/var/lib/dpkg/status") else { return nil }
        var inPackage = false
        for line in status.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { inPackage = false; continue }
            if line.hasPrefix("Package: ") { inPackage = line.dropFirst(9).split(separator: ":").first.map(String.init) == package }
            if inPackage, line.hasPrefix("Version: ") { return String(line.dropFirst(9)) }
        }
        return nil
    }
}
