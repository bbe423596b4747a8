"""Content-Encoding decoding that can never inflate past the size cap.

aiohttp's own decompression hands over whole inflated chunks, so a small
gzip bomb (1 MB on the wire, 1 GB inflated) would be decoded before anyone
counts it. Here every layer inflates in pieces of at most `PIECE` bytes
(zlib's `max_length`, brotli's `output_buffer_limit`) and the caller's cap
is checked after each piece: memory stays at cap + one piece whatever the
ratio. Supported: gzip (multi-member too), deflate (zlib-wrapped or raw, as
servers send both), br, identity, and chains of them ("gzip, br"). Any
other coding is refused rather than passed on as garbage.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

PIECE = 64 * 1024

SUPPORTED_ENCODINGS = ("gzip", "deflate", "br")
ACCEPT_ENCODING = ", ".join(SUPPORTED_ENCODINGS)


class BodyLimitExceeded(Exception):
    """The decoded body passed its cap; the client turns this into TooLargeError."""


class UndecodableBody(Exception):
    """Unknown Content-Encoding, or bytes that are not what the encoding claims."""


class _Layer(Protocol):
    def pieces(self, data: bytes) -> Iterator[bytes]: ...


def _inflate(d: zlib._Decompress, data: bytes, name: str) -> Iterator[bytes]:
    """Inflate `data` in pieces of at most PIECE bytes, draining zlib's pending output too."""
    while not d.eof:
        try:
            out = d.decompress(data, PIECE)
        except zlib.error as exc:
            raise UndecodableBody(f"corrupt {name} data ({exc})") from None
        if out:
            yield out
        data = d.unconsumed_tail
        if not data and len(out) < PIECE:
            return


class _GzipLayer:
    def __init__(self) -> None:
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._between = b""  # bytes after a member's end, until we know a new member starts
        self._done = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        while not self._done:
            if self._d.eof:
                self._between += self._d.unused_data + data
                if len(self._between) < 2:
                    return
                if self._between[:2] != b"\x1f\x8b":
                    self._done = True  # trailing garbage after the last member: ignored, as browsers do
                    return
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next member
                data, self._between = self._between, b""
            yield from _inflate(self._d, data, "gzip")
            if not self._d.eof:
                return
            data = b""


class _DeflateLayer:
    """RFC 9110 says zlib-wrapped; many servers send raw deflate. The first two bytes decide."""

    def __init__(self) -> None:
        self._d: zlib._Decompress | None = None
        self._head = b""

    def pieces(self, data: bytes) -> Iterator[bytes]:
        if self._d is None:
            self._head += data
            if len(self._head) < 2:
                return
            b0, b1 = self._head[0], self._head[1]
            wrapped = (b0 & 0x0F) == 8 and ((b0 << 8) | b1) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            data, self._head = self._head, b""
        yield from _inflate(self._d, data, "deflate")


class _BrotliLayer:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def pieces(self, data: bytes) -> Iterator[bytes]:
        if not data or self._d.is_finished():
            return
        try:
            out = self._d.process(data, output_buffer_limit=PIECE)
            if out:
                yield out
            # can_accept_more_data() can say True while output is still pending
            # (brotli 1.2), so drain until a call yields nothing.
            while out and not self._d.is_finished():
                out = self._d.process(b"", output_buffer_limit=PIECE)
                if out:
                    yield out
        except brotli.error as exc:
            raise UndecodableBody(f"corrupt brotli data ({exc})") from None


_LAYERS: dict[str, type[_GzipLayer] | type[_DeflateLayer] | type[_BrotliLayer]] = {
    "gzip": _GzipLayer,
    "x-gzip": _GzipLayer,
    "deflate": _DeflateLayer,
    "br": _BrotliLayer,
}


class BodyDecoder:
    """Feed raw body chunks in arrival order; `finish()` returns the decoded body.

    Raises BodyLimitExceeded as soon as the decoded size passes `max_bytes`,
    and UndecodableBody for unknown codings or corrupt data.
    """

    def __init__(self, content_encoding: str | None, max_bytes: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        unknown = [c for c in codings if c not in _LAYERS]
        if unknown:
            raise UndecodableBody(f"unsupported Content-Encoding {', '.join(unknown)!r}")
        # Codings are listed in the order they were applied; undo them last-first.
        self._layers: list[_Layer] = [_LAYERS[c]() for c in reversed(codings)]
        self._max = max_bytes
        self._out = bytearray()

    @property
    def decoded_size(self) -> int:
        return len(self._out)

    def feed(self, chunk: bytes) -> None:
        self._push(0, chunk)

    def _push(self, depth: int, data: bytes) -> None:
        if depth == len(self._layers):
            if len(self._out) + len(data) > self._max:
                raise BodyLimitExceeded(f"body exceeds {self._max} bytes after decompression")
            self._out += data
            return
        for piece in self._layers[depth].pieces(data):
            self._push(depth + 1, piece)

    def finish(self) -> bytes:
        return bytes(self._out)
