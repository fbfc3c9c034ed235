import ArgumentParser
import Foundation
import XCTest
@testable import aioctl

/// The quick reader (cancel's words read without swift-argument-parser) held
/// to the parser: a line it takes must mean what the parser makes of it, a
/// line the parser refuses must never be taken, and the plain lines scripts
/// write must be taken, or the quick path is gone without anyone noticing.
final class QuickReaderTests: XCTestCase {
    /// What the parser makes of `words` after `cancel`: nil when it refuses
    /// them or answers with help.
    func parsed(_ words: [String]) -> CancelArguments? {
        (try? CancelCommand.parse(words))?.arguments
    }

    func quick(_ words: [String]) -> CancelArguments? {
        CancelArguments.quick(words[...])
    }

    /// Sample values for every option the reader knows: good ones, and the
    /// shapes a parser might read differently (signs, empties, dashes).
    static let values: [String: [String]] = [
        "--events": ["in", "in,out", "0x41", "bogus", ""],
        "--length": ["4096", "0", "+5", "-1", "0x10", "1e3", " 5", "99999999999999999999"],
        "--offset": ["0", "4096", "-1", "+7", "x", "9223372036854775808"],
        "--after": ["0", "250us", "10ms", "1.5s", "never", "-5ms", "soon"],
        "--unblock": ["write", "close", "none", "later", "WRITE"],
        "--reap-timeout": ["1s", "0", "never", "2ms"],
        "--nr-events": ["8", "1", "0", "65537", "-3", "eight"],
        "--count": ["1", "3", "0", "-1", "two"],
        "--via": ["libaio", "syscall", "both", "raw"],
        "--expect": ["kapi", "man2", "libaio", "posix"],
        "--timeout": ["60s", "5s", "0", "never", "1h"],
        "--color": ["auto", "always", "never", "sometimes"],
    ]
    static let flags = ["--poll", "--read", "--nowait", "--ready", "--print-script", "--json", "--quiet", "-q"]
    static let targets = ["pipe", "socketpair", "eventfd", "fifo", "file:/dev/zero", "/dev/null", "fd:0", "help", "-"]

    /// Lines a script writes; every one must take the quick path.
    static let plain: [[String]] = [
        [], ["pipe"], ["--poll", "pipe"], ["--read", "pipe", "--unblock", "close"],
        ["--poll", "--ready", "socketpair", "--expect", "man2"], ["--json", "--count", "100", "eventfd"],
        ["--poll", "fd:3"], ["--read", "pipe", "--print-script"], ["pipe", "--quiet"], ["-q", "fifo"],
        ["--after=0", "--via=syscall", "socketpair"], ["--read", "--nowait", "--length", "512", "--offset", "4096", "/dev/zero"],
        ["--after", "never", "--timeout", "5s", "--reap-timeout", "2ms", "--nr-events", "1", "--color", "always", "pipe"],
        ["--events", "in,out", "eventfd"],
    ]

    func assertAgrees(_ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        let quick = quick(words)
        guard let quick else { return }
        let parsed = parsed(words)
        XCTAssertEqual(quick, parsed, "the quick reader and the parser read \(words) differently", file: file, line: line)
    }

    func testPlainLinesTakeTheQuickPathAndMeanWhatTheParserReads() {
        for words in Self.plain {
            XCTAssertNotNil(quick(words), "\(words) should not need the parser")
            assertAgrees(words)
        }
    }

    func testEveryOptionAndValueReadsAsTheParserReadsIt() {
        var taken = 0
        for (name, samples) in Self.values.sorted(by: { $0.key < $1.key }) {
            for value in samples {
                for words in [[name, value, "pipe"], ["pipe", "\(name)=\(value)"], ["--read", name, value],
                              [name, value, name, value], [name], [name, "--json"]] {
                    if quick(words) != nil { taken += 1 }
                    assertAgrees(words)
                }
            }
        }
        for flag in Self.flags {
            for words in [[flag], [flag, "pipe"], ["\(flag)=1"], [flag, flag], [flag, "--read"], [flag, "--poll"]] {
                if quick(words) != nil { taken += 1 }
                assertAgrees(words)
            }
        }
        for target in Self.targets {
            for words in [[target], ["--read", target], [target, "pipe"], ["--", target]] { assertAgrees(words) }
        }
        for words in [["-h"], ["--help"], ["help"], ["-qq"], ["--version"], ["--json", "--quiet"], ["--experimental-dump-help"]] {
            assertAgrees(words)
        }
        XCTAssertGreaterThan(taken, 100, "the reader refuses nearly everything: the quick path is not being tested")
    }

    /// Random mixes of the same words, from a fixed seed so a failure repeats.
    func testRandomLinesReadAsTheParserReadsThem() {
        var generator = SplitMix(seed: 0x5eed_c0de)
        let names = Array(Self.values.keys).sorted()
        var taken = 0
        for _ in 0..<400 {
            var words: [String] = []
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: words.append(Self.flags.randomElement(using: &generator)!)
                case 1: words.append(Self.targets.randomElement(using: &generator)!)
                default:
                    let name = names.randomElement(using: &generator)!
                    let value = Self.values[name]!.randomElement(using: &generator)!
                    if Bool.random(using: &generator) { words += [name, value] } else { words.append("\(name)=\(value)") }
                }
            }
            if quick(words) != nil { taken += 1 }
            assertAgrees(words)
        }
        XCTAssertGreaterThan(taken, 40, "too few random lines took the quick path to say anything")
    }

    /// Every option cancel declares has an entry, and no entry names an
    /// option cancel does not have; --help and swift-argument-parser's own
    /// options are the parser's alone.
    func testTheReaderKnowsExactlyTheNamesCancelDeclares() throws {
        let dump = try AioctlProcess.run(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let commands = try XCTUnwrap((tree["command"] as? [String: Any])?["subcommands"] as? [[String: Any]])
        let cancel = try XCTUnwrap(commands.first { $0["commandName"] as? String == "cancel" })
        var declared: Set<String> = []
        var positionals = 0
        for argument in cancel["arguments"] as? [[String: Any]] ?? [] {
            let names = argument["names"] as? [[String: String]] ?? []
            if argument["kind"] as? String == "positional" { positionals += 1 }
            for name in names {
                switch name["kind"] {
                case "long": declared.insert("--" + name["name"]!)
                case "short": declared.insert("-" + name["name"]!)
                default: XCTFail("a name of a kind the reader does not handle: \(name)")
                }
            }
        }
        declared.subtract(["--help", "-h", "--version"])
        XCTAssertEqual(Set(CancelArguments.reader.names), declared)
        XCTAssertEqual(CancelArguments.reader.positionals.count, positionals)
    }

    func testVersionPrintsWhatTheParserPrints() {
        XCTAssertThrowsError(try Aioctl.parseAsRoot(["--version"])) { error in
            XCTAssertEqual(Aioctl.fullMessage(for: error), Aioctl.configuration.version)
        }
        guard case .version? = QuickCommand(arguments: ["aioctl", "--version"]) else {
            return XCTFail("--version alone should not need the parser")
        }
        XCTAssertNil(QuickCommand(arguments: ["aioctl", "--version", "--help"]))
        XCTAssertNil(QuickCommand(arguments: ["aioctl", "check"]))
    }
}

/// A small seeded generator (SplitMix64), so random lines repeat run to run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
