@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import XCTest

/// The comparison between kernels, on documents made here, and the reader on
/// what check really writes.
final class KernelDiffTests: XCTestCase {
    private typealias Answer = CheckedRun.Answer

    private func run(_ name: String, via: String = "syscall", _ answer: Answer,
                     kapi: String = "agrees") -> CheckedRun {
        CheckedRun(name: name, syscall: "io_submit", situation: name + ".situation", via: via, answer: answer,
                   skipReason: answer.isSkip ? "not here" : nil,
                   sources: [.init(source: "kapi", state: kapi, expected: "1", claim: "queued",
                                   reference: "KAPI io_submit, return"),
                             .init(source: "man2", state: "no-claim")])
    }

    private let refused = Answer(status: "ran", observed: "-1 errno=EOPNOTSUPP")
    private let accepted = Answer(status: "ran", observed: "1", events: ["iocb r: res=-EAGAIN (-11) res2=0"])
    private let skipped = Answer(status: "skipped", observed: "")

    func testAnAnswerStableOnEachKernelAndDifferentBetweenThemIsADifference() {
        let old = CheckDocument(runs: [run("nowait", refused, kapi: "differs"), run("same", accepted)])
        let new = CheckDocument(runs: [run("nowait", accepted), run("same", accepted)])
        let diff = KernelDiff([("6.12.117", new), ("6.1.0-57", old), ("6.1.0-57", old), ("6.12.117", new)])

        XCTAssertEqual(diff.kernels.map(\.kernel), ["6.1.0-57", "6.12.117"], "version order, not argument order")
        XCTAssertEqual(diff.kernels.map(\.documents), [2, 2])
        XCTAssertEqual(diff.differences.map(\.name), ["nowait"])
        XCTAssertEqual(diff.differences[0].differingVias, ["syscall"])
        XCTAssertEqual(diff.differences[0].rows.map(\.kernel), ["6.1.0-57", "6.12.117"])
        guard case let .stable(answer, runs, verdicts) = diff.differences[0].rows[0].outcome else {
            return XCTFail("6.1 answered the same twice")
        }
        XCTAssertEqual(answer, refused)
        XCTAssertEqual(runs, 2)
        XCTAssertEqual(verdicts.first?.state, "differs")
        XCTAssertTrue(diff.unstable.isEmpty)
        XCTAssertEqual(diff.exitStatus, .differs)
    }

