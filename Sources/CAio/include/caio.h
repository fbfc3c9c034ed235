// CAio: the C bridge under aioctl.
//
// Two families of calls, one per return convention:
//   caio_lib_*  call libaio's wrappers, which return the negated errno;
//   caio_sys_*  call syscall(2), which returns -1 and sets errno. Swift cannot
//               call the variadic syscall() itself, and errno must be read
//               before anything else runs, so it comes back through *err.
//
// The structures mirror <linux/aio_abi.h> field for field (x86_64 and other
// little-endian 64-bit ABIs); caio.c checks the layout against libaio's at
// compile time. They are separate names because <libaio.h> and
// <linux/aio_abi.h> both define `struct iocb` and cannot meet in one file.
#ifndef CAIO_H
#define CAIO_H

#include <stdint.h>
#include <sys/types.h>
#include <stddef.h>
#include <time.h>
#include <signal.h>

typedef unsigned long caio_context_t;

struct caio_iocb {
    uint64_t aio_data;
    uint32_t aio_key;
    int32_t  aio_rw_flags;
    uint16_t aio_lio_opcode;
    int16_t  aio_reqprio;
    uint32_t aio_fildes;
    uint64_t aio_buf;
    uint64_t aio_nbytes;
    int64_t  aio_offset;
    uint64_t aio_reserved2;
    uint32_t aio_flags;
    uint32_t aio_resfd;
};

struct caio_event {
    uint64_t data;
    uint64_t obj;
    int64_t  res;
    int64_t  res2;
};

// The head of the completion ring the kernel maps at the context's address.
struct caio_ring {
    uint32_t id;
    uint32_t nr;
    uint32_t head;
    uint32_t tail;
    uint32_t magic;
    uint32_t compat_features;
    uint32_t incompat_features;
    uint32_t header_length;
};

enum {
    CAIO_CMD_PREAD = 0,
    CAIO_CMD_PWRITE = 1,
    CAIO_CMD_FSYNC = 2,
    CAIO_CMD_FDSYNC = 3,
    CAIO_CMD_POLL = 5,
    CAIO_CMD_NOOP = 6,
    CAIO_CMD_PREADV = 7,
    CAIO_CMD_PWRITEV = 8,
};

enum {
    CAIO_FLAG_RESFD = 1 << 0,
    CAIO_FLAG_IOPRIO = 1 << 1,
};

// Nonzero once this address space has called io_setup (either convention,
// any thread, a CLONE_VM child too): without that there is no context to
// leak, and the exit-time check need not read /proc/self/maps.
int caio_setup_was_called(void);

// libaio: the negated errno on failure.
int caio_lib_io_setup(int maxevents, caio_context_t *ctxp);
int caio_lib_io_destroy(caio_context_t ctx);
int caio_lib_io_submit(caio_context_t ctx, long nr, struct caio_iocb **iocbpp);
int caio_lib_io_cancel(caio_context_t ctx, struct caio_iocb *iocb, struct caio_event *result);
int caio_lib_io_getevents(caio_context_t ctx, long min_nr, long nr,
                          struct caio_event *events, struct timespec *timeout);
int caio_lib_io_pgetevents(caio_context_t ctx, long min_nr, long nr,
                           struct caio_event *events, struct timespec *timeout,
                           const sigset_t *sigmask);

// Raw syscalls: -1 with *err set on failure, *err = 0 otherwise.
long caio_sys_io_setup(long nr_events, caio_context_t *ctxp, int *err);
long caio_sys_io_destroy(caio_context_t ctx, int *err);
long caio_sys_io_submit(caio_context_t ctx, long nr, struct caio_iocb **iocbpp, int *err);
long caio_sys_io_cancel(caio_context_t ctx, struct caio_iocb *iocb,
                        struct caio_event *result, int *err);
long caio_sys_io_getevents(caio_context_t ctx, long min_nr, long nr,
                           struct caio_event *events, struct timespec *timeout, int *err);
long caio_sys_io_pgetevents(caio_context_t ctx, long min_nr, long nr,
                            struct caio_event *events, struct timespec *timeout,
                            const sigset_t *sigmask, int *err);

// io_pgetevents' last argument as the kernel reads it (struct __aio_sigset).
struct caio_sigset_arg {
    const sigset_t *sigmask;
    size_t sigsetsize;
};

// io_pgetevents with a usig pointer of the caller's choosing: its own
// struct (any sigsetsize), NULL, or a pointer the kernel must refuse.
long caio_sys_io_pgetevents_usig(caio_context_t ctx, long min_nr, long nr,
                                 struct caio_event *events, struct timespec *timeout,
                                 const struct caio_sigset_arg *usig, int *err);

