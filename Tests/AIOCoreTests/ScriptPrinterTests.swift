@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import XCTest

/// The printer writes what the parser reads back: a printed program is the program.
final class ScriptPrinterTests: XCTestCase {
    func testEveryScenarioProgramRoundTripsThroughText() throws {
        for scenario in Scenarios.all {
            let program = scenario.program()
            let reparsed = try ScriptParser.parse(program.script(for: scenario))
            XCTAssertEqual(reparsed.map(\.statement), program.lines.map(\.statement), scenario.name)
            XCTAssertEqual(reparsed.map(\.number), program.lines.map(\.number), scenario.name)
            var checker = ScriptChecker()
            for line in reparsed { XCTAssertNoThrow(try checker.check(line), "\(scenario.name) line \(line.number)") }
        }
    }

    func testStatementsWithEveryOptionRoundTrip() throws {
        let source = """
        ctx a = setup 8 ctxp=readonly preset=0x5 via=syscall
        tmpfile f
        pipe p
        iocb r = pread f.read len=16 off=-1 rwflags=0x48 reserved2=0x1 reqprio=3 data=0x9 key=2
        iocb q[3] = poll p.read events=0x5
        iocb v = preadv f.read iovcnt=4
        iocb w = pwrite f.write buf=null resfd=p.read flags=0x2
        submit a q[0..1] r iocbpp=valid nr=2
        submit a iocbpp=allones nr=1
        after 250us cancel a r result=unmapped
        await r within=1ms
        pgetevents a min=1 max=4 timeout=invalid events=readonly mask=SIGUSR1,SIGUSR2
        pgetevents a min=0 max=1 timeout=none mask=unmapped
        reap a count=2 within=10ms
        fork destroy a
        aionr
        aionr back within=20ms
        wait 1.5s
        signal SIGUSR1 after 10ms handler
        signal SIGUSR2 after 1ms restart
        ctx k = setup 1 ctxp=kernel
        iocb big = pread f.read len=18446744073709551615 iovcnt=1 page=readonly
        iocb many = preadv f.read iovcnt=1025 rawresfd=p.read
        submit a kernel r iocbpp=readonly
        cancel a kernel result=kernel
        getevents a min=0 max=100000 timeout={0,1000000000} events=straddle:2
        getevents a timeout={-1,0}
        getevents a timeout=kernel events=kernel
        pgetevents a mask=SIGUSR1 usig=readonly sigsetsize=16 via=syscall
        set r data=0x99 key=1 off=-1
        show timeout
        fadvise f.read dontneed off=4096 len=8192
        stop 50ms
        after 10ms stop 20ms
        without CAP_SYS_ADMIN,CAP_SYS_NICE submit a r
        getevents fakering min=0 max=1 timeout=0
        destroy fakering
        """
        let lines = try ScriptParser.parse(source)
        for line in lines {
            let printed = ScriptPrinter.text(line.statement)
            let back = try XCTUnwrap(ScriptParser.parseLine(printed, number: line.number))
            XCTAssertEqual(back.statement, line.statement, printed)
        }
    }
}
