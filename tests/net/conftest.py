"""Real, misbehaving HTTP servers on 127.0.0.x for the network tests.

The suite runs with --import-mode=importlib, so test modules cannot import a
helper module beside them: fixtures hand the helpers over instead
(`net_server`, `net_server2`, and `kit` for the functions below).

`LocalServer` speaks raw sockets so a test can make it do what no polite
server framework would: say nothing, drip a byte at a time, reset mid-body,
stream forever. Each route is a function `(conn, request) -> None` that
writes whatever it likes; the connection is closed after it returns.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Any

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from syndic.net import Limits, NetSettings


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float
    body: bytes = b""


Handler = Callable[[socket.socket, Request], None]


def http_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    reasons = {200: "OK", 301: "Moved", 302: "Found", 304: "Not Modified", 404: "Not Found",
               429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
               503: "Service Unavailable"}
    head = f"HTTP/1.1 {status} {reasons.get(status, 'Whatever')}\r\n"
    hdrs = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    head += "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
    return head.encode() + b"\r\n" + body


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    data = http_response(status, body, headers)

    def handler(conn: socket.socket, request: Request) -> None:
        conn.sendall(data)

    return handler


def redirect(location: str, status: int = 302) -> Handler:
    return respond(status, b"", {"Location": location})


def reset(conn: socket.socket) -> None:
    """Close with RST instead of FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


@dataclass
class LocalServer:
    host: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self.host, 0))
        self._sock.listen(256)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def url(self, path: str = "/", host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            request = Request(method, target, headers, time.monotonic(), body)
            with self._lock:
                self.requests.append(request)
            handler = self.routes.get(target.split("?", 1)[0], respond(404, b"not here"))
            handler(conn, request)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self._sock.close()


LOOPBACK = (ip_network("127.0.0.0/8"),)
ONLY_127_0_0_1 = (ip_network("127.0.0.1/32"),)


def settings(allow: tuple[IPv4Network | IPv6Network, ...] = LOOPBACK, **kw: Any) -> NetSettings:
    """Fast settings for tests: short timeouts, no spacing, the given allowlist.

    Keyword arguments name fields of NetSettings or of Limits.
    """
    limit_kw: dict[str, Any] = {"connect_timeout": 1, "read_timeout": 1, "total_timeout": 3}
    limit_kw.update({k: kw.pop(k) for k in list(kw) if k in Limits.__dataclass_fields__})
    net_kw: dict[str, Any] = {"limits": Limits(**limit_kw), "allow_networks": allow, "min_host_interval": 0.0}
    net_kw.update(kw)
    return NetSettings(**net_kw)


class MapResolver(AbstractResolver):
    """DNS for made-up names: each maps to a list of addresses; the guard still filters them."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        if host not in self.names:
            raise OSError(socket.EAI_NONAME, f"{host}: no such name in the test resolver")
        return [
            {
                "hostname": host,
                "host": ip,
                "port": port,
                "family": socket.AF_INET6 if ":" in ip else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for ip in self.names[host]
        ]

    async def close(self) -> None:
        pass


@pytest.fixture
def net_server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def net_server2() -> Iterator[LocalServer]:
    """A second server on 127.0.0.2, a loopback address tests leave out of the allowlist."""
    srv = LocalServer(host="127.0.0.2")
    yield srv
    srv.close()


@pytest.fixture
def tls_server(tmp_path: Any) -> Iterator[LocalServer]:
    """An https server on 127.0.0.1 with a self-signed certificate no client should trust."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = LocalServer(tls=context)
    yield srv
    srv.close()


@pytest.fixture
def kit() -> types.SimpleNamespace:
    return types.SimpleNamespace(
        respond=respond,
        redirect=redirect,
        reset=reset,
        http_response=http_response,
        settings=settings,
        MapResolver=MapResolver,
        LOOPBACK=LOOPBACK,
        ONLY_127_0_0_1=ONLY_127_0_0_1,
    )
