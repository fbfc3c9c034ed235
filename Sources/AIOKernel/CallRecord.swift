import CAio
import SystemPackage

/// The syscalls aioctl makes, by their kernel names.
public enum AIOSyscall: String, CaseIterable, Sendable {
    case io_setup, io_destroy, io_submit, io_cancel, io_getevents, io_pgetevents
}

/// What the kernel answered, independent of the convention that carried it.
public enum Outcome: Equatable, Sendable {
    case value(Int)
    case error(Errno)

    public var errno: Errno? {
        if case .error(let e) = self { return e }
        return nil
    }

    /// The return value as the given convention shows it.
    public func returnValue(via: Via) -> Int {
        switch self {
        case .value(let v): return v
        case .error(let e): return via == .libaio ? -Int(e.rawValue) : -1
        }
    }

    /// Reads a raw return under a convention: libaio's -errno, or syscall's -1 + errno.
    public static func decode(_ ret: Int, err: Int32, via: Via) -> Outcome {
        switch via {
        case .libaio: return ret < 0 ? .error(Errno(rawValue: Int32(-ret))) : .value(ret)
        case .syscall: return ret == -1 ? .error(Errno(rawValue: err)) : .value(ret)
        }
    }
}

/// One syscall as it happened: decoded arguments, the answer, when and how long.
public struct CallRecord: Sendable {
    public init(syscall: AIOSyscall, via: Via, args: [(name: String, value: String)], outcome: Outcome,
                startNs: UInt64, endNs: UInt64) {
        (self.syscall, self.via, self.args, self.outcome, self.startNs, self.endNs) =
            (syscall, via, args, outcome, startNs, endNs)
    }

    public var syscall: AIOSyscall
    public var via: Via
    /// Decoded arguments in call order, e.g. ("nr_events", "8").
    public var args: [(name: String, value: String)]
    public var outcome: Outcome
    /// CLOCK_MONOTONIC at the call and at the return.
    public var startNs: UInt64
    public var endNs: UInt64
    /// Facts observed around the call that a source may make claims about.
    public var observations: [String: Bool] = [:]
    /// Free-text remarks for the reader (e.g. "answered in user space").
    public var remarks: [String] = []

    public var elapsedNs: UInt64 { endNs >= startNs ? endNs - startNs : 0 }
    public var returnValue: Int { outcome.returnValue(via: via) }

    public var callText: String {
        "\(syscall.rawValue)(" + args.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")"
    }

    /// A numeric argument of this call, as recorded.
    public func argumentValue(_ name: String) -> Int? {
        args.first { $0.name == name }.flatMap { Int($0.value) }
    }

    public var resultText: String {
        switch outcome {
        case .value(let v): return "\(v)"
        case .error(let e):
            return via == .libaio ? "-\(e.name) (\(returnValue))" : "-1 errno=\(e.name)"
        }
    }
}

public func hex<T: BinaryInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }

public func hex(_ pointer: UnsafeRawPointer?) -> String {
    guard let pointer else { return "NULL" }
    return hex(UInt(bitPattern: pointer))
}

/// Keys of the facts the kernel layer itself observes around a call.
public enum ObservationKey {
    /// The kernel wrote an event into io_cancel's *result.
    public static let resultWritten = "result_written"
    /// io_setup changed *ctxp (from the value stored there before the call).
    public static let ctxpWritten = "ctxp_written"
    /// After io_setup returned a handle, /proc/self/maps lists an [aio]
    /// mapping that starts at it: the ring.
    public static let ringMapped = "ring_mapped"
    /// The [aio] mapping at the handle before io_destroy (that inode) is gone
    /// from /proc/self/maps when io_destroy has returned 0.
    public static let ringUnmapped = "ring_unmapped"
}

extension String {
    /// Left-aligned in `width` columns, with at least one space after.
    public func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

extension caio_event {
    /// Every field equal: how the tool tells whether the kernel wrote *result.
    public func sameFields(as other: caio_event) -> Bool {
        data == other.data && obj == other.obj && res == other.res && res2 == other.res2
    }
}
