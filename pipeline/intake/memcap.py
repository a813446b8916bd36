"""A worker's memory cap: the address-space limit where the platform enforces it (Linux), else a
watchdog thread that ends the process as soon as its resident memory passes the cap (Windows,
macOS, where RLIMIT_AS is missing or not enforced). Either way a reader that allocates without
end takes down only its own worker, and the parent marks only its file.

The watchdog is a thread: it looks while the reader lets go of the interpreter, which Python
code does every few milliseconds. A native reader that holds it throughout one allocation is
stopped by the task's timeout instead."""

from __future__ import annotations

import os
import sys
import threading
import time

MEMORY_EXIT = 75  # exit code of a worker the watchdog ended
_POLL = 0.02  # seconds between two looks at the resident size


def cap_memory(limit: int) -> str:
    """Cap this process at ``limit`` bytes on top of what it maps now; returns how ("rlimit" or
    "watchdog"). ``BANGFU_MEMORY_CAP=watchdog`` forces the fallback (its tests run on Linux)."""
    if os.environ.get("BANGFU_MEMORY_CAP") != "watchdog":
        try:
            import resource

            cap = _mapped() + limit
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            return "rlimit"
        except (ImportError, AttributeError, ValueError, OSError):
            pass  # no RLIMIT_AS here, or the kernel refuses it: watch instead
    cap = resident() + limit
    threading.Thread(target=_watch, args=(cap,), name="memory-cap", daemon=True).start()
    return "watchdog"


def _watch(cap: int) -> None:
    while True:
        if resident() > cap:
            os._exit(MEMORY_EXIT)  # no cleanup: the process is past its share of the machine
        time.sleep(_POLL)


def _mapped() -> int:
    """Bytes of address space this process maps now (Linux), else 0."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return 0


def resident() -> int:
    """Bytes of this process's memory in RAM now (its peak where only that is known)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        pass
    if sys.platform == "win32":
        return _windows_working_set()
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


def _windows_working_set() -> int:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [
            ("cb", wintypes.DWORD),
            ("PageFaultCount", wintypes.DWORD),
            ("PeakWorkingSetSize", ctypes.c_size_t),
            ("WorkingSetSize", ctypes.c_size_t),
            ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
            ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
            ("PagefileUsage", ctypes.c_size_t),
            ("PeakPagefileUsage", ctypes.c_size_t),
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    process = ctypes.windll.kernel32.GetCurrentProcess()  # type: ignore[attr-defined]
    ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb)  # type: ignore[attr-defined]
    return int(counters.WorkingSetSize)
