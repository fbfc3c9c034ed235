import AIOCore
import ArgumentParser
import Glibc

@main
struct Aioctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aioctl",
        abstract: "Exercise Linux native AIO and compare the kernel's answers with the documents.",
        discussion: """
        aioctl sets up AIO contexts, submits reads or IOCB_CMD_POLL requests against \
        pipes, sockets, eventfds, FIFOs and files, cancels them on a timer, and prints \
        what the kernel returned next to what each document says it should return.

        Three documents describe the AIO system calls and they disagree: the draft \
        Kernel API specifications (kapi, machine-written and unreviewed), the man-pages \
        project's section 2 (man2), and libaio's own section 3 pages (libaio). The \
        kernel's answer is the fact; aioctl shows each source's claim beside it and \
        judges the run against the source chosen with --expect.

        EXIT STATUS
          0    the kernel agreed with the chosen source on every documented call
          1    the kernel differed from the chosen source somewhere
          4    AIO is unavailable here (ENOSYS, EPERM from seccomp, aio-max-nr reached)
          64   bad usage
          66   the target cannot be opened
          70   an internal failure
          130  interrupted by SIGINT (after cleanup); 143 by SIGTERM

        FILES
          /proc/sys/fs/aio-nr       events reserved by all contexts now
          /proc/sys/fs/aio-max-nr   the system-wide limit io_setup checks
        """,
        version: "0.1.0",
        subcommands: [CancelCommand.self, CheckCommand.self, SpecCommand.self, RunCommand.self, ShellCommand.self,
                      SetupCommand.self, SubmitCommand.self, GeteventsCommand.self, DestroyCommand.self,
                      RaceCommand.self, BenchCommand.self, InfoCommand.self, DiffCommand.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as AioctlError {
            fail(error.message, status: error.status.rawValue)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            // One line naming the problem; the usage is a --help away.
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message,
                 status: code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        fflush(stdout)
        fputs("aioctl: \(message)\n", stderr)
        Glibc.exit(status)
    }
}

extension Via: ExpressibleByArgument {}
extension Source: ExpressibleByArgument {}
extension UnblockMode: ExpressibleByArgument {}
