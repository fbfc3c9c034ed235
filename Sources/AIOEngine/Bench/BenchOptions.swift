import AIODocuments
import AIOKernel
/// The I/O pattern, by fio's --rw names.
public enum BenchPattern: String, CaseIterable, Sendable {
    case read, randread, write, randwrite

    public var isWrite: Bool { self == .write || self == .randwrite }
    public var isRandom: Bool { self == .randread || self == .randwrite }
    /// fio's key for the direction's statistics.
    public var direction: String { isWrite ? "write" : "read" }
}

/// When a bench run ends.
public enum BenchStop: Equatable, Sendable {
    /// After this many I/Os complete (fio's number_ios); default: one pass over the file.
    case ios(Int)
    /// After this long (fio's --runtime with --time_based).
    case runtime(nanoseconds: UInt64)
}

/// Everything `aioctl bench` needs, validated.
public struct BenchOptions: Sendable {
    public var path = ""
    /// nil: the existing file's size, or `defaultSize` for a new file.
    public var size: UInt64?
    public var blockSize = 4096
    public var iodepth = 32
    public var pattern: BenchPattern = .randread
    public var direct = false
    /// I/Os per io_submit at most (fio's iodepth_batch_submit, default 1).
    public var batchSubmit = 1
    /// min_nr for io_getevents (fio's iodepth_batch_complete_min, default 1).
    public var batchComplete = 1
    /// nr for io_getevents (fio's iodepth_batch_complete_max); nil: --iodepth,
    /// every event that is ready. fio's default is iodepth_batch_complete_min,
    /// one event a call: see Benchmarks/README.md.
    public var batchCompleteMax: Int?
    /// nil: one pass over the file (size / block size I/Os).
    public var stop: BenchStop?
    public var via: Via = .libaio
    /// Seed for random offsets, so runs can be repeated.
    public var seed: UInt64 = 0x5EED_A10C
    /// The options as the user typed them, under fio's names ("bs": "4k"),
    /// in the order given: what --json echoes as fio's "job options".
    public var typed: [(name: String, value: String)] = []

    public static let defaultSize: UInt64 = 64 << 20

    public init() {}

    public func validate() throws {
        guard !path.isEmpty else { throw UsageError("--file needs a path") }
        guard blockSize >= 1 else { throw UsageError("--bs must be at least 1 byte") }
        guard blockSize <= 64 << 20 else { throw UsageError("--bs must be at most 64MiB") }
        if direct, blockSize % 512 != 0 {
            throw UsageError("--direct needs --bs in multiples of 512 bytes (got \(blockSize))")
        }
        guard iodepth >= 1 else { throw UsageError("--iodepth must be at least 1") }
        if let size, size < UInt64(blockSize) {
            throw UsageError("--size \(size) is smaller than one block (--bs \(blockSize))")
        }
        guard batchSubmit >= 1, batchSubmit <= iodepth else {
            throw UsageError("--batch-submit must be between 1 and --iodepth (\(iodepth))")
        }
        guard batchComplete >= 1, batchComplete <= iodepth else {
            throw UsageError("--batch-complete must be between 1 and --iodepth (\(iodepth))")
        }
        if let batchCompleteMax, batchCompleteMax < batchComplete || batchCompleteMax > iodepth {
            throw UsageError("--batch-complete-max must be between --batch-complete (\(batchComplete)) and --iodepth (\(iodepth))")
        }
        switch stop {
        case .ios(let n)? where n < 1: throw UsageError("--ios must be at least 1")
        case .runtime(let ns)? where ns == 0: throw UsageError("--runtime must be longer than 0")
        default: break
        }
    }
}

/// Sizes as fio writes them: 4096, 4k, 64m, 1g, 64MiB, 512KB (all powers of 1024).
public func parseSize(_ text: String, option: String) throws -> UInt64 {
    let lowered = text.trimmingWhitespace().lowercased()
    let digits = lowered.prefix { $0.isNumber }
    var unit = String(lowered.dropFirst(digits.count))
    if unit.hasSuffix("ib") { unit.removeLast(2) } else if unit.hasSuffix("b") { unit.removeLast() }
    let scales: [String: UInt64] = ["": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]
    guard !digits.isEmpty, let value = UInt64(digits), let scale = scales[unit] else {
        throw UsageError("\(option) '\(text)' is not a size (examples: 4096, 4k, 64MiB, 1g)")
    }
    let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
    guard !overflow else { throw UsageError("\(option) '\(text)' is too large") }
    return bytes
}

/// "4k", "64MiB", "1.5GiB": the way reports name sizes.
public func formatSize(_ bytes: UInt64) -> String {
    let units: [(UInt64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (scale, name) in units where bytes >= scale {
        let value = Double(bytes) / Double(scale)
        let text = value == value.rounded() ? String(Int(value)) : String((value * 100).rounded() / 100)
        return text + name
    }
    return "\(bytes)B"
}
