"""How the bench measures: wall time of a call or of a whole child process, that
process's own peak memory, and medians over rounds."""

from __future__ import annotations

import functools
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fastest(fn: Callable[[], Any], repeats: int = 3) -> float:
    """The best of a few runs of a call that changes nothing: what the machine's other
    work adds to one run is gone from the fastest."""
    return fastest_each(lambda _run: fn(), range(repeats))


def fastest_each(fn: Callable[[Any], Any], inputs: Sequence[Any]) -> float:
    """The best of one run per input, for a call that changes something: each run has
    an input of its own (notes not added yet), made before its clock starts."""
    return min(timed(functools.partial(fn, item)) for item in inputs)


def fastest_in_turns(
    sides: Sequence[tuple[Callable[[Any], Any], Sequence[Any]]],
) -> list[float]:
    """fastest_each of each side, their runs taken in turns: a workload of a few
    milliseconds and its floor see the same moments of the machine's other work,
    which shifts by more than their difference from one second to the next."""
    best = [float("inf")] * len(sides)
    for run in range(min(len(inputs) for _, inputs in sides)):
        for side, (fn, inputs) in enumerate(sides):
            best[side] = min(best[side], timed(functools.partial(fn, inputs[run])))
    return best


@dataclass(frozen=True)
class Process:
    seconds: float
    peak_mb: float
    output: str


def run_process(
    command: Sequence[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> Process:
    """Run a whole process; its wall time and its own peak resident memory (wait4 gives
    the rusage of that one child, not the maximum over every child so far). It starts
    with nothing left to write to disk: a sync makes its files durable with one flush of
    their file system (syncfs), which would otherwise also write out what the bench
    itself wrote just before (the copy of the folder it is about to sync)."""
    os.sync()
    start = time.perf_counter()
    child = subprocess.Popen(
        list(command), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert child.stdout is not None
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{' '.join(command)} exited {child.returncode}:\n{output[-2000:]}")
    return Process(seconds, usage.ru_maxrss / 1024, output)


def python(*arguments: str) -> list[str]:
    return [sys.executable, *arguments]


def unused_port() -> int:
    """A port nothing listens on: a client that tries it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, alive: Callable[[], bool], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline or not alive():
                raise RuntimeError(f"nothing started listening on port {port}") from None
            time.sleep(0.2)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2)
