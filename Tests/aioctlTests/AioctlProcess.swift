import Foundation
import XCTest

/// Runs the built `aioctl` binary as a process, the way a shell script would.
struct AioctlProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary swift build put beside this test bundle.
    static var binary: URL {
        var dir = Bundle(for: Anchor.self).bundleURL
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("aioctl")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate
            }
            dir.deleteLastPathComponent()
        }
        fatalError("aioctl binary not found next to the test bundle; run `swift build` first")
    }

    private final class Anchor {}

    /// Written by one reader thread, read after DispatchGroup.wait().
    private final class Collected: @unchecked Sendable { var data = Data() }

    /// Runs aioctl with `arguments`, sending `signal` (SIGINT unless said)
    /// after `interruptAfter` seconds if given; fails the test if it
    /// outlives `limit` seconds.
    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    interruptAfter: TimeInterval? = nil, signal: Int32 = SIGINT, limit: TimeInterval = 30,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
        try? input.fileHandleForWriting.close()
        // Read both pipes while waiting so a chatty child cannot block on a full pipe.
        let outData = Collected(), errData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if let interruptAfter {
            usleep(useconds_t(interruptAfter * 1_000_000))
            kill(process.processIdentifier, signal)
        }
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("aioctl \(arguments.joined(separator: " ")) still running after \(limit)s", file: file, line: line)
            process.waitUntilExit()
        }
        group.wait()
        process.waitUntilExit()
        let stderrText = String(decoding: errData.data, as: UTF8.self)
        // Per process, not the machine-wide aio-nr: aioctl says at exit if
        // any context of its own is still mapped.
        XCTAssertFalse(stderrText.contains("still mapped at exit"),
                       "aioctl \(arguments.joined(separator: " ")) left a context: \(stderrText)", file: file, line: line)
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData.data, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Parses stdout as one JSON object.
    static func json(_ result: Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        guard let dict = object as? [String: Any] else {
            XCTFail("stdout is not a JSON object: \(result.stdout.prefix(200))", file: file, line: line)
            return [:]
        }
        return dict
    }
}

/// /proc/sys/fs/aio-nr: events reserved by every live context on the machine.
enum AioNr {
    static func read() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/fs/aio-nr", encoding: .utf8)) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
