import CAio
import Glibc
import SystemPackage

/// Pages the kernel must refuse, mapped once per process and never unmapped,
/// so their addresses stay bad for as long as anyone may pass them.
public enum BadMemory {
    /// The pages' addresses, kept as integers (Sendable) since nothing here
    /// may be read or written through them.
    private static let noAccessPage: UInt = map(PROT_NONE)
    private static let readOnlyPage: UInt = map(PROT_READ)

    /// Mapped PROT_NONE: neither readable nor writable (and never anything else).
    public static var noAccess: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: noAccessPage)! }
    /// Readable zeros that cannot be written.
    public static var readOnly: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: readOnlyPage)! }

    private static func map(_ protection: Int32) -> UInt {
        let page = mmap(nil, 4096, protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let page, page != MAP_FAILED else { preconditionFailure("mmap of one page failed") }
        return UInt(bitPattern: page)
    }

    /// An aligned address in the kernel's half of the address space (x86-64's
    /// kernel text, without KASLR): never mapped for user space, so access_ok
    /// refuses it and nothing is ever read or written through it.
    public static let kernelAddress: UInt64 = 0xffff_ffff_8100_0000

    public static var noAccessAddress: UInt64 { UInt64(noAccessPage) }
    public static var readOnlyAddress: UInt64 { UInt64(readOnlyPage) }
}

/// /proc/sys/fs files, read as integers.
public enum AioLimits {
    // aio-nr and aio-max-nr stay open and are read again from offset 0: a
    // sysctl file answers each read with its current value, and check reads
    // the two at every io_setup its classifier judges (over 600 times), where
    // opening and closing them cost more than the reads. The values are
    // machine-wide, so a forked child sharing the descriptor reads the same.
    // A script may close any descriptor by number (`close 5`) and open
    // something else that gets the number, so each read first checks, with
    // fstat, that the descriptor is still the file opened; once it is not,
    // reads open the file afresh, as they did before.
    static let aioNrFile = KeptFile("/proc/sys/fs/aio-nr")
    static let aioMaxNrFile = KeptFile("/proc/sys/fs/aio-max-nr")

    public static func read(_ name: String) -> Int? { readOnce("/proc/sys/fs/\(name)") }

    public static var aioNr: Int? { aioNrFile.value }
    public static var aioMaxNr: Int? { aioMaxNrFile.value }

    static func readOnce(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return integer(in: fd)
    }

    /// A file opened once, with what identifies it (device and inode).
    struct KeptFile: Sendable {
        let path: String
        let fd: Int32
        let device: UInt64
        let inode: UInt64

        init(_ path: String) {
            self.path = path
            var st = stat()
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0, fstat(fd, &st) == 0 {
                (self.fd, device, inode) = (fd, UInt64(st.st_dev), UInt64(st.st_ino))
            } else {
                if fd >= 0 { close(fd) }
                (self.fd, device, inode) = (-1, 0, 0)
            }
        }

        /// Whether the descriptor still names the file opened (nobody closed
        /// it and put something else at its number).
        var isIntact: Bool {
            guard fd >= 0 else { return false }
            var st = stat()
            return fstat(fd, &st) == 0 && UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
        }

        var value: Int? { isIntact ? AioLimits.integer(in: fd) : AioLimits.readOnce(path) }
    }

    /// The decimal integer at the start of the file (a sysctl's value and a
    /// newline), or nil when it cannot be read or is not one.
    static func integer(in fd: Int32) -> Int? {
        guard fd >= 0 else { return nil }
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { bytes -> Int? in
            let n = pread(fd, bytes.baseAddress, bytes.count, 0)
            guard n > 0 else { return nil }
            var value = 0
            var digits = 0
            var negative = false
            for (i, byte) in bytes.prefix(n).enumerated() {
                if i == 0 && byte == UInt8(ascii: "-") { negative = true; continue }
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                digits += 1
            }
            guard digits > 0 else { return nil }
            return negative ? -value : value
        }
    }

    /// nr_events above which io_setup fails with EINVAL: the kernel doubles
    /// nr_events (after raising it to 4 per CPU) and refuses more than
    /// 0x10000000 / sizeof(struct io_event) of the result.
    public static let internalLimit = 0x1000_0000 / 32 / 2
}

/// This process's own contexts, as the kernel maps them: each context's ring
/// is a mapping named "[aio]" (or "/[aio] (deleted)"). Unlike aio-nr, no
/// other process moves this count.
public enum ContextMappings {
    /// How many `[aio]` rings /proc/self/maps lists (RingMappings reads it
    /// as bytes: this runs at every exit, so it must cost microseconds).
    public static func count() -> Int { RingMappings.all().count }

    /// At exit, one line on stderr if a context is still mapped: every path
    /// of the tool destroys what it set up, so this names a leak (or a read
    /// that nothing could free) instead of leaving it to the kernel silently.
    /// A process that never called io_setup has nothing to look for
    /// (`--version`, `--help`, spec, review): reading the maps was 2-3% of
    /// `aioctl --version`'s CPU.
    public static func reportLeaksAtExit() {
        atexit {
            guard caio_setup_was_called() != 0 else { return }
            let n = ContextMappings.count()
            guard n > 0 else { return }
            let line = "aioctl: \(n) AIO context(s) still mapped at exit; the kernel frees them now\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }
}
