"""Every caller extracts through one path: `syndic extract URL`, the pipeline
(and so the Celery worker, which runs `extract_entry`) and the Full-Text-RSS
endpoint give the same article for a two-page story under a site rule:
the rule applied, the second page joined, cleaning done once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import LocalSite
from tests.extract.pages import PARAGRAPHS
from tests.run.conftest import loopback_settings

from syndic.cli import main
from syndic.library.documents import page_extractor
from syndic.net import Fetcher, NetSettings
from syndic.net.guard import parse_networks
from syndic.publish.ftr import FullTextService, network_fetch
from syndic.run.pipeline import Runtime, _fetch_article
from syndic.store import Store

HOUSE_NOTE = "This house note is printed on every story and the site rule removes it for good."


def _page(paragraphs: list[str], next_href: str | None) -> bytes:
    link = f'<a class="next" href="{next_href}">Next page</a>' if next_href else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Night buses</title></head><body>"
        f'<div class="story"><h1>Night buses</h1>{body}<p class="house-note">{HOUSE_NOTE}</p></div>'
        f'<div class="pagination">{link}</div></body></html>'
    ).encode()


def _serve_story(local_site: LocalSite, rules: Path) -> str:
    local_site.serve("/story", _page(PARAGRAPHS[:2], "/story?page=2"))
    local_site.serve("/story?page=2", _page(PARAGRAPHS[2:], None))
    rules.mkdir()
    (rules / "127.0.0.1.txt").write_text(
        "body: //div[@class='story']\nstrip_id_or_class: house-note\nnext_page_link: //a[@class='next']\n"
    )
    return local_site.url("/story")


def _assert_whole_story(text: str) -> None:
    assert text.split("\n\n") == PARAGRAPHS  # both pages, in order, and nothing else
    assert HOUSE_NOTE not in text


async def test_cli_pipeline_and_ftr_give_the_same_article(
    local_site: LocalSite, tmp_path: Path, sqlite_store: Store
) -> None:
    rules = tmp_path / "rules"
    url = _serve_story(local_site, rules)

    env = {
        "SYNDIC_ALLOW_NETWORKS": "127.0.0.0/8",
        "SYNDIC_SITE_CONFIG_DIR": str(rules),
        "SYNDIC_DATA_DIR": str(tmp_path / "data"),
        "SYNDIC_MIN_HOST_INTERVAL": "0",
    }
    # in a thread: the CLI runs its own event loop, as it does for a user
    cli = await asyncio.to_thread(CliRunner().invoke, main, ["extract", url, "--format", "text"], env=env)
    assert cli.exit_code == 0, cli.output
    cli_text = cli.output.rstrip("\n")
    _assert_whole_story(cli_text)

    settings = loopback_settings(tmp_path / "data", site_config_dir=rules)
    async with Fetcher(NetSettings(allow_networks=parse_networks("127.0.0.0/8"), min_host_interval=0)) as fetcher:
        rt = Runtime(settings, sqlite_store, fetcher)
        pipeline = await _fetch_article(rt, url, ())
    _assert_whole_story(pipeline.article.text)

    service = FullTextService(
        network_fetch(NetSettings(allow_networks=parse_networks("127.0.0.0/8"), min_host_interval=0)),
        extract_page=page_extractor(str(rules)),
    )
    try:
        served = await service.article(url)
    finally:
        await service.aclose()
    _assert_whole_story(served.text)

    assert cli_text == pipeline.article.text == served.text
    assert pipeline.article.html == served.html
    assert local_site.hits["/story?page=2"] == 3  # each caller fetched the second page once


def test_a_file_is_one_page(local_site: LocalSite, tmp_path: Path) -> None:
    """A saved page cannot have its later pages fetched: the first page is the article."""
    path = tmp_path / "story.html"
    path.write_bytes(_page(PARAGRAPHS[:2], "/story?page=2"))
    result = CliRunner().invoke(main, ["extract", str(path), "--url", local_site.url("/story")])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip("\n").split("\n\n")[:2] == PARAGRAPHS[:2]
    assert local_site.hits == {}
