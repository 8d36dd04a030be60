"""Walls around a query worker process: no network, bounded memory.

The guard (serve/guard.py) refuses SERVICE, FROM and LOAD on the parsed query; these walls
hold even if a query the guard let through still made the engine reach out or grow:

- **No network**: a seccomp filter (libseccomp, through pyseccomp) makes ``socket()`` fail
  with EACCES for IPv4 and IPv6 in this process, so pyoxigraph's SERVICE client cannot open
  a connection (the worker talks to the server over a pipe made before the filter).
- **Memory**: ``RLIMIT_AS`` caps the address space at what the loaded graph uses plus a
  budget per query; an allocation past it fails and the worker dies, and the server
  answers 503 and starts a successor.
"""

from __future__ import annotations

import contextlib
import errno
import socket

M_ARENA_MAX = -8  # glibc mallopt parameter


def deny_network() -> str | None:
    """Forbid IPv4/IPv6 sockets in this process from now on; the mechanism used, or None
    when seccomp is not available here (then only the guard stands)."""
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for family in (socket.AF_INET, socket.AF_INET6):
            rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket",
                           seccomp.Arg(0, seccomp.EQ, family))
        rules.load()
    except Exception:  # noqa: BLE001 - no libseccomp, not Linux, or filters not allowed
        return None
    return "seccomp"


def address_space_bytes() -> int:
    """This process's virtual memory size now (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm") as statm:
            import os

            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def one_malloc_arena() -> None:
    """glibc reserves 64 MB of address space per thread's arena; with one arena the
    RLIMIT_AS budget measures what queries allocate, not how many threads ran."""
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c")).mallopt(M_ARENA_MAX, 1)


def limit_memory(budget_bytes: int) -> int | None:
    """Cap this process's address space at its current size plus ``budget_bytes``; the
    cap, or None where RLIMIT_AS is not available."""
    try:
        import resource
    except ImportError:
        return None
    current = address_space_bytes()
    if not current:
        return None
    cap = current + budget_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap
