import ArgumentParser
import Foundation
import XCTest
@testable import aioctl

/// The quick reader (the words of cancel, setup, submit, getevents and
/// destroy read without swift-argument-parser) held to the parser: a line it
/// takes must mean what the parser makes of it, a line the parser refuses
/// must never be taken, and the plain lines scripts write must be taken, or
/// the quick path is gone without anyone noticing. One Door per command;
/// adding a command to QuickCommand means adding its Door here.
final class QuickReaderTests: XCTestCase {
    /// One command's two readers, and the words to try on them.
    struct Door {
        let name: String
        /// For `words`: whether the quick reader took them, and if so whether
        /// the parser read the same values (with both readings, for the message).
        let compare: ([String]) -> (taken: Bool, agrees: Bool, detail: String)
        let names: [String]
        let positionalCount: Int
        /// Sample values for every option that takes one: good ones, and the
        /// shapes a parser might read differently (signs, empties, dashes).
        let values: [String: [String]]
        let flags: [String]
        let positionals: [String]
        /// Lines a script writes; every one must take the quick path.
        let plain: [[String]]

        init<A: Equatable>(_ name: String, parse: @escaping ([String]) throws -> A, quick: @escaping ([String]) -> A?,
                           reader: QuickReader<A>, values: [String: [String]], flags: [String],
                           positionals: [String], plain: [[String]]) {
            self.name = name
            compare = { words in
                guard let quick = quick(words) else { return (false, true, "") }
                let parsed = try? parse(words)
                return (true, quick == parsed, "quick: \(quick)\nparser: \(parsed.map { "\($0)" } ?? "refused")")
            }
            names = reader.names
            positionalCount = reader.positionals.count
            self.values = values
            self.flags = flags
            self.positionals = positionals
            self.plain = plain
        }
    }

    static let sharedValues: [String: [String]] = [
        "--via": ["libaio", "syscall", "both", "raw"],
        "--expect": ["kapi", "man2", "libaio", "posix"],
        "--color": ["auto", "always", "never", "sometimes"],
    ]
    static let sharedFlags = ["--json", "--quiet", "-q"]
    static let singleCallFlags = sharedFlags + ["--verbose", "-v", "--print-script"]

