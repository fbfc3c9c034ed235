import Foundation
import XCTest

/// The committed completion scripts, loaded into real bash, zsh and fish and
/// asked for candidates the way a user's Tab key asks.
final class ShellCompletionTests: XCTestCase {
    /// A command line (the cursor at its end) and what completing it must offer.
    struct Case {
        var line: String
        var offers: Set<String>
        /// True when nothing else may be offered.
        var exactly = false
        /// zsh's _files adds a file's name after the directory already typed.
        var zshOffers: Set<String>?
    }

    static let cases = [
        Case(line: "aioctl ca", offers: ["cancel"]),
        Case(line: "aioctl cancel --ex", offers: ["--expect"], exactly: true),
        Case(line: "aioctl cancel --expect ", offers: ["kapi", "man2", "libaio"], exactly: true),
        Case(line: "aioctl cancel --via ", offers: ["libaio", "syscall"], exactly: true),
        Case(line: "aioctl cancel --unblock ", offers: ["write", "close", "none"], exactly: true),
        Case(line: "aioctl cancel --events r", offers: ["rdnorm", "rdband", "rdhup"], exactly: true),
        Case(line: "aioctl cancel --poll ", offers: ["pipe", "socketpair", "eventfd", "fifo"]),
        Case(line: "aioctl cancel ", offers: ["pipe", "fifo", "file:", "fd:"]),
        Case(line: "aioctl cancel file:/et", offers: ["file:/etc/"], exactly: true),
        Case(line: "aioctl cancel /etc/hostn", offers: ["/etc/hostname"], exactly: true),
        Case(line: "aioctl submit --op ", offers: ["poll", "pread", "pwrite", "noop", "opcode"]),
        Case(line: "aioctl setup --ctxp ", offers: ["valid", "null", "unmapped", "readonly"], exactly: true),
        Case(line: "aioctl destroy --ctx ", offers: ["valid", "destroyed", "0", "garbage", "unmapped"], exactly: true),
        Case(line: "aioctl cancel --after ", offers: ["never"]),
        Case(line: "aioctl check --filter io_submit.pread-offset-o", offers: ["io_submit.pread-offset-overflow"],
             exactly: true),
        Case(line: "aioctl bench --file /etc/hostn", offers: ["/etc/hostname"], exactly: true, zshOffers: ["hostname"]),
        Case(line: "aioctl race --plot /etc/hostn", offers: ["/etc/hostname"], exactly: true, zshOffers: ["hostname"]),
        Case(line: "aioctl help ca", offers: ["cancel"], exactly: true),
    ]

    func check(_ shell: String, file: StaticString = #filePath, line: UInt = #line,
               complete: (String) throws -> Subprocess.Result) throws {
        for c in Self.cases {
            let result = try complete(c.line)
            let offered = Set(result.stdout.split(separator: "\n").map {
                // fish prints "candidate<TAB>description".
                String($0.split(separator: "\t", maxSplits: 1).first ?? "")
            })
            XCTAssertEqual(result.status, 0, "\(shell): completing '\(c.line)' failed: \(result.stderr)",
                           file: file, line: line)
            let offers = shell == "zsh" ? c.zshOffers ?? c.offers : c.offers
            if c.exactly {
                XCTAssertEqual(offered, offers, "\(shell): what '\(c.line)' offers", file: file, line: line)
            } else {
                XCTAssertTrue(offers.isSubset(of: offered),
                              "\(shell): '\(c.line)' offers \(offered.sorted()), not all of \(offers.sorted())",
                              file: file, line: line)
            }
        }
    }

    func completions(_ name: String) -> String {
        Subprocess.repository.appendingPathComponent("completions/\(name)").path
    }

    /// The built aioctl first on PATH, as an installed one would be.
    var environment: [String: String] {
        let dir = AioctlProcess.binary.deletingLastPathComponent().path
        return ["PATH": dir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    func harness(_ text: String, named name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testBash() throws {
        let bash = try Subprocess.require("bash")
        let script = try harness(Self.bashHarness, named: "bash-complete")
        try check("bash") { line in
            try Subprocess.run(bash, ["--norc", "--noprofile", script, completions("aioctl.bash"), line],
                               environment: environment, limit: 30)
        }
    }

    func testZsh() throws {
        let zsh = try Subprocess.require("zsh")
        let script = try harness(Self.zshHarness, named: "zsh-complete")
        let functions = Subprocess.repository.appendingPathComponent("completions").path
        try check("zsh") { line in
            try Subprocess.run(zsh, ["-f", script, functions, line], environment: environment, limit: 60)
        }
    }

    func testFish() throws {
        let fish = try Subprocess.require("fish")
        try check("fish") { line in
            // complete -C asks fish's completion engine for LINE's candidates.
            try Subprocess.run(fish, ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]",
                                      completions("aioctl.fish"), line],
                               environment: environment, limit: 30)
        }
    }

    /// Sources the script, finds the function `complete -F` registered for
    /// aioctl, and calls it with the COMP_* variables bash sets on Tab.
    static let bashHarness = #"""
        source "$1" || exit 3
        line=$2
        spec=$(complete -p aioctl) || { echo "no completion registered for aioctl" >&2; exit 3; }
        function=$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"$spec")
        read -ra COMP_WORDS <<<"$line"
        [[ $line == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        COMPREPLY=()
        "$function" aioctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\n' "${COMPREPLY[@]}"
        """#

    /// Completion needs zsh's line editor, so an interactive zsh runs in a
    /// pseudo-terminal (zsh/zpty) with $1 on its fpath and compinit loading
    /// _aioctl by its #compdef line; a compadd wrapper prints each match, and
    /// a post-completion hook marks the end. The markers are split in the
    /// source so the terminal's echo of these lines cannot look like output.
    static let zshHarness = #"""
        zmodload zsh/zpty || exit 3
        dir=$1 line=$2
        zpty capture zsh -f -i
        zpty -w capture "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
        zpty -w capture 'bindkey "^I" complete-word; PS1=""'
        zpty -w capture 'compadd() {
            if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
            local -a hits; builtin compadd -A hits "$@"
            local h; for h in $hits; print -r -- "MA""TCH<$h>"
            builtin compadd "$@"
        }'
        zpty -w capture 'comppostfuncs=(capture-done); capture-done() { print -r -- "CAPTURE""-DONE"; exit }'
        zpty -w -n capture "$line"$'\t'
        local out result=2
        integer deadline=$(( SECONDS + 30 ))
        while (( SECONDS < deadline )); do
            if ! zpty -rt capture out; then sleep 0.05; continue; fi
            if [[ $out == *CAPTURE-DONE* ]]; then result=0; break; fi
            [[ $out =~ 'MATCH<([^>]*)>' ]] && print -r -- $match[1]
        done
        zpty -d capture
        (( result == 0 )) || print -u2 "zsh never finished completing '$line'"
        exit $result
        """#
}
