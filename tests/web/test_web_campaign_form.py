"""The campaign form: fields with help, per-field validation messages, write-only secrets, JSON as the advanced editor."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from web_helpers import HTML, Seeded

from syndic.store import Store, schema
from syndic.web.campaign_form import SECRET_KEPT

PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


def fields(csrf: str, seeded: Seeded, **over: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": csrf, "editor": "fields", "name": "Storms", "enabled": "on",
        "feed_ids": [str(seeded.feeds["news"])],
        "dest_type": "wordpress", "dest_url": "https://blog.example", "dest_username": "editor",
        "dest_password": PASSWORD, "every_minutes": "30", "max_posts_per_run": "5", "max_per_feed": "2",
        "backfill": "3", "comments": "closed", "post_date": "now", "status": "private", "post_type": "post", "post_format": "aside", "author": "",
        "featured_image": "on", "upload_images": "on", "upload_media": "on", "review": "on",
        "template": "<style>p { margin: 0 }</style>{title}{content}",
        "attribution_template": '<p>Via <a href="{permalink}">{source}</a></p>', "attribution_position": "before",
        "categories": "News, 12", "categories_from_feed": "on", "tags": "syndic",
        "require": "storm\n/hurricanes?/\ntitle: rain", "exclude": "", "min_words": "50", "languages": "en, de",
        "dup_url": "on", "dup_title": "on",
        "rw_count": "3", "rw_0_find": "Springfield", "rw_0_replace": "Shelbyville", "rw_0_title": "on",
        "rw_0_content": "on", "rw_1_find": "", "rw_2_find": r"\bwind\b", "rw_2_regex": "on", "rw_2_content": "on",
        "rw_2_replace": "gusts", "rw_2_relink": "https://weather.example/gusts",
        "w2c_count": "1", "w2c_0_words": "rain, hail", "w2c_0_category": "Weather", "w2c_0_in": "any",
        "strip_links": "on",
    }
    return form | over


def stored(store: Store, name: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(schema.campaigns.c.config).where(schema.campaigns.c.name == name)).scalar_one())


def test_every_option_is_a_field_with_help(logged_in, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    client, _csrf = logged_in
    page = client.get("/campaigns/new", headers=HTML).text
    for name in ("dest_type", "dest_url", "dest_password", "every_minutes", "max_per_feed", "backfill", "status",
                 "post_type", "post_format", "template", "attribution_template", "categories", "require",
                 "rw_0_find", "rw_0_relink", "w2c_0_words", "strip_links", "strip_html", "review", "upload_images"):
        assert f'name="{name}"' in page, name
    assert 'id="help-every_minutes"' in page and "runs once, not once per missed period" in page
    assert "{feedtitle}" in page and "{campaigntitle}" in page  # the template's help lists the tags
    assert "Advanced: edit the settings as JSON" in page


def test_fields_save_a_valid_config_and_secrets_stay_write_only(logged_in, seeded: Seeded, store: Store) -> None:  # type: ignore[no-untyped-def]
    client, csrf = logged_in
    saved = client.post("/campaigns/new", data=fields(csrf, seeded))
    assert saved.status_code == 303, saved.text
    config = stored(store, "Storms")
    assert config["destination"] == {"type": "wordpress", "url": "https://blog.example", "username": "editor",
                                     "app_password": PASSWORD}
    assert config["schedule"] == {"every_minutes": 30} and config["max_per_feed"] == 2 and config["backfill"] == 3
    assert config["status"] == "private" and config["post_format"] == "aside" and config["review"] is True
    assert config["upload_media"] is True and config["upload_images"] is True
    assert config["comments"] == "closed" and "pings" not in config and config["post_date"] == "now"
    assert config["categories"] == {"fixed": ["News", 12], "from_feed": True}
    assert config["filters"]["require"] == ["storm", {"regex": "hurricanes?"}, {"keyword": "rain", "in": "title"}]
    assert config["rewrites"][1] == {"find": r"\bwind\b", "replace": "gusts", "regex": True, "title": False,
                                     "content": True, "relink": "https://weather.example/gusts"}
    assert config["words_to_category"] == [{"words": ["rain", "hail"], "category": "Weather", "regex": False,
                                            "in": "any"}]
    assert config["attribution"] == {"template": '<p>Via <a href="{permalink}">{source}</a></p>', "position": "before"}
    page = client.get(saved.headers["location"], headers=HTML).text
    assert PASSWORD not in page and "(one is stored)" in page and SECRET_KEPT in page
    assert 'value="Shelbyville"' in page and "p { margin: 0 }" in page
    # saving again without typing the password keeps it; so does the JSON editor's placeholder
    again = client.post(saved.headers["location"], data=fields(csrf, seeded, dest_password="", status="draft"))
    assert again.status_code == 303
    assert stored(store, "Storms")["destination"]["app_password"] == PASSWORD
    shown = json.loads(next(
        line for line in [page.split('name="config"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]]
    ).replace("&#34;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#39;", "'"))
    shown["status"] = "publish"
    by_json = client.post(saved.headers["location"], data={
        "csrf_token": csrf, "name": "Storms", "config": json.dumps(shown), "feed_ids": [str(seeded.feeds["news"])]})
    assert by_json.status_code == 303
    config = stored(store, "Storms")
    assert config["status"] == "publish" and config["destination"]["app_password"] == PASSWORD


def test_problems_are_shown_on_their_field_and_nothing_is_saved(logged_in, seeded: Seeded, store: Store) -> None:  # type: ignore[no-untyped-def]
    client, csrf = logged_in
    cases = [
        ({"rw_2_find": "(unclosed"}, "err-rw_2", "rewrites[1]: invalid regex"),
        ({"rw_0_find": ".*", "rw_0_regex": "on"}, "err-rw_0", "matches the empty string"),
        ({"every_minutes": "soon"}, "err-every_minutes", "A whole number"),
        ({"template": "<h2>{titel}</h2>"}, "err-template", "unknown tag {titel}"),
        ({"attribution_template": "<p>thanks</p>"}, "err-attribution_template", "needs {permalink}"),
        ({"dest_url": "ftp://blog.example"}, "err-dest_url", "needs an http(s) url"),
        ({"w2c_0_category": ""}, "err-w2c_0", "words_to_category[0]: category"),
        ({"require": "/(bad/"}, "err-require", "invalid regex"),
    ]
    for over, field_id, message in cases:
        answer = client.post("/campaigns/new", data=fields(csrf, seeded, **over))
        assert answer.status_code == 400, over
        page = answer.text.replace("&#39;", "'").replace("&#34;", '"')
        assert f'id="{field_id}"' in page and message in page, (over, page[page.find("field-error") - 200:][:600])
        assert 'value="Shelbyville"' in page  # what was typed is kept
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.campaigns).where(schema.campaigns.c.name == "Storms")).first() is None


def test_every_bad_rule_is_reported_at_once(logged_in, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    client, csrf = logged_in
    answer = client.post("/campaigns/new", data=fields(
        csrf, seeded, rw_0_find="(open", rw_0_regex="on", rw_2_find="a*", template="{titel}", w2c_0_words="[",
        w2c_0_regex="on"))
    page = answer.text.replace("&#39;", "'")
    assert answer.status_code == 400
    for field_id in ("err-rw_0", "err-rw_2", "err-template", "err-w2c_0"):
        assert f'id="{field_id}"' in page, field_id
    assert "rewrites[1]" in page and "matches the empty string" in page


def test_a_feed_that_does_not_exist_is_refused_not_dropped(logged_in: Any, seeded: Seeded, store: Store) -> None:
    client, csrf = logged_in
    page = client.post("/campaigns/new", data=fields(csrf, seeded, feed_ids=[str(seeded.feeds["news"]), "424242"]))
    assert page.status_code == 400 and "no feed with id 424242" in page.text
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.campaigns.c.id).where(schema.campaigns.c.name == "Storms")).first() is None
