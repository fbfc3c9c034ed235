import Foundation
import XCTest

/// `aioctl diff` on documents that `aioctl check` wrote on this kernel, under
/// names that stand for other kernels.
final class DiffCommandTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// One real check document for a scenario whose answer does not depend on timing.
    func checkDocument(in dir: URL, name: String = "check.json") throws -> URL {
        let result = try AioctlProcess.run(["check", "--filter", "io_cancel.iocb-null", "--format", "json"])
        XCTAssertTrue([0, 1].contains(result.status), result.stderr)
        let url = dir.appendingPathComponent(name)
        try result.stdout.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testTheSameAnswersOnTwoKernelsAreNoDifference() throws {
        let dir = try temporaryDirectory()
        let doc = try checkDocument(in: dir)
        let result = try AioctlProcess.run(["diff", "a=\(doc.path)", "b=\(doc.path)", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try AioctlProcess.json(result)
        XCTAssertEqual((json["kernels"] as? [[String: Any]])?.compactMap { $0["kernel"] as? String }, ["a", "b"])
        XCTAssertEqual((json["differences"] as? [Any])?.count, 0)
    }

    func testAChangedAnswerIsReportedWithBothKernelsVerdicts() throws {
        let dir = try temporaryDirectory()
        let doc = try checkDocument(in: dir)
        // What another kernel would have answered: io_cancel accepting the NULL iocb.
        var runs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: doc)) as? [[String: Any]])
        let realObserved = try XCTUnwrap(runs.last?["observed"] as? String)
        runs[runs.count - 1]["observed"] = "0"
        let other = dir.appendingPathComponent("other.json")
        try JSONSerialization.data(withJSONObject: runs).write(to: other)

        let result = try AioctlProcess.run(["diff", "real=\(doc.path)", "other=\(other.path)", "--format", "markdown"])
        XCTAssertEqual(result.status, 1, "a difference between kernels exits 1: \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("### `io_cancel.iocb-null`"), result.stdout)
        let via = try XCTUnwrap(runs.last?["via"] as? String)
        XCTAssertTrue(result.stdout.contains("| real | \(via) | 1 | `\(realObserved)` |"), result.stdout)
        XCTAssertTrue(result.stdout.contains("| other | \(via) | 1 | `0` |"), result.stdout)
    }

    func testTheKernelComesFromInfoJSONBesideTheDocument() throws {
        let dir = try temporaryDirectory()
        let doc = try checkDocument(in: dir, name: "check-1.json")
        let info = try AioctlProcess.run(["info", "--json"])
        try info.stdout.write(to: dir.appendingPathComponent("info.json"), atomically: true, encoding: .utf8)
        let release = try XCTUnwrap(AioctlProcess.json(info)["kernel"] as? String)

        let result = try AioctlProcess.run(["diff", doc.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("aioctl diff: 1 kernel: \(release) (1 run)."), result.stdout)
    }

    func testUnreadableAndInvalidFilesGetOneLineAndTheirStatus() throws {
        let dir = try temporaryDirectory()
        let missing = dir.appendingPathComponent("missing.json").path
        var result = try AioctlProcess.run(["diff", missing])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderr, "aioctl: \(missing): No such file or directory\n")

        let ktap = dir.appendingPathComponent("check.ktap")
        try "KTAP version 1\n1..0\n".write(to: ktap, atomically: true, encoding: .utf8)
        result = try AioctlProcess.run(["diff", "k=\(ktap.path)"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.hasPrefix("aioctl: \(ktap.path): not JSON"), result.stderr)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, result.stderr)

        let doc = try checkDocument(in: dir)
        result = try AioctlProcess.run(["diff", doc.path])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("cannot tell which kernel it is from"), result.stderr)

        result = try AioctlProcess.run(["diff"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stdout.isEmpty)
    }
}
