@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Foundation
import XCTest

/// Small bench runs on temporary files, in process.
final class BenchEngineTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testEachPatternCompletesEveryIO() throws {
        for pattern in BenchPattern.allCases {
            var options = BenchOptions()
            options.path = directory.appendingPathComponent("f").path
            options.size = 1 << 20
            options.pattern = pattern
            options.iodepth = 8
            options.batchSubmit = 4
            options.batchComplete = 2
            options.stop = .ios(400)
            let report = try BenchEngine(options: options).run()
            let s = report.stats
            XCTAssertEqual(s.ios, 400, pattern.rawValue)
            XCTAssertEqual(s.errors, 0, pattern.rawValue)
            XCTAssertEqual(s.bytes, 400 * 4096, pattern.rawValue)
            XCTAssertGreaterThan(s.iops, 0, pattern.rawValue)
            XCTAssertEqual(s.clat.count, 400)
            XCTAssertEqual(s.slat.count, 400)
            XCTAssertEqual(report.exitStatus, .agrees)
        }
    }

    func testMissingFileIsLaidOutAtTheAskedSize() throws {
        var options = BenchOptions()
        options.path = directory.appendingPathComponent("new").path
        options.size = 300 * 1024
        let report = try BenchEngine(options: options).run()
        XCTAssertTrue(report.laidOut)
        let attributes = try FileManager.default.attributesOfItem(atPath: options.path)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 300 * 1024)
        XCTAssertEqual(report.stats.ios, 75, "one pass: size / bs")
    }

    func testSequentialReadsWrapAround() throws {
        var options = BenchOptions()
        options.path = directory.appendingPathComponent("seq").path
        options.size = 16 * 4096
        options.pattern = .read
        options.stop = .ios(100)
        let report = try BenchEngine(options: options).run()
        XCTAssertEqual(report.stats.ios, 100)
        XCTAssertEqual(report.stats.shortIOs, 0, "every offset stays inside the file")
    }

    func testSizesParse() throws {
        let cases: [(String, UInt64)] = [("4096", 4096), ("4k", 4096), ("4K", 4096), ("64m", 64 << 20),
                                          ("64MiB", 64 << 20), ("1g", 1 << 30), ("512KB", 512 << 10)]
        for (text, bytes) in cases { XCTAssertEqual(try parseSize(text, option: "--bs"), bytes, text) }
        for text in ["", "k", "4x", "-4k", "1.5m", "99999999999999999999"] {
            XCTAssertThrowsError(try parseSize(text, option: "--bs"), text)
        }
    }

    func testBadOptionsAreUsageErrors() {
        var base = BenchOptions()
        base.path = "/tmp/unused"
        var cases: [(String, BenchOptions)] = []
        var o = base; o.iodepth = 0; cases.append(("iodepth 0", o))
        o = base; o.size = 100; cases.append(("size below a block", o))
        o = base; o.batchSubmit = 64; cases.append(("batch beyond iodepth", o))
        o = base; o.direct = true; o.blockSize = 1000; cases.append(("direct misaligned", o))
        o = base; o.stop = .ios(0); cases.append(("no ios", o))
        for (name, options) in cases {
            XCTAssertThrowsError(try options.validate(), name) { error in
                XCTAssertEqual((error as? AioctlError)?.status, .usage, name)
            }
        }
    }
}
