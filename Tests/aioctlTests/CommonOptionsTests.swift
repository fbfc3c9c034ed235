import Foundation
import XCTest

/// --via, --expect, --json, --quiet and --timeout: one spelling, one meaning,
/// one default and one help text in every command that takes them, as the
/// command tree itself (`aioctl --experimental-dump-help`, which the man page
/// and the completions are made from) describes them.
final class CommonOptionsTests: XCTestCase {
    static let shared = ["via", "expect", "json", "quiet", "timeout"]

    /// Where an option of a shared name means something else, and why.
    static let exceptions: [String: String] = [
        "check --via": "check can also run every scenario both ways, and does by default",
        "getevents --timeout": "io_getevents' own timeout argument, which the command is about",
    ]

    /// Which commands take each shared option. A new command, or a shared
    /// option dropped from one, has to be decided here on purpose.
    static let takers: [String: Set<String>] = {
        let judging: Set = ["cancel", "check", "run", "shell", "setup", "submit", "getevents", "destroy"]
        let answering = judging.union(["race", "bench", "info", "review", "diff"])
        return [
            "via": judging.union(["race", "bench", "info"]),
            "expect": judging,
            "json": answering.union(["spec"]),
            "quiet": answering,
            "timeout": ["cancel", "run", "shell", "getevents"],
        ]
    }()

    typealias Argument = [String: Any]

