/// The command lines Aioctl.main runs without swift-argument-parser: the
/// ones scripts start hundreds of times, when their words are plain (see
/// QuickReader). Everything else, and any line the reader is unsure of,
/// goes to the parser, which reads it as if this did not exist.
enum QuickCommand {
    /// `aioctl --version`, alone.
    case version
    /// `aioctl cancel ...`.
    case cancel(CancelArguments)
    /// `aioctl setup ...`, `submit ...`, `getevents ...`, `destroy ...`.
    case singleCall(any SingleCallArguments)

    init?(arguments: [String]) {
        let words = arguments.dropFirst()
        switch words.first {
        case "--version" where words.count == 1:
            self = .version
        case "cancel":
            guard let cancel = CancelArguments.quick(words.dropFirst()) else { return nil }
            self = .cancel(cancel)
        case "setup":
            guard let call = SetupArguments.quick(words.dropFirst()) else { return nil }
            self = .singleCall(call)
        case "submit":
            guard let call = SubmitArguments.quick(words.dropFirst()) else { return nil }
            self = .singleCall(call)
        case "getevents":
            guard let call = GeteventsArguments.quick(words.dropFirst()) else { return nil }
            self = .singleCall(call)
        case "destroy":
            guard let call = DestroyArguments.quick(words.dropFirst()) else { return nil }
            self = .singleCall(call)
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
        case .singleCall(let arguments):
            try arguments.run()
        }
    }
}
