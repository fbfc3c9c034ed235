import Foundation
import XCTest

/// The committed man page and completion scripts: current, clean, installable.
final class DocsTests: XCTestCase {
    static let repository = Subprocess.repository
    /// SwiftPM's build directory for the nested builds: `swift test` holds the
    /// lock on .build while the tests run (.gitignore covers .build-*).
    static let scratchPath = repository.appendingPathComponent(".build-docs").path
    static let generatedFiles = ["man/aioctl.1", "completions/aioctl.bash",
                                 "completions/_aioctl", "completions/aioctl.fish"]

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("aioctl-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    // MARK: staleness

    /// generate-docs' arguments: the aioctl under test, and the generate-manual
    /// tool beside it when scripts/test built it there (`swift build --product
    /// generate-manual`); without that tool, a build of both in a scratch
    /// directory of their own, which takes minutes.
    static func generateDocsArguments() -> [String] {
        let binary = AioctlProcess.binary
        let tool = binary.deletingLastPathComponent().appendingPathComponent("generate-manual")
        if FileManager.default.isExecutableFile(atPath: tool.path) {
            return ["--aioctl", binary.path, "--generate-manual", tool.path]
        }
        return ["--scratch-path", scratchPath]
    }

    func testCommittedDocsMatchTheCommandDefinitions() throws {
        let output = try temporaryDirectory()
        let result = try Subprocess.run("bash", ["scripts/generate-docs"] + Self.generateDocsArguments() + [output.path],
                                        limit: 1200)
        XCTAssertEqual(result.status, 0, "scripts/generate-docs failed:\n\(result.stderr.suffix(3000))")
        guard result.status == 0 else { return }
        for name in Self.generatedFiles {
            let committed = Self.repository.appendingPathComponent(name)
            let fresh = output.appendingPathComponent(name)
            guard let committedData = FileManager.default.contents(atPath: committed.path) else {
                XCTFail("\(name) is missing; run `scripts/generate-docs` (or `make docs`) and commit the result")
                continue
            }
            let freshData = FileManager.default.contents(atPath: fresh.path)
            XCTAssertNotNil(freshData, "scripts/generate-docs did not write \(name)")
            if let freshData, freshData != committedData {
                let diff = try Subprocess.run("diff", ["-u", committed.path, fresh.path])
                XCTFail("""
                    \(name) is stale: the command definitions now generate something else. \
                    Run `scripts/generate-docs` (or `make docs`) and commit the result.
                    \(diff.stdout.split(separator: "\n").prefix(40).joined(separator: "\n"))
                    """)
            }
        }
    }

    /// The rewriting rules of scripts/tidy-manual on a page shaped like
    /// generate-manual's output.
    func testTidyManualTurnsDiscussionsIntoSections() throws {
        let raw = """
            .Dd January 1, 2026
            .Os
            .Nd "Do a thing."
            .Sh DESCRIPTION
            First paragraph. Second sentence.

            FILES
              /a/b      what b is
              /a/longer  what it is

            EXIT STATUS
              0    fine
              1    wrapped
                   onto two lines
            .Bl -tag -width 6n
            .It Em sub
            Abstract.
            .Pp
            Sub text.
            .build/ is text here, not a macro.
            'quoted' too.

            EXAMPLES
              tool sub --x
            .Pp
            .Bl -tag -width 6n
            .It Fl -flag Ar n
            A flag.
            .El
            .El
            .Sh "EXIT STATUS"
            .Ex -std
            """
        let input = try temporaryDirectory().appendingPathComponent("raw.1")
        try raw.write(to: input, atomically: true, encoding: .utf8)
        let result = try Subprocess.run("bash", ["-c", "perl scripts/tidy-manual 'tool 1.0' < '\(input.path)'"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            .Dd January 1, 2026
            .Os "tool 1.0"
            .Nd "Do a thing"
            .Sh DESCRIPTION
            First paragraph.
            Second sentence.
            .Ss "aioctl sub"
            .Nm aioctl
            .Cm sub
            .Pp
            Abstract.
            .Pp
            Sub text.
            \\&.build/ is text here, not a macro.
            \\&'quoted' too.
            .Pp
            .Sy Options
            .Bl -tag -width Ds
            .It Fl -flag Ar n
            A flag.
            .El
            .Sh FILES
            .Bl -tag -width /a/longer -compact
            .It \\&/a/b
            what b is
            .It \\&/a/longer
            what it is
            .El
            .Sh "EXIT STATUS"
            .Bl -tag -width 0 -compact
            .It \\&0
            fine
            .It \\&1
            wrapped onto two lines
            .El
            .Sh EXAMPLES
            .Bd -literal
            tool sub --x
            .Ed
            .Sh "SEE ALSO"
            .Xr fio 1 ,
            .Xr strace 1 ,
            .Xr io_cancel 2 ,
            .Xr io_destroy 2 ,
            .Xr io_getevents 2 ,
            .Xr io_setup 2 ,
            .Xr io_submit 2 ,
            .Xr io_cancel 3

            """)
    }

    // MARK: the man page

    func testManualHasTheSectionsAManPageReaderLooksFor() throws {
        let text = try String(contentsOfFile: Self.repository.appendingPathComponent("man/aioctl.1").path,
                              encoding: .utf8)
        for section in [".Sh NAME", ".Sh SYNOPSIS", ".Sh DESCRIPTION", ".Sh FILES",
                        ".Sh \"EXIT STATUS\"", ".Sh EXAMPLES", ".Sh \"SEE ALSO\""] {
            XCTAssertTrue(text.contains(section), "man/aioctl.1 has no \(section)")
        }
        // Every exit status aioctl documents, not the generic "0 on success".
        XCTAssertFalse(text.contains(".Ex -std"))
        for status in ["0", "1", "4", "64", "66", "70", "130"] {
            XCTAssertTrue(text.contains(".It \\&\(status)\n"), "EXIT STATUS does not list \(status)")
        }
        for reference in ["io_setup 2", "io_submit 2", "io_cancel 2", "io_getevents 2", "io_destroy 2",
                          "io_cancel 3", "fio 1", "strace 1"] {
            XCTAssertTrue(text.contains(".Xr \(reference)"), "SEE ALSO lacks \(reference)")
        }
        XCTAssertTrue(text.contains("/proc/sys/fs/aio-max-nr"))
    }

    /// Each subcommand: a subsection with its synopsis, an example, and every
    /// option's default; the sections issue 12 asked for; 80 columns.
    func testManualCoversEverySubcommandOptionAndDefault() throws {
        let text = try String(contentsOfFile: Self.repository.appendingPathComponent("man/aioctl.1").path,
                              encoding: .utf8)
        for section in [".Sh ENVIRONMENT", ".Sh \"JSON OUTPUT\"", ".Sh BUGS"] {
            XCTAssertTrue(text.contains(section), "man/aioctl.1 has no \(section)")
        }
        for variable in ["NO_COLOR", "TERM", "COLUMNS", "TMPDIR", "XDG_STATE_HOME"] {
            XCTAssertTrue(text.contains(".It \\&\(variable)\n"), "ENVIRONMENT lacks \(variable)")
        }
        for reference in ["io_getevents 3", "io_submit 3", "proc 5", "aio 7"] {
            XCTAssertTrue(text.contains(".Xr \(reference)"), "SEE ALSO lacks \(reference)")
        }
        let dump = try AioctlProcess.run(["--experimental-dump-help"])
        let tree = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let subcommands = try XCTUnwrap((tree["command"] as? [String: Any])?["subcommands"] as? [[String: Any]])
        let examples = text.components(separatedBy: ".Sh EXAMPLES").last?.components(separatedBy: ".Sh ").first ?? ""
        for command in subcommands {
            let name = try XCTUnwrap(command["commandName"] as? String)
            guard name != "help" else { continue }
            let part = text.components(separatedBy: ".Ss \"aioctl \(name)\"\n").dropFirst().first?
                .components(separatedBy: "\n.Ss ").first?.components(separatedBy: "\n.Sh ").first ?? ""
            XCTAssertTrue(part.hasPrefix(".Nm aioctl\n.Cm \(name)\n"), "no synopsis for \(name)")
            XCTAssertTrue(examples.contains("aioctl \(name)"), "EXAMPLES has none for \(name)")
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                guard argument["kind"] as? String != "flag", argument["shouldDisplay"] as? Bool != false,
                      let value = argument["defaultValue"] as? String, !value.isEmpty,
                      let long = (argument["names"] as? [[String: String]])?.first(where: { $0["kind"] == "long" })?["name"]
                else { continue }
                let item = part.components(separatedBy: ".It Fl -\(long)").dropFirst().first?
                    .components(separatedBy: "\n.It ").first ?? ""
                XCTAssertTrue(item.contains("default"), "\(name) --\(long): the default (\(value)) is not shown")
            }
        }
    }

    func testManualFitsEightyColumns() throws {
        let man = try Subprocess.require("man")
        let result = try Subprocess.run(man, ["./man/aioctl.1"], environment: ["MANWIDTH": "80", "MANPAGER": "cat",
                                                                                "PAGER": "cat"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let wide = result.stdout.split(separator: "\n").filter { $0.count > 80 }
        XCTAssertGreaterThan(result.stdout.split(separator: "\n").count, 500)
        XCTAssertEqual(wide, [], "lines over 80 columns at MANWIDTH=80")
    }

    /// generate-manual silently drops every non-ASCII character (its escaping
    /// loops over `where character.isASCII`), so "µs" in a help string would
    /// read "s" in the man page.
    func testHelpTextIsASCIISoTheManPageLosesNothing() throws {
        let dump = try AioctlProcess.run(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let offending = dump.stdout.split(separator: "\n").filter { !$0.allSatisfy(\.isASCII) }
        XCTAssertEqual(offending, [], "help text with non-ASCII characters, which the man page would lose")
    }

    func testMandocLintFindsNoProblems() throws {
        let mandoc = try Subprocess.require("mandoc")
        let result = try Subprocess.run(mandoc, ["-T", "lint", "man/aioctl.1"])
        // mandoc's levels: STYLE < WARNING < ERROR < UNSUPP < BADARG < SYSERR;
        // status 1 means STYLE or WARNING, and the WARNING lines fail below.
        XCTAssertLessThanOrEqual(result.status, 1, result.stderr + result.stdout)
        let problems = (result.stdout + result.stderr).split(separator: "\n").filter { line in
            // Messages about this page read "mandoc: man/aioctl.1:LINE:COL: LEVEL: ...";
            // others ("outdated mandoc.db lacks io_setup(2)") are about this
            // machine's manual database, not the page.
            guard line.hasPrefix("mandoc: man/aioctl.1:") else { return false }
            // STYLE is layout advice on the source: lines over 80 bytes (the
            // generator writes a paragraph per line; roff fills them) and
            // cross-references to pages not installed here (fio, strace).
            // Neither changes what a reader sees.
            return !line.contains(": STYLE: ")
        }
        XCTAssertEqual(problems, [], "mandoc -T lint man/aioctl.1:\n" + problems.joined(separator: "\n"))
    }

    func testGroffRendersWithoutWarnings() throws {
        let groff = try Subprocess.require("groff")
        // What man(1) runs, with every warning on and the output discarded.
        let result = try Subprocess.run(groff, ["-mandoc", "-ww", "-z", "-Tutf8", "man/aioctl.1"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "", "groff warns about man/aioctl.1")
    }

    // MARK: installation

    func testMakeInstallLaysOutTheFilesAndUninstallRemovesThem() throws {
        let make = try Subprocess.require("make")
        let destdir = try temporaryDirectory()
        let expected = ["usr/bin/aioctl",
                        "usr/share/bash-completion/completions/aioctl",
                        "usr/share/fish/vendor_completions.d/aioctl.fish",
                        "usr/share/man/man1/aioctl.1",
                        "usr/share/zsh/site-functions/_aioctl"]
        // The binary under test, as a packager installs one built already
        // (BINARY=): the release build `make install` makes by default takes
        // four minutes on two cores, and Benchmarks/run builds it with the
        // same `make build`.
        let install = try Subprocess.run(make, ["install", "DESTDIR=\(destdir.path)", "PREFIX=/usr",
                                                "BINARY=\(AioctlProcess.binary.path)"])
        XCTAssertEqual(install.status, 0, "make install failed:\n\(install.stderr.suffix(3000))")
        guard install.status == 0 else { return }
        XCTAssertEqual(try regularFiles(under: destdir), expected)

        let binary = destdir.appendingPathComponent("usr/bin/aioctl").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary))
        let version = try Subprocess.run(binary, ["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, try AioctlProcess.run(["--version"]).stdout)
        for (installed, source) in [("usr/share/man/man1/aioctl.1", "man/aioctl.1"),
                                    ("usr/share/bash-completion/completions/aioctl", "completions/aioctl.bash"),
                                    ("usr/share/zsh/site-functions/_aioctl", "completions/_aioctl"),
                                    ("usr/share/fish/vendor_completions.d/aioctl.fish", "completions/aioctl.fish")] {
            XCTAssertEqual(FileManager.default.contents(atPath: destdir.appendingPathComponent(installed).path),
                           FileManager.default.contents(atPath: Self.repository.appendingPathComponent(source).path),
                           "\(installed) is not \(source)")
        }

        // A file of someone else's in a shared directory must survive uninstall.
        let neighbour = destdir.appendingPathComponent("usr/share/man/man1/strace.1")
        XCTAssertTrue(FileManager.default.createFile(atPath: neighbour.path, contents: Data("x".utf8)))
        let uninstall = try Subprocess.run(make, ["uninstall", "DESTDIR=\(destdir.path)", "PREFIX=/usr"])
        XCTAssertEqual(uninstall.status, 0, uninstall.stderr)
        XCTAssertEqual(try regularFiles(under: destdir), ["usr/share/man/man1/strace.1"])
    }

    func regularFiles(under root: URL) throws -> [String] {
        let prefix = root.resolvingSymlinksInPath().path + "/"
        var files: [String] = []
        let walker = FileManager.default.enumerator(at: root.resolvingSymlinksInPath(), includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(String(url.resolvingSymlinksInPath().path.dropFirst(prefix.count)))
            }
        }
        return files.sorted()
    }
}
