"""Quality checks beyond placeholders and numbers, and dismissible warnings. Qt-free.

Every check here yields warnings (the contributor may be right, and may dismiss them),
except the glossary's ``glossary_forbidden_term``, an error. They judge only what the
translator wrote: a fault the source has too, in the same typographic convention, is
not reported, and a target copied verbatim from the source gets ``target_unchanged``
(across languages) and no punctuation, case or typography warnings.

Codes: ``glossary_term_missing``, ``glossary_forbidden_term``, ``end_punctuation``,
``french_spacing``, ``space_before_punctuation``, ``initial_case``, ``bracket_mismatch``,
``url_mismatch``, ``email_mismatch``, ``target_unchanged``, ``unreviewed_match``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache

from taskkinds.base import Problem, Severity
from taskkinds.translation.glossary import Glossary
from taskkinds.translation.memory_entries import normalize_source, same_language
from taskkinds.translation.placeables import placeable_spans

__all__ = [
    "dismissal_key",
    "fix_french_spacing",
    "is_dismissed",
    "mask_codes",
    "review_problem",
    "segment_problems",
    "visible",
]

WARNING = Severity.WARNING
_GAP = "\ufffc"
_SPACES = " \t\u00a0\u202f\u2009"

_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")
_URL_TAIL = ".,;:!?)]}'\"’»"


def _links(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [m[0].rstrip(_URL_TAIL) for m in pattern.finditer(text)]


def _blank_placeables(text: str) -> str:
    chars = list(text)
    for start, end in placeable_spans(text):
        chars[start:end] = _GAP * (end - start)
    return "".join(chars)


def mask_codes(text: str) -> str:
    """``text`` with placeables, URLs, e-mail addresses and entities blanked (each of their
    characters replaced by U+FFFC), so offsets still match ``text``."""
    chars = list(text)
    spans = placeable_spans(text)
    for pattern in (_URL, _EMAIL, _ENTITY):
        spans.extend(m.span() for m in pattern.finditer(text))
    for start, end in spans:
        chars[start:end] = _GAP * (end - start)
    return "".join(chars)


def segment_problems(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    where: str,
    glossary: Glossary | None = None,
) -> Iterator[Problem]:
    """The checks of this module for one non-blank target, in a stable order.

    Glossary problems come from ``glossary`` when one is given (``glossary_forbidden_term``
    is an error; see ``Glossary.problems``). Results are cached: on each edit only the
    segment that changed is checked again.
    """
    revision = glossary.revision if glossary is not None else 0
    yield from _cached_problems(source, target, source_lang, target_lang, where, glossary, revision)


@lru_cache(maxsize=4_096)
def _cached_problems(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    where: str,
    glossary: Glossary | None,
    revision: int,
) -> tuple[Problem, ...]:
    return tuple(_problems(source, target, source_lang, target_lang, where, glossary))


def _problems(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    where: str,
    glossary: Glossary | None,
) -> Iterator[Problem]:
    if glossary is not None:
        yield from glossary.problems(source, target, where)
    if normalize_source(target) == normalize_source(source):
        if not same_language(source_lang, target_lang) and _needs_translation(source, glossary):
            yield Problem(
                "target_unchanged",
                "The translation is a copy of the source. Translate it, or dismiss this "
                "warning if it stays the same in the target language.",
                WARNING,
                where,
            )
        return
    masked_source, masked_target = mask_codes(source), mask_codes(target)
    yield from _end_punctuation(masked_source, masked_target, target_lang, where)
    yield from _typography(masked_source, masked_target, source_lang, target_lang, where)
    yield from _initial_case(masked_source, masked_target, target_lang, where)
    yield from _brackets(masked_source, masked_target, where)
    yield from _link_problems(_blank_placeables(source), _blank_placeables(target), where)


def _needs_translation(source: str, glossary: Glossary | None) -> bool:
    """Whether a source has words to translate, not only codes, acronyms (PDF, OK),
    numbers or a term the glossary keeps as it is."""
    words = re.findall(r"[^\W\d_]{2,}", mask_codes(source))
    if not any(word != word.upper() for word in words):
        return False
    if glossary is not None:
        whole = normalize_source(source).casefold()
        for hit in glossary.find(source):
            kept = {text.casefold() for text in hit.term.targets}
            if hit.term.source.casefold() == whole and whole in kept:
                return False
    return True


# --- end punctuation -------------------------------------------------------------------

_END_MARKS = {
    ".": "full stop", "。": "full stop", "।": "full stop", "…": "ellipsis",
    "!": "exclamation mark", "！": "exclamation mark",
    "?": "question mark", "？": "question mark", "؟": "question mark",
    ":": "colon", "：": "colon", ";": "semicolon", "；": "semicolon", "؛": "semicolon",
}  # fmt: skip
_CLOSERS = "\"'”’»)]}）】」』" + _SPACES + _GAP + "\n\r"


def _end_mark(text: str, language: str) -> str | None:
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "ellipsis"
    if not stripped:
        return None
    if stripped[-1] == ";" and language.lower().startswith("el"):
        return "question mark"  # Greek writes its question mark as a semicolon
    return _END_MARKS.get(stripped[-1])


def _end_punctuation(source: str, target: str, target_lang: str, where: str) -> Iterator[Problem]:
    source_mark, target_mark = _end_mark(source, ""), _end_mark(target, target_lang)
    if source_mark == target_mark:
        return
    said = f"ends with {_article(source_mark)}" if source_mark else "has no end punctuation"
    ours = f"ends with {_article(target_mark)}" if target_mark else "does not"
    yield Problem(
        "end_punctuation",
        f"The source {said}; the translation {ours}. End it as the source does.",
        WARNING,
        where,
    )


def _article(name: str | None) -> str:
    return f"an {name}" if name and name[0] in "aeiou" else f"a {name}"


# --- spacing around punctuation --------------------------------------------------------

_NO_SPACE_LANGUAGES = frozenset({"en", "de", "es", "it", "pt", "nl"})
# A mark that follows text directly: the text before must not be space, a mark or an opener.
_TIGHT = re.compile(r"(?<=[^\s\u00a0\u202f\u2009!?;:.…(\[{«\"'])([;:!?])")
_SPACED = re.compile(r"(?<=\S)[ \t\u00a0\u202f\u2009]+([;:!?])")
_AFTER_OPEN = re.compile(r"«(?=[^\s\u00a0\u202f\u2009])")
_BEFORE_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f\u2009])»")


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _french_marks(language: str) -> str:
    # Canada (OQLF) spaces only the colon; France, Belgium and Switzerland space all four.
    return ":" if language.lower().replace("_", "-").startswith("fr-ca") else ";:!?"


def _missing_french_spaces(text: str, language: str) -> list[str]:
    marks = _french_marks(language)
    found = []
    for match in _TIGHT.finditer(text):
        mark, at = match[1], match.start(1)
        between_digits = at + 1 < len(text) and text[at - 1].isdigit() and text[at + 1].isdigit()
        if mark in marks and not between_digits and not text.startswith("//", at + 1):
            found.append(mark)
    if _AFTER_OPEN.search(text):
        found.append("«")
    if _BEFORE_CLOSE.search(text):
        found.append("»")
    return list(dict.fromkeys(found))


def _typography(
    source: str, target: str, source_lang: str, target_lang: str, where: str
) -> Iterator[Problem]:
    language = _primary(target_lang)
    if language == "fr":
        missing = _missing_french_spaces(target, target_lang)
        if _primary(source_lang) == "fr":
            missing = [m for m in missing if m not in _missing_french_spaces(source, source_lang)]
        if missing:
            marks = " ".join(m for m in missing if m not in "«»")
            parts = [f"before {marks}"] if marks else []
            if {"«", "»"} & set(missing):
                parts.append("inside « »")
            yield Problem(
                "french_spacing",
                "French typography wants a space " + " and ".join(parts) + " (preferably a "
                "no-break one, narrow before ; ! ?). Add it.",
                WARNING,
                where,
            )
    elif language in _NO_SPACE_LANGUAGES:
        spaced = list(dict.fromkeys(m[1] for m in _SPACED.finditer(target)))
        if _primary(source_lang) in _NO_SPACE_LANGUAGES:
            in_source = {m[1] for m in _SPACED.finditer(source)}
            spaced = [mark for mark in spaced if mark not in in_source]
        if spaced:
            yield Problem(
                "space_before_punctuation",
                f"There is a space before {' '.join(spaced)}; this language writes the mark "
                "right after the word. Remove the space.",
                WARNING,
                where,
            )


def fix_french_spacing(text: str, target_lang: str = "fr") -> str:
    """``text`` with French spacing made right, for a one-key fix.

    A narrow no-break space goes before ; ! ? (not in Canada) and inside « », a no-break
    space before :. Plain spaces in those places become no-break ones; placeholders,
    tags, URLs, e-mail addresses and times (12:30) are left alone.
    """
    masked = mask_codes(text)
    marks = _french_marks(target_lang)
    out: list[str] = []

    def space_before(space: str) -> None:
        while out and out[-1] in _SPACES:
            out.pop()
        if out and out[-1] != "\n":
            out.append(space)

    index = 0
    while index < len(text):
        char, seen = text[index], masked[index]
        before = masked[index - 1] if index else "\n"
        after = masked[index + 1] if index + 1 < len(masked) else ""
        if seen in marks and not (before.isdigit() and after.isdigit()):
            if before not in "!?;:.…([{«\"'\n" and not masked.startswith("//", index + 1):
                space_before("\u00a0" if seen == ":" else "\u202f")
        elif seen == "»":
            space_before("\u202f")
        out.append(char)
        index += 1
        if seen == "«":
            while index < len(text) and text[index] in _SPACES:
                index += 1
            if index < len(text) and text[index] != "\n":
                out.append("\u202f")
    return "".join(out)


# --- case, brackets, links -------------------------------------------------------------

# Stripped before the first letter; a text that starts with a code is not compared.
_OPENERS = "\"'“‘«¿¡([{" + _SPACES + "\n\r"


def _initial_case(source: str, target: str, target_lang: str, where: str) -> Iterator[Problem]:
    first_source, first_target = source.lstrip(_OPENERS)[:1], target.lstrip(_OPENERS)[:1]
    if not (_cased(first_source) and _cased(first_target)):
        return
    if first_source.isupper() and first_target.islower():
        message = "The source starts with a capital letter; the translation does not."
    elif first_source.islower() and first_target.isupper() and _primary(target_lang) != "de":
        message = "The source starts with a small letter; the translation with a capital."
    else:
        return
    yield Problem("initial_case", message + " Check the first letter.", WARNING, where)


def _cased(char: str) -> bool:
    return bool(char) and char.isalpha() and (char.isupper() or char.islower())


_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_WIDE = str.maketrans("（）［］｛｝", "()[]{}")


def _nests(text: str) -> bool:
    stack: list[str] = []
    for char in text:
        if char in _BRACKETS:
            stack.append(_BRACKETS[char])
        elif char in _BRACKETS.values() and (not stack or stack.pop() != char):
            return False
    return not stack


def _brackets(source: str, target: str, where: str) -> Iterator[Problem]:
    source, target = source.translate(_WIDE), target.translate(_WIDE)
    every = "()[]{}"
    source_counts = Counter({c: source.count(c) for c in every if c in source})
    target_counts = Counter({c: target.count(c) for c in every if c in target})
    if not source_counts and not target_counts:
        return
    if source_counts != target_counts:
        differing = [
            f"{char} ({source_counts[char]} in the source, {target_counts[char]} here)"
            for char in every
            if source_counts[char] != target_counts[char]
        ]
        yield Problem(
            "bracket_mismatch",
            "Brackets differ from the source: " + ", ".join(differing) + ". Check them.",
            WARNING,
            where,
        )
    elif _nests(source) and not _nests(target):
        yield Problem(
            "bracket_mismatch",
            "The brackets are out of order: close each one after those opened inside it.",
            WARNING,
            where,
        )


def _link_problems(source: str, target: str, where: str) -> Iterator[Problem]:
    for code, pattern, what in (
        ("url_mismatch", _URL, "web address"),
        ("email_mismatch", _EMAIL, "e-mail address"),
    ):
        in_source = Counter(_links(source, pattern))
        in_target = Counter(_links(target, pattern))
        missing, extra = in_source - in_target, in_target - in_source
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("not in the source " + ", ".join(extra))
        if parts:
            yield Problem(
                code,
                f"A {what} differs from the source: " + "; ".join(parts) + ". Copy it exactly.",
                WARNING,
                where,
            )


# --- review and dismissal --------------------------------------------------------------


def review_problem(segment_id: str) -> Problem:
    """The warning for a segment pre-filled from a 100 % memory match, not yet confirmed."""
    return Problem(
        "unreviewed_match",
        "This translation was filled in from a 100 % memory match. Read it, then edit or "
        "confirm it.",
        WARNING,
        segment_id,
    )


def dismissal_key(problem: Problem) -> str:
    """A stable key for one warning: segment, code and a digest of what it says.

    The same warning keeps its key across edits that do not change it; a different
    finding of the same kind (other numbers, another term) gets a new key.
    """
    import hashlib  # loads OpenSSL's libcrypto: not when the kind is merely listed

    digest = hashlib.sha1(problem.message.encode("utf-8")).hexdigest()[:8]
    return f"{problem.where}:{problem.code}:{digest}"


def is_dismissed(problem: Problem, dismissed: Collection[str]) -> bool:
    """Whether ``problem`` is a warning the contributor dismissed. Errors never are."""
    return not problem.blocking and dismissal_key(problem) in dismissed


def visible(problems: Iterable[Problem], dismissed: Collection[str]) -> list[Problem]:
    """``problems`` without the dismissed warnings."""
    keys = set(dismissed)
    return [problem for problem in problems if not is_dismissed(problem, keys)]
