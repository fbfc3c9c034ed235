@testable import AIOEngine
@testable import AIODocuments
@testable import AIOKernel
import XCTest

/// Every statement of the step language, and every kind of syntax error
/// with its line and column.
final class ScriptParserTests: XCTestCase {
    func parse(_ line: String) throws -> Statement {
        try XCTUnwrap(try ScriptParser.parseLine(line, number: 1)).statement
    }

    func testEveryStatement() throws {
        var poll = IocbDecl(opcode: 5, opcodeName: "poll")
        poll.fd = .named("p", end: "read")
        poll.pollEvents = 0x2001
        var pread = IocbDecl(opcode: 0, opcodeName: "pread")
        pread.fd = .named("f")
        pread.length = 512
        pread.offset = 4096
        pread.buffer = .unmapped
        pread.rwFlags = 0x8 | 0x1
        pread.reserved2 = 1
        pread.resfd = .named("e")
        pread.aioFlags = 1 | 2
        pread.reqprio = 2 << 13 | 4
        pread.data = 0x1234
        var raw = IocbDecl(opcode: 42, opcodeName: "opcode 42")
        raw.fd = .raw(3)
        var preadv = IocbDecl(opcode: 7, opcodeName: "preadv")
        preadv.fd = .named("f")
        preadv.iovecs = 4
        preadv.buffer = .own(size: 8192)
        let cases: [(String, Statement)] = [
            ("ctx a = setup 8", .setup(name: "a", nrEvents: 8, ctxp: .valid, preset: 0, via: nil)),
            ("ctx big = setup -1 ctxp=unmapped via=syscall",
             .setup(name: "big", nrEvents: -1, ctxp: .unmapped, preset: 0, via: .syscall)),
            ("ctx a = setup 1 preset=0x10", .setup(name: "a", nrEvents: 1, ctxp: .valid, preset: 16, via: nil)),
            ("pipe p", .descriptor(.pipe, name: "p")),
            ("socketpair s", .descriptor(.socketpair, name: "s")),
            ("eventfd e", .descriptor(.eventfd, name: "e")),
            ("fifo f", .descriptor(.fifo, name: "f")),
            ("open f /etc/hostname rdonly direct", .open(name: "f", path: "/etc/hostname", flags: [.rdonly, .direct])),
            ("open g \"/tmp/a b\" wronly create", .open(name: "g", path: "/tmp/a b", flags: [.wronly, .create])),
            ("close p.write", .close(.named("p", end: "write"))),
            ("write p.write 3", .write(.named("p", end: "write"), bytes: 3)),
            ("read s.1 16", .read(.named("s", end: "1"), bytes: 16)),
            ("iocb r = poll p.read in,rdhup", .iocb(name: "r", poll)),
            ("iocb r = pread f len=512 off=4096 buf=unmapped rwflags=nowait,hipri reserved2=1 resfd=e ioprio=be:4 data=0x1234",
             .iocb(name: "r", pread)),
            ("iocb r = opcode 42 3", .iocb(name: "r", raw)),
            ("iocb r = preadv f iovcnt=4 bufsize=8192", .iocb(name: "r", preadv)),
            ("submit a r1 null r2", .submit(.named("a"), items: [.iocb("r1"), .null, .iocb("r2")], iocbpp: .valid, nr: nil, via: nil)),
            ("submit a r1 nr=-1", .submit(.named("a"), items: [.iocb("r1")], iocbpp: .valid, nr: -1, via: nil)),
            ("submit 0 iocbpp=null nr=1", .submit(.zero, items: [], iocbpp: .null, nr: 1, via: nil)),
            ("cancel a r1 result=null", .cancel(.named("a"), .iocb("r1"), result: .null, via: nil)),
            ("cancel garbage unmapped", .cancel(.garbage, .unmapped, result: .valid, via: nil)),
            ("getevents a min=1 max=2 timeout=100ms",
             .getevents(.named("a"), min: 1, max: 2, timeout: .duration(100_000_000), events: .valid, mask: nil, via: nil)),
            ("getevents a min=2 max=1 timeout=none events=unmapped via=libaio",
             .getevents(.named("a"), min: 2, max: 1, timeout: .none, events: .unmapped, mask: nil, via: .libaio)),
            ("pgetevents a timeout=invalid mask=SIGUSR1",
             .getevents(.named("a"), min: 1, max: 8, timeout: .outOfRange, events: .valid, mask: .signals([10]), via: nil)),
            ("destroy 0x7f0000001000", .destroy(.literal(0x7f00_0000_1000), via: nil)),
            ("after 10ms cancel a r1", .after(10_000_000, .cancel(.named("a"), .iocb("r1"), result: .valid, via: nil))),
            ("after 1s write p.write 1", .after(1_000_000_000, .write(.named("p", end: "write"), bytes: 1))),
            ("sleep 250us", .sleep(250_000)),
            ("signal SIGUSR1 after 5ms nohandler", .signal(10, afterNs: 5_000_000, handler: false)),
            ("signal usr2", .signal(12, afterNs: nil, handler: true)),
            ("show r1", .show(.iocb("r1"))),
            ("show ring a", .show(.ring(.named("a")))),
            ("show handles", .show(.handles)),
            ("via syscall", .via(.syscall)),
            ("help", .help),
            ("destroy a   # trailing comment", .destroy(.named("a"), via: nil)),
        ]
        for (line, expected) in cases {
            XCTAssertEqual(try parse(line), expected, line)
        }
    }