    /// Every subcommand's arguments, by command name.
    func commandTree() throws -> [String: [Argument]] {
        let dump = try AioctlProcess.run(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let subcommands = try XCTUnwrap((tree["command"] as? [String: Any])?["subcommands"] as? [[String: Any]])
        var commands: [String: [Argument]] = [:]
        for command in subcommands {
            let name = try XCTUnwrap(command["commandName"] as? String)
            if name != "help" { commands[name] = command["arguments"] as? [Argument] ?? [] }
        }
        XCTAssertGreaterThan(commands.count, 10, "the dump lists too few commands")
        return commands
    }

    func long(_ argument: Argument) -> String? {
        (argument["names"] as? [[String: String]])?.first { $0["kind"] == "long" }?["name"]
    }

    /// What a reader of --help or the man page sees of one option.
    func description(_ argument: Argument) -> String {
        let names = (argument["names"] as? [[String: String]] ?? []).map { ($0["kind"] ?? "") + ":" + ($0["name"] ?? "") }
        let fields: [String] = [
            "names " + names.sorted().joined(separator: ","),
            "kind \(argument["kind"] ?? "")",
            "value \(argument["valueName"] ?? "")",
            "default \(argument["defaultValue"] ?? "none")",
            "values \((argument["allValues"] as? [String])?.joined(separator: ",") ?? "any")",
            "optional \(argument["isOptional"] ?? "")",
            "abstract \(argument["abstract"] ?? "")",
            "discussion \(argument["discussion"] ?? "")",
        ]
        return fields.joined(separator: "\n")
    }

    func testEachSharedOptionReadsTheSameInEveryCommand() throws {
        let commands = try commandTree()
        for option in Self.shared {
            var seen: [String: [String]] = [:]  // description -> commands
            for (command, arguments) in commands.sorted(by: { $0.key < $1.key }) {
                guard Self.exceptions["\(command) --\(option)"] == nil,
                      let argument = arguments.first(where: { long($0) == option }) else { continue }
                seen[description(argument), default: []].append(command)
            }
            XCTAssertFalse(seen.isEmpty, "no command takes --\(option)")
            XCTAssertEqual(seen.count, 1, """
                --\(option) is described \(seen.count) ways:
                \(seen.map { "  \($0.value.joined(separator: ", ")):\n    "
                    + $0.key.replacingOccurrences(of: "\n", with: "\n    ") }.joined(separator: "\n"))
                """)
        }
    }

    func testTheCommandsThatTakeEachSharedOption() throws {
        let commands = try commandTree()
        for option in Self.shared {
            let takers = Set(commands.filter { $0.value.contains { long($0) == option } }.keys)
            XCTAssertEqual(takers, Self.takers[option], "the commands that take --\(option)")
        }
    }

    /// The exceptions differ only where their reason says.
    func testTheExceptionsKeepTheSharedSpelling() throws {
        let commands = try commandTree()
        func option(_ name: String, of command: String) throws -> Argument {
            try XCTUnwrap(commands[command]?.first { long($0) == name }, "\(command) has no --\(name)")
        }
        let via = try option("via", of: "run"), checkVia = try option("via", of: "check")
        XCTAssertEqual(checkVia["valueName"] as? String, via["valueName"] as? String)
        XCTAssertEqual(checkVia["allValues"] as? [String], (via["allValues"] as? [String] ?? []) + ["both"])
        XCTAssertEqual(checkVia["defaultValue"] as? String, "both")
        let shared = try XCTUnwrap(via["abstract"] as? String)
        let common = shared.components(separatedBy: ", or raw").first ?? shared
        XCTAssertTrue((checkVia["abstract"] as? String ?? "").hasPrefix(common),
                      "check's --via should start as the others do: \(common)")
        let callTimeout = try option("timeout", of: "getevents")
        XCTAssertTrue((callTimeout["abstract"] as? String ?? "").contains("none"),
                      "getevents --timeout is the call's argument")
    }

    // MARK: the new spellings do what their help says

    /// One quick scenario through one convention.
    static let scenario = ["check", "--filter", "io_setup.nr-0", "--via", "syscall"]

    func testCheckJSONIsFormatJSON() throws {
        let viaFormat = try AioctlProcess.run(Self.scenario + ["--format", "json"])
        let viaFlag = try AioctlProcess.run(Self.scenario + ["--json"])
        XCTAssertEqual(viaFlag.status, viaFormat.status, viaFlag.stderr)
        func runs(_ text: String) throws -> [String] {
            let runs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
            return runs.map { "\($0["name"] ?? "") \($0["via"] ?? "") \($0["verdict"] ?? "") \($0["return"] ?? "")" }
        }
        XCTAssertEqual(try runs(viaFlag.stdout), try runs(viaFormat.stdout))
        XCTAssertEqual(try runs(viaFlag.stdout).count, 1)
        let listed = try AioctlProcess.run(["check", "--list", "--filter", "io_setup.nr-0", "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.hasPrefix("["), "check --list --json lists in JSON: \(listed.stdout)")
    }

    func testQuietPrintsNothingAndKeepsTheExitStatus() throws {
        let commands: [[String]] = [
            Self.scenario,
            ["cancel", "--poll", "pipe"],
            ["run", "-"],
            ["setup", "0"],
            ["info"],
        ]
        for command in commands {
            let stdin = command == ["run", "-"] ? "ctx a = setup 1\ndestroy a\n" : nil
            let loud = try AioctlProcess.run(command, stdin: stdin)
            let quiet = try AioctlProcess.run(command + ["--quiet"], stdin: stdin)
            let name = command.joined(separator: " ")
            XCTAssertFalse(loud.stdout.isEmpty, "\(name) prints something without --quiet")
            XCTAssertEqual(quiet.stdout, "", "\(name) --quiet")
            XCTAssertEqual(quiet.status, loud.status, "\(name) --quiet: \(quiet.stderr)")
            XCTAssertEqual(try AioctlProcess.run(command + ["-q"], stdin: stdin).stdout, "", "\(name) -q")
        }
    }

    func testConflictsAreUsageErrors() throws {
        try assertRejected([
            (Self.scenario + ["--json", "--quiet"], 64, "--json and --quiet conflict"),
            (Self.scenario + ["--json", "--format", "ktap"], 64, "--json and --format ktap conflict"),
            (Self.scenario + ["--quiet", "--format", "tap"], 64, "--quiet and --format tap conflict"),
            (["check", "--list", "--quiet"], 64, "--quiet prints nothing"),
            (["review", "--json", "--format", "markdown", "x"], 64, "--json and --format markdown conflict"),
            (["diff", "--quiet", "--format", "json", "x"], 64, "--quiet and --format json conflict"),
            (["bench", "--file", "/tmp/x", "--quiet", "--json+"], 64, "--quiet and --json+ conflict"),
            (["setup", "--json", "-q"], 64, "--json and --quiet conflict"),
            (["setup", "--print-script", "-q"], 64, "drop --quiet"),
            (["run", "-", "--timeout", "0"], 64, "--timeout must be longer than 0"),
            (["shell", "--timeout", "soon"], 64, "--timeout: 'soon' is not a duration"),
            (["cancel", "--timeout", "never"], 64, "--timeout: 'never' is not a duration here"),
        ])
    }
}
