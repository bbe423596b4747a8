"""Does syndic collapse every copy of a story, and only copies — as users get it?

Builds a syndication corpus from the Scrapinghub ground truth: every
labelled article is re-wrapped the ways copies reach readers (the
publisher's text; a syndicated copy with byline, teasers and tool stamps;
excerpts "first paragraphs + Read more" and autoblog excerpts; paragraphs
dropped; paragraphs re-ordered; retitled; an HTML copy with share widgets),
then mixed with distinct articles: the other labelled articles, hard
negatives (one quoted paragraph; the same names; another story of the same
site sharing its template and boilerplate; the same event written up
separately by another outlet, with its names, numbers and one short quote),
and synthetic articles stitched from short fragments of the whole corpus
until the total reaches `--n`.

Every document goes through what production runs after extraction: the
clean stage (HTML or text), then the store's own write path,
`store.articles.record_article` (signature, LSH band rows, the candidate
query, verification, joining or starting a story, electing the original) on
a real SQLite file and a real PostgreSQL database. The story each article
ends in is read back from the store. Prints pairwise precision and recall
over all pairs, recall per copy kind, wrong joins per hard-negative kind and
the write path's throughput, per engine, beside peers run on the same
cleaned texts in the same run (datasketch's MinHashLSH, exact text).

    .venv/bin/python bench/dedupe.py [--n 100000] [--engines sqlite,postgresql] [--peers datasketch,exact] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, select, text

from syndic.clean import clean_html, clean_text, looks_like_html
from syndic.dedupe import canonical_url
from syndic.store import Store, open_store
from syndic.store import articles as store_articles
from syndic.store.schema import articles
from syndic.types import Article

PG_ADMIN_URL = os.environ.get("SYNDIC_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

GROUND_TRUTH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "scrapinghub" / "ground-truth.json"

RESIDUE_HEAD = ["By {a} and {b},", "By {a}", "Advertisement", "Share this:", "Tweet", "Posted by {a}"]
RESIDUE_TEASERS = [
    "[{t}]",
    "RELATED: {t}",
    "Read more: {t}",
    "SEE ALSO: {t}",
    "Recommended: {t}",
]
RESIDUE_TAIL = [
    "Read more",
    "Read More »",
    "Continue reading →",
    "Let's block ads! (Why?)",
    "Powered by WPeMatico",
    "Like {s} on Facebook and stay updated on the news",
    "Sign up for our daily newsletter",
    "The post {t} appeared first on {s}.",
    "Follow us on Twitter @{s}",
    "Photo: Getty Images",
    "Share on Facebook",
    "This article was originally published on {s}.",
    "We use cookies to improve your experience on our site.",
]
NAMES = ["Carol Morello", "David Filipov", "Ana Ruiz", "Kenji Sato", "Mara Olsen", "Tom Briggs"]
SITES = ["DailyWire", "NewsHub", "The Ledger", "WorldPost", "Metro Today", "Courier"]


@dataclass(frozen=True)
class Doc:
    body: str
    story: int  # true story id; distinct articles get their own
    kind: str
    site: str = ""  # the outlet it is published on; by default one outlet per kind


def _paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    if len(paras) >= 4:
        return paras
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(paras))
    groups = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    return [g for g in groups if g.strip()] or paras


def _fill(template: str, rng: random.Random, title: str) -> str:
    return template.format(a=rng.choice(NAMES), b=rng.choice(NAMES), s=rng.choice(SITES), t=title)


def _headline(rng: random.Random, words: list[str]) -> str:
    start = rng.randrange(max(1, len(words) - 10))
    return " ".join(words[start : start + rng.randint(5, 9)]).strip(".,;:").capitalize()


def _excerpt(paras: list[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    for p in paras:
        out.append(p)
        if len(" ".join(out).split()) >= rng.randint(60, 120):
            break
    return out


def variants(story: int, body: str, rng: random.Random, corpus_words: list[str]) -> list[Doc]:
    """The copies of one story, as the syndication chain produces them."""
    paras = _paragraphs(body)
    words = body.split()
    title = _headline(rng, words)
    other = _headline(rng, corpus_words)
    docs = [Doc("\n\n".join(paras), story, "publisher")]

    syndicated = [_fill(rng.choice(RESIDUE_HEAD), rng, title), *paras]
    for _ in range(rng.randint(1, 3)):
        syndicated.insert(rng.randint(2, max(2, len(syndicated) - 1)), _fill(rng.choice(RESIDUE_TEASERS), rng, other))
    syndicated += [_fill(t, rng, title) for t in rng.sample(RESIDUE_TAIL, rng.randint(2, 4))]
    docs.append(Doc("\n\n".join(syndicated), story, "syndicated+residue"))

    if len(words) >= 150:
        excerpt = _excerpt(paras, rng)
        docs.append(Doc("\n\n".join([*excerpt, rng.choice(["Read more", "[…]", "Continue reading →"])]), story, "excerpt"))
        autoblog = _excerpt(paras, rng)
        docs.append(
            Doc("\n\n".join([*autoblog, "Let's block ads! (Why?)", "Read More", "Powered by WPeMatico"]), story, "autoblog-excerpt")
        )

    if len(paras) >= 4:
        keep = [paras[0]] + [p for p in paras[1:] if rng.random() > 0.25]
        docs.append(Doc("\n\n".join(keep), story, "paragraphs-dropped"))
        middle = paras[1:]
        rng.shuffle(middle)
        docs.append(Doc("\n\n".join([paras[0], *middle]), story, "reordered"))

    docs.append(Doc("\n\n".join([_headline(rng, corpus_words), *paras]), story, "retitled"))

    # The publisher updated the story: a paragraph rewritten, new paragraphs at the end.
    if len(words) >= 150 and len(paras[0].split()) >= 30:
        docs.append(Doc("\n\n".join([paras[0], "Read more"]), story, "first-paragraph-only"))

    # A partner's copy desk: about one word in twelve replaced, every paragraph touched.
    edited = [
        " ".join(rng.choice(corpus_words) if rng.random() < 1 / 12 else w for w in p.split()) for p in paras
    ]
    docs.append(Doc("\n\n".join(edited), story, "copy-edited"))

    # About a fifth of the words change, as in a typical update of a running story.
    updated = list(paras)
    if len(updated) >= 6:
        updated[2] = _fragments(rng, corpus_words, len(updated[2].split()))
    updated.append(_fragments(rng, corpus_words, max(12, len(words) // 6)))
    docs.append(Doc("\n\n".join(updated), story, "updated"))

    if len(paras) >= 4:
        mixed = [p for p in paras[1:] if rng.random() > 0.2]
        rng.shuffle(mixed)
        docs.append(Doc("\n\n".join([paras[0], *mixed, "Read More", "Powered by WPeMatico"]), story, "dropped+reordered+residue"))

    if len(words) >= 150:
        lead = "".join(f"<p>{p}</p>" for p in _excerpt(paras, rng))
        docs.append(Doc(f'<p>By <a href="/a"></a> and {rng.choice(NAMES)},</p>{lead}<p><a href="/x">Read more</a></p>', story, "html-excerpt"))

    html = [f"<p><strong>By {rng.choice(NAMES)}</strong></p>"]
    for i, p in enumerate(paras):
        html.append(f"<p>{p}</p>")
        if i == 1:
            html.append(f'<p><a href="https://example.com/x">{other}</a></p>')
    html.append('<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>')
    html.append(f'<p><a href="https://example.com/">Read more at {rng.choice(SITES)}</a></p>')
    docs.append(Doc("\n".join(html), story, "html"))
    return docs


def hard_negatives(next_id: int, body: str, rng: random.Random, corpus_words: list[str]) -> list[Doc]:
    """Distinct articles close to one story: one quoted paragraph, or the same names."""
    paras = _paragraphs(body)
    docs = []
    # A quotation is a small part of its source; quoting most of a short article is copying it.
    quotable = [p for p in paras[1:] if len(p.split()) <= 0.25 * len(body.split())]
    quoted = rng.choice(quotable) if quotable else ""
    filler = _fragments(rng, corpus_words, 400)
    docs.append(Doc("\n\n".join([filler[: len(filler) // 2], quoted, filler[len(filler) // 2 :]]), next_id, "quotes-one-paragraph"))
    # A follow-up story: quotes two short paragraphs of the original among its own.
    pair = rng.sample(quotable, 2) if len(quotable) >= 2 else []
    if pair and len(" ".join(pair).split()) <= 0.25 * len(body.split()):
        own = [_fragments(rng, corpus_words, 60) for _ in range(8)]
        for quote in pair:
            own.insert(rng.randrange(len(own)), quote)
        docs.append(Doc("\n\n".join(own), next_id + 2, "follow-up-quoting-two-paragraphs"))
    # Another article of the same site: its own text, the site's 60-word standard footer.
    footer = _SITE_FOOTERS[len(body) % len(_SITE_FOOTERS)]
    docs.append(Doc("\n\n".join([_fragments(rng, corpus_words, 250), footer]), next_id + 3, "same-site-footer"))
    names = sorted({w.strip(".,;:“”\"'") for w in body.split() if w[:1].isupper() and len(w) <= 24})
    mixed = _fragments(rng, corpus_words, 350).split()
    for name in names[:40]:
        mixed.insert(rng.randrange(len(mixed)), name)
    docs.append(Doc(" ".join(mixed), next_id + 1, "same-names"))
    # Another story of the same site: the site's header, navigation, teaser list and footer
    # around a body of its own (what reaches dedupe when extraction keeps the template).
    head, tail = _SITE_TEMPLATES[len(body) % len(_SITE_TEMPLATES)]
    own_body = _fragments(rng, corpus_words, rng.randint(120, 300))
    site = re.sub(r"[^a-z]+", "-", head.split(" | ")[0].lower()).strip("-")
    docs.append(Doc("\n\n".join([head, own_body, tail]), next_id + 4, "same-site-template", site))
    # The same event written up separately: its names and numbers, one short quote, own words.
    facts = [w.strip(".,;:“”\"'") for w in body.split() if (w[:1].isupper() or w[:1].isdigit()) and len(w) <= 24]
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", body) if 5 <= len(x.split()) <= 15]
    own = _fragments(rng, corpus_words, 280).split()
    for fact in facts[:30]:
        own.insert(rng.randrange(len(own)), fact)
    if sentences:
        own.insert(rng.randrange(len(own)), "“" + rng.choice(sentences) + "”")
    docs.append(Doc(" ".join(own), next_id + 5, "same-event-separately"))
    return docs


def _template(site: str, seed: int) -> tuple[str, str]:
    """A site's page chrome as extraction may leave it: about 120 words shared by all its stories."""
    rng = random.Random(seed)
    sections = ["News", "Local", "Business", "Sport", "Culture", "Opinion", "Weather", "Obituaries"]
    head = (
        f"{site} | Home | " + " | ".join(rng.sample(sections, 6)) + " | Subscribe | Log in\n\n"
        f"You are reading {site}, your trusted source for local and regional news, analysis and opinion."
    )
    teasers = [
        "Council weighs new parking rules for the old town",
        "Five things to do in the city this weekend",
        "School board delays vote on the new timetable",
        "Weather: a wet week ahead with sunny spells on Friday",
        "Letters: readers on the bus fares, the park and the library",
    ]
    tail = (
        "Most read on " + site + ": " + "; ".join(rng.sample(teasers, 4)) + ".\n\n"
        f"© {site} Media Group. All rights reserved. Terms of use, privacy policy, cookie settings, "
        "contact the newsroom, advertise with us, careers, corrections and clarifications, our ethics code, "
        "newsletters, e-edition, archives, sitemap. Follow us on Facebook, X and Instagram."
    )
    return head, tail


