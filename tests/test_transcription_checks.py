"""Transcription checks before submit, tag scanning, and WER/CER grading against jiwer."""

from __future__ import annotations

from typing import Any

import jiwer
import pytest

from taskkinds.base import Severity
from taskkinds.transcription import KIND
from taskkinds.transcription.checks import (
    character_error_rate,
    error_rates,
    filler_words,
    grade,
    scoring_words,
    segment_index,
    segment_where,
    validate,
    word_error_rate,
)
from taskkinds.transcription.model import (
    Segment,
    TranscriptionPayload,
    result_from_segments,
    result_from_text,
)
from taskkinds.transcription.segments import scan_tags

BASE: dict[str, Any] = {
    "audio": "audio/call.opus",
    "duration_s": 12.0,
    "language": "en",
    "style": "clean",
    "allowed_tags": ["inaudible", "crosstalk", "noise"],
    "speakers": ["Agent", "Caller"],
    "offset_s": 60.0,
}


def payload(**changes: Any) -> TranscriptionPayload:
    return TranscriptionPayload.model_validate({**BASE, **changes})


def codes(problems: list[Any]) -> list[str]:
    return [problem.code for problem in problems]


def seg(start: float, end: float, text: str = "Words.", speaker: str | None = None) -> Segment:
    return Segment(start=start, end=end, text=text, speaker=speaker)


# --- validate: the whole text -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_transcript_is_one_blocking_problem_that_suggests_inaudible(text: str) -> None:
    [problem] = validate(payload(), result_from_text(text))
    assert problem.code == "empty_text" and problem.blocking
    assert "[inaudible]" in problem.message
    [problem] = validate(payload(allowed_tags=[]), result_from_text(text))
    assert "[inaudible]" not in problem.message


def test_a_clean_transcript_with_allowed_tags_and_timestamps_has_no_problem() -> None:
    text = "Hello, [Noise] this is [inaudible] speaking. [00:01:05] Bye [crosstalk]"
    assert validate(payload(), result_from_text(text)) == []


def test_an_unknown_tag_is_blocking_and_lists_the_allowed_ones_once() -> None:
    problems = validate(payload(), result_from_text("Ha [laughs] ha [laughs] [music]"))
    assert codes(problems) == ["unknown_tag", "unknown_tag"]
    assert "[laughs]" in problems[0].message and "[inaudible], [crosstalk], [noise]" in (
        problems[0].message
    )
    [problem] = validate(payload(allowed_tags=[]), result_from_text("Ha [noise]"))
    assert problem.message == "This task allows no tags. Remove [noise]."


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Then [inaudible and more words", "'[inaudible'"),
        ("Then [] nothing", "'[]'"),
        ("Then [   ] nothing", "'[   ]'"),
        ("Then noise] here", "']'"),
        ("Then [noise\n] here", "'[noise'"),
    ],
)
def test_malformed_brackets_are_blocking_and_quote_the_offending_part(
    text: str, shown: str
) -> None:
    problems = validate(payload(), result_from_text(text))
    assert "malformed_tag" in codes(problems)
    problem = problems[codes(problems).index("malformed_tag")]
    assert problem.blocking and shown in problem.message


def test_tag_scanning_skips_timestamps_and_finds_each_problem_in_order() -> None:
    tags, problems = scan_tags("[00:00:03] a [noise] [b [] c] [12:30.5]")
    assert [(t.name, t.start) for t in tags] == [("noise", 13)]
    assert [(p.kind, p.start, p.end) for p in problems] == [
        ("unclosed", 21, 23),
        ("empty", 24, 26),
        ("unopened", 28, 29),
    ]


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("en", "Um, I think, uh, we should go. Hmm.", ["Um", "uh", "Hmm"]),
        ("en-US", "Well erm it's ummm fine", ["erm", "ummm"]),
        ("fr", "Alors euh, ben, je sais pas, heu…", ["euh", "ben", "heu"]),
        ("fr-CA", "Euhhh bah oui", ["Euhhh", "bah"]),
        ("en", "Uh-huh, my umbrella is under the bench [um]", []),
        ("de", "Ähm, um, also", []),
    ],
)
def test_filler_words_are_found_per_language(language: str, text: str, found: list[str]) -> None:
    assert filler_words(text, language) == found


def test_filler_words_are_a_warning_in_clean_verbatim_only() -> None:
    text = "Um, hello, uh, there."
    [problem] = validate(payload(), result_from_text(text))
    assert problem.code == "filler_word" and problem.severity is Severity.WARNING
    assert "'Um', 'uh'" in problem.message
    assert validate(payload(style="verbatim"), result_from_text(text)) == []


def test_a_timestamp_outside_the_clip_is_a_warning_in_source_time() -> None:
    inside, before, after = "[00:01:05]", "[00:00:30]", "[00:01:20]"
    problems = validate(payload(), result_from_text(f"a {inside} b {before} c {after}"))
    assert codes(problems) == ["timestamp_outside_clip", "timestamp_outside_clip"]
    assert all(not p.blocking for p in problems)
    assert before in problems[0].message and "1:00.0 to 1:12.0" in problems[0].message


# --- validate: segments -------------------------------------------------------------------


def test_good_segments_have_no_problem() -> None:
    result = result_from_segments(
        [seg(0, 3, "Hello.", "Agent"), seg(3, 5, "[noise]"), seg(5.5, 12.0, "Hi.", "caller")]
    )
    assert validate(payload(), result) == []