    static var doors: [Door] { [
        Door("cancel", parse: { try CancelCommand.parse($0).arguments }, quick: { CancelArguments.quick($0[...]) },
             reader: CancelArguments.reader,
             values: sharedValues.merging([
                "--events": ["in", "in,out", "0x41", "bogus", ""],
                "--length": ["4096", "0", "+5", "-1", "0x10", "1e3", " 5", "99999999999999999999"],
                "--offset": ["0", "4096", "-1", "+7", "x", "9223372036854775808"],
                "--after": ["0", "250us", "10ms", "1.5s", "never", "-5ms", "soon"],
                "--unblock": ["write", "close", "none", "later", "WRITE"],
                "--reap-timeout": ["1s", "0", "never", "2ms"],
                "--nr-events": ["8", "1", "0", "65537", "-3", "eight"],
                "--count": ["1", "3", "0", "-1", "two"],
                "--timeout": ["60s", "5s", "0", "never", "1h"],
             ]) { a, _ in a },
             flags: sharedFlags + ["--poll", "--read", "--nowait", "--ready", "--print-script"],
             positionals: ["pipe", "socketpair", "eventfd", "fifo", "file:/dev/zero", "/dev/null", "fd:0", "help", "-"],
             plain: [
                [], ["pipe"], ["--poll", "pipe"], ["--read", "pipe", "--unblock", "close"],
                ["--poll", "--ready", "socketpair", "--expect", "man2"], ["--json", "--count", "100", "eventfd"],
                ["--poll", "fd:3"], ["--read", "pipe", "--print-script"], ["pipe", "--quiet"], ["-q", "fifo"],
                ["--after=0", "--via=syscall", "socketpair"],
                ["--read", "--nowait", "--length", "512", "--offset", "4096", "/dev/zero"],
                ["--after", "never", "--timeout", "5s", "--reap-timeout", "2ms", "--nr-events", "1", "--color", "always", "pipe"],
                ["--events", "in,out", "eventfd"],
             ]),
        Door("setup", parse: { try SetupCommand.parse($0).arguments }, quick: { SetupArguments.quick($0[...]) },
             reader: SetupArguments.reader,
             values: sharedValues.merging([
                "--ctxp": ["valid", "null", "unmapped", "readonly", "bogus"],
                "--preset": ["0x1", "7", "x", "-1"],
             ]) { a, _ in a },
             flags: singleCallFlags,
             positionals: ["0", "8", "4194305", "99999999999999999999", "-1", "x", "+3"],
             plain: [[], ["0"], ["8", "--ctxp", "unmapped", "--via", "syscall"], ["1", "--json"], ["8", "-v"],
                     ["--preset", "0x1", "8"]]),
        Door("submit", parse: { try SubmitCommand.parse($0).arguments }, quick: { SubmitArguments.quick($0[...]) },
             reader: SubmitArguments.reader,
             values: sharedValues.merging([
                "--op": ["poll", "pread", "noop", "opcode 9", "7", "bogus"],
                "--events": ["in", "in,rdhup", "x"],
                "--length": ["1", "0", "-1", "x", "+2"],
                "--offset": ["0", "-1", "4096"],
                "--rw-flags": ["nowait", "hipri,dsync", "8"],
                "--reserved2": ["0", "1", "-1", "18446744073709551616"],
                "--nr": ["1", "0", "-1", "x"],
                "--copies": ["1", "4", "0", "x"],
                "--reap-timeout": ["100ms", "0", "never", "x"],
             ]) { a, _ in a },
             flags: singleCallFlags + ["--ready"],
             positionals: ["pipe", "socketpair", "/etc/hostname", "fd:0", "file:/dev/zero", "-"],
             plain: [[], ["--op", "pread", "/etc/hostname"], ["--op", "poll", "--events", "in,rdhup", "socketpair"],
                     ["--op", "noop", "--print-script"], ["--ready", "--op", "pread", "pipe", "--json"],
                     ["--copies", "4", "--nr", "2", "--reap-timeout", "10ms", "pipe", "-q"]]),
        Door("getevents", parse: { try GeteventsCommand.parse($0).arguments }, quick: { GeteventsArguments.quick($0[...]) },
             reader: GeteventsArguments.reader,
             values: sharedValues.merging([
                "--min": ["1", "0", "-1", "x"],
                "--max": ["8", "0", "-1", "x"],
                "--timeout": ["100ms", "none", "invalid", "unmapped", "-1"],
                "--events-pointer": ["valid", "null", "unmapped", "readonly"],
                "--ready": ["0", "2", "-1", "x"],
                "--pending": ["0", "1", "x"],
             ]) { a, _ in a },
             flags: singleCallFlags,
             positionals: ["x"],
             plain: [[], ["--ready", "2", "--min", "1", "--max", "4"], ["--min", "2", "--max", "1", "--timeout", "10ms"],
                     ["--events-pointer", "null", "--json"]]),
        Door("destroy", parse: { try DestroyCommand.parse($0).arguments }, quick: { DestroyArguments.quick($0[...]) },
             reader: DestroyArguments.reader,
             values: sharedValues.merging(["--ctx": ["valid", "destroyed", "0", "garbage", "unmapped", "-1"]]) { a, _ in a },
             flags: singleCallFlags + ["--pending-poll"],
             positionals: ["x"],
             plain: [[], ["--ctx", "destroyed"], ["--pending-poll", "--json"], ["--ctx", "garbage", "--via", "syscall", "-v"]]),
    ] }

    func assertAgrees(_ door: Door, _ words: [String], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let (taken, agrees, detail) = door.compare(words)
        XCTAssertTrue(agrees, "\(door.name) \(words): the quick reader and the parser differ\n\(detail)", file: file, line: line)
        return taken
    }