_SITE_TEMPLATES = [_template(site, i) for i, site in enumerate(
    ["The Riverside Ledger", "Metro Today", "Valley Courier", "Harbour Gazette", "Northwind Wire", "Daily Bugle"]
)]


_SITE_FOOTERS = [
    "The Riverside Ledger is an independent nonprofit newsroom serving the valley since 1921 "
    "and relies on readers like you to fund local reporting on schools courts city hall and the "
    "environment so please consider a monthly gift today any amount helps keep our journalism free "
    "for everyone who needs it in print and online",
    "Metro Today welcomes letters to the editor of no more than 250 words which must include the "
    "writer's full name address and daytime phone number for verification only letters may be edited "
    "for length clarity and accuracy and become the property of Metro Today once submitted to us "
    "through the website or by post",
]


def _fragments(rng: random.Random, corpus_words: list[str], length: int) -> str:
    out: list[str] = []
    while len(out) < length:
        start = rng.randrange(len(corpus_words) - 12)
        out.extend(corpus_words[start : start + rng.randint(6, 12)])
    return " ".join(out)


def synthetic(count: int, first_id: int, corpus_words: list[str], seed: int) -> list[Doc]:
    """Distinct articles stitched from 6-12-word fragments of the whole corpus (vectorised)."""
    rng = np.random.default_rng(seed)
    vocab = np.array(corpus_words, dtype=object)
    docs = []
    lengths = rng.integers(25, 70, size=count)  # fragments per article
    for i in range(count):
        n = int(lengths[i])
        starts = rng.integers(0, len(vocab) - 12, size=n)
        sizes = rng.integers(6, 13, size=n)
        pieces = [" ".join(vocab[s : s + z]) for s, z in zip(starts.tolist(), sizes.tolist(), strict=True)]
        paras = ["\n\n".join([" ".join(pieces[j : j + 6])]) for j in range(0, n, 6)]
        docs.append(Doc("\n\n".join(paras), first_id + i, "synthetic"))
    return docs


