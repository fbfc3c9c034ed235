import AIODocuments
import AIOKernel
import CAio
import Glibc
import SystemPackage

/// `aioctl bench`'s loop, shaped like fio's libaio engine: keep --iodepth
/// requests in flight, submit up to --batch-submit per io_submit, reap at
/// least --batch-complete per io_getevents. iocbs and buffers are allocated
/// once, one slot per in-flight request; the loop itself allocates nothing.
public final class BenchEngine {
    public let options: BenchOptions
    public let file: BenchFile
    private let context: AIOContext
    private let depth: Int
    private let iocbs: UnsafeMutablePointer<caio_iocb>
    private let submitList: UnsafeMutablePointer<IOCBPointer?>
    private let buffers: UnsafeMutableRawPointer
    private let events: EventPointer
    private let freeSlots: UnsafeMutablePointer<Int>
    private var freeCount: Int
    private let preparedAt: UnsafeMutablePointer<UInt64>
    private let submittedAt: UnsafeMutablePointer<UInt64>
    private var nextBlock: UInt64 = 0
    private var random: UInt64
    private var finished = false
    private let createdAt = Monotonic.now()

    /// Buffers beyond this are a typo in --bs or --iodepth, not a benchmark.
    public static let maxBufferBytes = 1 << 30

    public init(options: BenchOptions) throws {
        try options.validate()
        guard options.iodepth <= Int(Int32.max) else {
            throw UsageError("--iodepth \(options.iodepth) is beyond what io_setup allows (nr_events is an int)")
        }
        self.options = options
        // io_setup first: an iodepth it refuses is a usage error, named as such.
        let (maybeContext, setup) = AIOContext.setup(nrEvents: options.iodepth, via: options.via)
        guard let context = maybeContext else { throw BenchEngine.setupFailure(setup, iodepth: options.iodepth) }
        let (bufferBytes, overflow) = options.iodepth.multipliedReportingOverflow(by: options.blockSize)
        if overflow || bufferBytes > BenchEngine.maxBufferBytes {
            context.destroy()
            throw UsageError("--iodepth × --bs needs more than \(formatSize(UInt64(BenchEngine.maxBufferBytes))) of buffers")
        }
        do { file = try BenchFile(options: options) } catch {
            context.destroy()
            throw error
        }
        self.context = context
        depth = options.iodepth
        iocbs = .allocate(capacity: depth)
        iocbs.initialize(repeating: caio_iocb(), count: depth)
        submitList = .allocate(capacity: depth)
        submitList.initialize(repeating: nil, count: depth)
        buffers = .allocate(byteCount: depth * options.blockSize, alignment: 4096)
        memset(buffers, 0x5A, depth * options.blockSize)
        events = .allocate(capacity: depth)
        events.initialize(repeating: caio_event(), count: depth)
        freeSlots = .allocate(capacity: depth)
        for i in 0..<depth { freeSlots[i] = depth - 1 - i }
        freeCount = depth
        preparedAt = .allocate(capacity: depth)
        preparedAt.initialize(repeating: 0, count: depth)
        submittedAt = .allocate(capacity: depth)
        submittedAt.initialize(repeating: 0, count: depth)
        random = options.seed | 1
    }

    deinit {
        finish()
        iocbs.deallocate()
        submitList.deallocate()
        buffers.deallocate()
        events.deallocate()
        freeSlots.deallocate()
        preparedAt.deallocate()
        submittedAt.deallocate()
    }

    /// io_destroy waits for what is still in flight, after which the
    /// iocbs and buffers may go.
    private func finish() {
        guard !finished else { return }
        finished = true
        context.destroy()
    }

    static func setupFailure(_ record: CallRecord, iodepth: Int) -> AioctlError {
        switch record.outcome.errno {
        case .resourceTemporarilyUnavailable?:
            let maxText = (try? String(contentsOfProcFile: "/proc/sys/fs/aio-max-nr")) ?? "?"
            let usedText = (try? String(contentsOfProcFile: "/proc/sys/fs/aio-nr")) ?? "?"
            // The kernel reserves about twice nr_events. An iodepth that fits
            // in aio-max-nr on its own met others' contexts: no AIO left here.
            if let max = UInt64(maxText.trimmingWhitespace()), UInt64(iodepth) * 2 <= max {
                return AioctlError(.unavailable, "AIO is unavailable here: io_setup failed with EAGAIN (aio-nr \(usedText.trimmingWhitespace()) of aio-max-nr \(maxText.trimmingWhitespace()) in use)")
            }
            return UsageError("--iodepth \(iodepth) is beyond what io_setup allows here (EAGAIN: aio-max-nr \(maxText), aio-nr \(usedText))")
        case .invalidArgument?:
            return UsageError("--iodepth \(iodepth) is beyond what io_setup allows (EINVAL)")
        default:
            return CancelProbe.setupFailure(record)
        }
    }

