"""A bundled local news site for `make demo` and for tests: several outlets, their feeds, one story carried three times and once more by an autoblog.

Served only on loopback; every word was written for syndic. It ships in the
package because `syndic demo` is a command of the installed tool (a new
user's first run after `pip install`), not only of this repository; what
only the tests need (the expected conclusions) lives in tests/demo/.
"""

from __future__ import annotations

from syndic.demo.server import DemoServer, DemoSite, serve_demo_site

__all__ = ["DemoServer", "DemoSite", "serve_demo_site"]
