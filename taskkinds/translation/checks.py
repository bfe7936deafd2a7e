"""Checks shown before a translation is submitted, and the chrF grade. Qt-free."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal

from taskkinds.base import Problem, Severity
from taskkinds.translation import qa
from taskkinds.translation.glossary import Glossary, glossary_for
from taskkinds.translation.model import Segment, TranslationPayload, TranslationResult
from taskkinds.translation.placeables import (
    Number,
    find_numbers,
    find_placeables,
    tags_nest,
    without_placeables,
)

__all__ = ["check_all", "grade", "validate"]

ERROR = Severity.ERROR
WARNING = Severity.WARNING


def validate(payload: TranslationPayload, result: TranslationResult) -> list[Problem]:
    """Problems with ``result``, in segment order, each located by segment id.

    Errors (block submitting): ``missing_target``, ``unknown_segment``, ``empty_target``,
    ``too_long``, ``placeholder_missing``, ``placeholder_extra``, ``tags_unbalanced``,
    ``glossary_forbidden_term``.
    Warnings: ``number_mismatch``, ``leading_space``, ``trailing_space``, ``double_space``,
    ``glossary_term_missing`` and those of ``qa`` (punctuation, French spacing, case,
    brackets, URLs and e-mail addresses, unchanged text, unreviewed memory matches).
    Warnings the result lists as dismissed are left out. An empty target gets only
    ``empty_target``. Targets for segments the payload does not have come last, as
    ``unknown_segment``. The glossary is the payload's own.
    """
    return qa.visible(check_all(payload, result), result.dismissed)


def check_all(
    payload: TranslationPayload, result: TranslationResult, glossary: Glossary | None = None
) -> list[Problem]:
    """Every problem of ``validate``, dismissed warnings included, for the editor.

    ``glossary`` replaces the payload's glossary (the editor passes the payload's terms
    merged with the contributor's imported ones).
    """
    glossary = glossary if glossary is not None else glossary_for(payload)
    problems: list[Problem] = []
    for segment in payload.segments:
        target = result.targets.get(segment.id)
        if target is None:
            problems.append(
                Problem(
                    "missing_target",
                    "This segment has no translation. Translate it before submitting.",
                    ERROR,
                    segment.id,
                )
            )
        else:
            problems.extend(_segment_problems(payload, segment, target, glossary))
            if segment.id in result.needs_review and target.strip():
                problems.append(qa.review_problem(segment.id))
    known = {segment.id for segment in payload.segments}
    for segment_id in result.targets:
        if segment_id not in known:
            problems.append(
                Problem(
                    "unknown_segment",
                    f"The task has no segment '{segment_id}'. Remove this translation.",
                    ERROR,
                    segment_id,
                )
            )
    return problems


def _segment_problems(
    payload: TranslationPayload, segment: Segment, target: str, glossary: Glossary
) -> Iterator[Problem]:
    where = segment.id
    if not target.strip():
        message = (
            "The translation contains only spaces. Type the translation."
            if target
            else "The translation is empty. Type the translation."
        )
        yield Problem("empty_target", message, ERROR, where)
        return

    limit = payload.limit_for(segment)
    length = len(unicodedata.normalize("NFC", target))
    if limit is not None and length > limit:
        over = length - limit
        yield Problem(
            "too_long",
            f"The translation is {over} character{'s' if over != 1 else ''} too long "
            f"({length} of {limit} allowed). Shorten it.",
            ERROR,
            where,
        )

    yield from _placeable_problems(segment.source, target, where)
    yield from _number_problems(
        segment.source, payload.source_lang, target, payload.target_lang, where
    )
    yield from _spacing_problems(segment.source, target, where)
    yield from qa.segment_problems(
        segment.source, target, payload.source_lang, payload.target_lang, where, glossary
    )


def _placeable_problems(source: str, target: str, where: str) -> Iterator[Problem]:
    source_items = list(find_placeables(source))
    target_items = list(find_placeables(target))
    source_counts = Counter(p.key for p in source_items)
    target_counts = Counter(p.key for p in target_items)
    shown = {p.key: p.text for p in [*target_items, *source_items]}  # the source's spelling wins

    missing = source_counts - target_counts
    if missing:
        yield Problem(
            "placeholder_missing",
            "Missing from the translation: "
            + _describe(missing, source_counts, target_counts, shown, "source", "translation")
            + f". Copy {_it_or_them(missing)} from the source unchanged.",
            ERROR,
            where,
        )
    extra = target_counts - source_counts
    if extra:
        yield Problem(
            "placeholder_extra",
            "Not in the source: "
            + _describe(extra, target_counts, source_counts, shown, "translation", "source")
            + f". Remove {_it_or_them(extra)} or write {_it_or_them(extra)} as in the source.",
            ERROR,
            where,
        )

    source_tags = [p for p in source_items if p.is_tag]
    target_tags = [p for p in target_items if p.is_tag]
    # Only when the same tags are there (else the missing/extra problem says it all),
    # and only when the source nests: a source cut in mid-tag is not the translator's doing.
    same_tags = Counter(p.key for p in source_tags) == Counter(p.key for p in target_tags)
    if same_tags and tags_nest(source_tags) and not tags_nest(target_tags):
        yield Problem(
            "tags_unbalanced",
            "The tags are out of order: "
            + " ".join(p.text for p in target_tags)
            + ". Close each tag after the ones opened inside it, as in the source.",
            ERROR,
            where,
        )


def _describe(
    difference: Counter[str],
    here: Counter[str],
    there: Counter[str],
    shown: dict[str, str],
    here_name: str,
    there_name: str,
) -> str:
    """Name each differing placeable, with both counts when both sides have it."""
    parts = []
    for key in difference:
        if there[key]:
            parts.append(
                f"{shown[key]} (the {here_name} has it {here[key]} times,"
                f" the {there_name} {there[key]})"
            )
        elif difference[key] > 1:
            parts.append(f"{shown[key]} ({difference[key]} times)")
        else:
            parts.append(shown[key])
    return ", ".join(parts)


def _it_or_them(difference: Counter[str]) -> str:
    return "it" if difference.total() == 1 else "them"


def _number_problems(
    source: str, source_lang: str, target: str, target_lang: str, where: str
) -> Iterator[Problem]:
    source_numbers = find_numbers(source, source_lang)
    target_numbers = find_numbers(target, target_lang)
    missing = Counter(n.value for n in source_numbers) - Counter(n.value for n in target_numbers)
    extra = Counter(n.value for n in target_numbers) - Counter(n.value for n in source_numbers)
    if not missing and not extra:
        return
    parts = []
    if missing:
        parts.append("missing " + _spelled(missing, source_numbers))
    if extra:
        parts.append("not in the source " + _spelled(extra, target_numbers))
    yield Problem(
        "number_mismatch",
        "Numbers differ from the source: " + "; ".join(parts) + ". Check the figures.",
        WARNING,
        where,
    )


def _spelled(values: Counter[Decimal], numbers: Iterable[Number]) -> str:
    """Each value as it was written, in text order, repeated as often as it differs."""
    remaining = Counter(values)
    spelled = []
    for number in numbers:
        if remaining[number.value] > 0:
            remaining[number.value] -= 1
            spelled.append(number.text)
    return ", ".join(spelled)


def _edge_space(text: str, leading: bool) -> str:
    stripped = text.lstrip() if leading else text.rstrip()
    return text[: len(text) - len(stripped)] if leading else text[len(stripped) :]


def _spacing_problems(source: str, target: str, where: str) -> Iterator[Problem]:
    for leading, code, edge in ((True, "leading_space", "start"), (False, "trailing_space", "end")):
        source_edge, target_edge = _edge_space(source, leading), _edge_space(target, leading)
        if source_edge == target_edge:
            continue
        if not source_edge:
            message = (
                f"The translation has spaces at the {edge} that the source does not. Remove them."
            )
        elif not target_edge:
            message = f"The source has spaces at the {edge}; keep them in the translation."
        else:
            message = (
                f"The spaces at the {edge} differ from the source's. Copy them from the source."
            )
        yield Problem(code, message, WARNING, where)
    # Spaces inside a tag (<a  href>) are markup, not text the reader sees.
    if "  " in without_placeables(target.strip()) and "  " not in without_placeables(source):
        yield Problem(
            "double_space",
            "The translation has two spaces in a row. Replace them with one.",
            WARNING,
            where,
        )


# --- grade -----------------------------------------------------------------------------

CHRF_ORDER = 6
CHRF_BETA = 2


def _char_ngrams(text: str) -> list[Counter[str]]:
    chars = "".join(unicodedata.normalize("NFC", text).split())
    return [
        Counter(chars[i : i + n] for i in range(len(chars) - n + 1))
        for n in range(1, CHRF_ORDER + 1)
    ]


def grade(result: TranslationResult, reference: TranslationResult) -> float:
    """Corpus chrF of ``result`` against ``reference``, in 0..1 (sacrebleu's chrF / 100).

    As sacrebleu's default chrF: character n-grams of order 1 to 6 with whitespace
    removed, beta 2; n-gram counts are summed over the reference's segments, precision
    and recall are averaged over the orders both sides have n-grams for, then combined
    into an F-score. Texts are compared after NFC normalization. A segment the result
    lacks counts as empty; targets for segments the reference lacks are ignored. When
    neither side has a single non-space character the grade is 1.0 (nothing to get wrong).
    Raises nothing.
    """
    hypothesis_total = [0] * CHRF_ORDER
    reference_total = [0] * CHRF_ORDER
    match_total = [0] * CHRF_ORDER
    for segment_id, reference_text in reference.targets.items():
        hypothesis = _char_ngrams(result.targets.get(segment_id, ""))
        expected = _char_ngrams(reference_text)
        for n in range(CHRF_ORDER):
            hypothesis_total[n] += sum(hypothesis[n].values())
            reference_total[n] += sum(expected[n].values())
            match_total[n] += sum((hypothesis[n] & expected[n]).values())

    if not any(hypothesis_total) and not any(reference_total):
        return 1.0
    orders = [n for n in range(CHRF_ORDER) if hypothesis_total[n] and reference_total[n]]
    if not orders:
        return 0.0
    precision = sum(match_total[n] / hypothesis_total[n] for n in orders) / len(orders)
    recall = sum(match_total[n] / reference_total[n] for n in orders) / len(orders)
    if precision + recall == 0:
        return 0.0
    factor = CHRF_BETA**2
    return (1 + factor) * precision * recall / (factor * precision + recall)
