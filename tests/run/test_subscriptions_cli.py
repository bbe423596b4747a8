"""`syndic import` and `syndic export`: OPML round trip through the store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from syndic.cli import main

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="News"><outline type="rss" text="Gazette" xmlUrl="https://gazette.example/feed.xml" htmlUrl="https://gazette.example/"/></outline>
<outline type="rss" text="Wire" xmlUrl="https://wire.example/feed.json"/>
</body></opml>"""


def test_import_then_export_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "in.opml"
    source.write_bytes(OPML)
    env = {"SYNDIC_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "SYNDIC_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    imported = runner.invoke(main, ["import", str(source)], env=env)
    assert imported.exit_code == 0, imported.output
    assert "imported 2 feeds" in imported.output
    runner.invoke(main, ["import", str(source)], env=env)  # importing again adds nothing
    out = tmp_path / "out.opml"
    exported = runner.invoke(main, ["export", "-o", str(out)], env=env)
    assert exported.exit_code == 0, exported.output
    from syndic.feeds import parse_opml

    outlines = {o.xml_url: o for o in parse_opml(out.read_bytes())}
    assert set(outlines) == {"https://gazette.example/feed.xml", "https://wire.example/feed.json"}
    assert outlines["https://gazette.example/feed.xml"].category == "News"
    assert outlines["https://gazette.example/feed.xml"].title == "Gazette"
