"""Incremental, capped decoding of Content-Encoding."""

from __future__ import annotations

import gzip
import os
import zlib

import brotli
import pytest

from syndic.net.decompress import BodyDecoder, BodyLimitExceeded, UndecodableBody

DATA = b"<item><title>Story</title></item>\n" * 20000 + os.urandom(3000)


def _raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-15)
    return c.compress(data) + c.flush()


ENCODED = {
    "gzip": gzip.compress(DATA),
    "x-gzip": gzip.compress(DATA),
    "deflate": zlib.compress(DATA),
    "deflate-raw": _raw_deflate(DATA),
    "br": brotli.compress(DATA),
    "gzip, br": brotli.compress(gzip.compress(DATA)),
    "identity": DATA,
    "": DATA,
}


def _decode(encoding: str, blob: bytes, chunk: int, cap: int = 10**8) -> bytes:
    decoder = BodyDecoder(encoding, cap)
    for i in range(0, len(blob), chunk):
        decoder.feed(blob[i : i + chunk])
    return decoder.finish()


CASES = [
    (name, chunk)
    for name, blob in ENCODED.items()
    for chunk in (1, 13, 4096, 10**7)
    if chunk > 1 or len(blob) < 100_000  # byte by byte only where the input is small
]


@pytest.mark.parametrize(("name", "chunk"), CASES)
def test_round_trip_at_any_chunking(name: str, chunk: int) -> None:
    encoding = "deflate" if name == "deflate-raw" else name
    assert _decode(encoding, ENCODED[name], chunk) == DATA


def test_multi_member_gzip_and_trailing_garbage() -> None:
    blob = gzip.compress(b"first ") + gzip.compress(b"second") + b"\x00garbage"
    for chunk in (1, 5, 1000):
        assert _decode("gzip", blob, chunk) == b"first second"


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate"])
def test_cap_counts_decoded_bytes(encoding: str) -> None:
    blob = ENCODED[encoding]
    assert len(blob) < 100_000  # small on the wire...
    with pytest.raises(BodyLimitExceeded, match="100000 bytes after decompression"):
        _decode(encoding, blob, 8192, cap=100_000)  # ...too big once inflated


def test_unknown_and_corrupt_encodings_refused() -> None:
    with pytest.raises(UndecodableBody, match="zstd"):
        BodyDecoder("zstd", 100)
    with pytest.raises(UndecodableBody, match="gzip"):
        _decode("gzip", b"\x1f\x8b\x08\x00" + b"\xff" * 50, 100)
