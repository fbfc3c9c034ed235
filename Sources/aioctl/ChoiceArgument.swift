import ArgumentParser

/// An option value that is one word of a closed set (`--via syscall`,
/// `--format json`): a String-backed enum whose raw values are the words.
///
/// ArgumentParser's own defaults for such types list the words through the
/// key path `\.rawValue.defaultValueDescription` inside a generic function,
/// and the runtime instantiates a generic key path anew at every call
/// (demangling its pattern, ~100k instructions). The parser asks for the
/// list each time it builds a command's arguments, which it does four times
/// for one `aioctl cancel`: that was a tenth of the process's instructions.
/// The same words and descriptions, written as plain loops, cost a few
/// hundred; help, errors and completions come out unchanged (DocsTests).
protocol ChoiceArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

// Public: the witnesses of public enums from other modules (Via, Source, ...)
// must be as visible as the conformance.
extension ChoiceArgument {
    public static var allValueStrings: [String] {
        allCases.map { $0.rawValue }
    }

    // ArgumentParser lists a description only where it differs from the word.
    public static var allValueDescriptions: [String: String] {
        var descriptions: [String: String] = [:]
        for value in allCases where value.defaultValueDescription != value.rawValue {
            descriptions[value.rawValue] = value.defaultValueDescription
        }
        return descriptions
    }
}
