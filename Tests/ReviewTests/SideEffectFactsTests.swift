@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Foundation
import KAPISpec
import XCTest

/// The side effects the drafts list that a process can see for itself: the
/// ring's [aio] mapping, *ctxp, aio_key, and whether io_destroy waits for a
/// request asleep in io_submit. Each observation the engine records is held
/// against the kernel as this test reads it, apart from the engine.
final class SideEffectFactsTests: XCTestCase {
    /// Runs script lines one at a time, so the test can look between them.
    final class Driver {
        let session: ScriptSession
        var number = 0

        init(via: Via = .syscall) { session = ScriptSession(via: via, timeoutNs: 10_000_000_000) }

        func run(_ text: String) throws {
            number += 1
            let line = try XCTUnwrap(try ScriptParser.parseLine(text, number: number))
            try session.execute(line)
        }

        func lastCall(_ syscall: AIOSyscall) throws -> JudgedCall {
            try XCTUnwrap(session.records.flatMap(\.calls).last { $0.syscall == syscall })
        }

        func handle(_ name: String) -> UInt64? {
            session.lock.withLock { _ in session.contexts[name].map { UInt64($0.handle) } }
        }
    }

    /// /proc/self/maps as this test reads it: a line that starts at the
    /// handle and names [aio].
    private func mapsListsRing(at handle: UInt64) -> Bool {
        // Read to EOF: /proc files report a size of 0.
        let data = FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data()
        let maps = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(maps.contains("[stack]"), "/proc/self/maps read whole")
        let start = String(handle, radix: 16) + "-"
        return maps.split(separator: "\n").contains { $0.hasPrefix(start) && $0.contains("[aio]") }
    }

    func testSetupAndDestroyReportTheRingMappingAsProcMapsShowsIt() throws {
        let d = Driver()
        defer { d.session.finish() }
        try d.run("ctx a = setup 8")
        let setup = try d.lastCall(.io_setup)
        let handle = try XCTUnwrap(d.handle("a"))
        XCTAssertEqual(setup.observations[Fact.ringMapped], mapsListsRing(at: handle))
        XCTAssertEqual(setup.observations[Fact.ctxpWritten], true, "io_setup returned \(setup.resultText) and a handle")

        try d.run("destroy a")
        let destroy = try d.lastCall(.io_destroy)
        XCTAssertEqual(destroy.outcome, .value(0))
        XCTAssertEqual(destroy.observations[Fact.ringUnmapped], !mapsListsRing(at: handle))
        // The kapi claim for a successful destroy names the unmapping: its verdict follows the observation.
        let kapi = try XCTUnwrap(destroy.judgement(by: .kapi))
        XCTAssertEqual(kapi.agrees, destroy.observations[Fact.ringUnmapped] == true, kapi.differences.description)
    }

    func testARefusedSetupReportsStarCtxpAsItWasLeft() throws {
        // Through the engine's own call, so the slot can be read back here.
        let memory = KernelMemory()
        defer { memory.release() }
        let (record, handle) = AIOCall(via: .syscall, memory: memory).setup(nrEvents: 8, ctxp: .valid, preset: 1)
        XCTAssertNil(handle)
        XCTAssertEqual(record.outcome, .error(.invalidArgument))
        XCTAssertEqual(record.observations[Fact.ctxpWritten], false)
        XCTAssertNil(record.observations[Fact.ringMapped], "no handle, so no ring to look for")
        // An unreadable ctxp is never read back.
        let (bad, _) = AIOCall(via: .syscall, memory: memory).setup(nrEvents: 8, ctxp: .unmapped, preset: 0)
        XCTAssertNil(bad.observations[Fact.ctxpWritten])
    }

    func testSubmitReportsTheAioKeyItFindsAfterTheCall() throws {
        let d = Driver()
        defer { d.session.finish() }
        try d.run("tmpfile f")
        try d.run("iocb r = pread f.read len=512 key=90")
        try d.run("iocb z = pread f.read len=512")
        try d.run("ctx a = setup 8")
        try d.run("submit a r")
        let keyAfter = d.session.lock.withLock { _ in d.session.iocbs["r"]!.iocb.pointee.aio_key }
        let submit = try d.lastCall(.io_submit)
        XCTAssertEqual(submit.outcome, .value(1))
        XCTAssertEqual(submit.observations[Fact.aioKeyWritten], keyAfter == 0, "aio_key is now \(keyAfter)")
        // A 0 written over 0 shows nothing: no observation, nothing judged.
        try d.run("submit a z")
        XCTAssertNil(try d.lastCall(.io_submit).observations[Fact.aioKeyWritten])
        try d.run("reap a count=2 within=1s")
    }

