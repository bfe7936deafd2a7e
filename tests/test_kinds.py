"""Every registered kind honours the contract; the registry is explicit and strict."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from taskkinds import (
    BUILTIN_KINDS,
    DuplicateKind,
    Registry,
    TaskKind,
    UnknownKind,
    default_registry,
)
from taskkinds.base import ExportItem, Problem

# One valid payload per built-in kind, as a bundle would carry it.
SAMPLE_PAYLOADS: dict[str, dict[str, Any]] = {
    "translation": {
        "source_lang": "en",
        "target_lang": "fr",
        "segments": [{"id": "s1", "source": "Hello {name}"}, {"id": "s2", "source": "Save"}],
        "max_length": 40,
    },
    # No photo on disk: the editor still opens, says so, and submits an empty result.
    "photo_clip": {
        "image": "images/photo.png",
        "width": 64,
        "height": 48,
        "instruction": "the dog",
    },
    # No clip on disk either: the editor opens, says playback is unavailable, and works.
    "transcription": {
        "audio": "audio/clip.opus",
        "duration_s": 5.0,
        "language": "en",
        "allowed_tags": ["inaudible"],
        "speakers": ["A", "B"],
    },
}


def test_every_builtin_kind_has_a_sample_payload() -> None:
    assert {kind.id for kind in default_registry()} == set(SAMPLE_PAYLOADS)
    assert len(BUILTIN_KINDS) == len(SAMPLE_PAYLOADS)


@pytest.mark.parametrize("kind", list(default_registry()), ids=lambda k: k.id)
def test_a_kind_round_trips_parse_new_result_validate_dump_load(kind: TaskKind) -> None:
    payload = kind.parse_payload(SAMPLE_PAYLOADS[kind.id])
    result = kind.new_result(payload)
    problems = kind.validate(payload, result)
    # A blank result is never acceptable, and says so with blocking problems.
    assert problems and all(isinstance(p, Problem) for p in problems)
    assert any(p.blocking for p in problems)
    dumped = json.loads(json.dumps(result.model_dump(mode="json")))
    assert kind.parse_result(dumped) == result
    assert isinstance(kind.summarize(payload), str) and kind.summarize(payload)
    assert 0.0 <= kind.grade(result, result) <= 1.0
    for fmt in kind.export_formats:
        data = fmt.write([ExportItem("t1", "b1", payload, result)])
        assert isinstance(data, bytes)  # an empty result may be an empty file (SRT)


@pytest.mark.parametrize("kind", list(default_registry()), ids=lambda k: k.id)
def test_a_kind_editor_loads_lazily_and_is_a_widget(qtbot, kind: TaskKind) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    editor_class = kind.load_editor()
    payload = kind.parse_payload(SAMPLE_PAYLOADS[kind.id])
    editor = editor_class(payload, None, None)
    qtbot.addWidget(editor)
    assert isinstance(editor, QWidget)
    with qtbot.waitSignal(editor.submitRequested) as signal:
        editor.request_submit()
    assert kind.parse_result(signal.args[0]) == kind.new_result(payload)


def fake_kind(kind_id: str = "fake") -> TaskKind:
    class Payload(BaseModel):
        text: str

    class Result(BaseModel):
        answer: str = ""

    return TaskKind(
        id=kind_id,
        title="Fake",
        version=1,
        payload_model=Payload,
        result_model=Result,
        new_result=lambda p: Result(),
        validate=lambda p, r: [] if r.answer else [Problem("empty", "Say something.")],
        grade=lambda r, g: float(r.answer == g.answer),
        summarize=lambda p: p.text,
        editor_path="tests.nowhere:Editor",
    )


def test_a_fresh_registry_takes_a_fake_kind_and_refuses_duplicates() -> None:
    registry = Registry([fake_kind()])
    assert "fake" in registry and registry.ids() == {"fake"}
    with pytest.raises(DuplicateKind, match="fake"):
        registry.register(fake_kind())


def test_an_unknown_kind_says_to_update_the_application() -> None:
    with pytest.raises(UnknownKind, match="newer Ouvrage") as caught:
        Registry().get("photo_clip")
    assert "Update the application" in str(caught.value)


def test_an_unknown_export_format_lists_the_known_ones() -> None:
    kind = default_registry().get("translation")
    with pytest.raises(KeyError, match="xliff"):
        kind.export_format("pdf")


def test_a_lazy_registry_imports_only_the_kind_asked_for() -> None:
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from taskkinds import default_registry\n"
        "registry = default_registry(lazy=True)\n"
        "before = [m for m in ('taskkinds.translation', 'taskkinds.transcription',\n"
        "          'taskkinds.photo_clip') if m in sys.modules]\n"
        "known = 'photo_clip' in registry and 'translation' in registry\n"
        "kind = registry.get('photo_clip')\n"
        "one = sorted(m for m in ('taskkinds.translation', 'taskkinds.transcription',\n"
        "             'taskkinds.photo_clip') if m in sys.modules)\n"
        "order = [k.id for k in registry]\n"
        "print(json.dumps([before, known, kind.id, one, order, default_registry() is registry]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, known, kind_id, one, order, same = json.loads(done.stdout)
    assert before == [] and known and kind_id == "photo_clip"
    assert one == ["taskkinds.photo_clip"]  # the other kinds were not imported
    assert order == ["translation", "transcription", "photo_clip"]  # listed in declared order
    assert same  # one registry, now complete


def test_a_lazy_registry_refuses_a_module_defining_another_kind() -> None:
    registry = Registry(lazy={"photo_clip": "taskkinds.translation"})
    with pytest.raises(ValueError, match="defines kind 'translation'"):
        registry.get("photo_clip")
    with pytest.raises(UnknownKind):
        Registry(lazy={}).get("photo_clip")
    with pytest.raises(DuplicateKind, match="fake"):
        Registry(lazy={"fake": "somewhere.fake"}).register(fake_kind())
