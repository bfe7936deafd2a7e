"""Transcription exports, read back by independent WebVTT and SRT readers."""

from __future__ import annotations

import html
import io
import json
from datetime import timedelta
from typing import Any

import pytest
import srt
import webvtt

from taskkinds.base import ExportItem
from taskkinds.transcription import KIND
from taskkinds.transcription.export import to_json, to_plain_text, to_srt, to_webvtt
from taskkinds.transcription.model import (
    Segment,
    TranscriptionPayload,
    TranscriptionResult,
    result_from_segments,
    result_from_text,
)


def payload(**changes: Any) -> TranscriptionPayload:
    fields: dict[str, Any] = {
        "audio": "audio/call.opus",
        "duration_s": 12.0,
        "language": "en",
        "allowed_tags": ["noise", "crosstalk"],
        "speakers": ["Agent", "Caller"],
        "offset_s": 754.2,
    }
    return TranscriptionPayload.model_validate({**fields, **changes})


CALL = result_from_segments(
    [
        Segment(start=0.3, end=3.535, speaker="Agent", text="Good morning. How can I help?"),
        Segment(start=3.535, end=6.63, speaker="Caller", text="[crosstalk] My printer & <b>me"),
        Segment(start=6.78, end=7.78, text="[noise]"),
        Segment(start=8.0, end=11.5, speaker="Agent", text="Look --> there.\n\nTwo lines."),
    ]
)


def item(result: TranscriptionResult = CALL, task_id: str = "call-1", **changes: Any) -> ExportItem:
    return ExportItem(task_id, "b-7", payload(**changes), result)


def vtt_seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def read_vtt(data: bytes) -> list[Any]:
    return list(webvtt.from_buffer(io.StringIO(data.decode("utf-8"))).captions)


def test_webvtt_parses_back_with_offset_times_speakers_and_texts() -> None:
    captions = read_vtt(to_webvtt([item()]))
    assert [c.identifier for c in captions] == ["call-1-1", "call-1-2", "call-1-3", "call-1-4"]
    assert [(vtt_seconds(c.start), vtt_seconds(c.end)) for c in captions] == [
        pytest.approx((754.5, 757.735)),
        pytest.approx((757.735, 760.83)),
        pytest.approx((760.98, 761.98)),
        pytest.approx((762.2, 765.7)),
    ]
    assert [c.voice for c in captions] == ["Agent", "Caller", None, "Agent"]
    assert [html.unescape(c.text) for c in captions] == [
        "Good morning. How can I help?",
        "[crosstalk] My printer & <b>me",
        "[noise]",
        "Look --> there.\nTwo lines.",
    ]


def test_webvtt_escapes_markup_and_the_cue_arrow() -> None:
    data = to_webvtt([item()]).decode("utf-8")
    assert "My printer &amp; &lt;b&gt;me" in data
    assert "Look --&gt; there." in data
    assert data.startswith("WEBVTT\n\n") and data.count(" --> ") == 4


def test_srt_parses_back_with_offset_times_and_speaker_prefixes() -> None:
    subtitles = list(srt.parse(to_srt([item()]).decode("utf-8")))
    assert [s.index for s in subtitles] == [1, 2, 3, 4]
    assert subtitles[0].start == timedelta(seconds=754.5)
    assert subtitles[1].end == timedelta(seconds=760.83)
    assert [s.content for s in subtitles] == [
        "Agent: Good morning. How can I help?",
        "Caller: [crosstalk] My printer & <b>me",
        "[noise]",
        "Agent: Look --> there.\nTwo lines.",
    ]


def test_a_result_without_segments_is_one_cue_over_the_whole_clip() -> None:
    text_only = item(result_from_text("Just the words."), offset_s=0.0)
    [caption] = read_vtt(to_webvtt([text_only]))
    assert (caption.start, caption.end, caption.text) == (
        "00:00:00.000",
        "00:00:12.000",
        "Just the words.",
    )
    [subtitle] = srt.parse(to_srt([text_only]).decode("utf-8"))
    assert (subtitle.start, subtitle.end) == (timedelta(0), timedelta(seconds=12))


def test_clips_of_one_recording_merge_into_one_track_in_time_order() -> None:
    early = item(result_from_text("First part."), task_id="part-1", offset_s=100.0, duration_s=5)
    late = item(result_from_text("Second part."), task_id="part-2", offset_s=105.0, duration_s=5)
    subtitles = list(srt.parse(to_srt([late, early]).decode("utf-8")))
    assert [(s.start.total_seconds(), s.content) for s in subtitles] == [
        (100.0, "First part."),
        (105.0, "Second part."),
    ]
    captions = read_vtt(to_webvtt([late, early]))
    assert [c.identifier for c in captions] == ["part-1-1", "part-2-1"]


def test_blank_segments_and_blank_results_are_left_out_of_subtitles() -> None:
    result = result_from_segments(
        [Segment(start=0, end=1, text="  "), Segment(start=1, end=2, text="Words.")]
    )
    [subtitle] = srt.parse(to_srt([item(result)]).decode("utf-8"))
    assert subtitle.content == "Words." and subtitle.index == 1
    assert to_webvtt([item(result_from_text(""))]) == b"WEBVTT\n"
    assert to_srt([item(result_from_text(""))]) == b""


def test_plain_text_has_one_headed_block_per_task_with_speakers() -> None:
    other = item(result_from_text("Just text.\n"), task_id="t-2")
    assert to_plain_text([item(), other]).decode("utf-8") == (
        "# b-7/call-1\n"
        "Agent: Good morning. How can I help?\n"
        "Caller: [crosstalk] My printer & <b>me\n"
        "[noise]\n"
        "Agent: Look --> there.\n\nTwo lines.\n"
        "\n"
        "# b-7/t-2\n"
        "Just text.\n"
    )


def test_json_round_trips_to_the_result_model_with_the_offset_beside_it() -> None:
    document = json.loads(to_json([item(), item(result_from_text("é ✓"), task_id="t-2")]))
    assert document["format"] == "ouvrage-transcription" and document["version"] == 1
    first, second = document["items"]
    assert (first["bundle_id"], first["task_id"], first["offset_s"]) == ("b-7", "call-1", 754.2)
    assert KIND.parse_result(first["result"]) == CALL
    assert KIND.parse_result(second["result"]) == result_from_text("é ✓")


def test_every_export_format_of_the_kind_writes_bytes() -> None:
    assert [fmt.name for fmt in KIND.export_formats] == ["text", "webvtt", "srt", "json"]
    for fmt in KIND.export_formats:
        assert fmt.write([item()]).decode("utf-8")