    func testAnAioKeyOnARefusedIocbIsNotClaimedWritten() throws {
        let d = Driver()
        defer { d.session.finish() }
        try d.run("iocb r = pread 999 key=90")
        try d.run("ctx a = setup 8")
        try d.run("submit a r")
        let submit = try d.lastCall(.io_submit)
        XCTAssertEqual(submit.outcome, .error(.badFileDescriptor))
        XCTAssertNil(submit.observations[Fact.aioKeyWritten], "nothing was queued")
    }

    /// The scenario frees its read 500 ms after the destroy starts. Its
    /// observation is a happens-before fact; if it says the destroy waited,
    /// the destroy cannot have returned before the write that came after the
    /// sleep, so it took at least the sleep; if it says it did not, the read
    /// was still asleep when the destroy returned.
    func testReadBlockedInSubmitJudgesTheWaitFromWhereTheThreadsSleep() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_destroy.read-blocked-in-submit"))
        let result = ScenarioRun(scenario, via: .syscall).run()
        XCTAssertEqual(result.status, .ran, result.skipReason ?? "")
        // The subject: the destroy of the context the read was submitted to (not the idle one).
        let submit = try XCTUnwrap(result.calls.first { $0["syscall"]?.stringValue == "io_submit" })
        let destroy = try XCTUnwrap(result.calls.first {
            $0["syscall"]?.stringValue == "io_destroy" && $0["args"]?["ctx"] == submit["args"]?["ctx"]
        })
        let waited = destroy["observed"]?[Fact.destroyWaited]?.boolValue
        XCTAssertNotNil(waited, "the run should see the destroy asleep at the write or the read asleep at its return: \(result.callLines)")
        let elapsedUs = try XCTUnwrap(destroy["elapsed_us"]?.doubleValue)
        if waited == true { XCTAssertGreaterThanOrEqual(elapsedUs, 500_000, "a destroy that waited for the write came after the 500 ms sleep") }
        // kapi's claim (blocks until in-flight requests complete) is judged by that fact.
        let kapi = try XCTUnwrap(result.verdict(for: .kapi))
        XCTAssertEqual(kapi.state == .agrees, waited == true, kapi.differences.description)
    }

    func testReviewConfirmsOrRefutesTheObservableSideEffects() throws {
        let spec = """
            /**
             * sys_io_setup - Set up, as a test spec says
             * side-effect: KAPI_EFFECT_MODIFY_STATE
             *   target: process virtual memory
             *   desc: Maps the ring.
             */
            /**
             * sys_io_destroy - Destroy, as a test spec says
             * side-effect: KAPI_EFFECT_MODIFY_STATE
             *   target: process virtual memory
             *   desc: Unmaps the ring.
             */
            /**
             * sys_io_submit - Submit, as a test spec says
             * side-effect: KAPI_EFFECT_MODIFY_STATE
             *   target: iocb->aio_key field
             *   desc: Writes KIOCB_KEY.
             */
            """
        let specs = try KAPIParser.parse(spec, file: "side-effects-test.c")
        let report = Reviewer(runner: CheckRunner(workers: 2)).review(specs)
        XCTAssertEqual(report.statements.count, 3)
        for s in report.statements {
            XCTAssertNotEqual(s.verdict, .notExercised, "\(s.syscall) \(s.title): \(s.evidence)")
            // Confirmed exactly when no run observed the opposite, and each line names its run.
            XCTAssertEqual(s.verdict == .confirmed, s.fails.isEmpty && !s.holds.isEmpty)
            XCTAssertTrue(s.evidence.allSatisfy { $0.contains(s.syscall + ".") }, s.evidence.description)
        }
        let mapping = try XCTUnwrap(report.statements.first { $0.syscall == "io_setup" })
        XCTAssertTrue(mapping.evidence.allSatisfy { $0.contains("/proc/self/maps") }, mapping.evidence.description)
        let key = try XCTUnwrap(report.statements.first { $0.syscall == "io_submit" })
        XCTAssertTrue(key.evidence.contains { $0.hasPrefix("io_submit.key-nonzero-written-back:") }, key.evidence.description)
    }
}
