import AIOEngine
import AIODocuments
import AIOKernel
import Glibc
import XCTest

/// The engine against the real kernel, and the report formats on known results.
final class CheckEngineTests: XCTestCase {
    func testEngineJudgesTheSubjectCallThroughBothConventions() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_cancel.iocb-null"))
        for via in Via.allCases {
            let result = ScenarioRun(scenario, via: via).run()
            XCTAssertEqual(result.status, .ran)
            XCTAssertEqual(result.syscall, .io_cancel)
            // The kernel's answer is reported as it came, in the convention's own form.
            if result.observedErrno != nil {
                let ret = try XCTUnwrap(result.observedReturn)
                if via == .syscall { XCTAssertEqual(ret, -1) } else { XCTAssertLessThan(ret, -1) }
                XCTAssertTrue(result.observed.contains(result.observedErrno!), result.observed)
            }
            XCTAssertEqual(result.verdicts.map(\.source), Source.allCases)
            XCTAssertTrue(result.calls.count >= 2, "setup and cancel are recorded")
        }
    }

    /// A result keeps only what its output shows, and the same verdicts whatever it keeps.
    func testCallDetailDropsOnlyTheRenderings() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_cancel.pending-poll-pipe"))
        var kept: [CallDetail: ScenarioResult] = [:]
        for detail in [CallDetail.none, .text, .all] {
            kept[detail] = ScenarioRun(scenario, via: .syscall, detail: detail).run()
        }
        let none = try XCTUnwrap(kept[.none]), text = try XCTUnwrap(kept[.text]), all = try XCTUnwrap(kept[.all])
        XCTAssertTrue(none.calls.isEmpty && none.callLines.isEmpty)
        XCTAssertTrue(text.calls.isEmpty)
        XCTAssertFalse(text.callLines.isEmpty)
        XCTAssertFalse(all.calls.isEmpty || all.callLines.isEmpty)
        for result in [none, text] {
            XCTAssertEqual(result.status, all.status)
            XCTAssertEqual(result.observed, all.observed)
            XCTAssertEqual(result.situation, all.situation)
            XCTAssertEqual(result.verdicts.map(\.state), all.verdicts.map(\.state))
        }
    }

    /// The child reads back exactly the words ChildRun writes, and nothing else
    /// bypasses the argument parser.
    func testChildRequestReadsBackOnlyItsOwnWords() {
        let request = ChildRequest(names: ["io_destroy.twice", "io_cancel.ctx-destroyed"], via: .syscall, expect: .man2)
        XCTAssertEqual(ChildRequest(arguments: request.arguments), request)
        for detail in CallDetail.allCases {
            var lean = request
            lean.detail = detail
            XCTAssertEqual(ChildRequest(arguments: lean.arguments), lean)
        }
        // .all is said by leaving the option out, so there is one spelling of it.
        XCTAssertNil(ChildRequest(arguments: request.arguments + [ChildRequest.detailOption, "all"]))
        XCTAssertNil(ChildRequest(arguments: request.arguments + [ChildRequest.detailOption, "some"]))
        var reordered = request.arguments
        reordered.swapAt(4, 6)
        reordered.swapAt(5, 7)
        for words in [Array(request.arguments.dropLast()), request.arguments + ["-v"], reordered,
                      request.arguments.map { $0 == "syscall" ? "both" : $0 },
                      request.arguments.map { $0 == "check" ? "run" : $0 }] {
            XCTAssertNil(ChildRequest(arguments: words), words.joined(separator: " "))
        }
        do {
            _ = try ChildRequest(names: ["io_destroy.twice", "nope"], via: .libaio, expect: .kapi).scenarios()
            XCTFail("an unknown name must be refused")
        } catch {
            XCTAssertEqual(error.name, "nope")
        }
    }

    func testPreconditionThatCannotBeMetIsASkipWithTheReason() {
        let scenario = Scenario("io_setup.unmeetable", "io_setup.success", precondition: { "not here" },
                                [.subject(.setup("a"))])
        let result = ScenarioRun(scenario, via: .syscall).run()
        XCTAssertEqual(result.status, .skipped)
        XCTAssertEqual(result.skipReason, "not here")
        XCTAssertTrue(result.calls.isEmpty, "a skipped scenario makes no call")
        XCTAssertNil(result.passes(against: .kapi))
    }

    func testAFailedHelperCallIsASkipNotAVerdict() {
        // nr_events 0 cannot give the context the subject needs.
        let scenario = Scenario("io_destroy.helper-fails", "io_destroy.success",
                                [.setup("a", nrEvents: .count(0)), .subject(.destroy("a"))])
        let result = ScenarioRun(scenario, via: .syscall).run()
        XCTAssertEqual(result.status, .skipped)
        XCTAssertTrue(result.skipReason?.contains("io_setup") ?? false, result.skipReason ?? "")
    }

    func testResultSurvivesAJSONRoundTrip() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_cancel.pending-poll-pipe"))
        let result = ScenarioRun(scenario, via: .libaio).run()
        let text = result.json(expect: .man2).serialized(indent: nil)
        let back = try XCTUnwrap(ScenarioResult(json: try JSON.parse(text)))
        XCTAssertEqual(back.name, result.name)
        XCTAssertEqual(back.via, result.via)
        XCTAssertEqual(back.observed, result.observed)
        XCTAssertEqual(back.observedErrno, result.observedErrno)
        XCTAssertEqual(back.events, result.events)
        XCTAssertEqual(back.verdicts.map(\.state), result.verdicts.map(\.state))
        XCTAssertEqual(back.calls.count, result.calls.count)
    }

    func testJSONParserReadsEscapesNumbersAndNesting() throws {
        let value = try JSON.parse(#"{"a": [1, -2, 3.5, true, null], "b": "x\"y\n\u00e9"}"#)
        XCTAssertEqual(value["a"]?.arrayValue?.count, 5)
        XCTAssertEqual(value["a"]?.arrayValue?[1].intValue, -2)
        XCTAssertEqual(value["b"]?.stringValue, "x\"y\né")
        XCTAssertThrowsError(try JSON.parse("{\"a\": }"))
        XCTAssertThrowsError(try JSON.parse("[1, 2"))
    }

    /// RFC 8259 as written: what the old hand parser let through is refused,
    /// and a surrogate pair it refused reads as one character.
    func testJSONParserFollowsTheRFC() throws {
        for bad in ["+1", "012", #""\x41""#, "'a'", "[1] 2", "{a:1}", "[1,]", "{\"a\":1,}", "-", "1.", "1e",
                    #""\ud83d""#, "\"a\u{1}b\"", String(repeating: "[", count: 10000)] {
            XCTAssertThrowsError(try JSON.parse(bad), bad)
        }
        XCTAssertEqual(try JSON.parse(#""\ud83d\ude00""#).stringValue, "\u{1F600}")
        XCTAssertEqual(try JSON.parse("18446744073709551615"), .uint(.max))
        XCTAssertEqual(try JSON.parse("-9223372036854775808"), .int(.min))
        XCTAssertEqual(try JSON.parse("1e3").doubleValue, 1000)
        // Members keep the document's order.
        XCTAssertEqual(try JSON.parse(#"{"b": 1, "a": 2}"#), .object([("b", .int(1)), ("a", .int(2))]))
    }

    /// A child that dies by a signal is an observation; one that hangs is killed.
    func testIsolatedCrashAndHangAreReportedNotFatal() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_getevents.ctx-garbage-unmapped"))
        let crash = try script("kill -SEGV $$")
        defer { unlink(crash) }
        let crashed = ChildRun.run(scenario, via: .libaio, executable: crash, limitMs: 5000)
        XCTAssertEqual(crashed.status, .crashed)
        XCTAssertEqual(crashed.observed, "libaio: killed by SIGSEGV")
        // A crash contradicts every claim but one that foresees it (io_getevents(2) BUGS);
        // sources without a claim have none.
        for v in crashed.verdicts {
            let claim = Catalog.situation(scenario.situation)?.claim(from: v.source)
            let expected: SourceVerdict.State = claim == nil ? .noClaim
                : claim!.differenceFromCrash(crashed.observed) == nil ? .agrees : .differs
            XCTAssertEqual(v.state, expected, "\(v.source)")
        }

        let hang = try script("sleep 30")
        defer { unlink(hang) }
        let start = Monotonic.now()
        let hung = ChildRun.run(scenario, via: .syscall, executable: hang, limitMs: 300)
        XCTAssertEqual(hung.status, .crashed)
        XCTAssertTrue(hung.observed.contains("hung"), hung.observed)
        XCTAssertLessThan(Monotonic.now() - start, 3_000_000_000, "the watchdog bounds the wait")
    }

    /// The watchdog counts silence, not age: a child that starts slowly (a VM
    /// under emulation) and says something every 200 ms is not "hung" after
    /// 300 ms; its result is taken. Timed against the same 300 ms window as above.
    func testSlowButTalkingChildIsNotKilled() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_destroy.ctx-zero"))
        let real = ScenarioRun(scenario, via: .syscall).run()
        let line = real.json(expect: .kapi).serialized(indent: nil).replacingOccurrences(of: "'", with: "'\\''")
        let slow = try script("sleep 0.2; echo '\(ChildRun.startedLine)'; for i in 1 2 3; do sleep 0.2; echo; done; "
                              + "echo '\(line)'")
        defer { unlink(slow) }
        let result = ChildRun.run(scenario, via: .syscall, executable: slow, limitMs: 300)
        XCTAssertEqual(result.status, .ran, result.observed)
        XCTAssertEqual(result.observedErrno, "EINVAL")
        XCTAssertTrue(result.isolated)
    }

    /// A batch whose child dies reports every scenario, each re-run on its own.
    func testBatchWhoseChildDiesRerunsEachScenarioAlone() throws {
        let crash = try script("kill -SEGV $$")
        defer { unlink(crash) }
        let batch = Scenarios.all.filter { $0.isolate == .staleHandle }
        XCTAssertGreaterThan(batch.count, 1)
        let results = ChildRun.runBatch(batch, via: .syscall, executable: crash, limitMs: 2000)
        XCTAssertEqual(results.map(\.name), batch.map(\.name))
        XCTAssertTrue(results.allSatisfy { $0.status == .crashed && $0.observed == "syscall: killed by SIGSEGV" })
    }

    /// Stale-handle scenarios side by side: all set up before any destroys.
    func testStaleHandleBatchRunsEveryScenario() {
        let batch = Scenarios.all.filter { $0.isolate == .staleHandle }
        let results = Locked<[ScenarioResult]>([])
        StaleHandleBatch.run(batch, via: .syscall) { r in results.withLock { $0.append(r) } }
        XCTAssertEqual(Set(results.value.map(\.name)), Set(batch.map(\.name)))
        for r in results.value {
            XCTAssertEqual(r.status, .ran, r.name)
            // A destroyed handle is refused, whatever else happens in the process.
            XCTAssertEqual(r.observedErrno, "EINVAL", "\(r.name): \(r.observed)")
        }
    }

    private func script(_ body: String) throws -> String {
        var template = Array("/tmp/aioctl-test-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw XCTSkip("mkstemp failed") }
        let text = "#!/bin/sh\n\(body)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        fchmod(fd, 0o700)
        close(fd)
        return String(nulTerminated: template)
    }
}