    func testPlainLinesTakeTheQuickPathAndMeanWhatTheParserReads() {
        for door in Self.doors {
            for words in door.plain {
                XCTAssertTrue(assertAgrees(door, words), "\(door.name) \(words) should not need the parser")
            }
        }
    }

    func testEveryOptionAndValueReadsAsTheParserReadsIt() {
        for door in Self.doors {
            var taken = 0
            let positional = door.positionals.first.map { [$0] } ?? []
            for (name, samples) in door.values.sorted(by: { $0.key < $1.key }) {
                for value in samples {
                    for words in [[name, value] + positional, positional + ["\(name)=\(value)"], [name, value, name, value],
                                  [name], [name, "--json"], [name, value, "--json"]] where assertAgrees(door, words) {
                        taken += 1
                    }
                }
            }
            for flag in door.flags {
                for words in [[flag], [flag] + positional, ["\(flag)=1"], [flag, flag], [flag, "--json"]]
                where assertAgrees(door, words) {
                    taken += 1
                }
            }
            for word in door.positionals {
                for words in [[word], [word, "--json"], [word, word], ["--", word]] where assertAgrees(door, words) {
                    taken += 1
                }
            }
            for words in [["-h"], ["--help"], ["help"], ["-qq"], ["--version"], ["--json", "--quiet"],
                          ["--experimental-dump-help"], ["--generate-completion-script", "bash"]] {
                _ = assertAgrees(door, words)
            }
            XCTAssertGreaterThan(taken, 20, "\(door.name): the reader refuses nearly everything: the quick path is not being tested")
        }
    }

    /// Random mixes of the same words, from a fixed seed so a failure repeats.
    func testRandomLinesReadAsTheParserReadsThem() {
        var generator = SplitMix(seed: 0x5eed_c0de)
        for door in Self.doors {
            let names = door.values.keys.sorted()
            var taken = 0
            for _ in 0..<150 {
                var words: [String] = []
                for _ in 0..<Int.random(in: 0...5, using: &generator) {
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0: words.append(door.flags.randomElement(using: &generator)!)
                    case 1: words.append(door.positionals.randomElement(using: &generator)!)
                    default:
                        let name = names.randomElement(using: &generator)!
                        let value = door.values[name]!.randomElement(using: &generator)!
                        if Bool.random(using: &generator) { words += [name, value] } else { words.append("\(name)=\(value)") }
                    }
                }
                if assertAgrees(door, words) { taken += 1 }
            }
            XCTAssertGreaterThan(taken, 10, "\(door.name): too few random lines took the quick path to say anything")
        }
    }

    /// Every option each command declares has an entry, and no entry names
    /// an option the command does not have; --help and swift-argument-parser's
    /// own options are the parser's alone.
    func testEachReaderKnowsExactlyTheNamesItsCommandDeclares() throws {
        let dump = try AioctlProcess.run(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let commands = try XCTUnwrap((tree["command"] as? [String: Any])?["subcommands"] as? [[String: Any]])
        for door in Self.doors {
            let command = try XCTUnwrap(commands.first { $0["commandName"] as? String == door.name })
            var declared: Set<String> = []
            var positionals = 0
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                if argument["kind"] as? String == "positional" { positionals += 1 }
                for name in argument["names"] as? [[String: String]] ?? [] {
                    switch name["kind"] {
                    case "long": declared.insert("--" + name["name"]!)
                    case "short": declared.insert("-" + name["name"]!)
                    default: XCTFail("\(door.name): a name of a kind the reader does not handle: \(name)")
                    }
                }
            }
            declared.subtract(["--help", "-h", "--version"])
            XCTAssertEqual(Set(door.names), declared, door.name)
            XCTAssertEqual(door.positionalCount, positionals, door.name)
            // Every option with a value has samples here, every flag is tried.
            XCTAssertEqual(Set(door.values.keys).union(door.flags), declared, "\(door.name): samples for every option")
        }
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
