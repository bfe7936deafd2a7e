"""sync.compression: gzip bodies, and unpacking them under a hard cap, piece by piece."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.compression import (
    DamagedCoding,
    InflatesTooFar,
    UnknownCoding,
    accepts_gzip,
    gzip_body,
    inflater_for,
)


def unpack(packed: bytes, limit: int, piece: int = 4096) -> bytes:
    inflater = inflater_for("gzip", limit)
    assert inflater is not None
    out = bytearray()
    for start in range(0, len(packed), piece):
        inflater.feed(packed[start : start + piece], out)
    inflater.end()
    return bytes(out)


@given(
    st.lists(st.binary(max_size=3000), min_size=1, max_size=4),
    st.integers(min_value=1, max_value=5000),
)
def test_any_members_fed_in_any_pieces_unpack_to_what_was_packed(
    members: list[bytes], piece: int
) -> None:
    packed = b"".join(gzip_body(member) for member in members)
    expected = b"".join(members)
    assert unpack(packed, len(expected), piece) == expected


def test_the_cap_stops_a_bomb_having_unpacked_at_most_one_byte_more() -> None:
    bomb = gzip_body(b"\0" * (50 * 2**20))
    inflater = inflater_for("x-gzip", 100_000)
    assert inflater is not None
    out = bytearray()
    with pytest.raises(InflatesTooFar):
        inflater.feed(bomb, out)
    assert inflater.produced == 100_001 and len(out) <= 100_000


def test_a_body_of_exactly_the_limit_passes() -> None:
    assert unpack(gzip_body(b"x" * 5000), 5000) == b"x" * 5000


@pytest.mark.parametrize(
    "packed",
    [
        pytest.param(gzip_body(b"hello world" * 50)[:-9], id="cut short"),
        pytest.param(b"\x1f\x8b\x08\x00garbage-garbage", id="broken deflate data"),
        pytest.param(b"plain text", id="not gzip"),
        pytest.param(gzip_body(b"{}") + b"\n", id="a stray byte after"),
    ],
)
def test_a_damaged_stream_is_said_so(packed: bytes) -> None:
    with pytest.raises(DamagedCoding):
        unpack(packed, 10**6)


def test_an_empty_coded_body_is_an_empty_body() -> None:
    assert unpack(b"", 10) == b""


@pytest.mark.parametrize(
    ("header", "coded"),
    [(None, False), ("", False), ("identity", False), ("GZIP", True), ("identity, gzip", True)],
)
def test_gzip_and_identity_are_the_codings_read(header: str | None, coded: bool) -> None:
    assert (inflater_for(header, 10) is not None) is coded


@pytest.mark.parametrize("header", ["br", "deflate", "zstd", "gzip, gzip", "gzip, br"])
def test_other_codings_and_gzip_twice_are_unknown(header: str) -> None:
    with pytest.raises(UnknownCoding):
        inflater_for(header, 10)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate", True),
        ("deflate, gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0, *", False),
        ("identity", False),
        ("br;q=1, *;q=0", False),
        (None, False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header: str | None, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


def test_the_same_body_always_packs_to_the_same_bytes() -> None:
    body = b'{"results": []}' * 100
    assert gzip_body(body) == gzip_body(body)
    assert gzip.decompress(gzip_body(body)) == body
