@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import Foundation
import SystemPackage
import XCTest

/// The step language's executor against the real kernel: each kind of
/// step, the situations it classifies, and cleanup.
final class ScriptSessionTests: XCTestCase {
    var aioNrAtStart = 0

    // Per process: this process's [aio] ring mappings, which no other process moves.
    override func setUp() { aioNrAtStart = ContextMappings.count() }

    override func tearDown() {
        XCTAssertEqual(ContextMappings.count(), aioNrAtStart, "a script left a context alive ([aio] in /proc/self/maps)")
    }

    /// Runs a script; returns its records and whether it stopped early.
    func run(_ source: String, via: Via = .libaio, keepGoing: Bool = false,
             timeoutNs: UInt64 = 10_000_000_000) throws -> ScriptRun.Outcome {
        var script = ScriptRun(source: source, name: "test")
        script.via = via
        script.keepGoing = keepGoing
        script.timeoutNs = timeoutNs
        return script.execute(try script.prepare()) { _ in }
    }

    func calls(_ outcome: ScriptRun.Outcome, _ syscall: AIOSyscall) -> [JudgedCall] {
        outcome.records.flatMap(\.calls).filter { $0.syscall == syscall }
    }

    /// One row per situation the executor must recognise: the script, and
    /// the situation of its last call of that syscall.
    func testSituationsAreClassifiedFromTheSessionsState() throws {
        let common = "ctx a = setup 8\npipe p\neventfd e\n"
        let cases: [(String, AIOSyscall, String)] = [
            ("ctx a = setup 0", .io_setup, "io_setup.nr-zero"),
            ("ctx a = setup -1", .io_setup, "io_setup.nr-negative"),
            ("ctx a = setup 9000000", .io_setup, "io_setup.nr-over-internal-limit"),
            ("ctx a = setup 70000", .io_setup, "io_setup.over-max-nr"),
            ("ctx a = setup 1 ctxp=null", .io_setup, "io_setup.bad-ctxp"),
            ("ctx a = setup 1 preset=0x1", .io_setup, "io_setup.ctxp-nonzero"),
            (common + "destroy a\ndestroy a", .io_destroy, "io_destroy.bad-ctx"),
            ("destroy 0", .io_destroy, "io_destroy.bad-ctx"),
            ("destroy garbage", .io_destroy, "io_destroy.garbage-handle"),
            (common + "iocb r = poll p.read in\nsubmit a r", .io_submit, "io_submit.success"),
            (common + "submit a", .io_submit, "io_submit.nr-zero"),
            (common + "iocb r = poll p.read in\nsubmit a r nr=-1", .io_submit, "io_submit.nr-negative"),
            (common + "iocb r = poll p.read in\nsubmit 0 r", .io_submit, "io_submit.bad-ctx"),
            (common + "submit a iocbpp=null nr=1", .io_submit, "io_submit.bad-address"),
            (common + "submit a null", .io_submit, "io_submit.bad-address"),
            (common + "iocb r = opcode 42 p.read", .io_submit, ""),
            (common + "iocb r = opcode 42 p.read\nsubmit a r", .io_submit, "io_submit.bad-iocb"),
            (common + "iocb r = poll p.read in reserved2=1\nsubmit a r", .io_submit, "io_submit.bad-iocb"),
            (common + "iocb r = poll p.read in off=1\nsubmit a r", .io_submit, "io_submit.bad-iocb"),
            (common + "iocb r = pread 999\nsubmit a r", .io_submit, "io_submit.bad-fd"),
            (common + "iocb r = pread p.write\nsubmit a r", .io_submit, "io_submit.wrong-mode"),
            (common + "iocb r = pwrite p.read\nsubmit a r", .io_submit, "io_submit.wrong-mode"),
            (common + "iocb r = noop p.read\nsubmit a r", .io_submit, "io_submit.noop"),
            (common + "iocb r = pread p.read rwflags=nowait\nsubmit a r", .io_submit, "io_submit.nowait-would-block"),
            (common + "iocb r = pread p.read ioprio=7:0\nsubmit a r", .io_submit, "io_submit.bad-ioprio"),
            (common + "iocb x = poll p.read in\niocb y = poll p.read in\niocb z = poll p.read in reserved2=1\nsubmit a x y z", .io_submit, "io_submit.later-iocb-bad"),
            (common + "open d /tmp rdonly\niocb r = pread d\nsubmit a r", .io_submit, "io_submit.op-unsupported"),
            (common + "iocb r = pread p.read buf=unmapped\nwrite p.write 1\nsubmit a r", .io_submit, "io_submit.bad-address"),
            (common + "iocb r = pread p.read resfd=p.write\nsubmit a r", .io_submit, "io_submit.resfd-not-eventfd"),
            (common + "iocb r = pread p.read rwflags=0x1000\nsubmit a r", .io_submit, "io_submit.rw-flags-unsupported"),
            (common + "iocb r = poll p.read in\nsubmit a r\ncancel a r", .io_cancel, "io_cancel.pending-poll"),
            (common + "iocb r = poll p.read in\nsubmit a r\ncancel a r\ncancel a r", .io_cancel, "io_cancel.cancelled-twice"),
            (common + "iocb r = poll p.read in\nwrite p.write 1\nsubmit a r\nsleep 5ms\ncancel a r", .io_cancel, "io_cancel.completed"),
            (common + "iocb r = poll p.read in\ncancel a r", .io_cancel, "io_cancel.never-submitted"),
            (common + "iocb r = poll p.read in key=7\ncancel a r", .io_cancel, "io_cancel.key-nonzero"),
            (common + "ctx b = setup 8\niocb r = poll p.read in\nsubmit a r\ncancel b r", .io_cancel, "io_cancel.other-ctx"),
            (common + "cancel a null", .io_cancel, "io_cancel.bad-iocb"),
            (common + "iocb r = poll p.read in\ncancel 0 r", .io_cancel, "io_cancel.bad-ctx"),
            (common + "iocb r = pread p.read\nafter 10ms cancel a r\nafter 20ms write p.write 1\nsubmit a r", .io_cancel, "io_cancel.blocked-in-submit"),
            (common + "getevents a min=0 max=1 timeout=0", .io_getevents, "io_getevents.timeout"),
            (common + "getevents a min=2 max=1 timeout=0", .io_getevents, "io_getevents.bad-range"),
            (common + "getevents a min=1 max=1 timeout=0 events=unmapped", .io_getevents, "io_getevents.bad-address"),
            (common + "getevents 0 min=1 max=1 timeout=0 via=syscall", .io_getevents, "io_getevents.bad-ctx"),
            (common + "signal SIGUSR1 after 20ms handler\ngetevents a min=1 max=1 timeout=2s", .io_getevents, "io_getevents.interrupted"),
        ]
        for (script, syscall, situation) in cases {
            let outcome = try run(script)
            // aio-nr is machine-wide: when other processes hold it all, the
            // helper setup is refused with EAGAIN and the case says nothing.
            if syscall != .io_setup, calls(outcome, .io_setup).contains(where: { $0.outcome == .error(Errno(rawValue: EAGAIN)) }) {
                continue
            }
            XCTAssertNil(outcome.stoppedBy, "\(script): \(outcome.stoppedBy?.message ?? "")")
            let last = calls(outcome, syscall).last
            if situation.isEmpty { XCTAssertNil(last, script); continue }
            XCTAssertEqual(last?.situation, situation, "\(script)\n-> \(last?.resultText ?? "no call")")
            // The verdicts recorded must follow from the recorded answer.
            for j in last?.judgements ?? [] {
                if case .error(let e) = j.claim.expected, j.claim.facts.isEmpty {
                    XCTAssertEqual(j.agrees, last?.outcome == .error(e), "\(script): \(j.source)")
                }
            }
        }
    }

