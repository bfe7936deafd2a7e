"""Checks shown before a transcript is submitted, and its grade against a reference. Qt-free.

Problems about a segment are located by ``where = "segment:<index>"`` (0-based, in the
result's order; ``segment_index`` reads it back); problems about the whole transcript,
or its text when there are no segments, have ``where = ""``.

Scoring compares *words* after one normalisation (``scoring_words``), applied to the
contributor's transcript and the reference alike:

1. timestamp tokens and well-formed ``[tag]`` tokens are removed; a stray bracket
   becomes a space (``[inaudible`` leaves the word ``inaudible``);
2. the text is NFKC-normalised and case-folded (``Paris`` = ``paris``);
3. typographic apostrophes become ``'``;
4. words are runs of letters and digits, with apostrophes kept inside a word
   (``aujourd'hui``, ``don't``); every other character, punctuation and hyphens
   included, separates words (``peut-être`` = ``peut être``, ``2.5`` = ``2,5``).

Numbers are not spelled out (``10`` ≠ ``ten``) and filler words are not removed: in
clean verbatim the reference has none, so a filler left in costs an insertion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from taskkinds.base import Problem, Severity
from taskkinds.transcription.model import TranscriptionPayload, TranscriptionResult
from taskkinds.transcription.segments import BracketProblem, scan_tags, tag_key
from taskkinds.transcription.timecode import clock_text, find_timestamps

__all__ = [
    "FILLER_WORDS",
    "ErrorRates",
    "character_error_rate",
    "error_rates",
    "filler_words",
    "grade",
    "scoring_words",
    "segment_index",
    "segment_where",
    "validate",
    "word_error_rate",
]

ERROR = Severity.ERROR
WARNING = Severity.WARNING

# Slack for times that went through a float or a decoder: 1 ms between segments, and
# 50 ms past the announced duration (decoders disagree by a frame or two).
_TOUCH_S = 0.001
_DURATION_SLACK_S = 0.05

# Filler words clean verbatim leaves out, by primary language subtag, as regular
# expressions of whole words ("umm", "euhhh" match; "uh-huh" and "umbrella" do not).
FILLER_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("u+m+", "u+h+", "e+r+m+", "e+r", "h+m+", "m{3,}"),
    "fr": ("e+u+h+", "h+e+u+", "h+u+m+", "b+a+h+", "b+e+n+", "h+m+", "m{3,}"),
}
_FILLER_PATTERNS = {
    language: re.compile(r"(?<![\w'’-])(?:" + "|".join(words) + r")(?![\w'’-])", re.IGNORECASE)
    for language, words in FILLER_WORDS.items()
}

_TAG_SPAN = re.compile(r"\[[^\[\]\n]*\]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def segment_where(index: int) -> str:
    """The ``Problem.where`` of the segment at ``index``."""
    return f"segment:{index}"


def segment_index(where: str) -> int | None:
    """The segment index a ``Problem.where`` names, or None for the whole transcript."""
    prefix, _, number = where.partition(":")
    return int(number) if prefix == "segment" and number.isdigit() else None


# --- validate ---------------------------------------------------------------------------


def validate(payload: TranscriptionPayload, result: TranscriptionResult) -> list[Problem]:
    """Problems with ``result``: for a text without segments, its problems; for segments,
    overlaps first, then each segment's own problems in the result's order.

    Errors (block submitting): ``empty_text``, ``malformed_tag``, ``unknown_tag``,
    ``empty_segment``, ``bad_times`` (end at or before start), ``outside_clip``,
    ``overlap``, ``unknown_speaker``. Warnings: ``filler_word`` (clean verbatim only,
    for languages in ``FILLER_WORDS``), ``timestamp_outside_clip``. An empty
    transcript gets only ``empty_text``.
    """
    if not result.text.strip():
        return [_empty_text(payload)]
    problems: list[Problem] = []
    if not result.segments:
        problems.extend(_text_problems(payload, result.text, ""))
        return problems
    problems.extend(_overlaps(result))
    for index, segment in enumerate(result.segments):
        where = segment_where(index)
        number = index + 1
        if segment.end <= segment.start:
            problems.append(
                Problem(
                    "bad_times",
                    f"Segment {number} ends ({clock_text(segment.end)}) before it starts "
                    f"({clock_text(segment.start)}). Drag its end after its start.",
                    ERROR,
                    where,
                )
            )
        limit = payload.duration_s + _DURATION_SLACK_S
        if segment.start >= limit or segment.end > limit:
            problems.append(
                Problem(
                    "outside_clip",
                    f"Segment {number} runs past the clip's end ({clock_text(payload.duration_s)})."
                    " Move it back inside the clip.",
                    ERROR,
                    where,
                )
            )
        if segment.speaker is not None:
            problems.extend(_speaker_problem(payload, segment.speaker, number, where))
        if not segment.text.strip():
            problems.append(
                Problem(
                    "empty_segment",
                    f"Segment {number} has no text. Type what is said, "
                    "merge it with a neighbour or delete it.",
                    ERROR,
                    where,
                )
            )
        else:
            problems.extend(_text_problems(payload, segment.text, where, f"Segment {number}: "))
    return problems


def _empty_text(payload: TranscriptionPayload) -> Problem:
    message = "The transcript is empty. Type what you hear."
    if any(tag_key(tag) == "inaudible" for tag in payload.allowed_tags):
        message += " If nothing can be made out, write [inaudible]."
    return Problem("empty_text", message, ERROR)


def _overlaps(result: TranscriptionResult) -> Iterator[Problem]:
    segments = result.segments
    order = sorted(range(len(segments)), key=lambda i: (segments[i].start, segments[i].end))
    # Each segment is compared with the earlier-starting one that reaches furthest, so a
    # long segment covering several short ones is caught for each of them.
    reaching: int | None = None
    for index in order:
        segment = segments[index]
        if reaching is not None and segments[reaching].end > segment.start + _TOUCH_S:
            low, high = sorted((reaching + 1, index + 1))
            yield Problem(
                "overlap",
                f"Segments {low} and {high} overlap from {clock_text(segment.start)} to "
                f"{clock_text(min(segments[reaching].end, segment.end))}. Move an edge so "
                "that one ends before the other starts.",
                ERROR,
                segment_where(index),
            )
        if reaching is None or segment.end > segments[reaching].end:
            reaching = index


def _speaker_problem(
    payload: TranscriptionPayload, speaker: str, number: int, where: str
) -> Iterator[Problem]:
    if speaker.casefold() in {label.casefold() for label in payload.speakers}:
        return
    if payload.speakers:
        known = ", ".join(payload.speakers)
        message = (
            f"Segment {number} names speaker '{speaker}', who is not in this task's list "
            f"({known}). Pick one of them."
        )
    else:
        message = f"This task has no speaker labels. Remove '{speaker}' from segment {number}."
    yield Problem("unknown_speaker", message, ERROR, where)


def _text_problems(
    payload: TranscriptionPayload, text: str, where: str, prefix: str = ""
) -> Iterator[Problem]:
    """Problems inside one text; ``prefix`` names the segment in each message."""
    for problem in _text_problems_unprefixed(payload, text, where):
        yield Problem(problem.code, prefix + problem.message, problem.severity, problem.where)


def _text_problems_unprefixed(
    payload: TranscriptionPayload, text: str, where: str
) -> Iterator[Problem]:
    tags, brackets = scan_tags(text)
    for bracket in brackets:
        yield Problem("malformed_tag", _bracket_message(text, bracket), ERROR, where)
    allowed = {tag_key(tag) for tag in payload.allowed_tags}
    reported: set[str] = set()
    for tag in tags:
        key = tag_key(tag.name)
        if key in allowed or key in reported:
            continue
        reported.add(key)
        if payload.allowed_tags:
            known = ", ".join(f"[{name}]" for name in payload.allowed_tags)
            message = f"[{tag.name}] is not an allowed tag here. Use one of {known}."
        else:
            message = f"This task allows no tags. Remove [{tag.name}]."
        yield Problem("unknown_tag", message, ERROR, where)
    for token in find_timestamps(text):
        clip_time = token.seconds - payload.offset_s
        if clip_time < -_DURATION_SLACK_S or clip_time > payload.duration_s + _DURATION_SLACK_S:
            start, end = payload.offset_s, payload.offset_s + payload.duration_s
            yield Problem(
                "timestamp_outside_clip",
                f"{text[token.start : token.end]} is outside this clip, which runs from "
                f"{clock_text(start)} to {clock_text(end)} of the recording. "
                "Check the time, or insert it again at the play head.",
                WARNING,
                where,
            )
    if payload.style == "clean":
        found = filler_words(text, payload.language)
        if found:
            quoted = ", ".join(f"'{word}'" for word in found)
            noun = "is a filler word" if len(found) == 1 else "are filler words"
            yield Problem(
                "filler_word",
                f"{quoted} {noun}. Clean verbatim leaves fillers out: delete them.",
                WARNING,
                where,
            )


def _bracket_message(text: str, bracket: BracketProblem) -> str:
    shown = text[bracket.start : bracket.end]
    if bracket.kind == "unclosed":
        return f"'{shown}' has no closing bracket. Write tags as [name], on one line."
    if bracket.kind == "empty":
        return f"'{shown}' is an empty tag. Remove it or write a tag name inside."
    return "A ']' has no opening bracket. Remove it, or write the tag as [name]."


def filler_words(text: str, language: str) -> list[str]:
    """The distinct filler words of ``text`` (as first written, in order) for ``language``'s
    primary subtag; empty for a language without a list in ``FILLER_WORDS``."""
    pattern = _FILLER_PATTERNS.get(language.split("-")[0].lower())
    if pattern is None:
        return []
    found: dict[str, str] = {}
    for match in pattern.finditer(_without_tags(text)):
        found.setdefault(match.group().casefold(), match.group())
    return list(found.values())


# --- scoring ----------------------------------------------------------------------------


def _without_tags(text: str) -> str:
    """``text`` with timestamps and ``[tag]`` tokens replaced by spaces."""
    pieces, last = [], 0
    for token in find_timestamps(text):
        pieces.append(text[last : token.start])
        last = token.end
    pieces.append(text[last:])
    return _TAG_SPAN.sub(" ", " ".join(pieces))


def scoring_words(text: str) -> list[str]:
    """The words of ``text`` as scoring compares them (see the module's docstring)."""
    plain = _without_tags(text).replace("[", " ").replace("]", " ")
    plain = unicodedata.normalize("NFKC", plain).casefold().translate(_APOSTROPHES)
    return _WORD.findall(plain)


def _rate(distance: int, reference_length: int, hypothesis_length: int) -> float:
    if reference_length == 0:
        return 0.0 if hypothesis_length == 0 else 1.0
    return distance / reference_length


def word_error_rate(*, reference: str, hypothesis: str) -> float:
    """Word edits (substitutions, deletions, insertions) to turn ``hypothesis`` into
    ``reference``, over the reference's word count, after ``scoring_words``.

    0.0 is perfect; it can exceed 1.0 when many words are inserted. An empty reference
    gives 0.0 against an empty hypothesis and 1.0 otherwise.
    """
    from rapidfuzz.distance import Levenshtein  # for grading only: opening a task skips it

    ref, hyp = scoring_words(reference), scoring_words(hypothesis)
    return _rate(Levenshtein.distance(ref, hyp), len(ref), len(hyp))


def character_error_rate(*, reference: str, hypothesis: str) -> float:
    """Character edits over the reference's character count, comparing the
    ``scoring_words`` of each joined by single spaces (spaces count as characters).
    Same conventions as ``word_error_rate``."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = " ".join(scoring_words(reference)), " ".join(scoring_words(hypothesis))
    return _rate(Levenshtein.distance(ref, hyp), len(ref), len(hyp))


@dataclass(frozen=True)
class ErrorRates:
    """Word and character error rates of a transcript against a reference."""

    wer: float
    cer: float
    reference_words: int


def error_rates(result: TranscriptionResult, gold: TranscriptionResult) -> ErrorRates:
    """WER and CER of ``result``'s text against ``gold``'s. Timing and speakers are not
    compared."""
    return ErrorRates(
        wer=word_error_rate(reference=gold.text, hypothesis=result.text),
        cer=character_error_rate(reference=gold.text, hypothesis=result.text),
        reference_words=len(scoring_words(gold.text)),
    )


def grade(result: TranscriptionResult, gold: TranscriptionResult) -> float:
    """``1 − WER`` of ``result`` against ``gold``, clamped to [0, 1]: 1.0 is a perfect
    transcript. Only the words count (see the module's docstring); segment times and
    speakers do not."""
    wer = word_error_rate(reference=gold.text, hypothesis=result.text)
    return max(0.0, 1.0 - min(wer, 1.0))
