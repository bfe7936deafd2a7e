"""Building the registry at start-up stays cheap: no heavy library loads until a kind's
editor, memory, exporters or numpy checks are used (issue 9: start-up time, peak memory).

Each case runs in a fresh interpreter, so what an earlier test imported does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from taskkinds import LazyFunction, default_registry

ROOT = Path(__file__).resolve().parent.parent

# Libraries that cost tens of milliseconds or megabytes each, and that no kind needs to
# be listed, nor (translation, transcription) to open and check a task.
HEAVY = (
    "numpy",
    "rapidfuzz",
    "cv2",
    "spellchecker",
    "translate",
    "lxml",
    "soundfile",
    "sounddevice",
    "PIL",
    "scipy",
    "PySide6",
    "hashlib",  # OpenSSL's libcrypto, 3 MiB resident
)

REPORT = f"""
import json, sys
def heavy():
    return sorted(n for n in {HEAVY!r} if n in sys.modules)
"""


def run_fresh(code: str) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", REPORT + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_listing_the_kinds_loads_no_heavy_library() -> None:
    loaded = run_fresh(
        "import taskkinds\n"
        "registry = taskkinds.default_registry()\n"
        "ids = [kind.id for kind in registry]\n"
        "titles = [fmt.title for kind in registry for fmt in kind.export_formats]\n"
        "print(json.dumps({'listing': heavy()}))\n"
    )
    assert loaded["listing"] == []


def test_opening_and_checking_a_text_task_loads_no_heavy_library() -> None:
    """Translation and transcription tasks; photo checks work on numpy arrays."""
    loaded = run_fresh(
        "import taskkinds\n"
        "registry = taskkinds.default_registry()\n"
        "samples = {\n"
        "    'translation': {'source_lang': 'en', 'target_lang': 'fr',\n"
        "        'segments': [{'id': 's1', 'source': 'Hello {name}, 1.5 kg'}],\n"
        "        'glossary': [{'source': 'Hello', 'targets': ['Bonjour']}]},\n"
        "    'transcription': {'audio': 'audio/clip.opus', 'duration_s': 5.0,\n"
        "        'language': 'en', 'allowed_tags': ['inaudible']},\n"
        "    'photo_clip': {'image': 'images/p.png', 'width': 64, 'height': 48,\n"
        "        'instruction': 'the dog'},\n"
        "}\n"
        "for kind_id, data in samples.items():\n"
        "    kind = registry.get(kind_id)\n"
        "    payload = kind.parse_payload(data)\n"
        "    result = kind.parse_result(kind.new_result(payload).model_dump(mode='json'))\n"
        "    kind.summarize(payload)\n"
        "    if kind_id != 'photo_clip':  # its checks work on numpy arrays\n"
        "        assert any(p.blocking for p in kind.validate(payload, result))\n"
        "print(json.dumps({'opening': heavy()}))\n"
    )
    assert loaded["opening"] == []


def test_the_heavy_parts_still_load_when_used() -> None:
    """The outcome is the same, only later: photo checks and the memory bring numpy."""
    loaded = run_fresh(
        "import taskkinds\n"
        "kind = taskkinds.default_registry().get('photo_clip')\n"
        "payload = kind.parse_payload({'image': 'images/p.png', 'width': 64, 'height': 48,\n"
        "    'instruction': 'the dog'})\n"
        "problems = kind.validate(payload, kind.new_result(payload))\n"
        "assert [p.code for p in problems] == ['no_region']\n"
        "after_photo_check = heavy()\n"
        "memory = taskkinds.default_registry().get('translation').memory\n"
        "workspace = memory.build('en>fr', [{'type': 'tm', 'source': 'Save',\n"
        "    'target': 'Enregistrer', 'source_lang': 'en', 'target_lang': 'fr'}])\n"
        "assert workspace.memory.lookup('Save')[0].exact\n"
        "print(json.dumps({'photo': after_photo_check, 'memory': heavy()}))\n"
    )
    assert "numpy" in loaded["photo"] and "PIL" not in loaded["photo"]
    assert {"numpy", "rapidfuzz"} <= set(loaded["memory"])


LAZY = [
    (kind.id, role, function)
    for kind in default_registry()
    for role, function in [
        ("validate", kind.validate),
        ("grade", kind.grade),
        *((f"export {fmt.name}", fmt.write) for fmt in kind.export_formats),
    ]
    if isinstance(function, LazyFunction)
]


@pytest.mark.parametrize(
    "function", [f for _, _, f in LAZY], ids=[f"{kind}-{role}" for kind, role, _ in LAZY]
)
def test_every_function_a_kind_names_by_path_exists(function: LazyFunction) -> None:
    assert callable(function.resolve())


def test_a_lazy_function_naming_nothing_fails_when_called() -> None:
    missing = LazyFunction("taskkinds.translation.checks:no_such_check")
    with pytest.raises(AttributeError):
        missing("payload", "result")


def test_memory_names_moved_to_memory_entries_are_the_same_objects() -> None:
    from taskkinds.translation import memory, memory_entries

    for name in memory_entries.__all__:
        assert getattr(memory, name) is getattr(memory_entries, name)
        assert name in memory.__all__
