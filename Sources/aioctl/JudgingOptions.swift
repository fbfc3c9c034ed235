import AIODocuments
import AIOKernel
import ArgumentParser

/// What every door that judges calls takes besides its own options (cancel,
/// run, shell, setup, submit, getevents, destroy): `--via`, `--expect`,
/// `--json`, `--quiet` and `--color`, declared once, here. --timeout is a
/// group of its own (TimeoutOption): getevents spends that name on
/// io_getevents' own timeout argument.
struct JudgingOptions: ParsableArguments {
    @Option(help: SharedHelp.via)
    var via: Via = JudgingSettings.defaults.via

    @Option(help: SharedHelp.expect)
    var expect: Source = JudgingSettings.defaults.expect

    @Flag(help: SharedHelp.json)
    var json = JudgingSettings.defaults.json

    @Flag(name: .shortAndLong, help: SharedHelp.quiet)
    var quiet = JudgingSettings.defaults.quiet

    @Option(help: SharedHelp.color)
    var color: ColorChoice = JudgingSettings.defaults.color

    var settings: JudgingSettings {
        JudgingSettings(via: via, expect: expect, json: json, quiet: quiet, color: color)
    }

    func validate() throws {
        try settings.validate()
        DisplayOptions.choose(color)
    }
}

/// JudgingOptions' values as plain data: what the parser read, or what
/// QuickReader read from the same words.
struct JudgingSettings: Equatable {
    static let defaults = JudgingSettings()

    var via = SharedHelp.defaultVia
    var expect = SharedHelp.defaultExpect
    var json = false
    var quiet = false
    var color = ColorChoice.auto

    /// What JudgingOptions checks while the parser reads it.
    func validate() throws(ValidationError) {
        try OutputOptions.validate(json: json, quiet: quiet)
    }

    /// QuickReader's entries for these options, storing into the settings at
    /// `path`: the same five for every door that has a quick path.
    static func quickOptions<Values>(
        at path: WritableKeyPath<Values, JudgingSettings> & Sendable
    ) -> [QuickReader<Values>.Option] {
        [
            .init("--via", setter: choice { (values: inout Values, chosen: Via) in values[keyPath: path].via = chosen }),
            .init("--expect", setter: choice { (values: inout Values, chosen: Source) in
                values[keyPath: path].expect = chosen
            }),
            .init("--json", setter: .flag { values, _ in values[keyPath: path].json = true }),
            .init("--quiet", "-q", setter: .flag { values, _ in values[keyPath: path].quiet = true }),
            .init("--color", setter: choice { (values: inout Values, chosen: ColorChoice) in
                values[keyPath: path].color = chosen
            }),
        ]
    }
}
