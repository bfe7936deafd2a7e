"""Short translation: one or more source segments to render in another language."""

from __future__ import annotations

from taskkinds.base import ExportFormat, TaskKind
from taskkinds.translation import checks, export, model

KIND = TaskKind(
    id="translation",
    title="Translation",
    version=1,
    payload_model=model.TranslationPayload,
    result_model=model.TranslationResult,
    new_result=model.new_result,
    validate=checks.validate,
    grade=checks.grade,
    summarize=model.summarize,
    editor_path="taskkinds.translation.editor:TranslationEditor",
    export_formats=(
        ExportFormat(name="xliff", title="XLIFF 2.0", suffix=".xlf", write=export.to_xliff2),
    ),
)