    public func run(progress: ProgressBar? = nil) -> BenchReport {
        var stats = BenchStats()
        let blocks = file.size / UInt64(options.blockSize)
        let totalIOs: Int
        var deadline = UInt64.max
        let start = Monotonic.now()
        switch options.stop {
        case .ios(let n)?: totalIOs = n
        case .runtime(let ns)?: totalIOs = .max; deadline = start + ns
        case nil: totalIOs = Int(clamping: blocks)
        }
        var issued = 0, inFlight = 0
        var lastCompletion = start
        let usageAtStart = ResourceUsage.now()
        let diskAtStart = BenchDisk.sample(fd: file.fd)
        stats.samples.start(at: start)
        loop: while true {
            if let sig = Interrupts.pending { stats.interruptedBy = sig; break }
            let now = Monotonic.now()
            let canIssue = now >= deadline ? 0 : min(freeCount, totalIOs - issued)
            if canIssue > 0 {
                let n = min(canIssue, options.batchSubmit)
                for k in 0..<n { submitList[k] = prepare(slot: popSlot(), blocks: blocks, at: now) }
                let submitted = submit(n)
                let t1 = Monotonic.now()
                let accepted = max(submitted, 0)
                // io_submit takes a prefix of the list; the rest go back.
                for k in stride(from: n - 1, through: accepted, by: -1) { pushSlot(slot(of: submitList[k]!)) }
                if submitted < 0, !(submitted == -Int(EAGAIN) && inFlight > 0) {
                    stats.failure = "io_submit returned -\(Errno(rawValue: Int32(-submitted)).name)"
                    break loop
                }
                for k in 0..<accepted {
                    let slot = slot(of: submitList[k]!)
                    stats.slat.record(t1 - now)
                    submittedAt[slot] = t1
                }
                inFlight += accepted
                issued += accepted
                stats.submitBatches.markBatch(accepted)
                stats.depthLevels.markDepth(inFlight, submitted: accepted)
                if submitted > 0, inFlight < depth, issued < totalIOs, t1 < deadline { continue }
            }
            if inFlight == 0 { break }
            let reaped = reap(minNr: min(options.batchComplete, inFlight))
            if reaped == -Int(EINTR) { continue }
            if reaped < 0 {
                stats.failure = "io_getevents returned -\(Errno(rawValue: Int32(-reaped)).name)"
                break
            }
            let t = Monotonic.now()
            for i in 0..<reaped {
                let event = events[i]
                let slot = Int(event.data)
                stats.count(res: event.res, blockSize: options.blockSize)
                stats.clat.record(t - submittedAt[slot])
                stats.lat.record(t - preparedAt[slot])
                pushSlot(slot)
            }
            inFlight -= reaped
            lastCompletion = t
            stats.completeBatches.markBatch(reaped)
            stats.samples.maybeSample(now: t, ios: stats.ios, bytes: stats.bytes)
            if let progress {
                let fraction = deadline == .max ? Double(stats.ios) / Double(max(totalIOs, 1))
                                                : Double(t - start) / Double(deadline - start)
                progress.update(fraction: fraction, now: t)
            }
        }
        stats.usage = ResourceUsage(from: usageAtStart, to: ResourceUsage.now())
        progress?.finish()
        finish()
        stats.elapsedNs = lastCompletion - start
        stats.jobElapsedNs = Monotonic.now() - createdAt
        if let before = diskAtStart, let after = BenchDisk.sample(fd: file.fd) {
            stats.disk = after.json(since: before, elapsedMs: Double(stats.elapsedNs) / 1e6)
        }
        return BenchReport(options: options, fileSize: file.size, laidOut: file.laidOut, stats: stats)
    }

    @inline(__always)
    private func popSlot() -> Int {
        freeCount -= 1
        return freeSlots[freeCount]
    }

    @inline(__always)
    private func pushSlot(_ slot: Int) {
        freeSlots[freeCount] = slot
        freeCount += 1
    }

    @inline(__always)
    private func slot(of iocb: IOCBPointer) -> Int { iocb - iocbs }

    /// Fills slot's iocb for the next offset; returns it.
    @inline(__always)
    private func prepare(slot: Int, blocks: UInt64, at now: UInt64) -> IOCBPointer {
        let block: UInt64
        if options.pattern.isRandom {
            // xorshift64*: cheap and good enough to spread offsets.
            random ^= random >> 12; random ^= random << 25; random ^= random >> 27
            block = (random &* 0x2545_F491_4F6C_DD1D) % blocks
        } else {
            block = nextBlock
            nextBlock = nextBlock + 1 == blocks ? 0 : nextBlock + 1
        }
        let iocb = iocbs + slot
        iocb.pointee.aio_data = UInt64(slot)
        iocb.pointee.aio_lio_opcode = UInt16(options.pattern.isWrite ? CAIO_CMD_PWRITE : CAIO_CMD_PREAD)
        iocb.pointee.aio_fildes = UInt32(bitPattern: file.fd)
        iocb.pointee.aio_buf = UInt64(UInt(bitPattern: buffers + slot * options.blockSize))
        iocb.pointee.aio_nbytes = UInt64(options.blockSize)
        iocb.pointee.aio_offset = Int64(block * UInt64(options.blockSize))
        preparedAt[slot] = now
        return iocb
    }

    // The calls through --via's convention (Via+Calls.swift, inlined here),
    // read in libaio's: a count, or -errno.

    @inline(__always)
    private func submit(_ n: Int) -> Int {
        options.via.submit(context.handle, nr: n, iocbpp: submitList).negatedErrnoForm
    }

    @inline(__always)
    private func reap(minNr: Int) -> Int {
        options.via.getevents(context.handle, minNr: minNr, nr: options.batchCompleteMax ?? depth, events: events,
                              timeout: nil).negatedErrnoForm
    }
}

extension String {
    /// A one-line /proc file without its newline.
    init(contentsOfProcFile path: String, limit: Int = 64) throws {
        guard let f = fopen(path, "r") else { throw Errno(rawValue: errno) }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: limit)
        guard fgets(&buffer, Int32(limit), f) != nil else { throw Errno(rawValue: errno) }
        self = String(nulTerminated: buffer).trimmingWhitespace()
    }
}
