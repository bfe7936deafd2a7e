"""Serving a bundle archive: streamed in chunks, resumable with ``Range`` and ``If-Range``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from fastapi import Response
from fastapi.responses import StreamingResponse

from mockserver.errors import error_response
from sync.protocol import ErrorCode

CHUNK_BYTES = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$")


def etag_for(sha256: str) -> str:
    return f'"{sha256}"'


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """The inclusive byte span a ``Range`` header asks for.

    Returns None to send the whole file (no header, or a form we do not serve,
    such as several ranges), ``"unsatisfiable"`` when it starts past the end,
    else ``(first, last)``. Handles ``bytes=N-``, ``bytes=N-M`` and ``bytes=-N``.
    """
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    start_text, end_text = match.groups()
    if not start_text:
        if not end_text:
            return None
        suffix = int(end_text)
        if suffix == 0:
            return "unsatisfiable"
        return max(size - suffix, 0), size - 1
    first = int(start_text)
    last = int(end_text) if end_text else size - 1
    if first >= size:
        return "unsatisfiable"
    if last < first:
        return None
    return first, min(last, size - 1)


def archive_response(
    path: Path, sha256: str, range_header: str | None, if_range: str | None
) -> Response:
    """The archive, whole (200) or from the asked range (206), with ``ETag: "<sha256>"``.

    ``If-Range`` naming another ETag (or a date) sends the whole file, as the
    client's partial copy belongs to another version.
    """
    size = path.stat().st_size
    etag = etag_for(sha256)
    headers = {"ETag": etag, "Accept-Ranges": "bytes", "Cache-Control": "no-store"}
    span = parse_range(range_header, size)
    if if_range is not None and if_range.strip() != etag:
        span = None
    if span == "unsatisfiable":
        return error_response(
            416,
            ErrorCode.INVALID_REQUEST,
            f"The range '{range_header}' starts past the end of the {size:,}-byte archive.",
            headers={**headers, "Content-Range": f"bytes */{size}"},
        )
    if not isinstance(span, tuple):
        headers["Content-Length"] = str(size)
        return StreamingResponse(
            _read(path, 0, size), media_type="application/zip", headers=headers
        )
    first, last = span
    headers["Content-Length"] = str(last - first + 1)
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return StreamingResponse(
        _read(path, first, last - first + 1),
        status_code=206,
        media_type="application/zip",
        headers=headers,
    )


def _read(path: Path, offset: int, count: int) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        stream.seek(offset)
        while count > 0:
            chunk = stream.read(min(CHUNK_BYTES, count))
            if not chunk:
                return
            count -= len(chunk)
            yield chunk
