import AIOEngine
import AIODocuments
import AIOKernel
import ArgumentParser

/// `--color`, shared by every command that prints text for a person.
struct DisplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Colour in text output: auto (a terminal, unless NO_COLOR is set or TERM=dumb), "
                               + "always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    // Parsing calls this before the command runs: the choice is in place
    // before anything prints.
    func validate() throws { TextStyle.choice = color }
}

extension ColorChoice: ChoiceArgument {}
