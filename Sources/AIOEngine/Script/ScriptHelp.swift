import AIODocuments
import AIOKernel
/// The step language's reference, shown by `help` in the shell and in
/// `aioctl run --help` (so the man page carries it too).
public enum ScriptHelp {
    public static let text = """
    One statement per line; '#' starts a comment. Names connect the lines.

    Contexts
      ctx NAME = setup NR [ctxp=valid|null|unmapped|readonly] [preset=HEX]
      destroy CTX
      CTX is a name, or 0, garbage (a readable page that is no ring),
      unmapped, or a literal 0xADDRESS. A destroyed name stays usable.

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
               reqprio=N data=N key=N iovcnt=N (preadv/pwritev)

    Calls (each printed with its arguments, the kernel's answer, its
    duration, and every document's claim for the situation)
      submit CTX ITEM... [nr=N] [iocbpp=null|unmapped|allones]   ITEM: iocb name, null, unmapped
      cancel CTX ITEM [result=valid|null|unmapped|readonly]
      getevents CTX [min=N] [max=N] [timeout=DURATION|none|invalid|unmapped]
                    [events=valid|null|unmapped|readonly]
      pgetevents CTX ... [mask=none|empty|unmapped|SIGUSR1,SIGUSR2]
      reap CTX [count=N] [within=DURATION]   getevents until N events (no more than
                                 are outstanding) have come, or the bound passed
      fork STATEMENT             one destroy, cancel or one-iocb submit made by a
                                 forked child on this process's context
      Every call takes via=libaio|syscall for itself; `via MODE` switches the rest.
      getevents waits 1s unless told; every wait ends by --timeout.

    Timing
      after DURATION STATEMENT   run a call, write, close, read or signal from a
                                 timer while the main sequence is blocked
      sleep DURATION             DURATION: 0, 250us, 10ms, 1.5s
      signal SIG [after DURATION] [handler|nohandler]
                                 to the main thread; a handler only counts, so
                                 a blocked call returns EINTR; re-sent until the
                                 wait it lands in returns
      wait [DURATION]            until every `after` timer is done (default 2s)
      await IOCB [within=DURATION]   until the kernel says the thread making
                                 IOCB's io_submit sleeps inside it

    Looking inside
      show IOCB        the iocb's 64 bytes, field by field, and its state
      show ring CTX    the ring header: id, nr, head, tail, magic
      show handles     every name and what it holds
      aionr            read /proc/sys/fs/aio-nr (machine-wide); readings around
                       a setup and its destroy become that setup's observations
      aionr back [within=DURATION]   until aio-nr is back at the first reading
      help             this text
    """
}
