@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import SystemPackage
import XCTest

/// The catalog's shape, and the judging of observed calls against it.
final class CatalogTests: XCTestCase {
    func testSituationIDsAreUniqueAndNamedAfterTheirSyscall() {
        var seen = Set<String>()
        for s in Catalog.all {
            XCTAssertTrue(seen.insert(s.id).inserted, "duplicate \(s.id)")
            XCTAssertTrue(s.id.hasPrefix(s.syscall.rawValue + "."), s.id)
            XCTAssertFalse(s.claims.isEmpty, "\(s.id) has no claim: a situation nobody documents does not belong")
            XCTAssertEqual(Set(s.claims.map(\.source)).count, s.claims.count, "\(s.id): one claim per source")
        }
    }

    /// Every io_cancel row of shared/reference/expectations.md and the seed.
    func testIoCancelCoversTheDocumentedSituations() throws {
        let expected: [(String, Source, ExpectedReturn)] = [
            ("io_cancel.pending-poll", .kapi, .error(.nowInProgress)),
            ("io_cancel.pending-poll", .man2, .value(0)),
            ("io_cancel.pending-poll", .libaio, .value(0)),
            ("io_cancel.completed", .kapi, .error(.invalidArgument)),
            ("io_cancel.completed", .man2, .error(.resourceTemporarilyUnavailable)),
            ("io_cancel.completed", .libaio, .error(.resourceTemporarilyUnavailable)),
            ("io_cancel.never-submitted", .kapi, .error(.invalidArgument)),
            ("io_cancel.key-nonzero", .kapi, .error(.invalidArgument)),
            ("io_cancel.bad-iocb", .man2, .error(.badAddress)),
            ("io_cancel.bad-ctx", .libaio, .error(.invalidArgument)),
            ("io_cancel.no-aio", .man2, .error(.noFunction)),
        ]
        for (id, source, value) in expected {
            let situation = try XCTUnwrap(Catalog.situation(id), id)
            XCTAssertEqual(situation.claim(from: source)?.expected, value, "\(id) \(source)")
        }
        XCTAssertNil(Catalog.situation("io_cancel.key-nonzero")?.claim(from: .man2),
                     "man2 says nothing about aio_key; the catalog must not invent a claim")
        XCTAssertNotNil(Catalog.situation("io_cancel.callback-failed"))
    }

    private func record(_ outcome: Outcome, via: Via = .libaio, args: [(String, String)] = []) -> JudgedCall {
        JudgedCall(CallRecord(syscall: .io_cancel, via: via, args: args.map { (name: $0.0, value: $0.1) },
                              outcome: outcome, startNs: 0, endNs: 1))
    }

    func testJudgingAPendingPollCancelThatReturnedEINPROGRESS() throws {
        var call = record(.error(.nowInProgress))
        call.observations = [Fact.eventInRing: true, Fact.resultWritten: false]
        call.judge(as: "io_cancel.pending-poll")
        XCTAssertEqual(call.judgement(by: .kapi)?.agrees, true)
        let man2 = try XCTUnwrap(call.judgement(by: .man2))
        XCTAssertFalse(man2.agrees)
        XCTAssertEqual(man2.differences.count, 3, "return, ring and *result each differ: \(man2.differences)")
        XCTAssertEqual(call.judgement(by: .kapi)?.expectedReturn, -115, "libaio convention: -errno")
    }

    func testExpectedReturnFollowsTheCallsConvention() throws {
        var call = record(.error(.invalidArgument), via: .syscall)
        call.judge(as: "io_cancel.completed")
        XCTAssertEqual(call.judgement(by: .kapi)?.expectedReturn, -1)
        XCTAssertEqual(call.judgement(by: .kapi)?.expectedErrno, "EINVAL")
        XCTAssertEqual(call.judgement(by: .man2)?.agrees, false)
        XCTAssertEqual(call.resultText, "-1 errno=EINVAL")
    }

    func testCountClaimsUseTheCallsOwnArgument() {
        var ok = JudgedCall(CallRecord(syscall: .io_getevents, via: .libaio, args: [(name: "nr", value: "8")],
                                       outcome: .value(3), startNs: 0, endNs: 1))
        ok.judge(as: "io_getevents.events")
        XCTAssertEqual(ok.judgement(by: .man2)?.agrees, true)
        var tooMany = ok
        tooMany.outcome = .value(9)
        tooMany.judge(as: "io_getevents.events")
        XCTAssertEqual(tooMany.judgement(by: .man2)?.agrees, false)

        var submit = JudgedCall(CallRecord(syscall: .io_submit, via: .libaio, args: [(name: "nr", value: "1")],
                                           outcome: .value(0), startNs: 0, endNs: 1))
        submit.judge(as: "io_submit.success")
        XCTAssertEqual(submit.judgement(by: .kapi)?.agrees, false, "1 iocb submitted must return 1, not 0")
    }

    func testErrnoNamesComeFromGlibc() {
        XCTAssertEqual(Errno.invalidArgument.name, "EINVAL")
        XCTAssertEqual(Errno.nowInProgress.name, "EINPROGRESS")
        XCTAssertEqual(Errno(name: "EAGAIN"), .resourceTemporarilyUnavailable)
        XCTAssertEqual(Errno(rawValue: 4000).name, "E4000")
    }

    func testJSONEscapesAndKeepsKeyOrder() {
        let doc = JSON.object([("b", .string("a\"b\n")), ("a", .array([.null, .bool(true), .integer(-3)]))])
        XCTAssertEqual(doc.serialized(indent: nil), #"{"b":"a\"b\n","a":[null,true,-3]}"#)
    }
}
