"""Transcription payload and result models, timestamps with the clip offset, segment edits."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from taskkinds.transcription import KIND
from taskkinds.transcription.model import (
    MAX_SEGMENTS,
    Segment,
    TranscriptionPayload,
    TranscriptionResult,
    new_result,
    result_from_segments,
    summarize,
)
from taskkinds.transcription.segments import (
    MIN_SEGMENT_S,
    SegmentEditError,
    add_segment,
    assign_speaker,
    insert_token,
    merge_with_next,
    move_edge,
    normalize_segments,
    remove_segment,
    segment_at,
    set_text,
    split_segment,
)
from taskkinds.transcription.timecode import (
    TIMESTAMP_FORMATS,
    TimestampFormat,
    clock_text,
    cue_time,
    find_timestamps,
    format_timestamp,
    parse_timestamp,
)

PAYLOAD: dict[str, Any] = {
    "audio": "audio/clip-1.opus",
    "duration_s": 12.5,
    "language": "en-GB",
    "style": "clean",
    "allowed_tags": ["inaudible", "crosstalk", "noise"],
    "speakers": ["Agent", "Caller"],
    "offset_s": 754.2,
    "context": "Phone call to a help desk",
}


def payload(**changes: Any) -> TranscriptionPayload:
    return TranscriptionPayload.model_validate({**PAYLOAD, **changes})


# --- payload ------------------------------------------------------------------------------


def test_a_platform_payload_parses_and_round_trips_through_json() -> None:
    parsed = KIND.parse_payload(PAYLOAD)
    assert isinstance(parsed, TranscriptionPayload)
    assert parsed.offset_s == 754.2 and parsed.speakers == ["Agent", "Caller"]
    assert KIND.parse_payload(json.loads(parsed.model_dump_json())) == parsed


def test_tags_may_be_given_with_their_brackets() -> None:
    assert payload(allowed_tags=["[inaudible]", " [noise] "]).allowed_tags == ["inaudible", "noise"]


@pytest.mark.parametrize(
    "changes",
    [
        {"offset_s": -1.0},
        {"offset_s": math.nan},
        {"offset_s": math.inf},
        {"duration_s": 0},
        {"duration_s": math.nan},
        {"duration_s": 10 * 3600},
        {"language": "english please"},
        {"style": "loose"},
        {"audio": ""},
        {"audio": "audio/clip.exe"},
        {"audio": "a" * 300 + ".opus"},
        {"allowed_tags": ["noise", "Noise"]},
        {"allowed_tags": ["[]"]},
        {"allowed_tags": ["bad]tag"]},
        {"allowed_tags": ["x" * 41]},
        {"allowed_tags": [f"tag{n}" for n in range(51)]},
        {"speakers": ["Agent", "agent"]},
        {"speakers": ["Line\nbreak"]},
        {"speakers": ["<b>"]},
        {"speakers": [""]},
        {"speakers": [f"S{n}" for n in range(21)]},
        {"surprise": 1},
    ],
    ids=repr,
)
def test_a_hostile_payload_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        payload(**changes)


@pytest.mark.parametrize("suffix", [".opus", ".OGG", ".oga", ".flac", ".wav", ".mp3"])
def test_every_audio_format_of_the_issue_is_accepted(suffix: str) -> None:
    assert payload(audio=f"audio/clip{suffix}").audio.endswith(suffix)


def test_the_summary_names_length_language_style_and_speakers_in_80_characters() -> None:
    assert summarize(payload()) == (
        "Phone call to a help desk · 0:12 in en-GB, clean verbatim, 2 speakers"
    )
    long = summarize(payload(context="word " * 50, style="verbatim", speakers=[]))
    assert len(long) <= 80 and long.endswith("· 0:12 in en-GB, full verbatim")
    assert summarize(payload(context=None, duration_s=75)).startswith("Transcribe 1:15 in en-GB")


# --- result -------------------------------------------------------------------------------


def test_a_new_result_is_empty_and_round_trips() -> None:
    result = new_result(payload())
    assert result.text == "" and result.segments == []
    assert KIND.parse_result(json.loads(result.model_dump_json())) == result


def test_a_result_from_segments_keeps_its_text_in_step() -> None:
    result = result_from_segments(
        [Segment(start=0, end=1, speaker="Agent", text="Hello."), Segment(start=1, end=2)]
    )
    assert result.text == "Hello.\n"
    assert KIND.parse_result(json.loads(result.model_dump_json())) == result


def test_a_result_whose_text_disagrees_with_its_segments_is_refused() -> None:
    with pytest.raises(ValidationError, match="joined by line breaks"):
        TranscriptionResult(text="Other", segments=[Segment(start=0, end=1, text="Hello.")])


@pytest.mark.parametrize(
    "segment",
    [
        {"start": -0.5, "end": 1},
        {"start": math.nan, "end": 1},
        {"start": 0, "end": math.inf},
        {"start": 0, "end": 1e9},
        {"start": 0, "end": 1, "text": "x" * 5_001},
        {"start": 0, "end": 1, "speaker": ""},
        {"start": 0, "end": 1, "extra": True},
    ],
    ids=repr,
)
def test_a_hostile_segment_is_refused(segment: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TranscriptionResult.model_validate({"text": "", "segments": [segment]})


def test_too_many_segments_or_too_much_text_are_refused() -> None:
    many = [{"start": 0, "end": 1, "text": ""}] * (MAX_SEGMENTS + 1)
    with pytest.raises(ValidationError):
        TranscriptionResult.model_validate({"text": "\n" * MAX_SEGMENTS, "segments": many})
    with pytest.raises(ValidationError):
        TranscriptionResult(text="x" * 100_001)


def test_a_segment_ending_before_it_starts_still_saves_for_the_checks_to_report() -> None:
    assert Segment(start=3, end=2).end == 2


# --- timestamps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "offset", "fmt", "expected"),
    [
        (3.97, 0.0, "[hh:mm:ss]", "[00:00:03]"),
        (3.97, 60.0, "[hh:mm:ss]", "[00:01:03]"),
        (4.35, 0.0, "[hh:mm:ss.f]", "[00:00:04.3]"),
        (1.0, 4499.25, "[mm:ss.f]", "[75:00.2]"),
        (0.5, 3723.0, "(hh:mm:ss.mmm)", "(01:02:03.500)"),
        (0.0, 0.0, "(hh:mm:ss.mmm)", "(00:00:00.000)"),
        (0.0, 360_000.0, "[hh:mm:ss]", "[100:00:00]"),
    ],
)
def test_a_timestamp_shows_source_time_rounded_down(
    seconds: float, offset: float, fmt: TimestampFormat, expected: str
) -> None:
    assert format_timestamp(seconds, offset, fmt) == expected


@given(
    seconds=st.floats(0, 7200, allow_nan=False),
    offset=st.floats(0, 360_000, allow_nan=False),
    fmt=st.sampled_from(TIMESTAMP_FORMATS),
)
def test_a_timestamp_reads_back_to_its_clip_time_within_its_precision(
    seconds: float, offset: float, fmt: TimestampFormat
) -> None:
    token = format_timestamp(seconds, offset, fmt)
    precision = {"[hh:mm:ss]": 1.0, "(hh:mm:ss.mmm)": 0.001}.get(fmt, 0.1)
    back = parse_timestamp(token, offset)
    assert seconds - precision - 1e-6 <= back <= seconds + 0.0005 + 1e-6
    [found] = find_timestamps(f"before {token} after")
    assert found.seconds == pytest.approx(back + offset)


def test_hand_typed_timestamps_are_found_and_lookalikes_are_not() -> None:
    text = "a [1:02:03] b [12:30] c (00:00:01.25) d [00:61:00] e (00:01] f [noise] g 12:30"
    assert [round(t.seconds, 3) for t in find_timestamps(text)] == [3723.0, 750.0, 1.25]
    assert parse_timestamp("[00:00:03]", offset_s=10.0) == -7.0
    for not_a_timestamp in ("[noise]", "00:00:03", "[00:00:03] extra"):
        with pytest.raises(ValueError, match="not a timestamp"):
            parse_timestamp(not_a_timestamp)


@pytest.mark.parametrize(
    ("seconds", "offset"), [(-0.1, 0.0), (math.nan, 0.0), (1.0, -5.0), (math.inf, 0.0)]
)
def test_a_negative_or_non_finite_time_is_refused(seconds: float, offset: float) -> None:
    with pytest.raises(ValueError, match="finite number of seconds"):
        format_timestamp(seconds, offset)


def test_cue_times_round_to_the_millisecond_with_each_formats_mark() -> None:
    assert cue_time(3725.4567) == "01:02:05.457"
    assert cue_time(0.0004, ",") == "00:00:00,000"
    assert clock_text(4.26) == "0:04.3" and clock_text(3725.46) == "1:02:05.5"


# --- segment edits ------------------------------------------------------------------------


def seg(start: float, end: float, text: str = "", speaker: str | None = None) -> Segment:
    return Segment(start=start, end=end, text=text, speaker=speaker)


def test_split_cuts_time_and_text_at_the_cursor_and_keeps_the_speaker() -> None:
    segments = [seg(0, 2, "one"), seg(2, 6, "Hello there, friend.", "Agent"), seg(6, 8, "end")]
    done = split_segment(segments, 1, 3.5, len("Hello there,"))
    assert [(s.start, s.end, s.text, s.speaker) for s in done[1:3]] == [
        (2, 3.5, "Hello there,", "Agent"),
        (3.5, 6, "friend.", "Agent"),
    ]
    assert done[0] == segments[0] and done[3] == segments[2]


@pytest.mark.parametrize("at", [2.0, 6.0, 1.0, 7.0])
def test_split_outside_the_segment_says_where_to_put_the_play_head(at: float) -> None:
    with pytest.raises(SegmentEditError, match="play head inside the segment"):
        split_segment([seg(2, 6, "x")], 0, at, 0)


def test_merge_joins_times_texts_and_keeps_the_first_speaker() -> None:
    segments = [seg(0, 2, "Hello", "Agent"), seg(2.5, 4, "there.", "Caller"), seg(5, 6)]
    merged = merge_with_next(segments, 0)
    assert merged[0] == seg(0, 4, "Hello there.", "Agent") and merged[1] == segments[2]
    assert merge_with_next([seg(0, 1, ""), seg(1, 2, "b", "Caller")], 0) == [
        seg(0, 2, "b", "Caller")
    ]
    with pytest.raises(SegmentEditError, match="last segment"):
        merge_with_next(segments, 2)
    with pytest.raises(IndexError):
        merge_with_next(segments, 3)


def test_move_edge_stops_at_neighbours_the_clip_and_a_minimum_length() -> None:
    segments = [seg(0, 2), seg(3, 5), seg(6, 8)]
    assert move_edge(segments, 1, "start", 1.0, 10)[1].start == 2
    assert move_edge(segments, 1, "start", 4.99, 10)[1].start == pytest.approx(5 - MIN_SEGMENT_S)
    assert move_edge(segments, 1, "end", 7.0, 10)[1].end == 6
    assert move_edge(segments, 2, "end", 12.0, 10)[2].end == 10
    assert move_edge(segments, 0, "start", -3.0, 10)[0].start == 0
    assert move_edge(segments, 1, "end", 3.0, 10)[1].end == pytest.approx(3 + MIN_SEGMENT_S)
    with pytest.raises(SegmentEditError, match="number of seconds"):
        move_edge(segments, 1, "end", math.nan, 10)
    with pytest.raises(SegmentEditError, match="number of seconds"):
        split_segment(segments, 1, math.inf, 0)


def test_add_fits_the_gap_and_refuses_a_place_already_taken() -> None:
    segments = [seg(0, 2), seg(3, 5)]
    done, index = add_segment(segments, 2.2, 4.0, 10, speaker="Agent")
    assert index == 1 and done[1] == seg(2.2, 3, "", "Agent")
    with pytest.raises(SegmentEditError, match="already a segment"):
        add_segment(segments, 4.0, 4.5, 10)
    done, index = add_segment([], 9.0, 12.0, 10)
    assert done[index].end == 10


def test_speaker_text_and_removal_touch_only_their_segment() -> None:
    segments = [seg(0, 2, "a"), seg(2, 4, "b")]
    assert assign_speaker(segments, -1, "Caller")[1].speaker == "Caller"
    assert set_text(segments, 0, "new")[0].text == "new"
    assert remove_segment(segments, 0) == [segments[1]]
    assert segment_at(segments, 2.0) == 1 and segment_at(segments, 4.0) is None
    with pytest.raises(ValidationError):
        set_text(segments, 0, "x" * 6_000)


def test_normalize_sorts_clamps_swaps_and_removes_overlaps() -> None:
    messy = [seg(5, 3, "swapped"), seg(0, 4, "first"), seg(9, 14, "past the end")]
    assert [(s.start, s.end, s.text) for s in normalize_segments(messy, 10)] == [
        (0, 4, "first"),
        (4, 5, "swapped"),
        (9, 10, "past the end"),
    ]


def no_overlaps_inside(segments: list[Segment], duration: float) -> bool:
    inside = all(0 <= s.start <= s.end <= duration for s in segments)
    ordered = all(a.end <= b.start for a, b in zip(segments, segments[1:], strict=False))
    return inside and ordered


times = st.floats(0, 30, allow_nan=False)
raw_segments = st.lists(st.tuples(times, times), max_size=8)
edits = st.lists(
    st.tuples(
        st.sampled_from(["split", "merge", "start", "end", "add", "remove"]),
        st.integers(0, 10),
        times,
        st.integers(0, 20),
    ),
    max_size=12,
)


@given(raw=raw_segments, steps=edits, duration=st.floats(1, 25, allow_nan=False))
def test_no_sequence_of_edits_creates_an_overlap_or_leaves_the_clip(
    raw: list[tuple[float, float]], steps: list[tuple[str, int, float, int]], duration: float
) -> None:
    segments = normalize_segments([seg(a, b, f"w{i} x") for i, (a, b) in enumerate(raw)], duration)
    assert no_overlaps_inside(segments, duration)
    for action, index, time, cursor in steps:
        position = index % len(segments) if segments else 0
        try:
            if action == "add" or not segments:
                segments, _ = add_segment(segments, time, time + 1, duration)
            elif action == "split":
                segments = split_segment(segments, position, time, cursor)
            elif action == "merge":
                segments = merge_with_next(segments, position)
            elif action in ("start", "end"):
                segments = move_edge(segments, position, action, time, duration)  # type: ignore[arg-type]
            else:
                segments = remove_segment(segments, position)
        except SegmentEditError:
            pass  # refused edits leave the segments as they were
        assert no_overlaps_inside(segments, duration), (action, segments)


@given(text=st.text(max_size=20), position=st.integers(-5, 30))
def test_insert_token_puts_the_token_at_the_cursor_and_the_cursor_after_it(
    text: str, position: int
) -> None:
    new, cursor = insert_token(text, position, "[noise]")
    at = min(max(position, 0), len(text))
    assert "[noise]" in new[at : at + 9]
    assert new.replace("[noise]", "", 1).replace(" ", "") == text.replace(" ", "")
    assert new[:cursor].rstrip().endswith("[noise]")


def test_insert_token_spaces_the_token_from_words_but_not_from_punctuation() -> None:
    assert insert_token("Hello there.", 5, "[noise]") == ("Hello [noise] there.", 13)
    assert insert_token("Hello.", 5, "[00:00:03]") == ("Hello [00:00:03].", 16)
    assert insert_token("", 0, "[noise]") == ("[noise]", 7)
