"""Timestamps in a transcript and in subtitle files, with the clip's offset applied. Qt-free.

A clip is often cut from a longer recording; ``offset_s`` is where the clip starts in
that recording. Times inside a result (segment edges, the play head) are *clip time*,
from 0 at the clip's first sample. Timestamps typed into the text and times written to
subtitle files are *source time*: clip time plus the offset, so they point into the
original recording.

Timestamp tokens come in the formats of ``TIMESTAMP_FORMATS``, chosen by a setting.
``format_timestamp`` rounds *down* to the format's precision, as a media player's clock
does: at 3.97 s it shows ``[00:00:03]``. ``find_timestamps`` and ``parse_timestamp``
read every format back, so changing the setting never orphans timestamps already typed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, Literal, get_args

__all__ = [
    "DEFAULT_TIMESTAMP_FORMAT",
    "TIMESTAMP_FORMATS",
    "TimestampFormat",
    "TimestampToken",
    "clock_text",
    "cue_time",
    "find_timestamps",
    "format_timestamp",
    "parse_timestamp",
]

TimestampFormat = Literal["[hh:mm:ss]", "[hh:mm:ss.f]", "[mm:ss.f]", "(hh:mm:ss.mmm)"]
TIMESTAMP_FORMATS: Final[tuple[TimestampFormat, ...]] = get_args(TimestampFormat)
DEFAULT_TIMESTAMP_FORMAT: Final[TimestampFormat] = "[hh:mm:ss]"

# Digits after the decimal point each format shows.
_DECIMALS: Final[dict[str, int]] = {
    "[hh:mm:ss]": 0,
    "[hh:mm:ss.f]": 1,
    "[mm:ss.f]": 1,
    "(hh:mm:ss.mmm)": 3,
}

# Any of the formats, and the hand-typed variants people make of them: one to three hour
# digits, minutes without hours (then they may pass 59), 1–3 decimals, [ ] or ( ).
_TOKEN = re.compile(
    r"(?P<open>[\[(])"
    r"(?:(?P<h>\d{1,3}):(?P<m>[0-5]\d)|(?P<mm>\d{1,4})):(?P<s>[0-5]\d)"
    r"(?:\.(?P<frac>\d{1,3}))?"
    r"(?P<close>[\])])"
)
_CLOSING = {"[": "]", "(": ")"}


@dataclass(frozen=True)
class TimestampToken:
    """A timestamp found in a text: ``text[start:end]``, at ``seconds`` of source time."""

    start: int
    end: int
    seconds: float


def _checked(seconds: float, what: str) -> float:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{what} must be a finite number of seconds ≥ 0, not {seconds!r}")
    return seconds


def format_timestamp(
    seconds: float, offset_s: float = 0.0, fmt: TimestampFormat = DEFAULT_TIMESTAMP_FORMAT
) -> str:
    """The token for clip time ``seconds`` in a clip starting at ``offset_s`` of its source.

    ``format_timestamp(3.97, 60.0)`` is ``"[00:01:03]"``. Hours grow past two digits
    when needed; ``[mm:ss.f]`` lets minutes pass 59 (``[75:03.2]``). Raises
    ``ValueError`` for a negative or non-finite time or offset, or an unknown format.
    """
    if fmt not in _DECIMALS:
        known = ", ".join(TIMESTAMP_FORMATS)
        raise ValueError(f"Unknown timestamp format '{fmt}' (known: {known})")
    total = _checked(seconds, "A time") + _checked(offset_s, "An offset")
    decimals = _DECIMALS[fmt]
    # Whole milliseconds first, so 4.35 s is not floored to 4.349 by binary rounding.
    units = round(total * 1000) // 10 ** (3 - decimals)
    whole, fraction = divmod(units, 10**decimals)
    minutes, secs = divmod(whole, 60)
    hours, mins = divmod(minutes, 60)
    frac = f".{fraction:0{decimals}d}" if decimals else ""
    if fmt == "[mm:ss.f]":
        return f"[{minutes:02d}:{secs:02d}{frac}]"
    opening, closing = fmt[0], fmt[-1]
    return f"{opening}{hours:02d}:{mins:02d}:{secs:02d}{frac}{closing}"


def _token_seconds(match: re.Match[str]) -> float | None:
    if _CLOSING[match["open"]] != match["close"]:
        return None
    hours, mins = (match["h"], match["m"]) if match["h"] is not None else ("0", match["mm"])
    minutes = int(hours) * 60 + int(mins)
    fraction = int(match["frac"]) / 10 ** len(match["frac"]) if match["frac"] else 0.0
    return minutes * 60 + int(match["s"]) + fraction


def find_timestamps(text: str) -> list[TimestampToken]:
    """Every timestamp token in ``text``, in order, in any known format.

    ``seconds`` is source time, exactly as written (the offset is not removed).
    """
    found = []
    for match in _TOKEN.finditer(text):
        seconds = _token_seconds(match)
        if seconds is not None:
            found.append(TimestampToken(match.start(), match.end(), seconds))
    return found


def parse_timestamp(token: str, offset_s: float = 0.0) -> float:
    """Clip time of a timestamp token (surrounding spaces allowed) in any known format.

    The result is the token's source time minus ``offset_s``; it is negative for a
    token before the clip's start. Raises ``ValueError`` when ``token`` is not exactly
    one timestamp.
    """
    match = _TOKEN.fullmatch(token.strip())
    seconds = _token_seconds(match) if match else None
    if seconds is None:
        raise ValueError(f"'{token}' is not a timestamp such as [00:01:23]")
    return seconds - _checked(offset_s, "An offset")


def cue_time(seconds: float, decimal_mark: Literal[".", ","] = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT) or ``HH:MM:SS,mmm`` (SRT), rounded to the millisecond.

    Raises ``ValueError`` for a negative or non-finite time.
    """
    millis = round(_checked(seconds, "A time") * 1000)
    whole, ms = divmod(millis, 1000)
    minutes, secs = divmod(whole, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}:{secs:02d}{decimal_mark}{ms:03d}"


def clock_text(seconds: float) -> str:
    """A short time for messages: ``0:04.2``, ``12:30.0``, ``1:02:03.5`` (tenths, rounded)."""
    tenths = round(seconds * 10) if math.isfinite(seconds) else 0
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    minutes, secs = divmod(whole, 60)
    hours, mins = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{mins:02d}:{secs:02d}.{tenth}"
    return f"{sign}{mins}:{secs:02d}.{tenth}"
