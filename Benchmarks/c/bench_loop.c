// bench_loop: the real limit `aioctl bench` is measured against. It does
// exactly what aioctl bench's loop does (Sources/AIOEngine/Bench/BenchEngine.swift)
// with libaio and nothing more:
//
//   - one context of IODEPTH events; IODEPTH iocbs and block-sized buffers,
//     one slot each, taken from and given back to a stack of free slots;
//   - submit: while slots are free and the deadline has not passed, prepare
//     up to BATCH_SUBMIT iocbs (default 1) and io_submit them, again and
//     again until IODEPTH are in flight;
//   - reap: io_getevents(min_nr = min(BATCH_COMPLETE_MIN, in flight),
//     nr = BATCH_COMPLETE_MAX (default IODEPTH), no timeout), then refill;
//   - random blocks without a map: xorshift64* seeded as aioctl's default
//     seed (0x5EEDA10C), block = value % (size / bs);
//   - the clock read where aioctl reads it (once a turn, after io_submit,
//     after io_getevents), since the deadline and the latencies need it;
//     aioctl's histograms and samples are not kept.
// IOPS = I/Os completed / (last completion - start), as aioctl bench counts.
//
//   bench_loop FILE SIZE_BYTES BS IODEPTH RUNTIME_MS [BATCH_SUBMIT [BATCH_COMPLETE_MIN [BATCH_COMPLETE_MAX]]]
//
// prints "ios <n> elapsed_ns <ns> iops <x> usr_cpu <%> sys_cpu <%>" (CPU
// time of the whole process over the elapsed time, as fio's usr_cpu and
// sys_cpu, to compare where each tool spends it). The file must already hold
// SIZE_BYTES (Benchmarks/run lays it out with aioctl bench and caches it).
// Built by Benchmarks/run with: cc -O2 -o bench_loop bench_loop.c -laio
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, int err) {
    fprintf(stderr, "bench_loop: %s: %s\n", what, strerror(err < 0 ? -err : err));
    exit(1);
}

static long arg(int argc, char **argv, int i, long fallback) {
    if (i >= argc) return fallback;
    char *end;
    long v = strtol(argv[i], &end, 10);
    if (*end || v < 1) { fprintf(stderr, "bench_loop: '%s' is not a positive number\n", argv[i]); exit(64); }
    return v;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: bench_loop FILE SIZE_BYTES BS IODEPTH RUNTIME_MS "
                        "[BATCH_SUBMIT [BATCH_COMPLETE_MIN [BATCH_COMPLETE_MAX]]]\n");
        return 64;
    }
    const char *path = argv[1];
    uint64_t size = (uint64_t)arg(argc, argv, 2, 0);
    long bs = arg(argc, argv, 3, 0), depth = arg(argc, argv, 4, 0);
    uint64_t runtime_ns = (uint64_t)arg(argc, argv, 5, 0) * 1000000ull;
    long batch_submit = arg(argc, argv, 6, 1), batch_min = arg(argc, argv, 7, 1);
    long batch_max = arg(argc, argv, 8, depth);
    uint64_t blocks = size / (uint64_t)bs;
    if (blocks == 0 || batch_submit > depth || batch_min > batch_max || batch_max > depth) {
        fprintf(stderr, "bench_loop: need SIZE >= BS and BATCH_SUBMIT, BATCH_COMPLETE_MIN <= BATCH_COMPLETE_MAX <= IODEPTH\n");
        return 64;
    }

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(path, errno);
    io_context_t ctx = 0;
    int r = io_setup((int)depth, &ctx);
    if (r != 0) die("io_setup", r);
    struct iocb *iocbs = calloc((size_t)depth, sizeof *iocbs);
    struct iocb **submit_list = calloc((size_t)depth, sizeof *submit_list);
    struct io_event *events = calloc((size_t)depth, sizeof *events);
    long *free_slots = calloc((size_t)depth, sizeof *free_slots);
    void *buffers;
    if (!iocbs || !submit_list || !events || !free_slots) die("calloc", ENOMEM);
    if ((r = posix_memalign(&buffers, 4096, (size_t)(depth * bs))) != 0) die("posix_memalign", r);
    memset(buffers, 0x5A, (size_t)(depth * bs));
    long free_count = depth;
    for (long i = 0; i < depth; i++) free_slots[i] = depth - 1 - i;
    uint64_t random = 0x5EEDA10Cull | 1;

    long in_flight = 0;
    uint64_t ios = 0;
    uint64_t start = now_ns(), deadline = start + runtime_ns, last_completion = start;
    for (;;) {
        uint64_t now = now_ns();
        long can_issue = now >= deadline ? 0 : free_count;
        if (can_issue > 0) {
            long n = can_issue < batch_submit ? can_issue : batch_submit;
            for (long k = 0; k < n; k++) {
                long slot = free_slots[--free_count];
                random ^= random >> 12; random ^= random << 25; random ^= random >> 27;
                uint64_t block = (random * 0x2545F4914F6CDD1Dull) % blocks;
                struct iocb *iocb = &iocbs[slot];
                io_prep_pread(iocb, fd, (char *)buffers + slot * bs, (size_t)bs, (long long)(block * (uint64_t)bs));
                iocb->data = (void *)(uintptr_t)slot;
                submit_list[k] = iocb;
            }
            int submitted = io_submit(ctx, n, submit_list);
            uint64_t t1 = now_ns();
            long accepted = submitted > 0 ? submitted : 0;
            // io_submit takes a prefix of the list; the rest go back.
            for (long k = n - 1; k >= accepted; k--) free_slots[free_count++] = submit_list[k] - iocbs;
            if (submitted < 0 && !(submitted == -EAGAIN && in_flight > 0)) die("io_submit", submitted);
            in_flight += accepted;
            if (submitted > 0 && in_flight < depth && t1 < deadline) continue;
        }
        if (in_flight == 0) break;
        long min_nr = batch_min < in_flight ? batch_min : in_flight;
        int reaped = io_getevents(ctx, min_nr, batch_max, events, NULL);
        if (reaped == -EINTR) continue;
        if (reaped < 0) die("io_getevents", reaped);
        uint64_t t = now_ns();
        for (int i = 0; i < reaped; i++) {
            if (events[i].res != (unsigned long)bs) {
                fprintf(stderr, "bench_loop: a read returned %ld, not %ld\n", (long)events[i].res, bs);
                return 1;
            }
            free_slots[free_count++] = (long)(uintptr_t)events[i].data;
        }
        in_flight -= reaped;
        ios += (uint64_t)reaped;
        last_completion = t;
    }
    io_destroy(ctx);
    uint64_t elapsed = last_completion - start;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double usr_ns = (double)usage.ru_utime.tv_sec * 1e9 + (double)usage.ru_utime.tv_usec * 1e3;
    double sys_ns = (double)usage.ru_stime.tv_sec * 1e9 + (double)usage.ru_stime.tv_usec * 1e3;
    double per = elapsed ? 100.0 / (double)elapsed : 0.0;
    printf("ios %llu elapsed_ns %llu iops %.0f usr_cpu %.1f sys_cpu %.1f\n", (unsigned long long)ios,
           (unsigned long long)elapsed, elapsed ? (double)ios * 1e9 / (double)elapsed : 0.0, usr_ns * per, sys_ns * per);
    return 0;
}
