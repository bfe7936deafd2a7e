"""Transcription demo content: a valid bundle spec, real Opus clips that decode to the
announced durations, references that are the spoken sentences, and Qt-free modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sync.bundle import extract_bundle, read_manifest
from taskkinds.base import ExportItem
from taskkinds.transcription import KIND
from taskkinds.transcription.checks import grade, validate
from taskkinds.transcription.demo import (
    DEMO_BUNDLE_ID,
    DEMO_CLIPS,
    DEMO_DIR,
    SAMPLE_RATE,
    Line,
    demo_golds,
    load_spec,
    reference_text,
)
from taskkinds.transcription.model import TranscriptionPayload

ROOT = Path(__file__).resolve().parent.parent


def build_from_spec(out_dir: Path) -> Path:
    """The demo bundle, built from the spec exactly as ``app.demo`` builds every spec."""
    from app.demo import build_spec_bundle

    out_dir.mkdir(parents=True, exist_ok=True)
    return build_spec_bundle(load_spec(), out_dir)


def payloads() -> dict[str, TranscriptionPayload]:
    return {
        task["id"]: TranscriptionPayload.model_validate(task["payload"])
        for task in load_spec()["tasks"]
    }


def test_the_demo_bundle_is_valid_and_its_clips_decode_to_the_announced_length(
    tmp_path: Path,
) -> None:
    bundle = build_from_spec(tmp_path / "out")
    manifest = read_manifest(bundle, known_kinds={"transcription"})
    assert manifest.bundle_id == DEMO_BUNDLE_ID and manifest.kind == "transcription"
    folder = extract_bundle(bundle, tmp_path / "staging", known_kinds={"transcription"}).directory
    assert [task.id for task in manifest.tasks] == [clip.task_id for clip in DEMO_CLIPS]
    for task in manifest.tasks:
        payload = KIND.parse_payload(task.payload)
        assert isinstance(payload, TranscriptionPayload)
        assert task.media == [payload.audio] and payload.audio.endswith(".opus")
        info = sf.info(folder / payload.audio)
        assert (info.format, info.subtype, info.channels) == ("OGG", "OPUS", 1)
        assert info.samplerate == SAMPLE_RATE
        assert info.frames / info.samplerate == pytest.approx(payload.duration_s, abs=0.02)


def test_the_demo_covers_both_languages_both_styles_an_offset_tags_and_speakers() -> None:
    tasks = payloads()
    assert {p.language for p in tasks.values()} == {"en", "fr"}
    assert {p.style for p in tasks.values()} == {"clean", "verbatim"}
    assert any(p.offset_s > 0 for p in tasks.values())
    call = tasks["en-helpdesk-call"]
    assert set(call.speakers) == {"Agent", "Caller"}
    assert {"crosstalk", "noise"} <= set(call.allowed_tags)


def test_the_references_are_the_spoken_sentences_and_pass_their_own_checks() -> None:
    golds, tasks = demo_golds(), payloads()
    assert set(golds) == set(tasks)
    for clip in DEMO_CLIPS:
        gold = golds[clip.task_id]
        assert gold.text == "\n".join(reference_text(part) for part in clip.kept)
        assert validate(tasks[clip.task_id], gold) == []
        assert grade(gold, gold) == 1.0
    speakers = [s.speaker for s in golds["en-helpdesk-call"].segments]
    assert speakers == ["Agent", "Caller", None, "Agent", "Caller"]


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


def test_every_gold_segment_is_heard_well_above_the_audio_outside_the_segments() -> None:
    checked = 0
    for clip in DEMO_CLIPS:
        gold = demo_golds()[clip.task_id]
        if not gold.segments:
            continue
        samples, rate = sf.read(DEMO_DIR / f"{clip.task_id}.opus", dtype="float32")
        inside = np.zeros(len(samples), dtype=bool)
        for segment in gold.segments:
            inside[round(segment.start * rate) : round(segment.end * rate)] = True
        outside = rms(samples[~inside])
        for segment in gold.segments:
            heard = rms(samples[round(segment.start * rate) : round(segment.end * rate)])
            assert heard > 0.02 and heard > 5 * outside, (clip.task_id, segment)
        checked += 1
    assert checked >= 2


def test_the_two_voices_of_the_call_overlap_for_the_crosstalk() -> None:
    [clip] = [c for c in DEMO_CLIPS if c.task_id == "en-helpdesk-call"]
    crossing = [part for part in clip.parts if isinstance(part, Line) and part.overlap_s]
    assert crossing and all(part.tag == "crosstalk" for part in crossing)
    caller = demo_golds()["en-helpdesk-call"].segments[1]
    assert caller.text.startswith("[crosstalk]")


def test_every_demo_payload_honours_the_kind_contract() -> None:
    golds = demo_golds()
    for task_id, payload in payloads().items():
        empty = KIND.new_result(payload)
        assert any(problem.blocking for problem in KIND.validate(payload, empty))
        assert KIND.summarize(payload)
        for fmt in KIND.export_formats:
            assert fmt.write([ExportItem(task_id, DEMO_BUNDLE_ID, payload, golds[task_id])])


def test_demo_assets_are_small_generated_and_documented() -> None:
    files = [p for p in DEMO_DIR.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 400_000
    licences = (DEMO_DIR / "LICENSES.md").read_text(encoding="utf-8")
    for clip in DEMO_CLIPS:
        assert f"`{clip.task_id}.opus`" in licences
    assert "espeak" in licences.lower() and "references.json" in licences


QT_FREE = [
    "taskkinds.transcription",
    "taskkinds.transcription.model",
    "taskkinds.transcription.timecode",
    "taskkinds.transcription.segments",
    "taskkinds.transcription.checks",
    "taskkinds.transcription.export",
    "taskkinds.transcription.demo",
]


@pytest.mark.parametrize("module", QT_FREE)
def test_the_core_modules_import_no_qt(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(','.join(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"{module} pulls in Qt"