    func testBlankLinesAndCommentsYieldNothing() throws {
        let lines = try ScriptParser.parse("# a comment\n\n   \nctx a = setup 1\n  # more\ndestroy a\n")
        XCTAssertEqual(lines.map(\.number), [4, 6])
    }

    func testErrorsNameLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("ctx a = setup 8\nsubmitt a r", 2, 1, "unknown statement 'submitt'"),
            ("ctx a setup 8", 1, 7, "expected '='"),
            ("ctx a = setup", 1, 14, "expected nr_events"),
            ("ctx a = setup eight", 1, 15, "expected nr_events, found 'eight'"),
            ("ctx null = setup 1", 1, 5, "not a usable name"),
            ("iocb r = pread", 1, 15, "pread needs a descriptor"),
            ("iocb r = frobnicate p", 1, 10, "unknown operation 'frobnicate'"),
            ("iocb r = poll p.read inn", 1, 22, "unknown poll bit 'inn'"),
            ("iocb r = pread f rwflags=fast", 1, 26, "unknown rw flag 'fast'"),
            ("iocb r = pread f ioprio=ultra:1", 1, 25, "unknown I/O priority class 'ultra'"),
            ("iocb r = pread f len=-5", 1, 22, "len cannot be negative"),
            ("cancel a r result=maybe", 1, 19, "result takes valid, null, unmapped, readonly, allones, kernel"),
            ("getevents a colour=red", 1, 13, "unknown option 'colour'"),
            ("getevents a min=1 min=2", 1, 19, "'min' given twice"),
            ("getevents a timeout=10", 1, 21, "not a duration"),
            ("sleep forever", 1, 7, "not a duration"),
            ("after 5ms pipe p", 1, 1, "'after' runs a call"),
            ("after 5ms after 1ms destroy a", 1, 1, "cannot hold another"),
            ("signal SIGFOO", 1, 8, "unknown signal 'SIGFOO'"),
            ("open f /x sideways", 1, 11, "unknown open flag 'sideways'"),
            ("submit a r1 nr=2", 1, 16, "nr=2 is more than the 1 iocb(s) listed"),
            ("destroy a b", 1, 11, "expected key=value"),
            ("open f \"/tmp/x", 1, 8, "unterminated quote"),
            ("via posix", 1, 5, "via takes libaio or syscall"),
        ]
        for (script, line, column, fragment) in cases {
            XCTAssertThrowsError(try ScriptParser.parse(script), script) { error in
                guard let e = error as? ScriptParseError else { return XCTFail("\(script): \(error)") }
                XCTAssertEqual(e.line, line, "\(script): \(e)")
                XCTAssertEqual(e.column, column, "\(script): \(e)")
                XCTAssertTrue(e.message.contains(fragment), "\(script): \(e.message)")
            }
        }
    }
}
