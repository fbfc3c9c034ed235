import AIODocuments
import AIOKernel
import ArgumentParser

// The options several commands share, each declared once here so that it has
// one spelling, one meaning, one default and one help text wherever it
// appears. CommonOptionsTests compares them across every command in
// `aioctl --experimental-dump-help`; a command whose needs differ (check's
// `--via both`, getevents' `--timeout`, which is io_getevents' own argument)
// is listed there with its reason.

/// `--via`: the calling convention.
struct ViaOption: ParsableArguments {
    @Option(help: ArgumentHelp("How calls reach the kernel: libaio's wrappers, which return -errno, or raw "
                               + "syscall(2), which returns -1 and sets errno.", valueName: "convention"))
    var via: Via = .libaio
}

/// `--expect`: the document whose claims decide the verdict.
struct ExpectOption: ParsableArguments {
    @Option(help: ArgumentHelp("The document that decides the verdict and the exit status: the draft Kernel API "
                               + "specifications (kapi), man-pages' section 2 (man2) or libaio's section 3 (libaio).",
                               valueName: "source"))
    var expect: Source = .kapi
}

/// `--via` and `--expect`, for the commands that make calls and judge them.
struct ConventionOptions: ParsableArguments {
    @OptionGroup var viaOption: ViaOption
    @OptionGroup var expectOption: ExpectOption

    var via: Via { viaOption.via }
    var expect: Source { expectOption.expect }
}

/// `--timeout`: the bound on one run of a program (a script, a shell session,
/// one cancel probe), after which aioctl cleans up and stops.
struct TimeoutOption: ParsableArguments {
    @Option(help: ArgumentHelp("Bound on the run; past it aioctl frees blocked reads, destroys its contexts, "
                               + "stops and says so.", valueName: "duration"))
    var timeout: String = "60s"

    /// --timeout in nanoseconds; validate() has made sure it is a duration above 0.
    var nanoseconds: UInt64 { (try? DelaySpec(parsing: timeout, allowNever: false).nanoseconds) ?? 0 }

    func validate() throws {
        let ns: UInt64?
        do {
            ns = try DelaySpec(parsing: timeout, allowNever: false).nanoseconds
        } catch let e as AioctlError {
            throw ValidationError("--timeout: \(e.message)")
        }
        guard let ns, ns > 0 else { throw ValidationError("--timeout must be longer than 0") }
    }
}

/// `--json` alone, for a command whose text is a listing with no answer to
/// keep quiet about (spec).
struct JSONOption: ParsableArguments {
    @Flag(help: "Print one JSON document instead of text.")
    var json = false
}

/// `--json` and `--quiet`: how a command that answers with its exit status prints.
struct OutputOptions: ParsableArguments {
    @OptionGroup var jsonOption: JSONOption

    @Flag(name: .shortAndLong, help: "Print nothing on standard output; the exit status carries the answer.")
    var quiet = false

    var json: Bool { jsonOption.json }

    func validate() throws {
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
