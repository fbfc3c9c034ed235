import Foundation
import XCTest

/// `aioctl bench` as a script runs it.
final class BenchCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testSmallRunReportsIOPSUnderFioNames() throws {
        let path = directory.appendingPathComponent("data").path
        let result = try AioctlProcess.run(["bench", "--file", path, "--size", "1m", "--ios", "500", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let json = try AioctlProcess.json(result)
        let jobs = try XCTUnwrap(json["jobs"] as? [[String: Any]])
        let read = try XCTUnwrap(jobs.first?["read"] as? [String: Any])
        XCTAssertGreaterThan(read["iops"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(read["bw_bytes"] as? Int ?? 0, 0)
        XCTAssertEqual(read["total_ios"] as? Int, 500)
        XCTAssertEqual(read["io_bytes"] as? Int, 500 * 4096)
        for key in ["io_kbytes", "bw", "runtime", "short_ios", "slat_ns", "clat_ns", "lat_ns"] {
            XCTAssertTrue(read.keys.contains(key), key)
        }
        let clat = try XCTUnwrap(read["clat_ns"] as? [String: Any])
        for key in ["min", "max", "mean", "stddev", "N"] { XCTAssertTrue(clat.keys.contains(key), key) }
        let percentiles = try XCTUnwrap(clat["percentile"] as? [String: Int])
        for key in ["50.000000", "99.000000", "99.900000"] { XCTAssertNotNil(percentiles[key], key) }
        let typed = try XCTUnwrap(jobs.first?["job options"] as? [String: String])
        XCTAssertEqual(typed, ["filename": path, "size": "1m", "number_ios": "500"])
        let implied = try XCTUnwrap(json["global options"] as? [String: String])
        XCTAssertEqual(implied["rw"], "randread")
        XCTAssertEqual(implied["iodepth"], "32")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, 1 << 20)
    }

    func testTextNamesTheDirection() throws {
        let path = directory.appendingPathComponent("w").path
        let result = try AioctlProcess.run(["bench", "--file", path, "--size", "256k", "--rw", "write", "--bs", "8k",
                                            "--iodepth", "4", "--runtime", "50ms"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("write: IOPS="), result.stdout)
        XCTAssertTrue(result.stdout.contains("clat"), result.stdout)
    }

    func testBadInputsGiveOneLineAndAStatus() throws {
        let existing = directory.appendingPathComponent("e").path
        _ = try AioctlProcess.run(["bench", "--file", existing, "--size", "64k", "--ios", "1"])
        let cases: [([String], Int32)] = [
            (["bench", "--file", "/nonexistent-\(UUID().uuidString)/f"], 66),
            (["bench", "--file", directory.path], 66),
            (["bench", "--file", existing, "--size", "100"], 64),
            (["bench", "--file", existing, "--bs", "128k"], 64),  // the 64k file is below one block
            (["bench", "--file", existing, "--iodepth", "0"], 64),
            (["bench", "--file", existing, "--iodepth", "2000000000", "--bs", "512"], 64),
            (["bench", "--file", existing, "--runtime", "1s", "--ios", "5"], 64),
            (["bench", "--file", existing, "--rw", "trim"], 64),
            (["bench", "--file", existing, "--bs", "4q"], 64),
            (["bench", "--file", existing, "--batch-submit", "99"], 64),
            (["bench"], 64),
        ]
        try assertRejected(cases.map { ($0.0, $0.1, "") })
    }

    /// A layout the file system cannot hold is refused before a byte is
    /// written, and one that fails part way (here `ulimit -f`, EFBIG rather
    /// than a SIGXFSZ death) takes back what it wrote: the fuzzer's
    /// `--size 18446744073709551615` had filled the disk.
    func testALayoutThatCannotFitWritesNothingOrTakesItBack() throws {
        let path = directory.appendingPathComponent("big").path
        let cases: [(String, String)] = [
            ("18446744073709551615", "past the largest file offset"),
            ("1152921504606846976", "nothing was written"),  // 1 EiB: more than any disk here holds
        ]
        for (size, message) in cases {
            let result = try AioctlProcess.run(["bench", "--file", path, "--size", size, "--ios", "1"])
            XCTAssertEqual(result.status, 66, result.stderr)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), size)
        }
        let binary = AioctlProcess.binary.path
        let limited = try Subprocess.run("/bin/sh", ["-c", "ulimit -f 1024; exec \"$0\" bench --file \"$1\" --size 4m --ios 1",
                                                     binary, path])
        XCTAssertEqual(limited.status, 66, limited.stderr)
        XCTAssertTrue(limited.stderr.contains("(EFBIG); the file was removed"), limited.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        _ = try AioctlProcess.run(["bench", "--file", path, "--size", "512k", "--ios", "1"])
        let extended = try Subprocess.run("/bin/sh", ["-c", "ulimit -f 1024; exec \"$0\" bench --file \"$1\" --size 4m --ios 1",
                                                      binary, path])
        XCTAssertEqual(extended.status, 66, extended.stderr)
        XCTAssertTrue(extended.stderr.contains("cut back to its 524288 bytes"), extended.stderr)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, 512 << 10)
    }

    func testSIGINTPrintsPartialResultsAndExits130() throws {
        let path = directory.appendingPathComponent("int").path
        _ = try AioctlProcess.run(["bench", "--file", path, "--size", "1m", "--ios", "1"])
        let result = try AioctlProcess.runInterrupted(["bench", "--file", path, "--runtime", "20s"], after: 0.5)
        XCTAssertEqual(result.status, 130, result.stderr)
        XCTAssertTrue(result.stdout.contains("interrupted by SIGINT"), result.stdout)
        XCTAssertTrue(result.stdout.contains("IOPS="), result.stdout)
    }
}

/// `bench --json` against fio's own programs: fio 3.33 for the same job (every
/// field, same JSON type), fio_jsonplus_clat2csv (one CSV row per clat bin)
/// and, when installed, fio-plot (PyPI).
final class BenchFioCompatibilityTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("aioctl-fio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func aioctlJSON(_ arguments: [String], named name: String) throws -> String {
        let result = try AioctlProcess.run(["bench"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let path = directory.appendingPathComponent(name).path
        try result.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEveryFieldFioWritesIsThereWithTheSameType() throws {
        let fio = try Subprocess.require("fio")
        let python = try Subprocess.require("python3")
        let data = directory.appendingPathComponent("data").path
        let ours = try aioctlJSON(["--file", data, "--size", "1m", "--bs", "4k", "--iodepth", "8", "--json+"],
                                  named: "aioctl.json")
        let theirs = try Subprocess.run(fio, ["--name=aioctl-bench", "--filename=\(data)", "--rw=randread", "--bs=4k",
                                              "--iodepth=8", "--ioengine=libaio", "--size=1m", "--output-format=json+"])
        XCTAssertEqual(theirs.status, 0, theirs.stderr)
        let fioPath = directory.appendingPathComponent("fio.json").path
        try theirs.stdout.write(toFile: fioPath, atomically: true, encoding: .utf8)
        let compared = try Subprocess.run(python, ["-c", Self.compareShapes, fioPath, ours])
        XCTAssertEqual(compared.status, 0, compared.stderr)
        XCTAssertEqual(compared.stdout, "", "fields fio writes that aioctl lacks or types differently")
    }

    func testJobOptionsEchoWhatWasTypedAndGlobalOptionsTheRest() throws {
        let path = try aioctlJSON(["--file", directory.appendingPathComponent("d").path, "--size", "256k", "--bs", "4k",
                                   "--runtime", "50ms", "--output-format", "json"], named: "a.json")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            as? [String: Any])
        let job = try XCTUnwrap((json["jobs"] as? [[String: Any]])?.first)
        let typed = try XCTUnwrap(job["job options"] as? [String: String])
        XCTAssertEqual(typed, ["filename": directory.appendingPathComponent("d").path, "size": "256k", "bs": "4k",
                               "runtime": "50ms"])
        let implied = try XCTUnwrap(json["global options"] as? [String: String])
        XCTAssertEqual(implied["iodepth"], "32")
        XCTAssertEqual(implied["rw"], "randread")
        XCTAssertEqual(implied["numjobs"], "1")
        XCTAssertEqual(implied["time_based"], "1")
        XCTAssertNil(implied["bs"], "typed options are not repeated")
        XCTAssertNotNil(json["fio version"])
        let both = try AioctlProcess.run(["bench", "--file", path, "--json", "--output-format", "json+"])
        XCTAssertEqual(both.status, 64, "two different formats are a usage error")
    }

    func testClat2csvWritesOneRowPerBin() throws {
        let clat2csv = try Subprocess.require("fio_jsonplus_clat2csv")
        let path = try aioctlJSON(["--file", directory.appendingPathComponent("d").path, "--size", "1m", "--json+"],
                                  named: "plus.json")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            as? [String: Any])
        let read = try XCTUnwrap((json["jobs"] as? [[String: Any]])?.first?["read"] as? [String: Any])
        let bins = try XCTUnwrap((read["clat_ns"] as? [String: Any])?["bins"] as? [String: Int])
        XCTAssertGreaterThan(bins.count, 1)
        XCTAssertEqual(bins.values.reduce(0, +), 256, "every I/O is in a bin")
        let csv = directory.appendingPathComponent("out.csv").path
        // Debian's python3-six, which the script needs, belongs to /usr/bin/python3.
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let result = try Subprocess.run(python, [clat2csv, path, csv])
        XCTAssertEqual(result.status, 0, result.stderr)
        // --validate rebuilds the bins from the CSV and compares them with the JSON.
        let validated = try Subprocess.run(python, [clat2csv, path, csv, "--validate"])
        XCTAssertEqual(validated.status, 0, validated.stderr)
        XCTAssertTrue(validated.stdout.contains("validated"), validated.stdout)
        let rows = try String(contentsOfFile: directory.appendingPathComponent("out_job0.csv").path, encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(rows.count, bins.count + 1, "a header and one row per bin")
    }

    /// fio-plot is a PyPI package, not a Debian one: run it when it is on PATH.
    func testFioPlotDrawsFromADirectoryOfBenchFiles() throws {
        guard let fioPlot = Subprocess.find("fio-plot") else { throw XCTSkip("fio-plot (pip install fio-plot) is not on PATH") }
        let results = directory.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        for depth in ["1", "8"] {
            let json = try aioctlJSON(["--file", directory.appendingPathComponent("d").path, "--size", "1m",
                                       "--iodepth", depth, "--json"], named: "results/randread-\(depth).json")
            XCTAssertTrue(FileManager.default.fileExists(atPath: json))
        }
        let png = directory.appendingPathComponent("graph.png").path
        let result = try Subprocess.run(fioPlot, ["-i", results.path, "-T", "aioctl", "-l", "-r", "randread",
                                                  "-d", "1", "8", "-n", "1", "-o", png], limit: 120)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertFalse(result.stdout.contains("not appear to be a valid fio json"), result.stdout)
        XCTAssertGreaterThan((try FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0, 1000)
    }

    /// Prints each path fio's document has that aioctl's lacks or types
    /// differently (int against float, object against list). Option echoes,
    /// percentile and bin keys depend on the values, not the shape.
    static let compareShapes = #"""
        import json, sys
        def shape(o, path, out):
            if isinstance(o, dict):
                out[path] = "object"
                for k, v in o.items():
                    if k in ("job options", "global options", "percentile", "bins"): out[path + "/" + k] = "object"
                    else: shape(v, path + "/" + k, out)
            elif isinstance(o, list):
                out[path] = "array"
                for v in o[:1]: shape(v, path + "[]", out)
            else:
                out[path] = {bool: "bool", int: "int", float: "float", str: "string"}.get(type(o), "null")
            return out
        fio = shape(json.load(open(sys.argv[1])), "", {})
        ours = shape(json.load(open(sys.argv[2])), "", {})
        for path, kind in fio.items():
            if path not in ours: print("missing", path)
            elif ours[path] != kind: print("type", path, "fio", kind, "aioctl", ours[path])
        """#
}
