"""One egress gate: no module outside syndic.net opens an outbound connection (issue #13, finding 1).

Read from the source (AST), so a new sender that reaches for its own HTTP
library fails here before it can post around the address guard. Serving
(uvicorn, the demo site's http.server) and naming the host are not egress;
the few `socket` users are listed with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "syndic"
CLIENT_MODULES = ("aiohttp", "httpx", "requests", "urllib3", "urllib.request", "http.client", "pycurl", "websockets")
# module -> why it may import `socket` (never to connect out)
SOCKET_ALLOWED = {
    "services/serve.py": "checks that the port to listen on is free before starting uvicorn",
    "run/cluster_gate.py": "names this worker after socket.gethostname()",
}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


MODULES = sorted(p for p in SRC.rglob("*.py") if "net" not in p.relative_to(SRC).parts[:1])


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_no_module_outside_net_opens_connections(path: Path) -> None:
    imported = _imports(ast.parse(path.read_text(encoding="utf-8")))
    clients = sorted(n for n in imported if any(n == c or n.startswith(c + ".") for c in CLIENT_MODULES))
    assert not clients, f"{path.relative_to(SRC)} imports {clients}: go through syndic.net (the guarded client)"
    relative = str(path.relative_to(SRC))
    if "socket" in imported:
        assert relative in SOCKET_ALLOWED, f"{relative} imports socket: outbound connections belong in syndic.net"


def test_the_gate_itself_is_found() -> None:
    """The scan sees the real client (so an empty scan cannot pass by accident)."""
    assert "aiohttp" in _imports(ast.parse((SRC / "net" / "client.py").read_text(encoding="utf-8")))
    assert len(MODULES) > 100