def test_overlapping_segments_are_blocking_and_name_both() -> None:
    result = result_from_segments([seg(0, 10), seg(2, 3), seg(4, 5), seg(10, 11)])
    problems = validate(payload(), result)
    assert codes(problems) == ["overlap", "overlap"]
    assert "Segments 1 and 2 overlap from 0:02.0 to 0:03.0" in problems[0].message
    assert [segment_index(p.where) for p in problems] == [1, 2]


def test_overlap_is_found_whatever_the_order_of_the_segments() -> None:
    problems = validate(payload(), result_from_segments([seg(4, 6), seg(0, 5)]))
    assert codes(problems) == ["overlap"] and "Segments 1 and 2" in problems[0].message


@pytest.mark.parametrize(
    ("segment", "code"),
    [
        (seg(5, 4), "bad_times"),
        (seg(5, 5), "bad_times"),
        (seg(11, 12.5), "outside_clip"),
        (seg(12.5, 13), "outside_clip"),
        (seg(1, 2, "Hi", "Boss"), "unknown_speaker"),
        (seg(1, 2, "  "), "empty_segment"),
        (seg(1, 2, "Hi [laughs]"), "unknown_tag"),
        (seg(1, 2, "Hi [noise"), "malformed_tag"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_segment_problem_is_blocking_and_located(segment: Segment, code: str) -> None:
    result = result_from_segments([seg(0, 0.5), segment])
    [problem] = validate(payload(), result)
    assert problem.code == code and problem.blocking
    assert problem.where == segment_where(1) and segment_index(problem.where) == 1
    assert "Segment 2" in problem.message  # numbered from 1 for the contributor


def test_a_segment_within_the_decoders_slack_of_the_end_is_fine() -> None:
    assert validate(payload(), result_from_segments([seg(0, 12.04)])) == []


def test_an_unknown_speaker_in_a_task_without_speakers_says_to_remove_it() -> None:
    [problem] = validate(payload(speakers=[]), result_from_segments([seg(0, 1, "Hi", "Bob")]))
    assert problem.message == "This task has no speaker labels. Remove 'Bob' from segment 1."


def test_filler_words_in_a_segment_are_located_there() -> None:
    [problem] = validate(payload(), result_from_segments([seg(0, 1), seg(1, 2, "Um yes")]))
    assert problem.code == "filler_word" and problem.where == "segment:1"
    assert problem.message.startswith("Segment 2: 'Um' is a filler word.")


def test_where_of_the_whole_text_is_no_segment() -> None:
    assert segment_index("") is None and segment_index("segment:x") is None


# --- scoring ------------------------------------------------------------------------------


def test_scoring_words_drop_tags_timestamps_case_and_punctuation() -> None:
    text = "L’Homme, [noise] peut-être [00:00:03] à 2.5 KM... Don't [inaudible"
    assert scoring_words(text) == [
        *("l'homme", "peut", "être", "à", "2", "5", "km", "don't", "inaudible")
    ]


CASES = [
    ("the cat sat on the mat", "the cat sat on the mat"),
    ("the cat sat on the mat", "the cat sit on mat"),
    ("the cat sat on the mat", "a dog sat on the mat today"),
    ("good morning how can i help", "good evening can i help you please"),
    ("le train pour lyon partira", "le train de lyon va partir"),
    ("one two three", "four five six seven eight nine"),
    ("yes", ""),
]


@pytest.mark.parametrize(("reference", "hypothesis"), CASES)
def test_error_rates_agree_with_jiwer(reference: str, hypothesis: str) -> None:
    wer = word_error_rate(reference=reference, hypothesis=hypothesis)
    cer = character_error_rate(reference=reference, hypothesis=hypothesis)
    assert wer == pytest.approx(jiwer.wer(reference, hypothesis))
    assert cer == pytest.approx(jiwer.cer(reference, hypothesis))


def test_error_rates_agree_with_jiwer_after_our_normalisation() -> None:
    reference = "Good morning, you are through to the help desk. How can I help?"
    hypothesis = "[crosstalk] good morning you're through to the Help-Desk, how can I  help"
    ref = " ".join(scoring_words(reference))
    hyp = " ".join(scoring_words(hypothesis))
    assert word_error_rate(reference=reference, hypothesis=hypothesis) == pytest.approx(
        jiwer.wer(ref, hyp)
    )
    assert character_error_rate(reference=reference, hypothesis=hypothesis) == pytest.approx(
        jiwer.cer(ref, hyp)
    )


def test_an_empty_reference_scores_zero_against_nothing_and_one_against_words() -> None:
    assert word_error_rate(reference="[noise]", hypothesis="") == 0.0
    assert word_error_rate(reference="", hypothesis="hello") == 1.0
    assert character_error_rate(reference="", hypothesis="hello") == 1.0


def test_grade_is_one_minus_wer_clamped_and_ignores_times_and_speakers() -> None:
    gold = result_from_segments([seg(0, 2, "The cat sat.", "Agent"), seg(2, 4, "[noise]")])
    same_words = result_from_text("the cat, sat [crosstalk]")
    assert grade(same_words, gold) == 1.0
    assert grade(result_from_text("the dog sat"), gold) == pytest.approx(2 / 3)
    assert grade(result_from_text("a b c d e f g h"), gold) == 0.0
    rates = error_rates(result_from_text("the dog sat"), gold)
    assert rates.wer == pytest.approx(1 / 3) and rates.reference_words == 3
    assert rates.cer == pytest.approx(jiwer.cer("the cat sat", "the dog sat"))
    assert KIND.grade(gold, gold) == 1.0
