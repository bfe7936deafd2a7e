"""Find the parts of a segment a translator must carry over: placeholders, tags, numbers.

Qt-free. ``checks.py`` compares what these functions find in the source and the target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache


class PlaceableKind(StrEnum):
    BRACE = "brace"  # {name}, {0}
    PRINTF = "printf"  # %s, %.2f, %1$s, %(name)s
    TAG_OPEN = "open"  # <b>, <a href="…">
    TAG_CLOSE = "close"  # </b>
    TAG_EMPTY = "empty"  # <br/>, and HTML void elements such as <br>


@dataclass(frozen=True)
class Placeable:
    """One placeholder or tag as written (``text``) and as compared (``key``)."""

    kind: PlaceableKind
    key: str
    text: str
    name: str = ""  # tag name, for nesting checks

    @property
    def is_tag(self) -> bool:
        return self.kind in (
            PlaceableKind.TAG_OPEN,
            PlaceableKind.TAG_CLOSE,
            PlaceableKind.TAG_EMPTY,
        )


# Attribute values that must survive translation verbatim; others (title, alt) are translated.
_KEPT_ATTRIBUTE_VALUES = frozenset({"href", "src"})
# HTML elements that never have a closing tag, so <br> counts as <br/>.
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_PLACEABLE = re.compile(
    r"""
    (?P<tag><(?P<close>/)?(?P<name>[A-Za-z][\w:.-]*)
        (?P<attrs>(?:\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)
        \s*(?P<selfclose>/)?>)
    | (?P<brace>\{(?:[A-Za-z_]\w*|\d+)\})
    | (?P<percent>%%)
    | (?P<printf>%(?:\([^()\s]+\)|\d+\$)?[#0+-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?
        (?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrsaAp@])
    """,
    re.VERBOSE,
)
# Stands in for a removed placeable: not a digit, letter, space or separator.
_GAP = "\ufffc"


def _tag(match: re.Match[str]) -> Placeable:
    name = match["name"]
    text = match[0]
    if match["close"]:
        return Placeable(PlaceableKind.TAG_CLOSE, f"</{name}>", text, name)
    attributes: list[str] = []
    for attribute in _ATTRIBUTE.finditer(match["attrs"] or ""):
        attribute_name, value = attribute[1].lower(), attribute[2]
        if attribute_name in _KEPT_ATTRIBUTE_VALUES and value is not None:
            attributes.append(f'{attribute_name}="{value.strip(chr(34) + chr(39))}"')
        else:
            attributes.append(attribute_name)
    inner = " ".join([name, *sorted(attributes)])
    if match["selfclose"] or name.lower() in _VOID_ELEMENTS:
        return Placeable(PlaceableKind.TAG_EMPTY, f"<{inner}/>", text, name)
    return Placeable(PlaceableKind.TAG_OPEN, f"<{inner}>", text, name)


def find_placeables(text: str) -> Iterator[Placeable]:
    """Placeholders and tags in ``text``, left to right.

    ``%%`` is a literal percent sign and never a placeholder. A ``%`` followed by a
    space is not one either, so French "50 % de remise" stays plain text.
    """
    for match in _PLACEABLE.finditer(text):
        if match["tag"]:
            yield _tag(match)
        elif match["brace"]:
            yield Placeable(PlaceableKind.BRACE, match[0], match[0])
        elif match["printf"]:
            yield Placeable(PlaceableKind.PRINTF, match[0], match[0])


def tags_nest(tags: list[Placeable]) -> bool:
    """Whether opening and closing tags, in this order, nest properly."""
    open_names: list[str] = []
    for tag in tags:
        if tag.kind is PlaceableKind.TAG_OPEN:
            open_names.append(tag.name)
        elif tag.kind is PlaceableKind.TAG_CLOSE and (
            not open_names or open_names.pop() != tag.name
        ):
            return False
    return not open_names


def placeable_spans(text: str) -> list[tuple[int, int]]:
    """Where each placeholder and tag of ``text`` sits (``%%`` is plain text)."""
    return [m.span() for m in _PLACEABLE.finditer(text) if not m["percent"]]


def without_placeables(text: str) -> str:
    """``text`` with every placeholder and tag replaced by a neutral gap character."""
    return _PLACEABLE.sub(lambda m: m[0] if m["percent"] else _GAP, text)


# Primary language subtags that write 1,5 for one and a half.
# fmt: off
_DECIMAL_COMMA = frozenset({
    "af", "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fo",
    "fr", "gl", "hr", "hu", "hy", "id", "is", "it", "ka", "kk", "ky", "lt", "lv", "mk", "mn",
    "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
    "uz", "vi",
})
# Of those, the ones that also group thousands with a dot: 1.000.000,5.
_DOT_GROUPING = frozenset({
    "bs", "ca", "da", "de", "el", "es", "eu", "gl", "hr", "id", "is", "it", "nl", "pt", "ro",
    "sl", "sr", "tr", "vi",
})
# fmt: on
_SPACES = ("\u0020", "\u00a0", "\u202f", "\u2009")
_APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True)
class NumberConvention:
    """How a language writes numbers: decimal marks and thousands separators."""

    decimal_marks: tuple[str, ...]
    group_separators: tuple[str, ...]


def number_convention(language: str) -> NumberConvention:
    """The convention for a BCP 47 tag; the primary subtag decides, Swiss German aside.

    Swiss German and Italian group with an apostrophe (1'000) and use a decimal point,
    though a decimal comma is common enough in running text that both are accepted.
    Unknown languages use English conventions.
    """
    subtags = language.replace("_", "-").split("-")
    primary = subtags[0].lower()
    regions = {subtag.upper() for subtag in subtags[1:]}
    if primary in ("de", "it") and regions & {"CH", "LI"}:
        return NumberConvention((".", ","), _APOSTROPHES)
    if primary in _DECIMAL_COMMA:
        groups = (*_SPACES, ".") if primary in _DOT_GROUPING else _SPACES
        return NumberConvention((",",), groups)
    return NumberConvention((".",), (",",))


@cache
def _number_pattern(convention: NumberConvention) -> re.Pattern[str]:
    groups = "|".join(re.escape(s) for s in convention.group_separators)
    marks = "|".join(re.escape(s) for s in convention.decimal_marks)
    # A match always takes a whole run of digits, so "abc123" yields 123 for _glued to judge.
    return re.compile(
        rf"(?<![\d_])(?P<int>\d{{1,3}}(?:(?:{groups})\d{{3}})+|\d+)(?:(?:{marks})(?P<frac>\d+))?(?!\d)"
    )


# Scripts written without spaces between words: a digit after one of their letters is
# still a number (共有5个文件).
_UNSPACED_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\ud7ff\uf900-\ufaff\uff00-\uffef]"
)


def _glued(before: str) -> bool:
    """Whether a number right after ``before`` is part of a word (MP3, H2O, x86)."""
    return before.isalpha() and not _UNSPACED_SCRIPTS.match(before)


@dataclass(frozen=True)
class Number:
    value: Decimal
    text: str


def find_numbers(text: str, language: str) -> list[Number]:
    """Numbers written in ``text`` under the conventions of ``language``, by value.

    Digits inside placeholders and tags (``%1$s``, ``{0}``, ``href="p2"``) are ignored,
    and so are digits glued to a preceding letter. Signs are ignored: "5-10" lists 5 and 10.
    """
    pattern = _number_pattern(number_convention(language))
    numbers: list[Number] = []
    plain = without_placeables(text)
    for match in pattern.finditer(plain):
        if match.start() and _glued(plain[match.start() - 1]):
            continue
        digits = re.sub(r"\D", "", match["int"])
        if match["frac"]:
            digits += "." + match["frac"]
        try:
            value = Decimal(digits).normalize()
        except InvalidOperation:  # pragma: no cover - the pattern only admits digits
            continue
        numbers.append(Number(value, match[0]))
    return numbers
