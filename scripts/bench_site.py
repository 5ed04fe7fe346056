"""Measurements of the benchmark (``scripts/bench.py``): child processes timed by the kernel.

Every build runs in its own child process, reaped with ``os.wait4``, whose resource usage is
that child's alone (its own, plus any children it waited for): CPU time is user + system
time, peak memory is ``ru_maxrss``. A busy machine stretches wall time but hardly CPU time,
so goals about work are judged on CPU time; wall time is shown next to it.

``serve_edit`` is what an editor sees: ``mkdocs serve`` on the project, one source edited,
and the seconds until the served page shows the edit, with the number of builds it ran.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pizhu.atomic import write_atomic

# Material prints a banner about MkDocs 2.0 on every run (as in the Makefile).
BASE_ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
BUILDING = "Building documentation..."
# What serve logs when a rebuild has finished. Not "Documentation built in 0.97 seconds":
# MkDocs' DuplicateFilter drops that line when a build takes as long as an earlier one.
RELOADED = "Reloading browsers"


@dataclass(frozen=True)
class Run:
    """One child process: CPU seconds (user + system), wall seconds, peak RSS in MB."""

    cpu: float
    wall: float
    peak_mb: float
    returncode: int
    log: str
    stopped: bool = False  # killed at its time or CPU limit: the numbers are lower bounds


def child_env(project: Path) -> dict[str, str]:
    """The environment of a child: no MkDocs 2 banner, no byte code written, and a cache
    folder of its own inside the project (a cold run is a fresh project)."""
    return {**os.environ, **BASE_ENV, "XDG_CACHE_HOME": str(project / ".bench-cache")}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_measured(
    command: list[str],
    cwd: Path,
    *,
    timeout: float,
    log: Path | None = None,
    cpu_limit: float | None = None,
) -> Run:
    """Run ``command`` in ``cwd`` and return its own CPU time, wall time and peak memory.

    Past ``timeout`` wall seconds, or ``cpu_limit`` CPU seconds (a run that has missed its
    goal already need not finish), the child's process group is killed and the run is
    reported as ``stopped`` (its numbers are then lower bounds).
    """
    log = log or cwd / f".bench-{int(time.time() * 1000)}.log"
    stopped = False
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=child_env(cwd),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            over = cpu_limit is not None and cpu_seconds(process.pid) > cpu_limit
            if over or time.perf_counter() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                stopped = True
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
    # wait4 reaped the child: tell Popen, so that it does not wait for it again.
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        cpu=usage.ru_utime + usage.ru_stime,
        wall=wall,
        peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        returncode=process.returncode,
        log=log.read_text(encoding="utf-8", errors="replace"),
        stopped=stopped,
    )


def mkdocs_build(project: Path, *, timeout: float, cpu_limit: float | None = None) -> Run:
    """``mkdocs build --strict`` of ``project`` with the interpreter running the benchmark."""
    return run_measured(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        project,
        timeout=timeout,
        log=project / ".bench-build.log",
        cpu_limit=cpu_limit,
    )


def generate(project: Path, *, timeout: float, log_name: str) -> Run:
    """Pizhu's own generation (decode -> Markdown in docs/): ``scripts/build.py build``."""
    return run_measured(
        [sys.executable, str(project / "scripts" / "build.py"), "build"],
        project,
        timeout=timeout,
        log=project / log_name,
    )


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float) -> str | None:
    """The body of ``url``, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@dataclass(frozen=True)
class ServeEdit:
    """Seconds from saving a source to the served page showing the edit (None: never, within
    the time allowed), the builds serve ran for that edit, and the first build's wall time."""

    seconds: float | None
    builds: int
    first_build: float
    log: str


def serve_edit(
    project: Path,
    source: Path,
    page: str,
    edit: tuple[str, str],
    expect: str,
    *,
    timeout: float,
    settle: float = 5.0,
) -> ServeEdit:
    """Start ``mkdocs serve`` on ``project``, wait for its first build, replace ``edit[0]``
    by ``edit[1]`` in ``source`` (kept in its encoding), and poll ``page`` until its content
    shows ``expect``.

    Builds are counted by serve's "Building documentation..." lines after the save; once
    the page is updated, counting goes on until no build runs and none starts for ``settle``
    seconds (a second build that starts is counted without waiting for it to finish).
    The server's process group is killed at the end.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = project / ".bench-serve.log"
    with log_path.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            # as `make serve` runs it
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=child_env(project),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return _edit_and_poll(
                process, log_path, base + page, source, edit, expect, started, timeout, settle
            )
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace: float = 15.0) -> None:
    """Stop a server started in its own session: Ctrl-C first (mkdocs serve then deletes
    its temporary site), the whole process group killed if it is still there."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _edit_and_poll(
    process: subprocess.Popen,
    log_path: Path,
    url: str,
    source: Path,
    edit: tuple[str, str],
    expect: str,
    started: float,
    timeout: float,
    settle: float,
) -> ServeEdit:
    def log() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    # serve listens only after its first build.
    while (body := fetch(url, timeout=timeout)) is None:
        if process.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited:\n{log()[-3000:]}")
        if time.perf_counter() - started > timeout:
            return ServeEdit(None, 0, time.perf_counter() - started, log())
        time.sleep(0.25)
    first_build = time.perf_counter() - started
    if expect in body:
        raise ValueError(f"{url} shows {expect!r} before the edit")
    time.sleep(settle)  # let the watcher settle after the first build
    before = log()
    if before.count(BUILDING) != 1 + before.count(RELOADED):  # (the first ends serving)
        raise RuntimeError(f"mkdocs serve keeps building before any edit:\n{before[-3000:]}")

    data = source.read_bytes()
    encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "gb18030"
        text = data.decode(encoding)
    old, new = edit
    if old not in text:
        raise ValueError(f"{source}: {old!r} not found; nothing to edit")
    head, _, tail = text.rpartition(old)  # the last one: the end of the speech
    # Saved as many editors save, through a temporary file. Written in place (truncate,
    # then write), the save can reach a busy watcher as two changes: once a run at 1,000
    # speeches counted two builds for one save, and two runs after it one each.
    write_atomic(source, (head + new + tail).encode(encoding))
    saved = time.perf_counter()

    seconds: float | None = None
    while time.perf_counter() - saved < timeout:
        body = fetch(url, timeout=max(1.0, timeout - (time.perf_counter() - saved)))
        if body is not None and expect in body:
            seconds = time.perf_counter() - saved
            break
        time.sleep(0.25)

    def builds() -> tuple[int, int]:
        after = log()[len(before) :]
        return after.count(BUILDING), after.count(RELOADED)

    quiet_since = time.perf_counter()
    last = builds()
    while seconds is not None:
        now = builds()
        if now != last:
            last, quiet_since = now, time.perf_counter()
        started_, finished = now
        if started_ >= 2 and started_ > finished:
            break  # a second build is running: counted, no need to wait for it
        if started_ == finished and time.perf_counter() - quiet_since >= settle:
            break
        if time.perf_counter() - saved > 2 * timeout:
            break
        time.sleep(0.25)
    return ServeEdit(seconds, builds()[0], first_build, log())
