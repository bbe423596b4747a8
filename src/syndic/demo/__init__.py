"""A bundled local news site for `make demo` and for tests: several outlets, their feeds, one story carried three times and once more by an autoblog.

Served only on loopback; every word was written for syndic.
"""

from __future__ import annotations

from syndic.demo import expected
from syndic.demo.server import DemoServer, DemoSite, serve_demo_site

__all__ = ["DemoServer", "DemoSite", "expected", "serve_demo_site"]
