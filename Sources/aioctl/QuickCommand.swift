/// The command lines Aioctl.main runs without swift-argument-parser: the
/// ones scripts start hundreds of times, when their words are plain (see
/// QuickReader). Everything else, and any line the reader is unsure of,
/// goes to the parser, which reads it as if this did not exist.
enum QuickCommand {
    /// `aioctl --version`, alone.
    case version
    /// `aioctl cancel ...`.
    case cancel(CancelArguments)

    init?(arguments: [String]) {
        let words = arguments.dropFirst()
        switch words.first {
        case "--version" where words.count == 1:
            self = .version
        case "cancel":
            guard let cancel = CancelArguments.quick(words.dropFirst()) else { return nil }
            self = .cancel(cancel)
        default:
            return nil
        }
    }

    func run() throws {
        switch self {
        case .version:
            // What the parser prints for --version: the configuration's string.
            print(Aioctl.configuration.version)
        case .cancel(let arguments):
            try arguments.run()
        }
    }
}
