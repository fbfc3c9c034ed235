@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import CAio
import Foundation
import XCTest

/// What a C probe of the AIO calls can say, said in the step language and
/// run against the real kernel: every pointer the kernel reads or writes,
/// values past the usual ranges, the iocb after a submit, process shapes.
/// Each test checks that the report is faithful to what happened (and to
/// the memory aioctl can read back), not that the kernel agrees with a document.
final class ScriptProbeTests: XCTestCase {
    var mappingsAtStart = 0
    let kernelAddress = hex(UInt(BadMemory.kernelAddress))

    override func setUp() { mappingsAtStart = ContextMappings.count() }

    override func tearDown() {
        XCTAssertEqual(ContextMappings.count(), mappingsAtStart, "a script left a context alive ([aio] in /proc/self/maps)")
    }

    func run(_ source: String, keepGoing: Bool = false) throws -> ScriptRun.Outcome {
        var script = ScriptRun(source: source, name: "probe")
        script.keepGoing = keepGoing
        script.timeoutNs = 10_000_000_000
        return script.execute(try script.prepare()) { _ in }
    }

    /// The calls of `line`, and what that line printed besides.
    func record(_ outcome: ScriptRun.Outcome, line: Int) throws -> ScriptStepRecord {
        try XCTUnwrap(outcome.records.last { $0.line == line }, "no record of line \(line)")
    }

    func call(_ outcome: ScriptRun.Outcome, line: Int) throws -> JudgedCall {
        try XCTUnwrap(record(outcome, line: line).calls.last, "line \(line) made no call")
    }

    func argument(_ call: JudgedCall, _ name: String) -> String? {
        call.record.args.first { $0.name == name }?.value
    }

    /// Every verdict follows from the recorded answer: a claim of one errno
    /// agrees exactly when the kernel returned that errno.
    func assertVerdictsFollowTheAnswer(_ call: JudgedCall, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for j in call.judgements {
            if case .error(let e) = j.claim.expected, j.claim.facts.isEmpty {
                XCTAssertEqual(j.agrees, call.outcome == .error(e), "\(what): \(j.source)", file: file, line: line)
            }
        }
    }

    func testReadOnlyCtxpHoldsThePresetSoTheValueCheckComesFirst() throws {
        let outcome = try run("""
        ctx a = setup 8 ctxp=readonly preset=5
        ctx b = setup 8 ctxp=readonly
        ctx c = setup 0 ctxp=readonly
        ctx d = setup 8 ctxp=kernel
        """)
        let preset = try call(outcome, line: 1)
        XCTAssertEqual(preset.situation, "io_setup.ctxp-nonzero", preset.resultText)
        XCTAssertEqual(argument(preset, "*ctxp before"), "0x5")
        // Its own page, holding 5: not the shared page of zeros.
        XCTAssertNotEqual(argument(preset, "ctxp"), hex(UInt(BadMemory.readOnlyAddress)))
        assertVerdictsFollowTheAnswer(preset, "preset 5 in a read-only page")
        XCTAssertEqual(try call(outcome, line: 2).situation, "io_setup.bad-ctxp")
        XCTAssertEqual(try call(outcome, line: 3).situation, "io_setup.nr-zero")
        let kernel = try call(outcome, line: 4)
        XCTAssertEqual(kernel.situation, "io_setup.bad-ctxp")
        XCTAssertEqual(argument(kernel, "ctxp"), kernelAddress)
        for l in 2...4 { assertVerdictsFollowTheAnswer(try call(outcome, line: l), "line \(l)") }
    }