// posix_fadvise(2): 0, or the error number it returns.
int caio_fadvise(int fd, long long offset, long long length, int advice);
// How many of a regular file's pages are in the page cache (mincore on a
// read-only shared mapping of it): 0 with *resident and *total set, -1 when
// the file cannot be mapped (not a regular file, empty, no read access).
int caio_cached_pages(int fd, long *resident, long *total);

// Stops the whole process with SIGSTOP; a forked child sends SIGCONT after
// resume_ms (a thread of a stopped process cannot). Returns once continued:
// 0, or -1 when the child could not be made (nothing was stopped then).
int caio_stop_self(int resume_ms);

// The calling thread's effective capabilities (capabilities are per
// thread): drop the bits of `mask` (bit n = capability n) and return the
// effective set before, in *before; restore with caio_caps_set_effective.
// 0, or -1 with errno.
int caio_caps_drop_effective(unsigned long long mask, unsigned long long *before);
int caio_caps_set_effective(unsigned long long effective);

// glibc's strerrorname_np: "EINVAL" for EINVAL, NULL for an unknown number.
const char *caio_errno_name(int errnum);

// The file libaio was loaded from (dladdr on io_setup), or NULL.
const char *caio_libaio_path(void);

// Calls libaio's io_getevents (io_pgetevents when with_mask) in a child
// process, because libaio reads the ring at the context's address, and the
// timeout, in user space: a bad address there kills the caller. The child
// shares the caller's address space (clone with CLONE_VM), so it sees the
// same contexts and memory. Returns 0 when the child exited (*ret holds the call's return), 1 when a signal killed
// it (*term_signal), -1 when it could not be made or outlived limit_ms
// (then it is killed).
int caio_isolated_lib_getevents(caio_context_t ctx, long min_nr, long nr,
                                struct caio_event *events, struct timespec *timeout,
                                const sigset_t *sigmask, int with_mask, int limit_ms,
                                int *ret, int *term_signal);

// Operations caio_forked_call can make in a child of this process.
enum {
    CAIO_CHILD_DESTROY = 0,  // io_destroy(ctx)
    CAIO_CHILD_SUBMIT = 1,   // io_submit(ctx, 1, &iocb)
    CAIO_CHILD_CANCEL = 2,   // io_cancel(ctx, iocb, &event)
};

// Makes one call in a forked child, through libaio (via_libaio) or
// syscall(2), so a context inherited from the parent can be tried from
// another process. Returns as caio_isolated_lib_getevents does; *ret is the
// call's return in its convention and *err the errno of a raw call.
int caio_forked_call(int op, int via_libaio, caio_context_t ctx, struct caio_iocb *iocb,
                     int limit_ms, long *ret, int *err, int *term_signal);

// pipe2(2), which glibc hides behind _GNU_SOURCE.
int caio_pipe2(int fds[2], int flags);

// eventfd(2) with the given flags; -1 and errno on failure.
int caio_eventfd(unsigned int initval, int flags);
/* The calling thread's kernel id (gettid), for /proc/self/task/TID. */
pid_t caio_gettid(void);
/* Whether a write to stdout failed (ferror), without naming the shared FILE * in Swift. */
int caio_stdout_error(void);

// SIGINT and SIGTERM: handlers that only record the signal (no SA_RESTART),
// so a wait in the thread that takes the signal returns EINTR and aioctl can
// clean up. Helper threads block both so the main thread takes them.
void caio_install_interrupt_handlers(void);
// At most `arenas` malloc arenas (glibc reserves 64 MiB of address space for each).
void caio_limit_malloc_arenas(int arenas);
// The signal that arrived, or 0.
int caio_interrupt_signal(void);
void caio_block_interrupts_in_this_thread(void);

// A handler for `sig` that only counts deliveries (no SA_RESTART), so a
// blocking call in the thread that takes it returns EINTR. Used to wake the
// main thread and for scripts' `signal` statement.
void caio_install_counting_handler(int sig);
// The same handler with SA_RESTART: the kernel restarts what it can restart.
void caio_install_counting_handler_restart(int sig);
// How many times `sig` (below 65) was delivered to a counting handler.
unsigned caio_signal_count(int sig);

// The mapping of this process that covers `address`, asked of the kernel
// with /proc/self/maps' PROCMAP_QUERY ioctl (Linux 6.11 and later): one
// VMA looked up, not the whole file formatted. Returns 0 and fills *start,
// *inode and `name` (NUL-terminated, cut to name_size), 1 when nothing is
// mapped there, -1 when the kernel has no such query (then read the file).
int caio_query_mapping(uint64_t address, uint64_t *start, uint64_t *inode, char *name, uint32_t name_size);

#endif
