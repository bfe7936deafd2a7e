"""Short translation: one or more source segments to render in another language."""

from __future__ import annotations

from taskkinds.base import ExportFormat, TaskKind
from taskkinds.translation import checks, export, formats, model, workspace

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
        ExportFormat(name="xliff12", title="XLIFF 1.2", suffix=".xlf", write=formats.to_xliff12),
        ExportFormat(name="po", title="Gettext PO", suffix=".po", write=formats.to_po),
        ExportFormat(name="tmx", title="TMX 1.4 memory", suffix=".tmx", write=formats.to_tmx),
    ),
    memory=workspace.MEMORY,
)
