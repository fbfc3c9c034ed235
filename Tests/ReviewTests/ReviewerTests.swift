@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Foundation
import KAPISpec
import XCTest

/// The review's verdicts: each follows from the runs it shows, and a
/// statement nothing can provoke says why.
final class ReviewerTests: XCTestCase {
    /// An io_cancel spec written for this test: the return names 0 where the
    /// seed names -EINPROGRESS, so the kernel's answer decides the verdict.
    static let cancelSpec = """
        /**
         * sys_io_cancel - Cancel, as a test spec says
         * return:
         *   type: KAPI_TYPE_INT
         *   success: 0
         * error: EFAULT, Cannot read iocb from userspace
         *   desc: NULL included.
         * error: ENOSYS, AIO not implemented
         *   desc: Without CONFIG_AIO.
         * lock: ctx->ctx_lock
         *   type: KAPI_LOCK_SPINLOCK
         */
        """

    private func statement(_ report: ReviewReport, _ kind: KAPIKind, _ key: String) throws -> ReviewStatement {
        try XCTUnwrap(report.statements.first { $0.entry.kind == kind && $0.entry.key == key }, "\(kind) \(key)")
    }

    func testVerdictsFollowTheRunsTheyShow() throws {
        let specs = try KAPIParser.parse(Self.cancelSpec, file: "cancel-test.c")
        let report = Reviewer(runner: CheckRunner(workers: 4)).review(specs)
        XCTAssertEqual(report.statements.count, 4)

        // The return: held to its own "0"; refuted exactly when some run answered otherwise.
        let ret = try statement(report, .return, "return")
        XCTAssertNotEqual(ret.verdict, .notExercised)
        let answeredZero = ret.evidence.allSatisfy { $0.contains("-> 0") }
        XCTAssertEqual(ret.verdict == .confirmed, answeredZero, ret.evidence.joined(separator: "\n"))
        XCTAssertEqual(ret.fails.isEmpty, answeredZero)
        XCTAssertTrue(ret.evidence.allSatisfy { $0.hasPrefix("io_cancel.pending-poll") }, "only pending-poll runs show the return")

        // EFAULT: every bad-iocb run is shown, each with what the kernel said.
        let efault = try statement(report, .error, "EFAULT")
        XCTAssertEqual(efault.holds.count + efault.fails.count, Scenarios.provoking("io_cancel.bad-iocb").count)
        XCTAssertEqual(efault.verdict == .confirmed, efault.evidence.allSatisfy { $0.hasSuffix("errno=EFAULT") })

        // What cannot be provoked here says why.
        let enosys = try statement(report, .error, "ENOSYS")
        XCTAssertEqual(enosys.verdict, .notExercised)
        XCTAssertTrue(enosys.evidence.first?.contains("CONFIG_AIO") ?? false, enosys.evidence.description)
        XCTAssertEqual(try statement(report, .lock, "ctx->ctx_lock").verdict, .notExercised)

        XCTAssertEqual(report.exitStatus == .differs, report.statements.contains { !$0.fails.isEmpty })
        XCTAssertTrue(report.coverageLine.hasPrefix("coverage: \(report.exercisedCount) of 4 statements exercised"))
    }

    // MARK: a param's range, on runs made up for the test

    private func run(_ name: String, nrEvents: Int, errno: String?) -> ScenarioResult {
        let call = JSON.object([("syscall", .string("io_setup")),
                                ("args", .object([("nr_events", .string("\(nrEvents)"))])),
                                ("situation", .string("io_setup.success"))])
        return ScenarioResult(name: name, syscall: .io_setup, situation: "io_setup.success", via: .syscall,
                              status: .ran, skipReason: nil, observed: errno.map { "-1 errno=\($0)" } ?? "0",
                              observedReturn: errno == nil ? 0 : -1, observedErrno: errno, events: [], verdicts: [],
                              calls: [call], callLines: [], notes: [], isolated: false, elapsedNs: 0)
    }

    private func rangeVerdict(_ runs: [ScenarioResult]) -> ReviewStatement {
        let entry = KAPIEntry(kind: .param, header: "nr_events",
                              fields: [KAPIField(name: "type", value: "KAPI_TYPE_UINT", line: 2),
                                       KAPIField(name: "range", value: "1, 100", line: 3)], line: 1)
        let statement = ReviewStatement(syscall: "io_setup", entry: entry, title: "t", verdict: .notExercised, evidence: [])
        return ReviewRange.judge(statement, range: ("1", "100"), results: runs)
    }

    func testARangeIsConfirmedAtAndBeyondBothBounds() {
        let s = rangeVerdict([run("a", nrEvents: 1, errno: nil), run("b", nrEvents: 0, errno: "EINVAL"),
                              run("c", nrEvents: 100, errno: "EAGAIN"), run("d", nrEvents: 101, errno: "EINVAL")])
        XCTAssertEqual(s.verdict, .confirmed)
    }

    func testAValueInsideTheRangeRefusedAsInvalidRefutesIt() {
        let s = rangeVerdict([run("a", nrEvents: 1, errno: nil), run("top", nrEvents: 100, errno: "EINVAL")])
        XCTAssertEqual(s.verdict, .refuted)
        XCTAssertEqual(s.refutingScenarios, ["top"])
    }

    func testAnUnsignedParamWrapsANegativeValue() {
        // -1 is 4294967295 to an unsigned param: beyond the top, and refused.
        let s = rangeVerdict([run("a", nrEvents: 1, errno: nil), run("b", nrEvents: 0, errno: "EINVAL"),
                              run("neg", nrEvents: -1, errno: "EINVAL")])
        XCTAssertEqual(s.verdict, .partly, "the top itself was not tried")
        XCTAssertTrue(s.fails.isEmpty)
        XCTAssertTrue(s.evidence.contains { $0.contains("neg") && $0.contains("outside the range") })
    }

    func testAValueOutsideTheRangeAcceptedRefutesIt() {
        XCTAssertEqual(rangeVerdict([run("big", nrEvents: 500, errno: nil)]).verdict, .refuted)
    }

    // MARK: reproducers

    func testReproducersAreScriptsTheStepLanguageParses() throws {
        var written = 0
        for scenario in Scenarios.all {
            guard let script = Reproducer.script(scenario) else { continue }
            written += 1
            XCTAssertNoThrow(try ScriptParser.parse(script), "\(scenario.name):\n\(script)")
        }
        XCTAssertGreaterThan(written, Scenarios.all.count / 2)
        XCTAssertNil(Reproducer.script(try XCTUnwrap(Scenarios.named("io_destroy.concurrent"))),
                     "a background thread has no step-language form")
        XCTAssertEqual(Reproducer.script(try XCTUnwrap(Scenarios.named("io_setup.nr-internal-limit-plus-1")))?
            .split(separator: "\n").last, "ctx a = setup 4194305")
    }
}
