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
            // One claim per source, or one per argument condition of that source.
            for source in Source.allCases {
                let mine = s.claims.filter { $0.source == source }
                XCTAssertTrue(mine.count <= 1 || mine.allSatisfy { $0.condition != nil },
                              "\(s.id): several \(source) claims need argument conditions to tell them apart")
            }
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

    func testEveryClaimCitesItsOwnDocument() {
        for s in Catalog.all {
            for claim in s.claims {
                XCTAssertFalse(claim.citations.isEmpty, "\(s.id) \(claim.source)")
                XCTAssertTrue(claim.citations.allSatisfy { $0.source == claim.source }, "\(s.id) \(claim.source)")
                XCTAssertTrue(claim.applies(to: s.syscall), "\(s.id) \(claim.source) cites text about another call")
            }
        }
    }

    /// man-pages 6.03 has no io_pgetevents(2): io_getevents(2)'s claims do not judge it.
    func testNoMan2ClaimJudgesIoPgetevents() {
        var call = JudgedCall(CallRecord(syscall: .io_pgetevents, via: .syscall, args: [(name: "nr", value: "8")],
                                         outcome: .error(.invalidArgument), startNs: 0, endNs: 1))
        call.judge(as: "io_getevents.bad-ctx")
        XCTAssertNil(call.judgement(by: .man2))
        XCTAssertEqual(call.judgement(by: .libaio)?.agrees, true, "io_getevents(3) documents io_pgetevents too")
    }

    /// kapi's range for nr_events is 1..8388608, and above aio-max-nr it says EAGAIN:
    /// 4194305 is EAGAIN to it; past the range it is EINVAL.
    func testKapiNrEventsClaimFollowsTheDraftsRange() {
        func kapiErrno(_ nr: Int) -> String? {
            var call = JudgedCall(CallRecord(syscall: .io_setup, via: .syscall, args: [(name: "nr_events", value: "\(nr)")],
                                             outcome: .error(.invalidArgument), startNs: 0, endNs: 1))
            call.judge(as: "io_setup.nr-over-internal-limit")
            return call.judgement(by: .kapi)?.expectedErrno
        }
        XCTAssertEqual(kapiErrno(4_194_305), "EAGAIN")
        XCTAssertEqual(kapiErrno(8_388_609), "EINVAL")
    }

    /// Both pages copy the cancelled event to *result: an unwritable result is EFAULT to them.
    func testPagesPredictEFAULTForAnUnwritableResult() {
        var call = record(.error(.nowInProgress), args: [("result", "NULL")])
        call.judge(as: "io_cancel.pending-poll")
        XCTAssertEqual(call.judgement(by: .man2)?.expectedErrno, "EFAULT")
        XCTAssertEqual(call.judgement(by: .libaio)?.expectedErrno, "EFAULT")
        XCTAssertEqual(call.judgement(by: .kapi)?.agrees, true)
    }

    func testLibaioClaimsForIoSetupNameTheWrappersPage() {
        for s in Catalog.situations(for: .io_setup) {
            for claim in s.claims where claim.source == .libaio {
                XCTAssertTrue(claim.reference.contains("io_queue_init(3)"), claim.reference)
                XCTAssertTrue(claim.reference.contains("no io_setup(3)"), claim.reference)
            }
        }
    }

    private func record(_ outcome: Outcome, via: Via = .libaio, args: [(String, String)] = []) -> JudgedCall {
        JudgedCall(CallRecord(syscall: .io_cancel, via: via, args: args.map { (name: $0.0, value: $0.1) },
                              outcome: outcome, startNs: 0, endNs: 1))
    }

    func testJudgingAPendingPollCancelThatReturnedEINPROGRESS() throws {
        var call = record(.error(.nowInProgress), args: [("result", "0x7f0000001000")])
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
