import Foundation
import Glibc
import XCTest
@testable import AIOKernel

/// aio-nr and aio-max-nr are read through descriptors kept open (pread at
/// offset 0): the same numbers as a fresh read of the files, and the parse
/// refuses what is not a number.
final class AioLimitsTests: XCTestCase {
    func testTheKeptDescriptorsReadWhatAFreshOpenReads() throws {
        let fresh = try XCTUnwrap(AioLimits.read("aio-max-nr"))
        XCTAssertEqual(AioLimits.aioMaxNr, fresh)
        XCTAssertGreaterThan(fresh, 0)
        XCTAssertTrue(AioLimits.aioNrFile.isIntact, "aio-nr is read through its kept descriptor")
        XCTAssertNotNil(AioLimits.aioNr)
    }

    /// Each read gives the file's value now, not the one at the first read:
    /// a file of our own stands in for aio-nr, which other processes move.
    func testAKeptDescriptorReadsTheCurrentValueEveryTime() throws {
        var template = Array((NSTemporaryDirectory() + "/aio-limits-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw XCTSkip("mkstemp failed: \(errno)") }
        defer { unlink(template); close(fd) }
        _ = "128\n".withCString { pwrite(fd, $0, strlen($0), 0) }
        let path = String(nulTerminated: template)
        let kept = AioLimits.KeptFile(path)
        defer { close(kept.fd) }
        XCTAssertEqual(kept.value, 128)
        XCTAssertEqual(kept.value, 128, "a second read at the same offset")
        _ = "4096\n".withCString { pwrite(fd, $0, strlen($0), 0) }
        XCTAssertTrue(kept.isIntact)
        XCTAssertEqual(kept.value, 4096, "the kept descriptor follows the file")
    }

    /// A script can `close 5` and open a file that gets number 5; what
    /// aio-nr reads must still be aio-nr, not the file's first digits.
    func testAKeptDescriptorClosedAndReusedIsNoLongerTrusted() throws {
        let kept = AioLimits.KeptFile("/proc/sys/fs/aio-max-nr")
        XCTAssertTrue(kept.isIntact)
        let truth = try XCTUnwrap(AioLimits.read("aio-max-nr"))
        XCTAssertEqual(kept.value, truth)
        close(kept.fd)
        var template = Array((NSTemporaryDirectory() + "/aio-limits-XXXXXX").utf8CString)
        let other = mkstemp(&template)
        guard other >= 0 else { throw XCTSkip("mkstemp failed: \(errno)") }
        unlink(template)
        _ = "\(truth + 12345)\n".withCString { write(other, $0, strlen($0)) }
        if other != kept.fd {  // mkstemp may have been given the number itself
            XCTAssertEqual(dup2(other, kept.fd), kept.fd)
            close(other)
        }
        defer { close(kept.fd) }
        XCTAssertEqual(AioLimits.integer(in: kept.fd), truth + 12345, "the number now names the other file")
        XCTAssertFalse(kept.isIntact)
        XCTAssertEqual(kept.value, truth)
    }

    func testTheParseTakesTheLeadingDecimalIntegerOnly() throws {
        for (text, expected) in [("65536\n", 65536), ("0\n", 0), ("-5\n", -5), ("42", 42)] as [(String, Int?)] {
            XCTAssertEqual(try read(text), expected, text)
        }
        for text in ["", "\n", "abc\n", "-\n", "99999999999999999999\n"] {
            XCTAssertNil(try read(text), text)
        }
    }

    private func read(_ text: String) throws -> Int? {
        var template = Array((NSTemporaryDirectory() + "/aio-limits-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw XCTSkip("mkstemp failed: \(errno)") }
        unlink(template)
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        return AioLimits.integer(in: fd)
    }
}
