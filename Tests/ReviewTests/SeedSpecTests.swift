@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Foundation
import KAPISpec
import XCTest

/// The io_cancel draft (the seed, beside the clone in CI) against the catalog.
final class SeedSpecTests: XCTestCase {
    static var seedPath: String {
        // Tests/ReviewTests/SeedSpecTests.swift -> the repository root -> ../shared/seed
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/seed/io_cancel-kapi-spec.txt").path
    }

    private func seed() throws -> KAPISpec {
        guard FileManager.default.fileExists(atPath: Self.seedPath) else {
            throw XCTSkip("no seed at \(Self.seedPath)")
        }
        let text = try String(contentsOfFile: Self.seedPath, encoding: .utf8)
        let specs = try KAPIParser.parse(text, file: Self.seedPath)
        XCTAssertEqual(specs.map(\.name), ["io_cancel"])
        return try XCTUnwrap(specs.first)
    }

    func testTheSeedParsesIntoTheEntriesItHas() throws {
        let spec = try seed()
        XCTAssertEqual(spec.dialect, .rfcV5)
        XCTAssertEqual(spec.entry(.return, key: "return")?.success, "-EINPROGRESS")
        XCTAssertEqual(spec.entries(.error).map(\.key), ["EFAULT", "EINVAL", "EINVAL", "EINVAL", "ENOSYS", "(driver-specific)"])
        XCTAssertEqual(spec.entries(.param).map(\.key), ["ctx_id", "iocb", "result"])
        XCTAssertEqual(spec.entries(.sideEffect).count, 3)
        XCTAssertEqual(spec.entries(.stateTrans).count, 2)
        XCTAssertEqual(spec.entries(.constraint).map(\.key),
                       ["Operation must support cancellation", "Timing window for cancellation", "CONFIG_AIO required"])
        XCTAssertEqual(spec.entries(.lock).count, 2)
        XCTAssertTrue(spec.entry(.notes, key: "notes")?.header.contains("28468cbed92e") ?? false)
    }

    /// Every io_cancel citation of the catalog names an entry the seed has,
    /// predicting the same errno or return; and the claims that matter are cited.
    func testTheCatalogsIoCancelClaimsHoldAgainstTheSeed() throws {
        let check = CatalogCrossCheck.run([try seed()])
        XCTAssertGreaterThan(check.checked, 15)
        XCTAssertTrue(check.missing.isEmpty, check.missing.map(\.problem).joined(separator: "; "))
        XCTAssertTrue(check.mismatched.isEmpty, check.mismatched.map(\.problem).joined(separator: "; "))
        let spec = try seed()
        for entry in spec.entries(.error) {
            XCTAssertFalse(Catalog.situations(citing: entry, of: "io_cancel").isEmpty, "error \(entry.key) \(entry.summary ?? "") is cited by nobody")
        }
        XCTAssertEqual(Catalog.situations(citing: try XCTUnwrap(spec.entry(.return, key: "return")), of: "io_cancel"),
                       ["io_cancel.pending-poll"])
    }

    /// A claim that names a wrong errno for its entry is caught.
    func testAMisreadClaimIsCaught() throws {
        let wrong = Situation("io_cancel.wrong", .io_cancel, "a claim that misreads its entry", [
            Claim(.kapi, .error(.resourceTemporarilyUnavailable), "EAGAIN",
                  cites: [.kapi("io_cancel", .error, "EINVAL", summary: "Invalid AIO context")]),
            Claim(.kapi, .value(0), "0", cites: [.kapi("io_cancel", .return, "return")]),
            Claim(.kapi, .error(.invalidArgument), "EINVAL", cites: [.kapi("io_cancel", .error, "EINVAL", summary: "No such entry")]),
        ])
        let check = CatalogCrossCheck.run([try seed()], catalog: [wrong])
        XCTAssertEqual(check.mismatched.count, 2)
        XCTAssertEqual(check.missing.count, 1)
    }
}
