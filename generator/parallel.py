"""Run a stage of ``generate`` in a forked child process, beside the parent's own work.

The machine kind the site is built on has two cores, and a cold ``generate`` at 50,000
papers spends minutes in stages that need nothing from one another (related papers, the
search index, the rendering of pages).  A :class:`Child` computes one such stage in a
forked process and sends its result back through a pipe; the parent does the writing, so
a child never touches ``docs/`` and stopping one leaves nothing behind.

Guarantees, each tested (tests/test_parallel.py):

* A failure in the child becomes :class:`ChildFailed` in the parent, with one line
  saying which stage failed and why (never the child's traceback).
* :meth:`Child.stop` ends the child (SIGTERM, then SIGKILL) and reaps it; the parent calls
  it on every way out, a Ctrl-C included.  Children ignore Ctrl-C themselves (the
  terminal sends it to the whole group) and wait to be stopped, and they die with the
  parent if it is killed outright (``PR_SET_PDEATHSIG`` on Linux), so no orphan computes on.
* Where forking is unsafe or useless the same work runs in the parent, when its result is
  asked for: in a process with more than one thread (``mkdocs serve``), on one core, or
  where ``fork`` does not exist.  The output is the same either way.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from generator.textrules import printable

T = TypeVar("T")
#: How long a child gets to end after SIGTERM before it is killed.
STOP_SECONDS = 10.0
_PR_SET_PDEATHSIG = 1


class ChildFailed(Exception):
    """A stage run in a child process failed; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


def can_fork() -> bool:
    """Whether stages may run in forked children here (see the module docstring)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (threading.active_count() == 1 and (cores or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods())


class Child(Generic[T]):
    """``work()`` computed in a forked child (or, where that cannot be, in the parent).

    ``what`` names the stage in the error line ("building the search index").  The result
    must be picklable; it is received by :meth:`result`, which the parent calls once.

    With ``relay`` the child is a whole command's worth of work (``build`` runs all of
    ``generate`` in one, so that its memory is given back before MkDocs starts): an
    exception that survives pickling is raised in the parent as itself (the CLI prints
    each kind its own way), and SIGTERM from :meth:`stop` reaches the work as a
    ``KeyboardInterrupt``, so its own clean-up (its children, its staged files) runs.
    """

    def __init__(self, what: str, work: Callable[[], T], *, fork: bool | None = None,
                 relay: bool = False) -> None:
        self.what, self.work = what, work
        self.process: Any = None
        if can_fork() if fork is None else fork:
            context = multiprocessing.get_context("fork")
            self.reader, writer = context.Pipe(duplex=False)
            # Not a daemon: a child may fork children of its own (build's generate does).
            self.process = context.Process(target=_child_main,
                                           args=(work, writer, os.getpid(), relay),
                                           daemon=False, name=what)
            sys.stderr.flush()
            self.process.start()
            writer.close()

    def result(self) -> T:
        """The child's result (raising :class:`ChildFailed` if it failed); waits for it."""
        if self.process is None:
            return self.work()
        try:
            kind, value = self.reader.recv()
        except (EOFError, OSError):
            self.process.join()
            code = self.process.exitcode
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
            kind, value = "error", f"the process ended without a result ({why})"
        finally:
            self.reader.close()
        self.process.join()
        self.process = None
        if kind == "raise":
            raise value
        if kind == "error":
            raise ChildFailed(f"{self.what} failed: {value}")
        result: T = value
        return result

    def stop(self) -> None:
        """End the child if it still runs and reap it; safe to call at any time, twice."""
        process, self.process = self.process, None
        if process is None:
            return
        self.reader.close()
        if process.is_alive():
            process.terminate()
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
        process.join()


def _child_main(work: Callable[[], Any], writer: Any, parent: int, relay: bool) -> None:
    """Compute ``work`` and send ``("ok", result)`` or ``("error", one line)``; then exit.

    With ``relay``, an exception that pickles is sent as ``("raise", exception)``.
    Leaves with ``os._exit``: the parent's exit handlers and buffers are not the child's.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt if relay else signal.SIG_DFL)
    _die_with(parent)
    code = 0
    try:
        message: tuple[str, Any] = ("ok", work())
    except BaseException as exc:  # sent to the parent, which reports it as one line
        message, code = ("error", error_line(exc)), 1
        if relay and isinstance(exc, Exception) and _pickles(exc):
            message = ("raise", exc)
    try:
        writer.send(message)
        writer.close()
    except BaseException:  # the parent is gone or stopped listening: nothing to tell
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _pickles(exc: Exception) -> bool:
    """Whether ``exc`` comes out of pickling as the same kind with the same message."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return type(copy) is type(exc) and str(copy) == str(exc)


def error_line(exc: BaseException) -> str:
    """One line for an exception: ``path: reason`` for an OS error, else type and message."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux); else do nothing."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
