"""Logs: JSON lines with the record's context for log pipelines, text for people, bad settings refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from syndic.cli import main


def run(args: list[str], tmp_path: Path, **env: str) -> Any:
    base = {"SYNDIC_DATA_DIR": str(tmp_path), "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8", "SYNDIC_CONFIG": ""}
    return CliRunner().invoke(main, args, env=base | env)


def test_a_failing_feed_is_logged_as_json_with_its_context(tmp_path: Path, local_site: Any) -> None:
    local_site.serve("/feed.xml", b"<rss version='2.0'><channel><title>t</title></channel></rss>",
                     content_type="application/rss+xml")
    assert run(["add", local_site.url("/feed.xml")], tmp_path).exit_code == 0
    local_site.serve("/feed.xml", b"gone", status=410, content_type="text/plain")

    result = run(["--log-format", "json", "--log-level", "info", "poll"], tmp_path)

    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    (failure,) = [r for r in records if r.get("feed_id") == 1]
    assert failure["level"] == "INFO" and failure["logger"] == "syndic.run"
    assert failure["url"] == local_site.url("/feed.xml") and failure["status"] == 410
    assert "HTTP 410" in failure["error"] and failure["time"].endswith("+00:00")


def test_text_logs_and_the_environment_setting(tmp_path: Path, local_site: Any) -> None:
    local_site.serve("/feed.xml", b"not a feed at all", content_type="text/plain")
    assert run(["add", local_site.url("/feed.xml")], tmp_path).exit_code != 0  # refused: nothing subscribed

    quiet = run(["poll"], tmp_path)
    assert quiet.exit_code == 0 and " INFO " not in quiet.stderr

    local_site.serve("/ok.xml", b"<rss version='2.0'><channel><title>t</title></channel></rss>",
                     content_type="application/rss+xml")
    assert run(["add", local_site.url("/ok.xml")], tmp_path).exit_code == 0
    local_site.serve("/ok.xml", b"", status=503, content_type="text/plain")
    loud = run(["poll"], tmp_path, SYNDIC_LOG_LEVEL="INFO")
    assert " INFO syndic.run: feed " in loud.stderr and "HTTP 503" in loud.stderr


def test_an_unknown_log_format_is_refused_by_name(tmp_path: Path) -> None:
    result = run(["list"], tmp_path, SYNDIC_LOG_FORMAT="xml")
    assert result.exit_code != 0
    assert "log_format" in result.output and "'xml'" in result.output
