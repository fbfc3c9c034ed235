import AIOEngine
import AIODocuments
import AIOKernel
import Foundation
import XCTest

/// Every man2 and libaio citation of the catalog against the page's roff
/// source as installed (`man -w`): the page exists, the heading exists, and
/// for ERRORS the errno is listed there.
final class ManPageCitationTests: XCTestCase {
    struct Page {
        var headings: [String: String]  // heading -> its text
    }

    private func run(_ arguments: [String]) -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, Data()) }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// The page's roff, split at .SH and .SS headings.
    private func page(_ name: String, section: String) throws -> Page? {
        let located = run(["man", "-w", section, name])
        guard located.status == 0 else { return nil }
        let path = String(decoding: located.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let roff = path.hasSuffix(".gz") ? run(["zcat", path]).output : (try Data(contentsOf: URL(fileURLWithPath: path)))
        var headings: [String: String] = [:]
        var current: String?
        for line in String(decoding: roff, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".SH ") || line.hasPrefix(".SS ") {
                current = line.dropFirst(4).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "")
                headings[current!] = ""
            } else if let c = current {
                headings[c]! += line + "\n"
            }
        }
        return Page(headings: headings)
    }

    func testEveryCitedPageSectionAndErrnoIsInTheRoff() throws {
        guard run(["man", "-w", "2", "io_setup"]).status == 0, run(["man", "-w", "3", "io_queue_init"]).status == 0 else {
            throw XCTSkip("manpages-dev and libaio-dev are not installed (scripts/bootstrap installs them)")
        }
        var cache: [String: Page?] = [:]
        var checked = 0
        for situation in Catalog.all {
            for claim in situation.claims {
                for citation in claim.citations {
                    guard case .man(let name, let section, let heading, let errno) = citation else { continue }
                    let key = "\(name).\(section)"
                    if cache[key] == nil { cache[key] = try page(name, section: section) }
                    guard let found = cache[key]!, let text = found.headings[heading] else {
                        XCTFail("\(situation.id): \(citation) — \(cache[key]! == nil ? "no such page" : "no heading \(heading)")")
                        continue
                    }
                    checked += 1
                    if let errno {
                        let listed = text.split(separator: "\n").contains { line in
                            (line.hasPrefix(".B ") || line.hasPrefix(".BR ")) && line.split(separator: " ").dropFirst().first == Substring(errno)
                        }
                        XCTAssertTrue(listed, "\(situation.id): \(name)(\(section)) \(heading) does not list \(errno)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 60)
    }

    /// man-pages 6.03 has no io_pgetevents(2): the catalog must not cite one.
    func testNoCitationOfAPageThatDoesNotExist() {
        var found: [String: Bool] = [:]
        for situation in Catalog.all {
            for claim in situation.claims {
                for citation in claim.citations {
                    guard case .man(let name, let section, _, _) = citation else { continue }
                    if found["\(name).\(section)"] == nil { found["\(name).\(section)"] = run(["man", "-w", section, name]).status == 0 }
                    XCTAssertTrue(found["\(name).\(section)"]!, "\(situation.id) cites \(name)(\(section)), which is not installed")
                }
            }
        }
    }
}
