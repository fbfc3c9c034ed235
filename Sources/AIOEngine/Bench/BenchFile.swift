import AIODocuments
import AIOKernel
import Glibc
import SystemPackage

/// The file a bench run reads or writes, laid out before the clock starts:
/// created and filled when missing, extended when shorter than --size, as
/// fio lays out its files. A hole would read as zeros without touching the
/// page cache the way real data does.
public final class BenchFile {
    public let path: String
    public let fd: Int32
    public let size: UInt64
    /// Whether this run created or extended the file.
    public let laidOut: Bool

    public init(options: BenchOptions) throws {
        path = options.path
        var st = stat()
        let exists = stat(RawArgument.bytes(of: path), &st) == 0
        if exists, (st.st_mode & S_IFMT) == S_IFDIR {
            throw AioctlError(.noInput, "--file \(path) is a directory")
        }
        // A FIFO, socket or character device has no size to lay out and
        // opening a FIFO would wait for a writer forever.
        if exists, ![S_IFREG, S_IFBLK].contains(st.st_mode & S_IFMT) {
            throw AioctlError(.noInput, "--file \(path) is not a regular file or block device")
        }
        let existing = exists ? UInt64(st.st_size) : 0
        let wanted = options.size ?? (exists ? existing : BenchOptions.defaultSize)
        guard wanted >= UInt64(options.blockSize) else {
            throw UsageError("--file \(path) holds \(wanted) bytes, less than one block (--bs \(options.blockSize)); give --size")
        }
        if !exists || existing < wanted {
            try BenchFile.checkRoom(path: path, from: existing, to: wanted)
            try BenchFile.layOut(path: path, from: existing, to: wanted, created: !exists)
            laidOut = true
        } else {
            laidOut = false
        }
        let flags = (options.pattern.isWrite ? O_RDWR : O_RDONLY) | O_CLOEXEC | (options.direct ? BenchFile.oDirect : 0)
        let opened = open(RawArgument.bytes(of: path), flags)
        guard opened >= 0 else {
            let e = Errno(rawValue: errno)
            if options.direct, e == .invalidArgument {
                throw AioctlError(.noInput, "--file \(path): this file system refuses O_DIRECT (EINVAL); drop --direct")
            }
            throw AioctlError(.noInput, "--file \(path): cannot open (\(e.name))")
        }
        fd = opened
        size = wanted
    }

    /// Refuses a layout the file system cannot hold before a byte is written:
    /// writing until ENOSPC would fill it for everything else on it too (a
    /// fuzzed `--size 18446744073709551615` wrote 84 GB before it stopped).
    static func checkRoom(path: String, from start: UInt64, to end: UInt64) throws {
        guard end <= UInt64(Int64.max) else {
            throw AioctlError(.noInput, "--file \(path): --size \(end) is past the largest file offset (\(Int64.max))")
        }
        var fs = statvfs()
        // Where the file system cannot say, the writes will.
        guard statvfs(directory(of: RawArgument.bytes(of: path)), &fs) == 0 else { return }
        let free = UInt64(fs.f_bavail).multipliedReportingOverflow(by: UInt64(fs.f_frsize))
        let needed = end - start
        if !free.overflow, needed > free.partialValue {
            throw AioctlError(.noInput, "--file \(path): --size \(end) needs \(needed) more bytes, and its file system "
                + "has \(free.partialValue) free; nothing was written")
        }
    }

    /// The NUL-terminated directory part of a NUL-terminated path ("." when it has none).
    static func directory(of path: [CChar]) -> [CChar] {
        let bytes = path.prefix { $0 != 0 }
        guard let slash = bytes.lastIndex(of: CChar(UInt8(ascii: "/"))) else { return Array(".".utf8CString) }
        return Array(bytes[..<max(slash, 1)]) + [0]
    }

    /// Writes the file from `start` to `end`. On a failure it takes back what
    /// it wrote: a file it created is removed, an existing one cut back.
    private static func layOut(path: String, from start: UInt64, to end: UInt64, created: Bool) throws {
        let fd = open(RawArgument.bytes(of: path), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw AioctlError(.noInput, "--file \(path): cannot create (\(Errno(rawValue: errno).name): \(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
        defer { buffer.deallocate() }
        // Not zeros, so nothing along the way can treat the data as sparse.
        for i in 0..<chunk { buffer[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        var offset = start
        while offset < end {
            let n = Int(min(UInt64(chunk), end - offset))
            let written = pwrite(fd, buffer.baseAddress, n, off_t(offset))
            guard written > 0 else {
                let e = Errno(rawValue: errno)
                if created { unlink(RawArgument.bytes(of: path)) } else { _ = ftruncate(fd, off_t(start)) }
                throw AioctlError(.noInput, "--file \(path): cannot fill to \(end) bytes (\(e.name)); "
                    + (created ? "the file was removed" : "the file was cut back to its \(start) bytes"))
            }
            offset += UInt64(written)
        }
    }

    /// Glibc hides O_DIRECT behind _GNU_SOURCE; its value differs per architecture.
    #if arch(arm64)
    static let oDirect: Int32 = 0o200000
    #else
    static let oDirect: Int32 = 0o40000
    #endif

    deinit { close(fd) }
}
