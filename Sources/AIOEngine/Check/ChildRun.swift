import AIODocuments
import AIOKernel
import CAio
import Glibc

/// Runs one scenario in a fresh copy of aioctl (posix_spawn of /proc/self/exe,
/// never fork of this multi-threaded process), bounded by a watchdog, so that
/// a crash or a hang is an observation about that scenario and not the end of
/// the run. The watchdog counts silence, not age: the child writes a line
/// when it has started and one per result, and each line gives it the whole
/// window again. How long a process takes to start on a slow machine is
/// therefore never mistaken for a hang.
public enum ChildRun {
    /// The hidden option that makes `aioctl check` run one scenario and print its JSON.
    public static let option = "--run-one"

    /// In the child, before the scenario: a crash we provoke leaves no core file behind.
    public static func prepareChild() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
    }

    public static func run(_ scenario: Scenario, via: Via, executable: String = "/proc/self/exe",
                           limitMs: Int? = nil, expect: Source = .kapi, detail: CallDetail = .all) -> ScenarioResult {
        let start = Monotonic.now()
        let (output, ending) = spawn([scenario.name], via: via, executable: executable, limitMs: limitMs,
                                     expect: expect, detail: detail)
        if let ending {
            if ending.hasPrefix("!") { return failed(scenario, via, String(ending.dropFirst()), start) }
            return crashed(scenario, via, "\(via.rawValue): \(ending)", start)
        }
        guard let result = results(in: output).first else {
            return failed(scenario, via, "the child gave no result", start)
        }
        return result
    }

    /// Several scenarios in one child (a stale-handle batch), one JSON line
    /// each. If the child dies, each scenario it did not report runs again in
    /// a child of its own, so the one that crashed is named.
    public static func runBatch(_ scenarios: [Scenario], via: Via, executable: String = "/proc/self/exe",
                                limitMs: Int? = nil, expect: Source = .kapi,
                                detail: CallDetail = .all) -> [ScenarioResult] {
        let (output, _) = spawn(scenarios.map(\.name), via: via, executable: executable, limitMs: limitMs,
                                expect: expect, detail: detail)
        var byName: [String: ScenarioResult] = [:]
        for result in results(in: output) { byName[result.name] = result }
        return scenarios.map {
            // After SIGINT/SIGTERM the check is ending: no run starts again.
            if let found = byName[$0.name] { return found }
            if Interrupts.pending != nil { return failed($0, via, "interrupted", Monotonic.now()) }
            return run($0, via: via, executable: executable, limitMs: limitMs, expect: expect, detail: detail)
        }
    }

    /// The child's result lines, marked isolated; other lines (the started
    /// line, anything cut short by a crash) are not results.
    private static func results(in output: String) -> [ScenarioResult] {
        output.split(separator: "\n").compactMap { line in
            guard let json = try? JSON.parse(String(line)), var result = ScenarioResult(json: json) else { return nil }
            result.isolated = true
            return result
        }
    }

    /// The line the child writes once it is running, before any scenario.
    public static let startedLine = #"{"started":true}"#

    /// Spawns `aioctl check --run-one NAMES`, reads its stdout to the end or
    /// until it has been silent for `limitMs` (default: CheckLimits); the
    /// second value says how it ended when that was not an exit: "killed by
    /// SIGSEGV", "hung; silent for 15s, killed", or "!why" when it could not
    /// start.
    private static func spawn(_ names: [String], via: Via, executable: String,
                              limitMs: Int?, expect: Source, detail: CallDetail) -> (String, String?) {
        let silenceNs = limitMs.map { UInt64(max(1, $0)) * 1_000_000 } ?? CheckLimits.childSilenceNs
        let args = ChildRequest(names: names, via: via, expect: expect, detail: detail).arguments
        var fds: [Int32] = [0, 0]
        guard caioPipe(&fds) == 0 else { return ("", "!pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var pid: pid_t = 0
        let cArgs = args.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        // The Swift runtime's backtracer would spend seconds on a crash we
        // expect; the child's bounds scale by our pace, not one it measures
        // again while the pool loads the machine.
        var env = [strdup("SWIFT_BACKTRACE=enable=no"), strdup("AIOCTL_PACE=\(MachinePace.factor)")]
        var e = environ
        while let entry = e.pointee {
            if strncmp(entry, "SWIFT_BACKTRACE=", 16) != 0 && strncmp(entry, "AIOCTL_PACE=", 12) != 0 {
                env.append(strdup(entry))
            }
            e += 1
        }
        env.append(nil)
        defer { env.forEach { free($0) } }
        let rc = posix_spawn(&pid, executable, &actions, nil, cArgs, env)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            return ("", "!posix_spawn \(executable) failed: \(rc)")
        }
        let (output, timedOut) = readAll(fds[0], pid: pid, silenceNs: silenceNs)
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        if timedOut { return (output, "hung; silent for \(formatDuration(silenceNs)), killed") }
        if signal != 0 { return (output, "killed by \(signalName(signal))") }
        return (output, nil)
    }

    /// Reads the child's stdout to the end; after `silenceNs` without a byte,
    /// or once SIGINT/SIGTERM has come (the child may not have had it), kills it.
    private static func readAll(_ fd: Int32, pid: pid_t, silenceNs: UInt64) -> (String, Bool) {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var deadline = Monotonic.now() + silenceNs
        while true {
            let now = Monotonic.now()
            if now >= deadline || Interrupts.pending != nil {
                kill(pid, SIGKILL)
                return (String(decoding: data, as: UTF8.self), true)
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(20, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data += chunk[0..<n]
            deadline = Monotonic.now() + silenceNs
        }
        return (String(decoding: data, as: UTF8.self), false)
    }

    private static func caioPipe(_ fds: inout [Int32]) -> Int32 {
        caio_pipe2(&fds, O_CLOEXEC)
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL",
                                      SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGTRAP: "SIGTRAP", SIGTERM: "SIGTERM"]
        return names[signal] ?? "signal \(signal)"
    }

    /// A crash or hang: each source that claims anything is contradicted by it.
    static func crashed(_ scenario: Scenario, _ via: Via, _ what: String, _ start: UInt64) -> ScenarioResult {
        let situation = Catalog.situation(scenario.situation)
        let verdicts = Source.allCases.map { source -> SourceVerdict in
            // A page about another call (man2 has no io_pgetevents) says nothing here.
            guard let claim = situation?.claim(from: source), claim.applies(to: scenario.syscall) else {
                return SourceVerdict(source: source, state: .noClaim, expected: nil, claim: nil, reference: nil,
                                     differences: [])
            }
            // A crash differs from every claim but one that foresees it (io_getevents(2) BUGS).
            let difference = claim.differenceFromCrash(what)
            return SourceVerdict(source: source, state: difference == nil ? .agrees : .differs,
                                 expected: claim.expected.description, claim: claim.text, reference: claim.reference,
                                 differences: difference.map { [$0] } ?? [])
        }
        return ScenarioResult(name: scenario.name, syscall: scenario.syscall, situation: scenario.situation, via: via,
                              status: .crashed, skipReason: nil, observed: what, observedReturn: nil,
                              observedErrno: nil, events: [], verdicts: verdicts, calls: [], callLines: [],
                              notes: ["ran isolated in a child process"], isolated: true,
                              elapsedNs: Monotonic.now() - start)
    }

    /// The child could not be started or said nothing usable: a SKIP with the reason.
    private static func failed(_ scenario: Scenario, _ via: Via, _ why: String, _ start: UInt64) -> ScenarioResult {
        ScenarioResult(name: scenario.name, syscall: scenario.syscall, situation: scenario.situation, via: via,
                       status: .skipped, skipReason: "isolated run failed: \(why)", observed: "",
                       observedReturn: nil, observedErrno: nil, events: [], verdicts: [], calls: [], callLines: [],
                       notes: [], isolated: true, elapsedNs: Monotonic.now() - start)
    }
}