    /// Where each source is right, kernel by kernel: stable answers only.
    func testEachSourceIsTalliedPerKernelOverStableAnswersOnly() {
        let old = CheckDocument(runs: [run("nowait", refused, kapi: "differs"), run("same", accepted),
                                       run("racy", accepted), run("gone", skipped)])
        let oldAgain = CheckDocument(runs: [run("nowait", refused, kapi: "differs"), run("same", accepted),
                                            run("racy", refused), run("gone", skipped)])
        let new = CheckDocument(runs: [run("nowait", accepted), run("same", accepted)])
        let diff = KernelDiff([("6.1", old), ("6.1", oldAgain), ("6.12", new)])
        XCTAssertEqual(diff.sourceTallies.map(\.kernel), ["6.1", "6.12"])
        // 6.1: nowait and same are stable; racy flips, gone never ran.
        XCTAssertEqual(diff.sourceTallies[0].stableResults, 2)
        XCTAssertEqual(diff.sourceTallies[0].counts.map(\.source), ["kapi", "man2"])
        XCTAssertEqual(diff.sourceTallies[0].counts.map { [$0.agrees, $0.differs, $0.noClaim] }, [[1, 1, 0], [0, 0, 2]])
        XCTAssertEqual(diff.sourceTallies[1].counts.map { [$0.agrees, $0.differs, $0.noClaim] }, [[2, 0, 0], [0, 0, 2]])
        XCTAssertTrue(diff.markdown().contains("| 6.1 | 2 | 1 / 1 / 0 | 0 / 0 / 2 |"), diff.markdown())
        XCTAssertTrue(diff.json.serialized().contains(#""sources_by_kernel""#))
    }

    func testAnAnswerThatChangesBetweenRunsOfOneKernelIsNeverADifference() {
        // 6.1 flips between two answers; 6.12 always gives one of them.
        let diff = KernelDiff([("6.1", CheckDocument(runs: [run("racy", refused)])),
                               ("6.1", CheckDocument(runs: [run("racy", accepted)])),
                               ("6.1", CheckDocument(runs: [run("racy", accepted)])),
                               ("6.12", CheckDocument(runs: [run("racy", refused)]))])
        XCTAssertTrue(diff.differences.isEmpty)
        XCTAssertEqual(diff.exitStatus, .agrees)
        XCTAssertEqual(diff.unstable.count, 1)
        let u = diff.unstable[0]
        XCTAssertEqual([u.name, u.via, u.kernel], ["racy", "syscall", "6.1"])
        XCTAssertEqual(u.runs, 3)
        XCTAssertEqual(u.answers.map(\.answer), [accepted, refused], "the commoner answer first")
        XCTAssertEqual(u.answers.map(\.count), [2, 1])
    }

    func testAnAnswerFromTooFewRunsIsShownButNotCompared() {
        let diff = KernelDiff([("6.1", CheckDocument(runs: [run("n", refused)])),
                               ("6.12", CheckDocument(runs: [run("n", accepted)])),
                               ("6.12", CheckDocument(runs: [run("n", accepted)]))], minimumRuns: 2)
        XCTAssertTrue(diff.differences.isEmpty, "one run of 6.1 cannot show its answer is stable")
        XCTAssertEqual(KernelDiff.outcome(of: [run("n", refused)], minimumRuns: 2), .unconfirmed(refused, runs: 1))
        let three = KernelDiff([("6.1", CheckDocument(runs: [run("n", refused)])),
                                ("6.1", CheckDocument(runs: [run("n", refused)])),
                                ("6.12", CheckDocument(runs: [run("n", accepted)])),
                                ("6.12", CheckDocument(runs: [run("n", accepted)])),
                                ("6.18", CheckDocument(runs: [run("n", accepted)]))], minimumRuns: 2)
        XCTAssertEqual(three.differences.map(\.name), ["n"])
        XCTAssertEqual(three.differences[0].rows.last?.outcome, .unconfirmed(accepted, runs: 1))
        XCTAssertTrue(three.markdown().contains("| 6.18 | syscall | 1 | `too few runs: 1; event"), three.markdown())
    }

    func testSkipsAreNotAnswers() {
        // Skipped on one kernel, or on one run of a kernel: nothing to compare there.
        let diff = KernelDiff([("6.1", CheckDocument(runs: [run("a", skipped), run("b", skipped)])),
                               ("6.1", CheckDocument(runs: [run("a", skipped), run("b", refused)])),
                               ("6.12", CheckDocument(runs: [run("a", accepted), run("b", refused)]))])
        XCTAssertTrue(diff.differences.isEmpty)
        XCTAssertTrue(diff.unstable.isEmpty)
        XCTAssertEqual(KernelDiff.outcome(of: [run("a", skipped)]), .skipped("not here"))
        XCTAssertEqual(KernelDiff.outcome(of: [run("b", skipped), run("b", refused)]),
                       .stable(refused, runs: 1, verdicts: run("b", refused).sources))
    }

    func testAScenarioIsOneTableWithEveryConventionAndTheUnstableKernelShown() {
        let docs: [(String, CheckDocument)] = [
            ("6.1", CheckDocument(runs: [run("n", via: "libaio", refused), run("n", refused)])),
            ("6.12", CheckDocument(runs: [run("n", via: "libaio", refused), run("n", accepted)])),
            ("6.18", CheckDocument(runs: [run("n", via: "libaio", refused), run("n", accepted)])),
            ("6.18", CheckDocument(runs: [run("n", via: "libaio", refused), run("n", refused)])),
        ]
        let diff = KernelDiff(docs.map { (kernel: $0.0, document: $0.1) })
        XCTAssertEqual(diff.differences.count, 1)
        let d = diff.differences[0]
        XCTAssertEqual(d.differingVias, ["syscall"], "libaio answered alike everywhere")
        XCTAssertEqual(d.rows.map { "\($0.kernel) \($0.via)" },
                       ["6.1 libaio", "6.1 syscall", "6.12 libaio", "6.12 syscall", "6.18 libaio", "6.18 syscall"])
        if case .unstable = d.rows[5].outcome {} else { XCTFail("6.18's syscall runs disagree: \(d.rows[5])") }
        XCTAssertEqual(diff.unstable.map(\.kernel), ["6.18"])
    }

    func testRenderingsCarryTheAnswersVerdictsAndClaims() throws {
        let diff = KernelDiff([("6.1", CheckDocument(runs: [run("n|pipe", refused, kapi: "differs")])),
                               ("6.12", CheckDocument(runs: [run("n|pipe", accepted)]))])
        let text = diff.text(style: TextStyle(color: false))
        XCTAssertTrue(text.hasPrefix("aioctl diff: 2 kernels: 6.1 (1 run), 6.12 (1 run). 1 scenario"), text)
        XCTAssertTrue(text.contains("-1 errno=EOPNOTSUPP"), text)
        XCTAssertTrue(text.contains("1; event iocb r: res=-EAGAIN (-11) res2=0"), text)
        XCTAssertTrue(text.contains("kapi: queued [KAPI io_submit, return]"), text)
        XCTAssertTrue(text.contains("man2: no claim about this situation"), text)

        let markdown = diff.markdown()
        XCTAssertTrue(markdown.contains("| kernel | via | runs | answer | kapi | man2 |"), markdown)
        XCTAssertTrue(markdown.contains("| 6.1 | syscall | 1 | `-1 errno=EOPNOTSUPP` | differs | no claim |"), markdown)
        XCTAssertTrue(markdown.contains("### `n|pipe`"), "a heading may hold a bar")

        let json = try JSON.parse(diff.json.serialized())
        let rows = try XCTUnwrap(json["differences"]?.arrayValue?.first?["rows"]?.arrayValue)
        XCTAssertEqual(rows.map { $0["observed"]?.stringValue }, ["-1 errno=EOPNOTSUPP", "1"])
        XCTAssertEqual(rows.map { $0["verdicts"]?["kapi"]?.stringValue }, ["differs", "agrees"])
        XCTAssertEqual(rows[1]["events"]?.arrayValue?.first?.stringValue, "iocb r: res=-EAGAIN (-11) res2=0")
    }

    func testKernelReleasesSortAsVersions() {
        XCTAssertEqual(KernelDiff.versionOrder(["6.18.44-fc-v782", "6.12.117+deb12-amd64", "6.1.0-57-amd64",
                                                "6.1.0-9-amd64"]),
                       ["6.1.0-9-amd64", "6.1.0-57-amd64", "6.12.117+deb12-amd64", "6.18.44-fc-v782"])
    }

    // MARK: - Reading documents

    func testTheReaderTakesWhatCheckReallyWrites() throws {
        let scenario = try XCTUnwrap(Scenarios.named("io_submit.nowait-empty-pipe"))
        let results = Via.allCases.map { ScenarioRun(scenario, via: $0).run() }
        let written = CheckReport(results: results, expect: .kapi, elapsedNs: 0).json.serialized()
        let document = try CheckDocument(parsing: written)
        XCTAssertEqual(document.runs.count, results.count)
        for (read, result) in zip(document.runs, results) {
            XCTAssertEqual(read.name, result.name)
            XCTAssertEqual(read.via, result.via.rawValue)
            XCTAssertEqual(read.situation, result.situation)
            XCTAssertEqual(read.answer.observed, result.observed)
            XCTAssertEqual(read.answer.events, result.events)
            XCTAssertEqual(read.sources.map(\.source), result.verdicts.map(\.source.rawValue))
        }
        XCTAssertNil(document.kernel, "check's records name no kernel; info.json beside them does")
    }

    func testInvalidDocumentsSayWhatIsWrong() {
        func message(_ text: String) -> String {
            do { _ = try CheckDocument(parsing: text); return "parsed" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("KTAP version 1").hasPrefix("not JSON"))
        XCTAssertTrue(message("{\"kernel\": \"6.1\"}").contains("expected an array of runs"))
        XCTAssertEqual(message("[{\"name\": \"x\"}]"), "run 1 has no string field `syscall`")
        let bad = "[{\"name\":\"x\",\"syscall\":\"s\",\"situation\":\"t\",\"via\":\"v\",\"status\":\"maybe\",\"observed\":\"\"}]"
        XCTAssertEqual(message(bad), "run 1 (x) has an unknown status 'maybe'")
        XCTAssertEqual(message("[]"), "parsed", "an empty check (everything filtered out) is a document")
    }

    func testInfoGivesTheKernel() {
        XCTAssertEqual(InfoDocument.kernel(parsing: "{\"kernel\": \"6.1.0-57-amd64\", \"cpus\": 2}"), "6.1.0-57-amd64")
        XCTAssertNil(InfoDocument.kernel(parsing: "kernel 6.1"))
        XCTAssertNil(InfoDocument.kernel(parsing: "{\"kernel\": \"\"}"))
    }
}
