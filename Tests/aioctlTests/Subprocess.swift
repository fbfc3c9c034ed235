import Foundation
import XCTest

/// Runs a tool other than aioctl (a shell, make, mandoc, the docs script) with
/// a time limit, the way AioctlProcess runs aioctl.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Bytes one thread reads and another uses after a semaphore says so.
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    struct ToolMissing: Error, CustomStringConvertible {
        var description: String
    }

    /// The repository: three levels above this file (Tests/aioctlTests/…).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The absolute path of `name` on $PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The path of a tool a test needs. Under CI=true a missing tool is a
    /// failure (scripts/bootstrap should have installed it); elsewhere the
    /// test is skipped with the reason.
    static func require(_ name: String) throws -> String {
        if let path = find(name) { return path }
        let message = "\(name) is not installed; scripts/bootstrap installs it"
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw ToolMissing(description: message) }
        throw XCTSkip(message)
    }

    /// Runs `executable` (a path, or a name looked up on $PATH) in the
    /// repository; fails the test if it outlives `limit` seconds.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    directory: URL = repository, limit: TimeInterval = 60,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        guard let path = executable.hasPrefix("/") ? executable : find(executable) else {
            throw ToolMissing(description: "\(executable) is not on PATH")
        }
        // timeout(1) puts the command in a process group of its own and, on
        // expiry, kills the whole group: make and swift leave children behind.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-k", "5", "\(Int(limit))", path] + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // Read stderr on another thread so a chatty child cannot block on a full pipe.
        let errData = Collected()
        let errDone = DispatchSemaphore(value: 0)
        Thread {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        if process.terminationStatus == 124 || process.terminationStatus == 137 {
            XCTFail("\(executable) \(arguments.joined(separator: " ")) still running after \(Int(limit))s",
                    file: file, line: line)
        }
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }
}
