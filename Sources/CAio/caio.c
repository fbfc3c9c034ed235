#define _GNU_SOURCE
#include "caio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <libaio.h>
#include <pthread.h>
#include <dlfcn.h>
#include <sys/wait.h>
#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <malloc.h>

// The caio_* mirrors must be byte-for-byte the structures libaio hands the
// kernel, or every field aioctl sets lands in the wrong place.
_Static_assert(sizeof(struct caio_iocb) == 64, "kernel iocb is 64 bytes");
_Static_assert(sizeof(struct caio_iocb) == sizeof(struct iocb), "libaio iocb size");
_Static_assert(sizeof(struct caio_event) == sizeof(struct io_event), "io_event size");
_Static_assert(offsetof(struct caio_iocb, aio_lio_opcode) == offsetof(struct iocb, aio_lio_opcode), "opcode");
_Static_assert(offsetof(struct caio_iocb, aio_fildes) == offsetof(struct iocb, aio_fildes), "fildes");
_Static_assert(offsetof(struct caio_iocb, aio_buf) == offsetof(struct iocb, u.c.buf), "buf");
_Static_assert(offsetof(struct caio_iocb, aio_nbytes) == offsetof(struct iocb, u.c.nbytes), "nbytes");
_Static_assert(offsetof(struct caio_iocb, aio_offset) == offsetof(struct iocb, u.c.offset), "offset");
_Static_assert(offsetof(struct caio_iocb, aio_flags) == offsetof(struct iocb, u.c.flags), "flags");
_Static_assert(offsetof(struct caio_iocb, aio_resfd) == offsetof(struct iocb, u.c.resfd), "resfd");

static inline io_context_t lib_ctx(caio_context_t ctx) { return (io_context_t)ctx; }

static int setup_called;

// Noted before the call: a setup that fails or is interrupted still counts.
static void note_setup(void) { __atomic_store_n(&setup_called, 1, __ATOMIC_RELAXED); }

int caio_setup_was_called(void) { return __atomic_load_n(&setup_called, __ATOMIC_RELAXED); }

int caio_lib_io_setup(int maxevents, caio_context_t *ctxp) {
    note_setup();
    return io_setup(maxevents, (io_context_t *)ctxp);
}

int caio_lib_io_destroy(caio_context_t ctx) { return io_destroy(lib_ctx(ctx)); }

int caio_lib_io_submit(caio_context_t ctx, long nr, struct caio_iocb **iocbpp) {
    return io_submit(lib_ctx(ctx), nr, (struct iocb **)iocbpp);
}

int caio_lib_io_cancel(caio_context_t ctx, struct caio_iocb *iocb, struct caio_event *result) {
    return io_cancel(lib_ctx(ctx), (struct iocb *)iocb, (struct io_event *)result);
}

int caio_lib_io_getevents(caio_context_t ctx, long min_nr, long nr,
                          struct caio_event *events, struct timespec *timeout) {
    return io_getevents(lib_ctx(ctx), min_nr, nr, (struct io_event *)events, timeout);
}

int caio_lib_io_pgetevents(caio_context_t ctx, long min_nr, long nr,
                           struct caio_event *events, struct timespec *timeout,
                           const sigset_t *sigmask) {
    return io_pgetevents(lib_ctx(ctx), min_nr, nr, (struct io_event *)events, timeout,
                         (sigset_t *)sigmask);
}

// errno is captured immediately after the call, before anything can clobber it.
#define CAIO_RAW(expr)              \
    do {                            \
        errno = 0;                  \
        long r_ = (expr);           \
        *err = (r_ == -1) ? errno : 0; \
        return r_;                  \
    } while (0)

long caio_sys_io_setup(long nr_events, caio_context_t *ctxp, int *err) {
    note_setup();
    CAIO_RAW(syscall(SYS_io_setup, nr_events, ctxp));
}

long caio_sys_io_destroy(caio_context_t ctx, int *err) {
    CAIO_RAW(syscall(SYS_io_destroy, ctx));
}

