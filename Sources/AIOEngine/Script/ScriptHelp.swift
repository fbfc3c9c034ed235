import AIODocuments
import AIOKernel
/// The step language's reference, shown by `help` in the shell and in
/// `aioctl run --help` (so the man page carries it too).
public enum ScriptHelp {
    public static let text = """
    One statement per line; '#' starts a comment. Names connect the lines.

    Pointers: wherever a call takes a pointer option, POINTER is one of
      valid     aioctl's own memory (the default)
      null      NULL
      unmapped  a page mapped with no access
      readonly  a page the kernel can read but not write, holding what valid
                would hold (ctxp its preset, iocbpp the listed iocbs, usig
                the mask and size): a call that only reads it goes through
      allones   (void *)-1
      kernel    0xffffffff81000000, an address in the kernel's half
      Every bad pointer is one aioctl made bad, in memory it owns, with a
      guard page after it; nothing is read or written through it by aioctl.

    Contexts
      ctx NAME = setup NR [ctxp=POINTER] [preset=HEX]
                           io_setup reads *ctxp before it writes it back:
                           ctxp=readonly preset=5 meets the value check first
      destroy CTX
      CTX is a name, or 0, garbage (a readable page that is no ring),
      unmapped, fakering (a read-only page that starts like a ring: the
      magic, head == tail; libaio trusts it, the kernel looks the id up),
      or a literal 0xADDRESS. A destroyed name stays usable.

    Descriptors
      pipe NAME            NAME.read, NAME.write
      socketpair NAME      NAME.0, NAME.1
      eventfd NAME         NAME
      fifo NAME            NAME.read, NAME.write (made in $TMPDIR or /tmp, removed once open)
      tmpfile NAME         NAME.read, NAME.write: 4096 cached bytes in $TMPDIR, unlinked
      open NAME PATH [rdonly|wronly|rdwr] [direct] [nonblock] [create] [append] [sync]
      close FD             write FD N       read FD N
      FD is NAME.END, NAME, or a number. `write` on an eventfd adds N to its
      counter; `read` never blocks (it reads only what is there).

    Requests
      iocb NAME = pread|pwrite|preadv|pwritev|fsync|fdsync FD [options]
      iocb NAME = poll FD [BITS]            BITS: in,out,pri,err,hup,rdhup,... or 0xN
      iocb NAME = noop | opcode N [FD]
      options: len=N off=N buf=own|null|unmapped|readonly|0xADDR bufsize=N
               events=BITS rwflags=nowait,hipri,dsync,sync,append,noappend,atomic|0xN
               reserved2=N flags=N resfd=FD ioprio=CLASS:LEVEL (none,rt,be,idle)
               reqprio=N data=N key=N iovcnt=N (preadv/pwritev, 1 to 65536)
               rawresfd=FD  aio_resfd without IOCB_FLAG_RESFD (flags=1 sets
                            the flag without a descriptor)
               page=readonly  the iocb in a read-only page: io_submit must
                            write aio_key there, and faults
      len is aio_nbytes, 0 to 2^64-1 (18446744073709551615 or 0xHEX); the
      buffer stays at most 1 GiB (one page past that), a guard page after it.
      set IOCB FIELD=N...  write fields in place, e.g. after a submit and
                           before a cancel: data key rwflags opcode reqprio fd
                           buf len off reserved2 flags resfd

    Calls (each printed with its arguments, the kernel's answer, its
    duration, and every document's claim for the situation)
      submit CTX ITEM... [nr=N] [iocbpp=POINTER]
             ITEM: an iocb name, q[*], q[2..5], null, unmapped or kernel
      cancel CTX ITEM [result=POINTER]
      getevents CTX [min=N] [max=N] [timeout=T] [events=POINTER|straddle:K]
        T: DURATION, none (NULL), invalid ({0,-1}), unmapped, kernel, or a
           raw pair {SEC,NSEC} such as {0,1000000000} or {-1,0}
        max may pass 65536: 65536 slots are mapped, a guard page after them
        events=straddle:K  K slots (0-128) end where an unmapped page starts:
           the report says which the kernel wrote before it faulted and
           whether the ring's head moved
      pgetevents CTX ... [mask=none|empty|unmapped|SIGUSR1,SIGUSR2]
                         [usig=POINTER] [sigsetsize=N]   (via=syscall only:
                         usig points at {mask, sigsetsize}, 8 unless told)
      reap CTX [count=N] [within=DURATION]   getevents until N events (no more than
                                 are outstanding) have come, or the bound passed
      fork STATEMENT             one destroy, cancel or one-iocb submit made by a
                                 forked child on this process's context
      without CAPS STATEMENT     one call with CAPS (CAP_SYS_ADMIN, CAP_SYS_NICE,
                                 CAP_SYS_RESOURCE, CAP_IPC_LOCK, comma-separated)
                                 dropped from the calling thread, restored after
      Every call takes via=libaio|syscall for itself; `via MODE` switches the rest.
      getevents waits 1s unless told; every wait ends by --timeout.

    Timing
      after DURATION STATEMENT   run a call, write, close, read or signal from a
                                 timer while the main sequence is blocked
      sleep DURATION             DURATION: 0, 250us, 10ms, 1.5s
      signal SIG [after DURATION] [handler|restart|nohandler]
                                 to the main thread; a handler only counts, so
                                 a blocked call returns EINTR (restart: the
                                 handler has SA_RESTART); re-sent until the
                                 wait it lands in returns
      stop DURATION              SIGSTOP to the whole process; a forked child
                                 sends SIGCONT after DURATION (at most 10s).
                                 `after 10ms stop 50ms` lands in the next wait.
                                 An interactive shell sees the stop (job
                                 control): run such scripts from a script
      fadvise FD normal|random|sequential|willneed|dontneed|noreuse [off=N] [len=N]
                                 posix_fadvise, with the file's pages in the
                                 page cache (mincore) before and after; dontneed
                                 drops clean pages only (fsync first), so the
                                 next read goes to the device
      wait [DURATION]            until every `after` timer is done (default 2s)
      await NAME [within=DURATION]   until the kernel says the thread making
                                 iocb NAME's io_submit, or context NAME's
                                 io_destroy, sleeps inside it, or that call
                                 has returned

    Looking inside
      show IOCB        the iocb's 64 bytes, field by field, and its state
      show ring CTX    the ring header: id, nr, head, tail, magic
      show timeout     the last getevents' timespec, before the call and now
      show handles     every name and what it holds
      aionr            read /proc/sys/fs/aio-nr (machine-wide); readings around
                       a setup and its destroy become that setup's observations
      aionr back [within=DURATION]   until aio-nr is back at the first reading
      help             this text
    """
}
