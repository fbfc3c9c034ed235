import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser

/// `--color`, shared by every command that prints text for a person.
struct DisplayOptions: ParsableArguments {
    @Option(help: SharedHelp.color)
    var color: ColorChoice = .auto

    func validate() throws { Self.choose(color) }

    // Parsing calls validate() before the command runs: the choice is in
    // place before anything prints.
    static func choose(_ color: ColorChoice) { TextStyle.choice = color }
}

extension ColorChoice: ChoiceArgument {}
