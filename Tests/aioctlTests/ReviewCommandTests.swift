import Foundation
import XCTest

/// `aioctl review` and `aioctl spec --kapi` as a script would call them.
final class ReviewCommandTests: XCTestCase {
    private func write(_ text: String, _ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "aioctl-review-\(getpid())-\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    static let spec = """
        /**
         * sys_io_destroy - Destroy, as a test spec says
         * param: ctx
         *   type: KAPI_TYPE_UINT
         * error: EINVAL, Invalid context
         *   desc: 0, garbage, destroyed.
         * lock: mmap_lock
         *   type: KAPI_LOCK_RWLOCK
         */
        """

    func testJSONGivesAVerdictAndEvidenceForEveryStatement() throws {
        let path = try write(Self.spec, "destroy.c")
        let result = try AioctlProcess.run(["review", "--json", "--jobs", "4", path], limit: 120)
        XCTAssertTrue([0, 1].contains(result.status), result.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let statements = try XCTUnwrap(doc["statements"] as? [[String: Any]])
        XCTAssertEqual(statements.count, 3)
        for s in statements {
            XCTAssertTrue(["confirmed", "refuted", "partly", "not-exercised"].contains(s["verdict"] as? String ?? ""))
            XCTAssertFalse((s["evidence"] as? [String] ?? []).isEmpty, "\(s)")
        }
        let refuted = statements.contains { ($0["fails"] as? [String] ?? []).isEmpty == false }
        XCTAssertEqual(result.status, refuted ? 1 : 0)
        let coverage = try XCTUnwrap(doc["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["total"] as? Int, 3)
        XCTAssertNotNil(doc["kernel"] as? String)
    }

    func testMarkdownHasTheKernelTheTableAndTheCoverage() throws {
        let path = try write(Self.spec, "destroy-md.c")
        let result = try AioctlProcess.run(["review", "--format", "markdown", "--jobs", "4", path], limit: 120)
        XCTAssertTrue(result.stdout.contains("on Linux "), result.stdout)
        XCTAssertTrue(result.stdout.contains("| syscall | statement | verdict | evidence |"))
        XCTAssertTrue(result.stdout.contains("coverage: "))
    }

    func testBadInputIsOneLineWithTheDocumentedStatus() throws {
        let missing = try AioctlProcess.run(["review", "/nonexistent/spec.patch"])
        XCTAssertEqual(missing.status, 66)
        let bad = try write("/**\n * sys_io_cancel - x\n * error: EINVAL\n */\n", "bad.c")
        let parsed = try AioctlProcess.run(["review", bad])
        XCTAssertEqual(parsed.status, 64)
        XCTAssertEqual(parsed.stderr.split(separator: "\n").count, 1, parsed.stderr)
        XCTAssertTrue(parsed.stderr.contains("bad.c:3:"), parsed.stderr)
        XCTAssertEqual(try AioctlProcess.run(["review"]).status, 64)
        XCTAssertEqual(try AioctlProcess.run(["spec", "--kapi", bad]).status, 64)
    }

    func testSpecKapiChecksTheCatalogsCitations() throws {
        let path = try write(Self.spec, "destroy-spec.c")
        let result = try AioctlProcess.run(["spec", "--kapi", path, "--json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let check = try XCTUnwrap(doc["cross_check"] as? [String: Any])
        // The test spec has two of the entries the catalog cites: the others are missing, these are not.
        let missing = try XCTUnwrap(check["missing"] as? [[String: Any]])
        let missingKeys = missing.compactMap { ($0["citation"] as? [String: Any])?["key"] as? String }
        XCTAssertFalse(missingKeys.isEmpty)
        XCTAssertFalse(missingKeys.contains("EINVAL") || missingKeys.contains("ctx"), "\(missingKeys)")
        XCTAssertEqual(result.status, 1, "a missing citation is a difference")
        XCTAssertEqual((check["mismatched"] as? [Any])?.count, 0)
        let uncited = try XCTUnwrap(check["uncited"] as? [[String: Any]])
        XCTAssertEqual(uncited.map { $0["key"] as? String }, ["mmap_lock"])

        // An io_destroy spec whose EINVAL entry is gone: the catalog's citations of it are missing.
        let without = try write("/**\n * sys_io_destroy - x\n * return:\n *   success: 0\n */\n", "destroy-bare.c")
        let bare = try AioctlProcess.run(["spec", "--kapi", without])
        XCTAssertEqual(bare.status, 1)
        XCTAssertTrue(bare.stdout.contains("MISSING   io_destroy.bad-ctx"), bare.stdout)
    }
}
