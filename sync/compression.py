"""gzip on the wire: compressing a JSON body, and unpacking one without letting it grow unbounded.

Qt-free, no SQL, standard library only. The client compresses large request
bodies (``gzip_body``) and unpacks compressed answers (``inflater_for``); the
mock server does the reverse with the same two. gzip is the only content
coding either side speaks (``identity`` means none). An ``Inflater`` never
produces more than its limit, whatever the ratio of the stream: a few
kilobytes of gzip can stand for gigabytes.
"""

from __future__ import annotations

import gzip
import zlib

__all__ = [
    "GZIP_LEVEL",
    "SMALLEST_COMPRESSED",
    "CodingError",
    "DamagedCoding",
    "Inflater",
    "InflatesTooFar",
    "UnknownCoding",
    "accepts_gzip",
    "codings_of",
    "gzip_body",
    "inflater_for",
]

GZIP_LEVEL = 6  # zlib's default: nearly all of level 9's gain at a fraction of its time
# Below this, gzip's 18-byte frame and the CPU time are not worth it.
SMALLEST_COMPRESSED = 1024
_GZIP = ("gzip", "x-gzip")  # RFC 9110 8.4.1.3: x-gzip is gzip
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class CodingError(ValueError):
    """A body whose content coding cannot be unpacked."""


class UnknownCoding(CodingError):
    """A ``Content-Encoding`` other than gzip or identity (``coding`` says which)."""

    def __init__(self, coding: str) -> None:
        super().__init__(f"unknown content coding {coding!r}")
        self.coding = coding


class DamagedCoding(CodingError):
    """The gzip stream is broken or ends before its end."""


class InflatesTooFar(CodingError):
    """Unpacked, the body would pass ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"unpacks to more than {limit} bytes")
        self.limit = limit


def gzip_body(data: bytes) -> bytes:
    """``data`` as one gzip member (level 6, no timestamp: the same input gives the same bytes)."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def codings_of(header: str | None) -> list[str]:
    """The codings a ``Content-Encoding`` header lists, lower case, without ``identity``."""
    names = (part.strip().lower() for part in (header or "").split(","))
    return [name for name in names if name and name != "identity"]


def inflater_for(header: str | None, limit: int) -> Inflater | None:
    """An ``Inflater`` for a body sent with ``Content-Encoding: header``; None if not coded.

    Raises ``UnknownCoding`` for a coding other than gzip, or for gzip applied
    more than once (no sender needs that; it would only multiply the work).
    """
    codings = codings_of(header)
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in _GZIP:
        return Inflater(limit)
    unknown = next((c for c in codings if c not in _GZIP), None)
    raise UnknownCoding(unknown if unknown is not None else ", ".join(codings))


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header lets the answer be gzip (``q`` above 0)."""
    listed: dict[str, float] = {}
    for part in (header or "").split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        listed[name] = quality
    for name in (*_GZIP, "*"):
        if name in listed:
            return listed[name] > 0
    return False


class Inflater:
    """Unpacks one gzip body fed in pieces, refusing to produce more than ``limit`` bytes.

    ``feed`` appends what each piece unpacks to onto ``out`` and raises
    ``InflatesTooFar`` as soon as the total would pass ``limit`` (having
    unpacked at most one byte more), ``DamagedCoding`` when the stream is
    broken. ``end`` raises ``DamagedCoding`` when the stream stopped before
    its end. Several gzip members one after the other are one body, as RFC
    1952 says.
    """

    _STEP = 256 * 1024  # the most one decompress call makes: no big temporary copies

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.produced = 0
        self.consumed = 0  # coded bytes fed
        self._unpacker = zlib.decompressobj(_GZIP_WBITS)

    def feed(self, data: bytes, out: bytearray) -> None:
        self.consumed += len(data)
        pending = data
        try:
            while pending:
                room = self.limit - self.produced
                piece = self._unpacker.decompress(pending, min(room + 1, self._STEP))
                self.produced += len(piece)
                if self.produced > self.limit:
                    raise InflatesTooFar(self.limit)
                out += piece
                if self._unpacker.eof:
                    pending = self._unpacker.unused_data  # the next member, if any
                    if pending:
                        self._unpacker = zlib.decompressobj(_GZIP_WBITS)
                else:
                    pending = self._unpacker.unconsumed_tail  # left when a step filled up
        except zlib.error:
            raise DamagedCoding("it is not valid gzip data") from None

    def end(self) -> None:
        """Check that the stream is whole (an empty body counts as an empty one)."""
        if self.consumed and not self._unpacker.eof:
            raise DamagedCoding("it stops before the end of its gzip stream")
