import AIODocuments
import AIOKernel
import ArgumentParser

// The options several commands share, each declared once here so that it has
// one spelling, one meaning, one default and one help text wherever it
// appears. CommonOptionsTests compares them across every command in
// `aioctl --experimental-dump-help`; a command whose needs differ (check's
// `--via both`, getevents' `--timeout`, which is io_getevents' own argument)
// is listed there with its reason.

/// The words of the options declared in more than one group (a command takes
/// one of them), written once.
enum SharedHelp {
    static let via = ArgumentHelp("How calls reach the kernel: libaio's wrappers, which return -errno, or raw "
                                  + "syscall(2), which returns -1 and sets errno.", valueName: "convention")
    static let expect = ArgumentHelp("The document that decides the verdict and the exit status: the draft Kernel "
                                     + "API specifications (kapi), man-pages' section 2 (man2) or libaio's section 3 "
                                     + "(libaio).", valueName: "source")
    static let json: ArgumentHelp = "Print one JSON document instead of text."
    static let quiet: ArgumentHelp = "Print nothing on standard output; the exit status carries the answer."
    static let timeout = ArgumentHelp("Bound on the run; past it aioctl frees blocked reads, destroys its contexts, "
                                      + "stops and says so.", valueName: "duration")
    static let color = ArgumentHelp("Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), "
                                    + "always or never.", valueName: "when")
    static let keepGoing: ArgumentHelp = "Go on after a step that cannot run."
    static let defaultVia = Via.libaio
    static let defaultExpect = Source.kapi
}

// Groups hold options, never other groups: ArgumentParser re-reflects (and,
// in a debug build, re-validates) a nested group for every level above it,
// which made a debug `aioctl run` spend over a second parsing its arguments.

/// `--via` alone, for the commands that make calls but judge none (race, bench, info).
struct ViaOption: ParsableArguments {
    @Option(help: SharedHelp.via)
    var via: Via = SharedHelp.defaultVia
}

/// `--expect` alone, for check (whose --via also takes both).
struct ExpectOption: ParsableArguments {
    @Option(help: SharedHelp.expect)
    var expect: Source = SharedHelp.defaultExpect
}

/// `--timeout`, for the doors that run a program (cancel, run, shell): a
/// group of its own beside JudgingOptions, which the single-call commands
/// also take, since getevents' --timeout is io_getevents' argument.
struct TimeoutOption: ParsableArguments {
    @Option(help: SharedHelp.timeout)
    var timeout: String = ProgramSettings.defaults.timeout

    func validate() throws { try ProgramSettings.validate(timeout: timeout) }
}

/// What cancel, run and shell take besides their own options, as plain data:
/// JudgingOptions' and TimeoutOption's values as the parser read them, or as
/// QuickReader read the same words (cancel's quick path).
struct ProgramSettings: Equatable {
    static let defaults = ProgramSettings()

    var judging = JudgingSettings()
    var timeout = "60s"

    /// --timeout in nanoseconds; validate() has made sure it is a duration above 0.
    var timeoutNs: UInt64 { (try? DelaySpec(parsing: timeout, allowNever: false).nanoseconds) ?? 0 }

    func validate() throws(ValidationError) {
        try judging.validate()
        try Self.validate(timeout: timeout)
    }

    init(judging: JudgingSettings = JudgingSettings(), timeout: String = "60s") {
        self.judging = judging
        self.timeout = timeout
    }

    /// What the parser read into the two groups.
    init(_ judging: JudgingOptions, _ timeout: TimeoutOption) {
        self.init(judging: judging.settings, timeout: timeout.timeout)
    }

    static func validate(timeout: String) throws(ValidationError) {
        let ns: UInt64?
        do {
            ns = try DelaySpec(parsing: timeout, allowNever: false).nanoseconds
        } catch let e as AioctlError {
            throw ValidationError("--timeout: \(e.message)")
        } catch {
            throw ValidationError("--timeout: \(error)")
        }
        guard let ns, ns > 0 else { throw ValidationError("--timeout must be longer than 0") }
    }
}

/// `--json` alone, for a command whose text is a listing with no answer to
/// keep quiet about (spec).
struct JSONOption: ParsableArguments {
    @Flag(help: SharedHelp.json)
    var json = false
}

/// `--json` and `--quiet`: how a command that answers with its exit status prints.
struct OutputOptions: ParsableArguments {
    @Flag(help: SharedHelp.json)
    var json = false

    @Flag(name: .shortAndLong, help: SharedHelp.quiet)
    var quiet = false

    func validate() throws { try Self.validate(json: json, quiet: quiet) }

    static func validate(json: Bool, quiet: Bool) throws(ValidationError) {
        if json && quiet { throw ValidationError("--json and --quiet conflict; choose one") }
    }

    /// For a command that also has --format: --json is `--format json`, and
    /// --quiet goes only with the default text (it prints nothing anyway).
    func format<Format: RawRepresentable & Equatable>(_ typed: Format, text: Format, json: Format) throws -> Format
    where Format.RawValue == String {
        if self.json && typed != text && typed != json {
            throw ValidationError("--json and --format \(typed.rawValue) conflict; choose one")
        }
        if quiet && typed != text { throw ValidationError("--quiet and --format \(typed.rawValue) conflict; choose one") }
        return self.json ? json : typed
    }
}