    func testEventsAreMatchedBackToTheirIocbs() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb first = poll p.read in
        iocb second = pread p.read len=1
        submit a first
        write p.write 1
        getevents a min=1 max=4 timeout=1s
        """)
        let events = outcome.records.flatMap(\.events)
        XCTAssertEqual(events.map(\.iocb), ["first"])
        XCTAssertEqual((events.first?.res ?? 0) & 1, 1, "POLLIN is set")
        XCTAssertEqual(events.first?.resText.contains("(in"), true)
    }

    /// The ring claims of a cancel are judged when a later getevents shows the event.
    func testCancelRingClaimsAreJudgedWhenTheEventArrives() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb r = poll p.read in
        submit a r
        cancel a r
        getevents a min=1 max=1 timeout=1s
        """)
        let cancel = try XCTUnwrap(calls(outcome, .io_cancel).first)
        XCTAssertEqual(cancel.observations[Fact.eventInRing], true)
        let man2 = try XCTUnwrap(cancel.judgement(by: .man2))
        XCTAssertTrue(man2.differences.contains { $0.contains("no event reaches the ring") }, "\(man2.differences)")
        XCTAssertEqual(cancel.judgement(by: .kapi)?.agrees, cancel.outcome == .error(.nowInProgress))
        XCTAssertTrue(outcome.records.flatMap(\.messages).contains { $0.contains("judged again") })
    }

    func testAfterTimerFreesAReadBlockedInSubmit() throws {
        let started = Monotonic.now()
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb rd = pread p.read len=16
        after 20ms write p.write 3
        submit a rd
        getevents a min=1 max=1 timeout=1s
        """)
        XCTAssertLessThan(Monotonic.now() - started, 2_000_000_000)
        let submit = try XCTUnwrap(calls(outcome, .io_submit).first)
        // Ordered by the clock, not guessed from a duration: the timer sleeps
        // until 20 ms after its line ran (after `started`), and the read it
        // frees cannot return before its write. A lower bound on io_submit's
        // own duration failed in CI: the time between the `after` line and
        // the submit's start came off it.
        XCTAssertGreaterThanOrEqual(submit.record.endNs, started + 20_000_000,
                                    "io_submit returned only after the timer wrote")
        XCTAssertEqual(outcome.records.flatMap(\.events).first?.res, 3)
        XCTAssertTrue(outcome.records.contains { $0.fromTimer })
    }

    /// `await` of a call that is already over ends at once, saying so: on a
    /// slow machine a destroy can finish between two looks, and waiting out
    /// the bound (up to a minute, scaled) made a check run hit its watchdog.
    func testAwaitEndsWhenTheCallHasAlreadyReturned() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb w = pwrite p.write len=1
        submit a w
        await w within=20s
        destroy a
        await a within=20s
        """, timeoutNs: 5_000_000_000)
        XCTAssertFalse(outcome.timedOut, "await waited for a call that had returned")
        let messages = outcome.records.flatMap(\.messages)
        XCTAssertTrue(messages.contains("w's io_submit had returned before it was seen sleeping in the kernel"),
                      "\(messages)")
        XCTAssertTrue(messages.contains("io_destroy(a) had returned before it was seen sleeping in the kernel"),
                      "\(messages)")
    }

    func testTimeoutFreesABlockedReadAndStopsTheScript() throws {
        let started = Monotonic.now()
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb rd = pread p.read len=16
        submit a rd
        getevents a min=1 max=1 timeout=none
        destroy a
        """, timeoutNs: 300_000_000)
        XCTAssertLessThan(Monotonic.now() - started, 3_000_000_000)
        XCTAssertTrue(outcome.timedOut)
        // What ran is reported; the context is destroyed at the end either way.
        XCTAssertEqual(outcome.records.flatMap(\.calls).last?.syscall, .io_destroy)
    }

    func testLibaioGeteventsOnAnUnmappedHandleIsIsolated() throws {
        let outcome = try run("getevents unmapped min=0 max=1 timeout=0")
        let messages = outcome.records.flatMap(\.messages) + outcome.records.flatMap(\.calls).flatMap(\.remarks)
        XCTAssertTrue(messages.contains { $0.contains("isolated child") }, "\(messages)")
    }

    func testShowDumpsTheIocbAndTheRing() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb r = pread p.read len=100 off=7 data=0xabc
        show r
        show ring a
        show handles
        """)
        let text = outcome.records.flatMap(\.messages).joined(separator: "\n")
        XCTAssertTrue(text.contains("aio_data       0xabc"), text)
        XCTAssertTrue(text.contains("aio_nbytes     100"), text)
        XCTAssertTrue(text.contains("aio_offset     7"), text)
        XCTAssertTrue(text.contains("magic 0xa10a10a1"), text)
        XCTAssertTrue(text.contains("context a = 0x"), text)
    }

    func testViaSwitchesTheConvention() throws {
        let outcome = try run("ctx a = setup 0\nvia syscall\nctx b = setup 0\nctx c = setup 0 via=libaio")
        XCTAssertEqual(calls(outcome, .io_setup).map(\.via), [.libaio, .syscall, .libaio])
        XCTAssertEqual(calls(outcome, .io_setup).map(\.returnValue), [-22, -1, -22])
    }

    func testAStepThatCannotRunStopsUnlessKeepGoing() throws {
        let script = "open f /nonexistent/x rdonly\nctx a = setup 1"
        let stopped = try run(script)
        XCTAssertEqual(stopped.stoppedBy?.line, 1)
        XCTAssertTrue(calls(stopped, .io_setup).isEmpty)
        XCTAssertEqual(stopped.exitStatus, .usage)
        let kept = try run(script, keepGoing: true)
        XCTAssertNil(kept.stoppedBy)
        XCTAssertEqual(calls(kept, .io_setup).count, 1)
    }

    /// An iocb array whose declaration failed (its descriptor could not be
    /// opened) is missing when --keep-going reaches a submit of all of it:
    /// that line fails with a message, and the script goes on (a fuzzer
    /// found `submit c r[*]` trapping on the range 0...-1).
    func testASubmitOfAnArrayWhoseDeclarationFailedIsAnError() throws {
        let script = "ctx c = setup 8\nopen d /nonexistent/x rdonly\niocb r[3] = poll d\nsubmit c r[*]\nsubmit c r[0..1]\ndestroy c"
        let kept = try run(script, keepGoing: true)
        XCTAssertNil(kept.stoppedBy)
        let errors = kept.records.filter { $0.line == 4 }.compactMap(\.error)
        XCTAssertEqual(errors.count, 1, "\(kept.records.map { ($0.line, $0.error) })")
        XCTAssertTrue(errors.first?.contains("no iocb array named 'r'") == true, "\(errors)")
        XCTAssertTrue(calls(kept, .io_submit).isEmpty)
        XCTAssertEqual(calls(kept, .io_destroy).count, 1)
        let stopped = try run(script)
        XCTAssertEqual(stopped.stoppedBy?.line, 2)
    }

    func testNameErrorsAreFoundBeforeAnythingRuns() {
        let cases: [(String, String)] = [
            ("ctx a = setup 8\ncancel b r", "t.aio:2:1: no context named 'b'"),
            ("pipe p\ncancel p r", "'p' is a pipe, not a context"),
            ("pipe p\npipe p", "'p' is already declared as a pipe"),
            ("pipe p\niocb r = pread p", "'p' has two ends"),
            ("eventfd e\niocb r = pread e.read", "'e' has no end '.read'"),
            ("ctx a = setup 1\npipe p\niocb q[2] = poll p.read\nsubmit a q[1..5]", "past the end"),
            ("signal SIGUSR1 nohandler", "would kill aioctl"),
        ]
        for (source, fragment) in cases {
            let script = ScriptRun(source: source, name: "t.aio")
            XCTAssertThrowsError(try script.prepare(), source) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(source): \(error)")
                XCTAssertEqual((error as? AioctlError)?.status, .usage)
            }
        }
    }
}
