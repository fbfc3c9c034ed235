import AIOEngine
import AIODocuments
import AIOKernel
import Foundation
import XCTest

/// The doors judge the same call the same way: check's scenarios are step
/// programs, the classifier files each subject where its scenario says, and a
/// program printed by `check --print-script` and replayed by `aioctl run`
/// makes the same calls with the same returns, situations and verdicts.
final class OneEngineTests: XCTestCase {
    /// One judged call, as both doors' JSON show it.
    struct Judged: Hashable, CustomStringConvertible {
        var syscall: String
        var ret: Int
        var errno: String?
        var situation: String?
        var agrees: [String: Bool]

        init?(_ call: [String: Any]) {
            guard let syscall = call["syscall"] as? String, let ret = call["return"] as? Int else { return nil }
            self.syscall = syscall
            self.ret = ret
            errno = call["errno"] as? String
            situation = call["situation"] as? String
            var agrees: [String: Bool] = [:]
            for e in call["expected"] as? [[String: Any]] ?? [] {
                if let source = e["source"] as? String, let a = e["agrees"] as? Bool { agrees[source] = a }
            }
            self.agrees = agrees
        }

        var description: String {
            "\(syscall)=\(ret) \(errno ?? "-") \(situation ?? "unjudged") \(agrees.sorted { $0.key < $1.key })"
        }
    }

    private func checkRuns(_ via: String) throws -> [[String: Any]] {
        let result = try AioctlProcess.run(["check", "--format", "json", "--via", via], limit: 120)
        guard let runs = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            XCTFail("check --format json is not an array")
            return []
        }
        return runs
    }

    /// Every scenario's declared situation is what the classifier finds for
    /// its subject, through both conventions.
    func testTheClassifierFilesEverySubjectWhereItsScenarioSays() throws {
        let declared = Dictionary(uniqueKeysWithValues: Scenarios.all.map { ($0.name, $0.situation) })
        for via in ["libaio", "syscall"] {
            let runs = try checkRuns(via)
            XCTAssertEqual(runs.count, Scenarios.all.count)
            for run in runs where run["status"] as? String == "ran" {
                let name = run["name"] as? String ?? "?"
                XCTAssertEqual(run["situation"] as? String, declared[name], "\(name) via \(via)")
            }
        }
    }

    /// check --print-script replayed by run gives the same judged calls as check itself.
    func testEveryScenarioReplayedByRunJudgesTheSameCalls() throws {
        for via in ["libaio", "syscall"] {
            for run in try checkRuns(via) where run["status"] as? String == "ran" {
                let name = run["name"] as? String ?? "?"
                // aio-nr is machine-wide: the runs that need it to themselves
                // depend on who else holds contexts at the moment of the replay.
                if Scenarios.named(name)?.exclusive == true { continue }
                let fromCheck = Set((run["calls"] as? [[String: Any]] ?? []).compactMap(Judged.init))
                let script = try AioctlProcess.run(["check", "--print-script", name])
                XCTAssertEqual(script.status, 0, script.stderr)
                let replay = try AioctlProcess.run(["run", "--json", "--via", via, "-"], stdin: script.stdout, limit: 30)
                let doc = try AioctlProcess.json(replay)
                let steps = (doc["steps"] as? [[String: Any]] ?? []).filter { ($0["line"] as? Int ?? 0) > 0 }
                let fromRun = Set(steps.flatMap { $0["calls"] as? [[String: Any]] ?? [] }.compactMap(Judged.init))
                XCTAssertEqual(fromRun, fromCheck, "\(name) via \(via):\n run: \(fromRun)\n check: \(fromCheck)")
            }
        }
    }

    func testPrintScriptNamesTheSubjectAndParses() throws {
        let result = try AioctlProcess.run(["check", "--print-script", "io_cancel.pending-poll-pipe"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("# io_cancel.pending-poll-pipe: io_cancel.pending-poll\n"))
        XCTAssertTrue(result.stdout.contains("\ncancel a p1\n"))
        let unknown = try AioctlProcess.run(["check", "--print-script", "no.such-scenario"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("no scenario named 'no.such-scenario'"), unknown.stderr)
    }

    /// cancel's probe printed as a program and replayed by run files its
    /// io_cancel under the same situation with the same answer as cancel.
    func testCancelReplayedByRunJudgesTheCancelTheSameWay() throws {
        for (args, situation) in [(["--poll", "pipe"], "io_cancel.pending-poll"),
                                  (["--poll", "--ready", "socketpair"], "io_cancel.completed"),
                                  (["--read", "pipe"], "io_cancel.blocked-in-submit")] {
            let direct = try AioctlProcess.json(try AioctlProcess.run(["cancel", "--json"] + args))
            let cancelCalls = (direct["calls"] as? [[String: Any]] ?? []).filter { $0["syscall"] as? String == "io_cancel" }
            let fromCancel = try XCTUnwrap(cancelCalls.first.flatMap(Judged.init), "\(args)")
            XCTAssertEqual(fromCancel.situation, situation, "\(args)")

            let script = try AioctlProcess.run(["cancel", "--print-script"] + args)
            XCTAssertEqual(script.status, 0, script.stderr)
            let replay = try AioctlProcess.json(try AioctlProcess.run(["run", "--json", "-"], stdin: script.stdout))
            let steps = replay["steps"] as? [[String: Any]] ?? []
            let replayed = steps.flatMap { $0["calls"] as? [[String: Any]] ?? [] }
                .filter { $0["syscall"] as? String == "io_cancel" }.compactMap(Judged.init)
            XCTAssertEqual(replayed.count, 1, "\(args): \(script.stdout)")
            XCTAssertEqual(replayed.first?.situation, fromCancel.situation, "\(args)")
            XCTAssertEqual(replayed.first?.ret, fromCancel.ret, "\(args)")
            XCTAssertEqual(replayed.first?.errno, fromCancel.errno, "\(args)")
        }
    }
}
