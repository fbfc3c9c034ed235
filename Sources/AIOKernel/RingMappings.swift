import CAio
import Glibc

/// The AIO rings of this process as the kernel lists them in /proc/self/maps:
/// a shared mapping of a file on the internal aio filesystem, shown as
/// "/[aio] (deleted)". Per-process, unlike /proc/sys/fs/aio-nr.
///
/// Read as bytes and searched with memchr: the file has a line per mapping
/// (hundreds in a process with many threads), and it is read around every
/// io_setup and io_destroy a script makes.
public enum RingMappings {
    /// One ring mapping: where it starts and the inode of the file behind it
    /// (each context has its own, so a new ring mapped at a reused address
    /// is told apart from the old one).
    public struct Ring: Equatable, Sendable {
        public var start: UInt64
        public var inode: UInt64
    }

    /// Every [aio] mapping now.
    public static func all() -> [Ring] {
        let text = readMaps()
        var rings: [Ring] = []
        let needle = Array("[aio]".utf8)
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            // memchr for each '[' (memmem is a GNU extension Glibc does not export here).
            while offset < buffer.count,
                  let hit = memchr(base + offset, Int32(UInt8(ascii: "[")), buffer.count - offset) {
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                guard at + needle.count <= buffer.count,
                      memcmp(base + at, needle, needle.count) == 0 else { offset = at + 1; continue }
                var lineStart = at
                while lineStart > 0 && buffer[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
                if let ring = parse(buffer[lineStart..<at]) { rings.append(ring) }
                offset = at + needle.count
            }
        }
        return rings
    }

    /// The ring mapped at `address`, if the kernel lists one there. Asked
    /// with one PROCMAP_QUERY where the kernel has it: formatting the whole
    /// of /proc/self/maps around every call was a sixth of check's CPU.
    public static func ring(at address: UInt64) -> Ring? {
        var start: UInt64 = 0, inode: UInt64 = 0
        var name = [CChar](repeating: 0, count: 64)
        switch caio_query_mapping(address, &start, &inode, &name, UInt32(name.count)) {
        case 0:
            let path = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return start == address && path.contains("[aio]") ? Ring(start: start, inode: inode) : nil
        case 1: return nil
        default: return all().first { $0.start == address }
        }
    }

    /// Whether that ring (same start, same inode) is still mapped.
    public static func isMapped(_ ring: Ring) -> Bool { self.ring(at: ring.start) == ring }

    /// "start-end perms offset dev inode " up to the path: the start and the inode.
    static func parse(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Ring? {
        var fields: [Slice<UnsafeBufferPointer<UInt8>>] = []
        var i = line.startIndex
        while i < line.endIndex && fields.count < 5 {
            while i < line.endIndex && line[i] == UInt8(ascii: " ") { i += 1 }
            let start = i
            while i < line.endIndex && line[i] != UInt8(ascii: " ") { i += 1 }
            if i > start { fields.append(line[start..<i]) }
        }
        guard fields.count == 5, let dash = fields[0].firstIndex(of: UInt8(ascii: "-")),
              let start = number(fields[0][fields[0].startIndex..<dash], radix: 16),
              let inode = number(fields[4], radix: 10) else { return nil }
        return Ring(start: start, inode: inode)
    }

    static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>, radix: UInt64) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for c in digits {
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt64(c - UInt8(ascii: "a") + 10)
            default: return nil
            }
            guard d < radix else { return nil }
            value = value &* radix &+ d
        }
        return value
    }

    static func readMaps() -> [UInt8] {
        let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        // Read in chunks into an array that grows as needed: a zero-filled
        // 64 KiB buffer touched 16 fresh heap pages (16 page faults, 6% of
        // `aioctl --version`'s) for a file of a kilobyte or two.
        var bytes: [UInt8] = []
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while true {
                let n = read(fd, chunk.baseAddress!, chunk.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<n]))
            }
        }
        return bytes
    }
}
