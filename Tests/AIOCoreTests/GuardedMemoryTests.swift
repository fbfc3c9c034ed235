@testable import AIOKernel
import Glibc
import XCTest

/// Guarded mappings come back from a pool: what a reuse hands out must be
/// as good as a fresh mapping (zeroed, the guard page still in place), and
/// memory made read-only must never be handed out again.
final class GuardedMemoryTests: XCTestCase {
    func testAReusedMappingIsZeroedAndKeepsItsGuard() throws {
        let bytes = 3 * GuardedMemory.pageSize
        let first = try XCTUnwrap(GuardedMemory.allocate(bytes: bytes))
        memset(first, 0x5A, bytes)
        GuardedMemory.free(first, bytes: bytes)
        let again = try XCTUnwrap(GuardedMemory.allocate(bytes: bytes))
        defer { GuardedMemory.free(again, bytes: bytes) }
        let view = UnsafeBufferPointer(start: again.assumingMemoryBound(to: UInt8.self), count: bytes)
        XCTAssertTrue(view.allSatisfy { $0 == 0 }, "a reused mapping is zeroed")
        // The page after the data is still no-access: mincore sees it mapped,
        // and a write through the kernel (read(2) into it) faults: EFAULT.
        let guardPage = again + bytes
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        XCTAssertEqual(write(fds[1], "x", 1), 1)
        XCTAssertEqual(read(fds[0], guardPage, 1), -1)
        XCTAssertEqual(errno, EFAULT, "the guard page after a reused mapping still refuses writes")
    }

    func testReadOnlyMemoryIsNeverHandedOutAgain() throws {
        let bytes = GuardedMemory.pageSize
        let page = try XCTUnwrap(GuardedMemory.allocate(bytes: bytes))
        mprotect(page, bytes, PROT_READ)
        GuardedMemory.free(page, bytes: bytes, writable: false)
        var handed: [UnsafeMutableRawPointer] = []
        for _ in 0..<70 { if let p = GuardedMemory.allocate(bytes: bytes) { handed.append(p) } }
        defer { handed.forEach { GuardedMemory.free($0, bytes: bytes) } }
        // (mmap may place a fresh mapping at the same address: that one is
        // writable.) The kernel can write into every page handed out.
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        for p in handed {
            XCTAssertEqual(write(fds[1], "x", 1), 1)
            XCTAssertEqual(read(fds[0], p, 1), 1, "a page handed out is not writable: \(errno)")
        }
    }
}
