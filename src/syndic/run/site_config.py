"""Downloading the community site rules (fivefilters/ftr-site-config) into the data directory.

The project does not ship the 2,000 rule files; users fetch them with
`syndic site-config update`. The tarball comes through the guarded client
(size-capped), and only `*.txt` files at the top of the archive's single
folder are written — never a path with `..`, an absolute path or a link.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from syndic.errors import SyndicError
from syndic.net import NetSettings, fetch_sync

MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
MAX_RULE_BYTES = 256 * 1024


def install_rules_from_tarball(data: bytes, target: Path) -> int:
    """Write the archive's rule files into `target` (replacing it atomically); return how many."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-config-", dir=target.parent))
    count = 0
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115 - closed by `with` below
    except tarfile.TarError as exc:
        staging.rmdir()
        raise SyndicError(f"site-config archive is not a tarball: {exc}") from exc
    with archive:
        for member in archive:
            if not member.isfile() or member.size > MAX_RULE_BYTES:
                continue
            parts = PurePosixPath(member.name).parts
            if len(parts) != 2 or not parts[1].endswith(".txt") or parts[1].startswith("/") or ".." in parts:
                continue
            name = parts[1]
            if os.sep in name or name in (".", ".."):
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            (staging / name).write_bytes(handle.read())
            count += 1
    if count == 0:
        staging.rmdir()
        raise SyndicError("site-config archive holds no rule files")
    old = target.with_name(target.name + ".old")
    if target.exists():
        if old.exists():
            _remove_tree(old)
        target.rename(old)
    staging.rename(target)
    if old.exists():
        _remove_tree(old)
    return count


def _remove_tree(path: Path) -> None:
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


def update_site_config(source: str, target: Path, settings: NetSettings) -> int:
    result = fetch_sync(source, settings, max_body_bytes=MAX_ARCHIVE_BYTES)
    return install_rules_from_tarball(result.body, target)
