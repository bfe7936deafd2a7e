"""Builders of real bundle files for the tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sync.bundle import build_bundle

SEGMENTS = [
    ("Hello {name}, you have {count} messages", "Bonjour {name}, vous avez {count} messages"),
    ("Save", "Enregistrer"),
    ("Only 1.5 kg left", "Plus que 1,5 kg"),
    ("Click <b>Send</b> to finish", "Cliquez sur <b>Envoyer</b> pour terminer"),
    ("Downloaded %d of %d files", "%d fichiers sur %d téléchargés"),
]


def translation_task(index: int, segments: int = 2, **extra: Any) -> dict[str, Any]:
    chosen = [SEGMENTS[(index + i) % len(SEGMENTS)][0] for i in range(segments)]
    payload = {
        "source_lang": "en",
        "target_lang": "fr",
        "segments": [{"id": f"s{i + 1}", "source": text} for i, text in enumerate(chosen)],
        **extra,
    }
    return {"id": f"t{index:04d}", "payload": payload}


def translation_bundle(
    path: Path,
    *,
    bundle_id: str = "b-test",
    tasks: int | list[dict[str, Any]] = 3,
    segments: int = 2,
    title: str = "Test bundle",
    **overrides: Any,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {
        "bundle_id": bundle_id,
        "kind": "translation",
        "title": title,
        "instructions": "Translate into French.",
        "reward_per_task": Decimal("0.05"),
        "currency": "EUR",
        "tasks": (
            [translation_task(i, segments) for i in range(tasks)]
            if isinstance(tasks, int)
            else tasks
        ),
    }
    kwargs.update(overrides)
    return build_bundle(path, **kwargs)