long caio_sys_io_submit(caio_context_t ctx, long nr, struct caio_iocb **iocbpp, int *err) {
    CAIO_RAW(syscall(SYS_io_submit, ctx, nr, iocbpp));
}

long caio_sys_io_cancel(caio_context_t ctx, struct caio_iocb *iocb,
                        struct caio_event *result, int *err) {
    CAIO_RAW(syscall(SYS_io_cancel, ctx, iocb, result));
}

long caio_sys_io_getevents(caio_context_t ctx, long min_nr, long nr,
                           struct caio_event *events, struct timespec *timeout, int *err) {
    CAIO_RAW(syscall(SYS_io_getevents, ctx, min_nr, nr, events, timeout));
}

long caio_sys_io_pgetevents(caio_context_t ctx, long min_nr, long nr,
                            struct caio_event *events, struct timespec *timeout,
                            const sigset_t *sigmask, int *err) {
    // The kernel takes the mask indirectly, with its size (see io_pgetevents(2)).
    struct { const sigset_t *sigmask; size_t sigsetsize; } usig = { sigmask, _NSIG / 8 };
    CAIO_RAW(syscall(SYS_io_pgetevents, ctx, min_nr, nr, events, timeout,
                     sigmask ? &usig : NULL));
}

long caio_sys_io_pgetevents_usig(caio_context_t ctx, long min_nr, long nr,
                                 struct caio_event *events, struct timespec *timeout,
                                 const struct caio_sigset_arg *usig, int *err) {
    CAIO_RAW(syscall(SYS_io_pgetevents, ctx, min_nr, nr, events, timeout, usig));
}

int caio_fadvise(int fd, long long offset, long long length, int advice) {
    return posix_fadvise(fd, (off_t)offset, (off_t)length, advice);
}

int caio_cached_pages(int fd, long *resident, long *total) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return -1;
    long page = sysconf(_SC_PAGESIZE);
    size_t length = (size_t)st.st_size;
    size_t pages = (length + (size_t)page - 1) / (size_t)page;
    if (pages > (1u << 20)) return -1;
    void *map = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) return -1;
    unsigned char *vec = malloc(pages);
    int ok = vec && mincore(map, length, vec) == 0;
    long n = 0;
    if (ok) for (size_t i = 0; i < pages; i++) n += vec[i] & 1;
    free(vec);
    munmap(map, length);
    if (!ok) return -1;
    *resident = n;
    *total = (long)pages;
    return 0;
}

int caio_stop_self(int resume_ms) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        // Only async-signal-safe calls in a child of a threaded process.
        struct timespec ts = { resume_ms / 1000, (long)(resume_ms % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
        kill(parent, SIGCONT);
        _exit(0);
    }
    kill(parent, SIGSTOP);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return 0;
}

struct caio_cap_header { uint32_t version; int pid; };
struct caio_cap_data { uint32_t effective, permitted, inheritable; };
#define CAIO_CAP_VERSION_3 0x20080522

int caio_caps_drop_effective(unsigned long long mask, unsigned long long *before) {
    struct caio_cap_header h = { CAIO_CAP_VERSION_3, 0 };
    struct caio_cap_data d[2];
    if (syscall(SYS_capget, &h, d) != 0) return -1;
    *before = (unsigned long long)d[0].effective | ((unsigned long long)d[1].effective << 32);
    d[0].effective &= ~(uint32_t)mask;
    d[1].effective &= ~(uint32_t)(mask >> 32);
    return (int)syscall(SYS_capset, &h, d);
}

int caio_caps_set_effective(unsigned long long effective) {
    struct caio_cap_header h = { CAIO_CAP_VERSION_3, 0 };
    struct caio_cap_data d[2];
    if (syscall(SYS_capget, &h, d) != 0) return -1;
    d[0].effective = (uint32_t)effective;
    d[1].effective = (uint32_t)(effective >> 32);
    return (int)syscall(SYS_capset, &h, d);
}

const char *caio_errno_name(int errnum) { return strerrorname_np(errnum); }

const char *caio_libaio_path(void) {
    Dl_info info;
    if (dladdr((void *)io_setup, &info) && info.dli_fname) return info.dli_fname;
    return NULL;
}

