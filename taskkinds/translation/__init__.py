"""Short translation: one or more source segments to render in another language.

Exporters are named by path and imported when first used (``formats`` reads and
writes through translate-toolkit and lxml); the translation memory's index (numpy,
rapidfuzz) loads when ``KIND.memory`` builds one.
"""

from __future__ import annotations

from taskkinds.base import ExportFormat, TaskKind
from taskkinds.translation import checks, model, workspace

_EXPORT = "taskkinds.translation.export"
_FORMATS = "taskkinds.translation.formats"

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
        ExportFormat.lazy("xliff", "XLIFF 2.0", ".xlf", f"{_EXPORT}:to_xliff2"),
        ExportFormat.lazy("xliff12", "XLIFF 1.2", ".xlf", f"{_FORMATS}:to_xliff12"),
        ExportFormat.lazy("po", "Gettext PO", ".po", f"{_FORMATS}:to_po"),
        ExportFormat.lazy("tmx", "TMX 1.4 memory", ".tmx", f"{_FORMATS}:to_tmx"),
    ),
    memory=workspace.MEMORY,
)
