#!/usr/bin/env python3
"""deny-io-setup.py ERRNO COMMAND...: runs COMMAND with a seccomp filter that
makes every io_setup(2) fail with ERRNO (EPERM, ENOSYS, EAGAIN), as a
container runtime's filter or a full aio-max-nr would. x86_64 only.
"""
import ctypes
import errno
import os
import platform
import struct
import sys

if platform.machine() != "x86_64":
    sys.exit("deny-io-setup: x86_64 only")
code = getattr(errno, sys.argv[1])
NR_IO_SETUP = 206
AUDIT_ARCH_X86_64 = 0xC000003E
LD_ABS, JEQ, RET = 0x20, 0x15, 0x06
SECCOMP_RET_ERRNO, SECCOMP_RET_ALLOW = 0x00050000, 0x7FFF0000
program = [
    (LD_ABS, 0, 0, 4),                    # the architecture
    (JEQ, 0, 3, AUDIT_ARCH_X86_64),       # another one: allow
    (LD_ABS, 0, 0, 0),                    # the syscall number
    (JEQ, 0, 1, NR_IO_SETUP),
    (RET, 0, 0, SECCOMP_RET_ERRNO | code),
    (RET, 0, 0, SECCOMP_RET_ALLOW),
]
filters = b"".join(struct.pack("HBBI", *insn) for insn in program)
buffer = ctypes.create_string_buffer(filters)
fprog = struct.pack("HxxxxxxQ", len(program), ctypes.addressof(buffer))
fprog_buffer = ctypes.create_string_buffer(fprog)
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
    sys.exit("deny-io-setup: PR_SET_NO_NEW_PRIVS: %s" % os.strerror(ctypes.get_errno()))
if libc.prctl(22, 2, ctypes.addressof(fprog_buffer), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    sys.exit("deny-io-setup: PR_SET_SECCOMP: %s" % os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[2], sys.argv[2:])
