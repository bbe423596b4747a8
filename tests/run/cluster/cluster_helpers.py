"""Helpers of the cluster tests: worker processes, their environment, a PostgreSQL proxy to cut."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RABBIT_URL = os.environ.get("SYNDIC_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672//")
SYNDIC = str(Path(sys.executable).with_name("syndic"))


def cluster_env(database_url: str, queue: str, **settings: Any) -> dict[str, str]:
    """The environment of a worker or beat: SYNDIC_* from keyword arguments on top of test defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDIC_")}
    base: dict[str, Any] = {
        "database_url": database_url,
        "broker_url": RABBIT_URL,
        "task_queue": queue,
        "allow_networks": "127.0.0.0/8",
        "min_host_interval": 0,
        "respect_robots": "false",
        "connect_timeout": 2,
        "read_timeout": 5,
        "total_timeout": 10,
        "task_retry_backoff_s": 0.3,
        "task_retry_backoff_max_s": 1.0,
        "schedule_interval_s": 0.5,
    }
    base.update(settings)
    env.update({f"SYNDIC_{k.upper()}": str(v) for k, v in base.items()})
    env["SYNDIC_CONFIG"] = os.devnull
    return env


@dataclass
class Proc:
    """A `syndic` subprocess whose output is collected while it runs."""

    popen: subprocess.Popen[bytes]
    lines: list[str] = field(default_factory=list)

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(needle in line for line in self.lines):
                return
            if self.popen.poll() is not None:
                time.sleep(0.2)  # let the reader thread drain
                raise AssertionError(f"process exited {self.popen.returncode}:\n{self.output()}")
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} not seen in {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (the worker and its pool processes), as a crash would."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM (a warm shutdown) and wait; killed if it does not exit in time."""
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
        return self.wait(timeout)

    def wait(self, timeout: float = 30) -> int:
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        return self.popen.returncode


def start_syndic(args: list[str], env: dict[str, str]) -> Proc:
    popen = subprocess.Popen(
        [SYNDIC, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc = Proc(popen)

    def read() -> None:
        assert popen.stdout is not None
        for raw in popen.stdout:
            proc.lines.append(raw.decode("utf-8", "replace").rstrip())

    threading.Thread(target=read, daemon=True).start()
    return proc


def start_workers(cluster: Any, env: dict[str, str], count: int = 1, *extra: str) -> list[Proc]:
    """`count` `syndic worker` processes (one pool process each), started together, returned once consuming."""
    procs: list[Proc] = [cluster(["worker", "--concurrency=1", "--loglevel=INFO", *extra], env) for _ in range(count)]
    for proc in procs:
        proc.wait_for(" ready.")
    return procs


def stop_all(procs: list[Proc], timeout: float = 30) -> list[int]:
    """SIGTERM every process at once (a warm shutdown), then collect their exit codes."""
    for proc in procs:
        if proc.popen.poll() is None:
            os.kill(proc.popen.pid, signal.SIGTERM)
    return [proc.wait(timeout) for proc in procs]


class TcpProxy:
    """A TCP forwarder to PostgreSQL that a test can cut and restore: "the database is down".

    Cutting closes every open connection and stops listening (new
    connections are refused), which is what a client sees when the server
    dies, without touching the machine's shared PostgreSQL.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.open()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            listener.close()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def proxied(url: str, proxy: TcpProxy) -> str:
    return url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")


def wait_until(check: Any, timeout: float, message: str | Any) -> None:
    """Wait for `check()`; on timeout fail with `message` (a callable is asked then, so it can say
    what the state was at the end, not when the wait began)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(message() if callable(message) else message)
