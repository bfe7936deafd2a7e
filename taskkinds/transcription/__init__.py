"""Audio transcription: type what a short clip says, by the platform's style guide.

Qt-free apart from ``editor`` (imported lazily by ``KIND.load_editor``). Exporters are
named by path and imported when first used.
"""

from __future__ import annotations

from taskkinds.base import ExportFormat, TaskKind
from taskkinds.transcription import checks, model

_EXPORT = "taskkinds.transcription.export"

KIND = TaskKind(
    id="transcription",
    title="Audio transcription",
    version=1,
    payload_model=model.TranscriptionPayload,
    result_model=model.TranscriptionResult,
    new_result=model.new_result,
    validate=checks.validate,
    grade=checks.grade,
    summarize=model.summarize,
    editor_path="taskkinds.transcription.editor:TranscriptionEditor",
    export_formats=(
        ExportFormat.lazy("text", "Plain text", ".txt", f"{_EXPORT}:to_plain_text"),
        ExportFormat.lazy("webvtt", "WebVTT", ".vtt", f"{_EXPORT}:to_webvtt"),
        ExportFormat.lazy("srt", "SubRip (SRT)", ".srt", f"{_EXPORT}:to_srt"),
        ExportFormat.lazy("json", "JSON", ".json", f"{_EXPORT}:to_json"),
    ),
)
