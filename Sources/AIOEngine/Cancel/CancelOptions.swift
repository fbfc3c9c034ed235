import AIODocuments
import AIOKernel
/// Everything `aioctl cancel` can be asked to do, validated.
public struct CancelOptions: Sendable {
    public var request: RequestSpec = .poll(events: .in)
    public var target: TargetSpec = .pipe
    public var ready = false
    public var after: DelaySpec = .nanoseconds(10_000_000)
    /// nil: write where the target has a write end, else leave blocked.
    public var unblock: UnblockMode?
    public var reapTimeoutNs: UInt64 = 1_000_000_000
    public var timeoutNs: UInt64 = 10_000_000_000
    public var via: Via = .libaio
    public var expect: Source = .kapi
    public var count = 1
    public var nrEvents = 8

    /// When a blocked read is freed if there is no cancel to follow (`--after never`).
    public static let unblockDelayWithoutCancelNs: UInt64 = 10_000_000

    public init() {}

    public var requestedDelayNs: UInt64? { after.nanoseconds }

    public func validate() throws {
        if case .read(let length, let offset, _) = request {
            guard length > 0 else { throw UsageError("--length must be at least 1 byte") }
            guard length <= RequestSpec.maxReadLength else {
                throw UsageError("--length \(length) is larger than the 1 GiB aioctl allows")
            }
            guard offset >= 0 else { throw UsageError("--offset must not be negative") }
        }
        guard count >= 1 else { throw UsageError("--count must be at least 1") }
        guard count <= 1_000_000 else { throw UsageError("--count \(count) is more than 1000000") }
        guard timeoutNs > 0 else { throw UsageError("--timeout must be longer than 0") }
        if let after = after.nanoseconds, after >= timeoutNs {
            throw UsageError("--after \(formatDuration(after)) is not shorter than --timeout \(formatDuration(timeoutNs))")
        }
    }
}