int caio_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }

int caio_eventfd(unsigned int initval, int flags) { return eventfd(initval, flags); }
pid_t caio_gettid(void) { return (pid_t)syscall(SYS_gettid); }
int caio_stdout_error(void) { return ferror(stdout); }

// One handler for sig, nothing masked while it runs.
static void caio_set_handler(int sig, void (*handler)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static volatile sig_atomic_t caio_interrupt;

static void caio_record_interrupt(int sig) {
    if (!caio_interrupt) caio_interrupt = sig;
}

void caio_install_interrupt_handlers(void) {
    caio_set_handler(SIGINT, caio_record_interrupt, 0);
    caio_set_handler(SIGTERM, caio_record_interrupt, 0);
}

int caio_interrupt_signal(void) { return caio_interrupt; }

void caio_limit_malloc_arenas(int arenas) { mallopt(M_ARENA_MAX, arenas); }

void caio_block_interrupts_in_this_thread(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static volatile sig_atomic_t caio_counts[65];

static void caio_count_signal(int sig) {
    if (sig > 0 && sig < 65) caio_counts[sig]++;
}

void caio_install_counting_handler(int sig) { caio_set_handler(sig, caio_count_signal, 0); }

void caio_install_counting_handler_restart(int sig) { caio_set_handler(sig, caio_count_signal, SA_RESTART); }

unsigned caio_signal_count(int sig) {
    return (sig > 0 && sig < 65) ? (unsigned)caio_counts[sig] : 0;
}

// Runs body(arg, out) in a forked child, which sends `size` bytes of out
// back through a pipe. The child runs only C and leaves with _exit: no Swift
// runtime, no locks another thread may have held at fork time. A fault must
// kill it plainly, not run the parent's crash reporter. Returns 0 with out
// filled, 1 when a signal killed the child (*term_signal), -1 when it could
// not be made or outlived limit_ms (then it is killed).
static int caio_in_child(void (*body)(void *arg, void *out), void *arg, void *out, size_t size,
                         int limit_ms, int *term_signal) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) { close(fds[0]); close(fds[1]); return -1; }
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        char buffer[64];
        body(arg, buffer);
        (void)!write(fds[1], buffer, size);
        _exit(0);
    }
    close(fds[1]);
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    int ready = poll(&p, 1, limit_ms);
    ssize_t got = 0;
    if (ready == 1) got = read(fds[0], out, size);
    close(fds[0]);
    if (ready != 1) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) { *term_signal = WTERMSIG(status); return 1; }
    return got == (ssize_t)size ? 0 : -1;
}

struct caio_getevents_call {
    caio_context_t ctx;
    long min_nr, nr;
    struct caio_event *events;
    struct timespec *timeout;
    const sigset_t *sigmask;
    int with_mask;
};

static void caio_getevents_body(void *arg, void *out) {
    struct caio_getevents_call *c = arg;
    int r = c->with_mask
        ? io_pgetevents((io_context_t)c->ctx, c->min_nr, c->nr, (struct io_event *)c->events, c->timeout,
                        (sigset_t *)c->sigmask)
        : io_getevents((io_context_t)c->ctx, c->min_nr, c->nr, (struct io_event *)c->events, c->timeout);
    memcpy(out, &r, sizeof r);
}

struct caio_shared_child {
    struct caio_getevents_call call;
    int ret;
    int write_fd;
};

// Runs in a child that shares our memory (CLONE_VM): no malloc, no locks,
// nothing but the one call, so a crash there cannot leave shared state
// half-changed. Signal dispositions are the child's own (no CLONE_SIGHAND).
static int caio_shared_child_main(void *arg) {
    struct caio_shared_child *c = arg;
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    int r;
    caio_getevents_body(&c->call, &r);
    c->ret = r;
    char done = 1;
    (void)!write(c->write_fd, &done, 1);
    _exit(0);
}

