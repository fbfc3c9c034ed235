// poll_cycle: the minimal libaio loop `aioctl race` is measured against.
//
//   poll_cycle loop N     N cycles of io_submit(POLLIN on an empty pipe),
//                         io_cancel, io_getevents(1) on one context and one
//                         iocb; prints "cycles_per_second <x>" and the count.
//   poll_cycle once [US]  one cycle as a whole process, the way
//                         `aioctl cancel --poll pipe` runs one: io_setup, a
//                         pipe, submit, wait US microseconds (default 10000,
//                         aioctl cancel's --after), cancel, reap, io_destroy.
//   poll_cycle once-from-thread [US]
//                         the same, but the wait and the cancel are made by a
//                         second thread (the main thread waits for it, reaps,
//                         destroys, then lets it end): how aioctl cancel ran a
//                         POLL before it cancelled on the submitting thread.
//
// Built by Benchmarks/run with: cc -O2 -o poll_cycle poll_cycle.c -laio -lpthread
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static void die(const char *what, int err) {
    fprintf(stderr, "poll_cycle: %s: %s\n", what, strerror(err < 0 ? -err : err));
    exit(1);
}

// One submit, cancel, reap; returns 0 or exits on anything unexpected.
static void cycle(io_context_t ctx, struct iocb *iocb, struct iocb **list, unsigned long long delay_ns) {
    struct io_event result, event;
    int r = io_submit(ctx, 1, list);
    if (r != 1) die("io_submit", r);
    if (delay_ns) {
        struct timespec ts = { (time_t)(delay_ns / 1000000000ull), (long)(delay_ns % 1000000000ull) };
        nanosleep(&ts, NULL);
    }
    r = io_cancel(ctx, iocb, &result);
    if (r != -EINPROGRESS && r != 0) die("io_cancel", r);
    r = io_getevents(ctx, 1, 1, &event, NULL);
    if (r != 1) die("io_getevents", r < 0 ? r : EIO);
}

// once-from-thread: the canceller, and what the main thread waits on.
struct canceller {
    io_context_t ctx;
    struct iocb *iocb;
    unsigned long long delay_ns;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int cancelled, done;
};

static void *cancel_later(void *arg) {
    struct canceller *c = arg;
    struct timespec ts = { (time_t)(c->delay_ns / 1000000000ull), (long)(c->delay_ns % 1000000000ull) };
    nanosleep(&ts, NULL);
    struct io_event result;
    int r = io_cancel(c->ctx, c->iocb, &result);
    if (r != -EINPROGRESS && r != 0) die("io_cancel", r);
    pthread_mutex_lock(&c->lock);
    c->cancelled = 1;
    pthread_cond_broadcast(&c->changed);
    while (!c->done) pthread_cond_wait(&c->changed, &c->lock);  // outlives io_destroy
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

static void cycle_from_thread(io_context_t ctx, struct iocb *iocb, struct iocb **list, unsigned long long delay_ns) {
    struct canceller c = { ctx, iocb, delay_ns, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
    int r = io_submit(ctx, 1, list);
    if (r != 1) die("io_submit", r);
    pthread_t thread;
    if ((r = pthread_create(&thread, NULL, cancel_later, &c)) != 0) die("pthread_create", r);
    pthread_mutex_lock(&c.lock);
    while (!c.cancelled) pthread_cond_wait(&c.changed, &c.lock);
    pthread_mutex_unlock(&c.lock);
    struct io_event event;
    r = io_getevents(ctx, 1, 1, &event, NULL);
    if (r != 1) die("io_getevents", r < 0 ? r : EIO);
    io_destroy(ctx);
    pthread_mutex_lock(&c.lock);
    c.done = 1;
    pthread_cond_broadcast(&c.changed);
    pthread_mutex_unlock(&c.lock);
    pthread_join(thread, NULL);
}

int main(int argc, char **argv) {
    int from_thread = argc >= 2 && strcmp(argv[1], "once-from-thread") == 0;
    if (argc < 2 || (strcmp(argv[1], "loop") != 0 && strcmp(argv[1], "once") != 0 && !from_thread)) {
        fprintf(stderr, "usage: poll_cycle loop N | poll_cycle once [delay_us] | poll_cycle once-from-thread [delay_us]\n");
        return 64;
    }
    int once = strcmp(argv[1], "once") == 0 || from_thread;
    long count = once ? 1 : (argc > 2 ? atol(argv[2]) : 100000);
    unsigned long long delay_ns = once ? (argc > 2 ? strtoull(argv[2], NULL, 10) : 10000ull) * 1000ull : 0;
    if (count < 1) { fprintf(stderr, "poll_cycle: N must be at least 1\n"); return 64; }

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) die("pipe2", errno);
    io_context_t ctx = 0;
    int r = io_setup(8, &ctx);
    if (r != 0) die("io_setup", r);
    struct iocb iocb;
    struct iocb *list[1] = { &iocb };
    memset(&iocb, 0, sizeof iocb);
    iocb.aio_fildes = fds[0];
    iocb.aio_lio_opcode = IO_CMD_POLL;
    iocb.u.poll.events = POLLIN;

    if (from_thread) {
        cycle_from_thread(ctx, &iocb, list, delay_ns);  // destroys the context itself
        return 0;
    }
    unsigned long long start = now_ns();
    for (long i = 0; i < count; i++) cycle(ctx, &iocb, list, delay_ns);
    unsigned long long elapsed = now_ns() - start;
    io_destroy(ctx);
    if (!once) printf("cycles %ld elapsed_ns %llu cycles_per_second %.0f\n",
                      count, elapsed, (double)count * 1e9 / (double)elapsed);
    return 0;
}
