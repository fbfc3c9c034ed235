import AIOEngine
import AIODocuments
import AIOKernel
import XCTest

/// The scenario table against the catalog: every claim is provoked or has a reason.
final class CheckTableTests: XCTestCase {
    func testEverySituationWithAClaimIsProvokedOrExplained() {
        for situation in Catalog.all where !situation.claims.isEmpty {
            let provoked = !Scenarios.provoking(situation.id).isEmpty
            let reason = Scenarios.notProvokable[situation.id]
            XCTAssertTrue(provoked || reason != nil,
                          "\(situation.id) is neither provoked by a scenario nor marked not provokable")
            XCTAssertFalse(provoked && reason != nil,
                           "\(situation.id) is provoked by a scenario but also marked not provokable")
        }
    }

    /// The pool starts the longest runs first; a wrong guess left a 50 ms wait
    /// and its destroy to start last, after everything else.
    func testLongestFirstSeesWaitsThatASignalOrAMaskLengthens() throws {
        func expected(_ name: String) throws -> Int { try XCTUnwrap(Scenarios.named(name)).expectedMs }
        // A signal ends the wait (the timeout is out of range, so only the signal can).
        XCTAssertEqual(try expected("io_getevents.timeout-nsec-negative-waits"), 50)
        // A blocked signal does not: the whole 40 ms timeout.
        XCTAssertEqual(try expected("io_pgetevents.mask-blocks-signal"), 40)
        // An event made ready first: the 500 ms timeout is never waited.
        XCTAssertEqual(try expected("io_getevents.one-ready"), 0)
        // Four real destroys, each a grace period.
        XCTAssertEqual(try expected("io_destroy.read-blocked-in-submit"), 120)
        XCTAssertEqual(try expected("io_destroy.ctx-zero"), 0)
    }

    func testNotProvokableNamesRealSituations() {
        for id in Scenarios.notProvokable.keys {
            XCTAssertNotNil(Catalog.situation(id), "notProvokable names an unknown situation \(id)")
        }
    }

    func testTableIsLargeEnoughAndNamesAreUnique() {
        XCTAssertGreaterThanOrEqual(Scenarios.all.count, 40)
        XCTAssertEqual(Set(Scenarios.all.map(\.name)).count, Scenarios.all.count)
        for s in Scenarios.all {
            XCTAssertTrue(s.name.hasPrefix(s.syscall.rawValue + "."), "\(s.name) should start with \(s.syscall)")
        }
    }

    func testEveryIoCancelSituationOfTheIssueHasAScenario() {
        for name in ["pending-poll-pipe", "pending-poll-socketpair", "pending-poll-eventfd", "same-iocb-twice",
                     "completed-poll", "completed-pread", "pread-blocked-in-submit", "never-submitted",
                     "iocb-null", "iocb-unmapped", "ctx-zero", "ctx-destroyed", "other-ctx",
                     "pending-poll-result-null"] {
            XCTAssertNotNil(Scenarios.named("io_cancel." + name), "missing io_cancel.\(name)")
        }
    }
}