int caio_isolated_lib_getevents(caio_context_t ctx, long min_nr, long nr,
                                struct caio_event *events, struct timespec *timeout,
                                const sigset_t *sigmask, int with_mask, int limit_ms,
                                int *ret, int *term_signal) {
    // A child sharing this address space (clone with CLONE_VM): it sees the
    // caller's contexts and memory exactly as the caller would, and costs no
    // copy of the page tables, which fork() of a big multi-threaded process does.
    enum { stack_size = 64 * 1024 };
    long page = sysconf(_SC_PAGESIZE);
    char *stack = mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    mprotect(stack, page, PROT_NONE);  // overflowing the child's stack faults, not our heap
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) { munmap(stack, stack_size + page); return -1; }
    struct caio_shared_child c = { { ctx, min_nr, nr, events, timeout, sigmask, with_mask }, 0, fds[1] };
    pid_t pid = clone(caio_shared_child_main, stack + page + stack_size, CLONE_VM | SIGCHLD, &c);
    close(fds[1]);
    if (pid < 0) { close(fds[0]); munmap(stack, stack_size + page); return -1; }
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    int ready;
    while ((ready = poll(&p, 1, limit_ms)) < 0 && errno == EINTR) {}
    char done = 0;
    ssize_t got = ready == 1 ? read(fds[0], &done, 1) : 0;
    close(fds[0]);
    if (got != 1) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {}
    munmap(stack, stack_size + page);
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) { *term_signal = WTERMSIG(status); return 1; }
    if (got != 1) return -1;
    *ret = c.ret;
    return 0;
}

struct caio_forked_op {
    int op, via_libaio;
    caio_context_t ctx;
    struct caio_iocb *iocb;
};

static void caio_forked_body(void *arg, void *out) {
    struct caio_forked_op *c = arg;
    struct caio_iocb *list[1] = { c->iocb };
    struct caio_event event;
    long result[2] = { 0, 0 };
    int e = 0;
    switch (c->op) {
    case CAIO_CHILD_DESTROY:
        result[0] = c->via_libaio ? caio_lib_io_destroy(c->ctx) : caio_sys_io_destroy(c->ctx, &e);
        break;
    case CAIO_CHILD_SUBMIT:
        result[0] = c->via_libaio ? caio_lib_io_submit(c->ctx, 1, list) : caio_sys_io_submit(c->ctx, 1, list, &e);
        break;
    default:
        result[0] = c->via_libaio ? caio_lib_io_cancel(c->ctx, c->iocb, &event)
                                  : caio_sys_io_cancel(c->ctx, c->iocb, &event, &e);
        break;
    }
    result[1] = e;
    memcpy(out, result, sizeof result);
}

int caio_forked_call(int op, int via_libaio, caio_context_t ctx, struct caio_iocb *iocb,
                     int limit_ms, long *ret, int *err, int *term_signal) {
    struct caio_forked_op c = { op, via_libaio, ctx, iocb };
    long result[2] = { 0, 0 };
    int fate = caio_in_child(caio_forked_body, &c, result, sizeof result, limit_ms, term_signal);
    *ret = result[0];
    *err = (int)result[1];
    return fate;
}


// include/uapi/linux/fs.h of Linux 6.11; older headers (Debian 12's) lack it.
struct caio_procmap_query {
    uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
_Static_assert(sizeof(struct caio_procmap_query) == 104, "procmap_query is 104 bytes");
#define CAIO_PROCMAP_QUERY _IOWR('f', 17, struct caio_procmap_query)

int caio_query_mapping(uint64_t address, uint64_t *start, uint64_t *inode, char *name, uint32_t name_size) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct caio_procmap_query q;
    memset(&q, 0, sizeof q);
    q.size = sizeof q;
    q.query_addr = address;
    q.vma_name_size = name_size;
    q.vma_name_addr = (uint64_t)(uintptr_t)name;
    if (name_size > 0) name[0] = 0;
    int r = ioctl(fd, CAIO_PROCMAP_QUERY, &q);
    int e = errno;
    close(fd);
    if (r == 0) { *start = q.vma_start; *inode = q.inode; return 0; }
    return e == ENOENT ? 1 : -1;
}
