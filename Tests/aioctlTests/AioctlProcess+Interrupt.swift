import Foundation
import XCTest

extension AioctlProcess {
    /// Runs aioctl, sends SIGINT after `delay` seconds, and returns what it
    /// printed and its status; fails the test if it outlives `limit` seconds.
    static func runInterrupted(_ arguments: [String], after delay: TimeInterval, limit: TimeInterval = 30,
                               file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        usleep(useconds_t(delay * 1_000_000))
        process.interrupt()
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("aioctl \(arguments.joined(separator: " ")) ignored SIGINT for \(limit)s", file: file, line: line)
        }
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// aio-nr is machine-wide and other processes move it too, so "back to its
/// start" is checked as "returns to it within a few seconds".
func assertAioNrReturns(to start: Int, file: StaticString = #filePath, line: UInt = #line) {
    var now = AioNr.read()
    let deadline = Date().addingTimeInterval(5)
    while now != start && Date() < deadline {
        usleep(50_000)
        now = AioNr.read()
    }
    XCTAssertEqual(now, start, "aio-nr did not return to its starting value", file: file, line: line)
}