def _pairs(sizes: list[int]) -> int:
    return sum(s * (s - 1) // 2 for s in sizes)


@contextmanager
def _engine_store(engine: str, folder: Path) -> Iterator[Store]:
    """A fresh, migrated store: an SQLite file, or a new PostgreSQL database dropped afterwards."""
    if engine == "sqlite":
        store = open_store(f"sqlite:///{folder / 'bench-dedupe.db'}")
        try:
            yield store
        finally:
            store.close()
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"syndic_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    store = open_store(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
    try:
        yield store
    finally:
        store.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _address(i: int, doc: Doc) -> str:
    """Each text is its own page (copies are other addresses, never revisions); a story's
    copies are on other outlets than its publisher; a site's stories share its host."""
    return f"http://{doc.site or doc.kind}.example/{i}/"


def run_engine(engine: str, docs: list[Doc], texts: list[str], folder: Path) -> dict[str, object]:
    """Every text through `record_article` on one engine; the story each ends in, read back."""
    with _engine_store(engine, folder) as store:
        ids: list[int] = []
        t0 = time.perf_counter()
        for i, (doc, body) in enumerate(zip(docs, texts, strict=True)):
            url = _address(i, doc)
            article = Article(url=url, title=None, html="", text=body)
            ids.append(store_articles.record_article(store, None, article, url_key=canonical_url(url)).article_id)
        elapsed = time.perf_counter() - t0
        with store.engine.connect() as conn:
            story_of = {int(a): int(s) for a, s in conn.execute(select(articles.c.id, articles.c.story_id))}
    return {"story": [story_of[a] for a in ids], "elapsed": elapsed}


_WORD = re.compile(r"\w+")


class _Clusters:
    """Union-find over document positions: a peer's pairwise matches, closed transitively into stories."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def run_peer(peer: str, texts: list[str]) -> dict[str, object]:
    """A peer's grouping of the same cleaned texts, in the same order, in memory.

    - datasketch: MinHash (128 permutations) of word 3-shingles and MinHashLSH at Jaccard 0.5, each
      text joined to every earlier one the index returns — the textbook near-duplicate pipeline.
    - exact: the same normalized text (what a tool that dedupes by content hash catches).
    """
    t0 = time.perf_counter()
    clusters = _Clusters(len(texts))
    if peer == "datasketch":
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        for i, body in enumerate(texts):
            words = _WORD.findall(body.lower())
            shingles = {" ".join(words[k : k + 3]).encode() for k in range(max(1, len(words) - 2))}
            sketch = MinHash(num_perm=128)
            sketch.update_batch(list(shingles))
            for j in lsh.query(sketch):
                clusters.union(i, int(j))
            lsh.insert(str(i), sketch)
    elif peer == "exact":
        first: dict[str, int] = {}
        for i, body in enumerate(texts):
            key = " ".join(_WORD.findall(body.lower()))
            clusters.union(i, first.setdefault(key, i))
    else:
        raise SystemExit(f"unknown peer {peer!r} (datasketch, exact)")
    return {"story": [clusters.find(i) for i in range(len(texts))], "elapsed": time.perf_counter() - t0}


def score(docs: list[Doc], predicted_story: list[int]) -> dict[str, object]:
    true_sizes = list(Counter(d.story for d in docs).values())
    predicted = Counter(predicted_story)
    joint = Counter((p, d.story) for p, d in zip(predicted_story, docs, strict=True))
    true_pairs, pred_pairs, tp = _pairs(true_sizes), _pairs(list(predicted.values())), _pairs(list(joint.values()))
    publisher = {d.story: i for i, d in enumerate(docs) if d.kind == "publisher"}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, d in enumerate(docs):
        if d.story in publisher and d.kind != "publisher":
            found[d.kind][1] += 1
            found[d.kind][0] += predicted_story[i] == predicted_story[publisher[d.story]]
    wrong: Counter[str] = Counter()
    for i, d in enumerate(docs):
        if d.story not in publisher and predicted[predicted_story[i]] > 1:
            wrong[d.kind] += 1
    return {
        "precision": tp / pred_pairs if pred_pairs else 1.0, "recall": tp / true_pairs if true_pairs else 1.0,
        "tp": tp, "pred_pairs": pred_pairs, "true_pairs": true_pairs, "found": found, "wrong": wrong,
    }


NEGATIVE_KINDS = (
    "quotes-one-paragraph", "follow-up-quoting-two-paragraphs", "same-names", "same-site-footer",
    "same-site-template", "same-event-separately", "synthetic",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="total articles in the corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--peers", default="datasketch,exact",
                        help="comma-separated peers measured on the same texts in the same run: datasketch, exact")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    truth = json.loads(GROUND_TRUTH.read_text())
    bodies = [v["articleBody"] for _, v in sorted(truth.items()) if v["articleBody"].strip()]
    # Fragments are cut from space-separated words; a Chinese or Japanese "word" is a whole
    # sentence, and a fragment of them would copy half an article, so they are left out.
    corpus_words = [w for b in bodies for w in b.split() if len(w) <= 24]

    docs: list[Doc] = []
    for story, body in enumerate(bodies):
        docs.extend(variants(story, body, rng, corpus_words))
    next_id = len(bodies)
    for body in bodies:
        docs.extend(hard_negatives(next_id, body, rng, corpus_words))
        next_id += 6
    negatives = sum(1 for d in docs if d.story >= len(bodies))
    copies = len(docs) - negatives
    docs.extend(synthetic(max(0, args.n - len(docs)), next_id, corpus_words, args.seed))
    rng.shuffle(docs)
    print(f"corpus: {len(docs)} articles; {len(bodies)} stories as {copies} texts (publisher + copies); "
          f"{negatives} hard negatives; {len(docs) - copies - negatives} synthetic distinct articles")

    t0 = time.perf_counter()
    texts = [(clean_html(d.body).text if looks_like_html(d.body) else clean_text(d.body).text) for d in docs]
    t_clean = time.perf_counter() - t0
    print(f"clean stage: {len(docs) / t_clean:,.0f} articles/s")

    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            run = run_engine(engine, docs, texts, Path(folder))
            results[engine] = {**score(docs, run["story"]), "elapsed": run["elapsed"]}  # type: ignore[arg-type]
            r = results[engine]
            print(f"{engine}: {len(docs) / r['elapsed']:,.1f} articles/s through record_article", flush=True)
    for peer in [p.strip() for p in args.peers.split(",") if p.strip()]:
        run = run_peer(peer, texts)
        results[f"peer: {peer}"] = {**score(docs, run["story"]), "elapsed": run["elapsed"]}  # type: ignore[arg-type]
        print(f"peer {peer}: {len(docs) / float(results[f'peer: {peer}']['elapsed']):,.1f} articles/s", flush=True)

    engines = list(results)
    print()
    print(f"| {len(docs):,} articles (syndic: production path, record_article) | " + " | ".join(engines) + " |")
    print("|---|" + "---|" * len(engines))
    print("| pairwise precision | " + " | ".join(
        f"{r['precision']:.4f} ({r['tp']}/{r['pred_pairs']})" for r in results.values()) + " |")
    print("| pairwise recall | " + " | ".join(
        f"{r['recall']:.4f} ({r['tp']}/{r['true_pairs']})" for r in results.values()) + " |")
    print("| articles/s (syndic: the store's write path; peers: in memory) | " + " | ".join(
        f"{len(docs) / float(r['elapsed']):,.1f} articles/s" for r in results.values()) + " |")  # type: ignore[arg-type]
    print()
    print("| copy kind: joined to its publisher text | " + " | ".join(engines) + " |")
    print("|---|" + "---|" * len(engines))
    kinds = sorted({k for r in results.values() for k in r["found"]})  # type: ignore[attr-defined]
    for kind in kinds:
        print(f"| {kind} | " + " | ".join(
            "{}/{}".format(*r["found"][kind]) for r in results.values()) + " |")  # type: ignore[index]
    print()
    print("| distinct kind: wrongly joined to another article | " + " | ".join(engines) + " |")
    print("|---|" + "---|" * len(engines))
    for kind in NEGATIVE_KINDS:
        total = sum(1 for d in docs if d.kind == kind)
        print(f"| {kind} | " + " | ".join(f"{r['wrong'][kind]}/{total}" for r in results.values()) + " |")  # type: ignore[index]


if __name__ == "__main__":
    main()
