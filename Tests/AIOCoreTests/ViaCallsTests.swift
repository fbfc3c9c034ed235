@testable import AIOKernel
import CAio
import Glibc
import SystemPackage
import XCTest

/// Via's calls, the one libaio/syscall switch, against the real kernel: each
/// convention returns its own form, and both read the same in libaio's form
/// and as an Outcome.
final class ViaCallsTests: XCTestCase {
    func testAFailureReadsTheSameThroughEitherConvention() throws {
        // Handle 0 is no context: every call on it fails with EINVAL.
        let lib = Via.libaio.destroy(0)
        XCTAssertEqual(lib.value, -Int(EINVAL), "libaio's wrapper returns -errno")
        XCTAssertEqual(lib.errorNumber, 0)
        let sys = Via.syscall.destroy(0)
        XCTAssertEqual(sys.value, -1, "syscall(2) returns -1")
        XCTAssertEqual(sys.errorNumber, EINVAL, "and sets errno")
        // Whatever the kernel answers (a null iocb on handle 0 is EFAULT
        // before EINVAL), both conventions must read as the same answer.
        let pairs = [(lib, sys),
                     (Via.libaio.submit(0, nr: 1, iocbpp: nil), Via.syscall.submit(0, nr: 1, iocbpp: nil)),
                     (Via.libaio.cancel(0, iocb: nil, result: nil), Via.syscall.cancel(0, iocb: nil, result: nil))]
        for (index, (viaLibaio, viaSyscall)) in pairs.enumerated() {
            XCTAssertLessThan(viaLibaio.negatedErrnoForm, 0, "call \(index) fails")
            XCTAssertEqual(viaLibaio.negatedErrnoForm, viaSyscall.negatedErrnoForm, "call \(index)")
            XCTAssertEqual(viaLibaio.outcome, viaSyscall.outcome, "call \(index)")
            XCTAssertEqual(viaLibaio.outcome, .error(Errno(rawValue: Int32(-viaLibaio.value))), "call \(index)")
        }
    }

    func testASuccessReadsTheSameThroughEitherConvention() throws {
        for via in Via.allCases {
            var ctx: caio_context_t = 0
            let setup = via.setup(nrEvents: 1, ctxp: &ctx)
            guard setup.negatedErrnoForm == 0 else {
                throw XCTSkip("io_setup via \(via) failed here (\(setup.negatedErrnoForm)): AIO unavailable")
            }
            XCTAssertEqual(setup.outcome, .value(0))
            XCTAssertNotEqual(ctx, 0, "the kernel wrote the handle")
            var event = caio_event()
            let reaped = via.getevents(ctx, minNr: 0, nr: 1, events: &event, timeout: nil)
            XCTAssertEqual(reaped.value, 0, "nothing submitted, nothing to reap (\(via))")
            XCTAssertEqual(via.destroy(ctx).outcome, .value(0), "\(via)")
        }
    }
}
