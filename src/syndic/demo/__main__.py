"""`python -m syndic.demo`: serve the demo site and print its URLs until interrupted."""

from __future__ import annotations

import argparse
import time

from syndic.demo.server import serve_demo_site


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m syndic.demo", description="Serve the demo news site on loopback."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = serve_demo_site(args.host, args.port)
    print(f"Demo news site at {server.base_url}/")
    print("Feeds:")
    for url in server.feed_urls:
        print(f"  {url}")
    print("Pages:")
    for url in server.page_urls:
        print(f"  {url}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