    func testAKernelAddressCanBeEveryPointer() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb q = poll p.read in
        submit a kernel
        submit a q iocbpp=kernel
        cancel a kernel
        submit a q
        cancel a q result=kernel
        getevents a min=1 max=1 timeout=kernel via=syscall
        getevents a min=1 max=1 timeout=10ms events=kernel
        """)
        let expected: [(Int, String, String)] = [
            (4, "io_submit.bad-address", "iocbpp"), (5, "io_submit.bad-address", "iocbpp"),
            (6, "io_cancel.bad-iocb", "iocb"), (8, "io_cancel.pending-poll", "result"),
            (9, "io_getevents.bad-address", "timeout"), (10, "io_getevents.bad-address", "events"),
        ]
        for (l, situation, pointer) in expected {
            let c = try call(outcome, line: l)
            XCTAssertEqual(c.situation, situation, "line \(l): \(c.resultText)")
            XCTAssertTrue(argument(c, pointer)?.contains(kernelAddress) ?? false, "line \(l): \(c.record.args)")
            assertVerdictsFollowTheAnswer(c, "line \(l)")
        }
    }

    /// A page that starts like a ring (the magic, head == tail) is no
    /// context to the kernel; libaio's user-space check may think otherwise.
    func testAFakeRingIsJudgedAsAHandleThatIsNoContext() throws {
        let outcome = try run("""
        getevents fakering min=0 max=1 timeout=0 via=syscall
        getevents fakering min=0 max=1 timeout=0 via=libaio
        destroy fakering
        """)
        let raw = try call(outcome, line: 1)
        XCTAssertEqual(raw.situation, "io_getevents.bad-ctx")
        // A page of aioctl's own that holds the ring's magic.
        let handle = try XCTUnwrap(argument(raw, "ctx"))
        XCTAssertNotEqual(handle, hex(UInt(BadMemory.readOnlyAddress)))
        XCTAssertEqual(try call(outcome, line: 2).situation, "io_getevents.bad-ctx")
        XCTAssertEqual(try call(outcome, line: 3).situation, "io_destroy.garbage-handle")
        for l in 1...3 { assertVerdictsFollowTheAnswer(try call(outcome, line: l), "line \(l)") }
    }

    func testAnIocbInAReadOnlyPageIsReadButNeverWritten() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb r = poll p.read in page=readonly
        submit a r
        show r
        cancel a r
        set r key=1
        """, keepGoing: true)
        XCTAssertTrue(try record(outcome, line: 3).messages.joined().contains("in a read-only page"))
        let submit = try call(outcome, line: 4)
        XCTAssertEqual(submit.situation, "io_submit.bad-address", submit.resultText)
        assertVerdictsFollowTheAnswer(submit, "read-only iocb")
        // Whatever io_submit answered, aio_key could not have been written.
        let dump = try record(outcome, line: 5).messages.joined(separator: "\n")
        XCTAssertTrue(dump.contains("aio_key        0 "), dump)
        let cancel = try call(outcome, line: 6)
        XCTAssertEqual(cancel.situation, submit.outcome.errno == nil ? "io_cancel.pending-poll" : "io_cancel.never-submitted")
        XCTAssertTrue(try record(outcome, line: 7).error?.contains("read-only page") ?? false)
    }

    func testAReadOnlyIocbppHoldsTheListedIocbs() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb q = poll p.read in
        submit a q iocbpp=readonly
        submit a iocbpp=readonly nr=1
        """)
        let listed = try call(outcome, line: 4)
        XCTAssertEqual(listed.situation, "io_submit.success", listed.resultText)
        XCTAssertTrue(argument(listed, "iocbpp")?.contains("[q] in a read-only page") ?? false, "\(listed.record.args)")
        assertVerdictsFollowTheAnswer(listed, "read-only iocbpp")
        // Nothing listed: the shared page of zeros, NULL iocb pointers.
        XCTAssertEqual(try call(outcome, line: 5).situation, "io_submit.bad-address")
    }

    func testAStraddlingEventsArrayReportsWhatLandedBeforeTheFault() throws {
        let outcome = try run("""
        ctx a = setup 8
        tmpfile f
        iocb r[4] = pread f.read len=16
        submit a r[*]
        sleep 20ms
        getevents a min=4 max=4 timeout=1s events=straddle:2
        getevents a min=1 max=2 timeout=1s events=straddle:2
        reap a count=4
        """)
        let wide = try record(outcome, line: 6)
        let wideCall = try XCTUnwrap(wide.calls.last)
        let report = try XCTUnwrap(wide.messages.first { $0.hasPrefix("events=straddle:2") }, "\(wide.messages)")
        let wrote = try XCTUnwrap(Int(report.components(separatedBy: "the kernel wrote ").last?.split(separator: " ").first ?? ""))
        XCTAssertLessThanOrEqual(wrote, 2)
        if case .value(let n) = wideCall.outcome {
            XCTAssertEqual(wrote, min(n, 2))
            XCTAssertEqual(wide.events.count, min(n, 2))
        } else {
            // A fault: no event is reported as returned, each written slot is named.
            XCTAssertNil(wideCall.situation, "no document speaks of a partly writable array")
            XCTAssertTrue(wideCall.remarks.contains { $0.contains("straddles") }, "\(wideCall.remarks)")
            XCTAssertTrue(wide.events.isEmpty)
            XCTAssertEqual(wide.messages.filter { $0.contains("written before the fault") }.count, wrote)
        }
        XCTAssertTrue(wide.messages.contains { $0.contains("the ring's head") }, "\(wide.messages)")
        // Asked for no more than fits: an ordinary wait, judged as one.
        let narrow = try record(outcome, line: 7)
        let narrowCall = try XCTUnwrap(narrow.calls.last)
        XCTAssertNotNil(narrowCall.situation)
        if case .value(let n) = narrowCall.outcome { XCTAssertEqual(narrow.events.count, n) }
    }

    func testRawTimespecsAndTheTimeoutAfterTheCall() throws {
        let outcome = try run("""
        ctx a = setup 8
        getevents a min=0 max=1 timeout={0,1000000000}
        show timeout
        getevents a min=0 max=1 timeout={-1,0} via=syscall
        getevents a min=0 max=1 timeout={0,5000000}
        show timeout
        """)
        for l in [2, 4] {
            let c = try call(outcome, line: l)
            XCTAssertEqual(c.situation, "io_getevents.bad-timeout", "line \(l)")
            assertVerdictsFollowTheAnswer(c, "line \(l)")
        }
        XCTAssertEqual(argument(try call(outcome, line: 2), "timeout"), "{0, 1000000000}")
        XCTAssertEqual(argument(try call(outcome, line: 4), "timeout"), "{-1, 0}")
        let first = try record(outcome, line: 3).messages.joined()
        XCTAssertTrue(first.contains("timeout of line 2") && first.contains("{0, 1000000000} before the call"), first)
        let last = try record(outcome, line: 6).messages.joined()
        XCTAssertTrue(last.contains("timeout of line 5") && last.contains("{0, 5000000} before the call"), last)
        XCTAssertTrue(last.contains("unchanged") || last.contains("the kernel changed it"), last)
    }

    func testUsigAndSigsetsizeOfIoPgetevents() throws {
        let outcome = try run("""
        ctx a = setup 8
        pgetevents a min=0 max=1 timeout=0 mask=SIGUSR1 usig=unmapped via=syscall
        pgetevents a min=0 max=1 timeout=0 mask=SIGUSR1 usig=readonly via=syscall
        pgetevents a min=0 max=1 timeout=0 mask=SIGUSR1 sigsetsize=16 via=syscall
        pgetevents a min=0 max=1 timeout=0 mask=none sigsetsize=16 via=syscall
        pgetevents a min=0 max=1 timeout=0 mask=SIGUSR1 usig=kernel via=libaio
        """, keepGoing: true)
        XCTAssertEqual(try call(outcome, line: 2).situation, "io_getevents.bad-sigmask")
        let readOnly = try call(outcome, line: 3)
        XCTAssertTrue(argument(readOnly, "usig")?.contains("sigsetsize=8") ?? false, "\(readOnly.record.args)")
        XCTAssertNotEqual(readOnly.situation, "io_getevents.bad-sigmask")
        let size = try call(outcome, line: 4)
        XCTAssertNil(size.situation)
        XCTAssertTrue(size.remarks.contains { $0.contains("sigsetsize=16") }, "\(size.remarks)")
        XCTAssertTrue(argument(size, "usig")?.contains("sigsetsize=16") ?? false)
        // With a NULL mask the size is never looked at: an ordinary wait.
        XCTAssertNotNil(try call(outcome, line: 5).situation)
        for l in 2...5 { assertVerdictsFollowTheAnswer(try call(outcome, line: l), "line \(l)") }
        XCTAssertTrue(try record(outcome, line: 6).error?.contains("need via=syscall") ?? false)
    }

    func testLengthsAndCountsPastTheUsualRanges() throws {
        let outcome = try run("""
        ctx a = setup 8
        tmpfile f
        iocb big = pread f.read len=18446744073709551615
        submit a big
        show big
        iocb v = preadv f.read iovcnt=1025
        submit a v
        show v
        getevents a min=0 max=100000 timeout=0
        """)
        XCTAssertTrue(try record(outcome, line: 3).messages.joined().contains("more than the 4096-byte buffer"))
        let big = try call(outcome, line: 4)
        XCTAssertEqual(big.situation, "io_submit.bad-iocb", big.resultText)
        XCTAssertTrue(try record(outcome, line: 5).messages.joined().contains("aio_nbytes     18446744073709551615"))
        let vectors = try call(outcome, line: 7)
        XCTAssertEqual(vectors.situation, "io_submit.bad-iocb", vectors.resultText)
        XCTAssertTrue(try record(outcome, line: 8).messages.joined().contains("aio_nbytes     1025"))
        for l in [4, 7] { assertVerdictsFollowTheAnswer(try call(outcome, line: l), "line \(l)") }
        let wide = try record(outcome, line: 9)
        XCTAssertEqual(wide.calls.last?.argumentValue("nr"), 100000)
        XCTAssertTrue(wide.messages.contains { $0.contains("65536 event slots") })
    }

    func testResfdAndItsFlagApart() throws {
        let outcome = try run("""
        ctx a = setup 8
        tmpfile f
        eventfd e
        iocb raw = pread f.read rawresfd=e
        show raw
        submit a raw
        iocb closed = pread f.read resfd=999
        submit a closed
        reap a count=1
        """)
        let dump = try record(outcome, line: 5).messages.joined(separator: "\n")
        XCTAssertTrue(dump.contains("aio_flags      0x0"), dump)
        XCTAssertFalse(dump.contains("aio_resfd      0\n"), dump)
        XCTAssertEqual(try call(outcome, line: 6).situation, "io_submit.success")
        XCTAssertEqual(try call(outcome, line: 8).situation, "io_submit.bad-fd")
        for l in [6, 8] { assertVerdictsFollowTheAnswer(try call(outcome, line: l), "line \(l)") }
    }

    func testAnIocbChangedAfterSubmitIsStillCancelledByAddress() throws {
        let outcome = try run("""
        ctx a = setup 8
        pipe p
        iocb w = poll p.read in
        submit a w
        set w data=0x99 fd=77
        cancel a w
        iocb k = poll p.read in
        submit a k
        set k key=5
        cancel a k
        set k key=0
        cancel a k
        reap a count=2
        """)
        XCTAssertTrue(try record(outcome, line: 5).messages.joined().contains("data=0x99, fd=0x4d"))
        XCTAssertEqual(try call(outcome, line: 6).situation, "io_cancel.pending-poll")
        XCTAssertEqual(try call(outcome, line: 10).situation, "io_cancel.key-nonzero")
        XCTAssertEqual(try call(outcome, line: 12).situation, "io_cancel.pending-poll")
        for l in [6, 10, 12] { assertVerdictsFollowTheAnswer(try call(outcome, line: l), "line \(l)") }
        // Events are matched by obj, the iocb's address, whatever its fields say now.
        let names = outcome.records.flatMap(\.events).compactMap(\.iocb)
        XCTAssertTrue(names.allSatisfy { ["w", "k"].contains($0) }, "\(names)")
    }

    func testProcessShapes() throws {
        let hadAdmin = Capabilities.effectiveHas(21)
        let outcome = try run("""
        ctx a = setup 8
        tmpfile f
        iocb rt = pread f.read ioprio=rt:0
        without CAP_SYS_ADMIN,CAP_SYS_NICE submit a rt
        fadvise f.read dontneed
        signal SIGUSR1 after 20ms restart
        getevents b min=1 max=1 timeout=2s
        after 20ms stop 30ms
        getevents b min=1 max=1 timeout=2s
        reap a count=1
        """.replacingOccurrences(of: "tmpfile f\n", with: "tmpfile f\nctx b = setup 8\n"))
        let rt = try call(outcome, line: 5)
        XCTAssertEqual(rt.situation, "io_submit.rt-priority", rt.resultText)
        assertVerdictsFollowTheAnswer(rt, "RT priority without capabilities")
        let note = try record(outcome, line: 5).messages.joined()
        XCTAssertTrue(note.contains(hadAdmin ? "(it had CAP_SYS_ADMIN" : "(it had none"), note)
        XCTAssertEqual(Capabilities.effectiveHas(21), hadAdmin, "the capabilities came back")
        let advice = try record(outcome, line: 6).messages.joined()
        XCTAssertTrue(advice.contains("POSIX_FADV_DONTNEED) = "), advice)
        XCTAssertTrue(advice.contains("pages in the page cache (mincore): ") && advice.contains("/1 after"), advice)
        XCTAssertTrue(try record(outcome, line: 7).messages.joined().contains("SA_RESTART"))
        let interrupted = try call(outcome, line: 8)
        XCTAssertEqual(interrupted.situation, "io_getevents.interrupted")
        assertVerdictsFollowTheAnswer(interrupted, "SA_RESTART handler")
        let stopped = try call(outcome, line: 10)
        XCTAssertNil(stopped.situation)
        XCTAssertTrue(stopped.remarks.contains { $0.contains("stop and continue") }, "\(stopped.remarks)")
    }
}
