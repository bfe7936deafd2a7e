"""Short translation: one or more source segments to render in another language.

Exporters are named by path and imported when first used (``formats`` reads and
writes through translate-toolkit and lxml); the translation memory's index (numpy,
rapidfuzz) loads when ``KIND.memory`` builds one.
"""

from __future__ import annotations

from taskkinds.base import ExportFormat, LazyFunction, TaskKind
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
        ExportFormat(
            name="xliff",
            title="XLIFF 2.0",
            suffix=".xlf",
            write=LazyFunction(f"{_EXPORT}:to_xliff2"),
        ),
        ExportFormat(
            name="xliff12",
            title="XLIFF 1.2",
            suffix=".xlf",
            write=LazyFunction(f"{_FORMATS}:to_xliff12"),
        ),
        ExportFormat(
            name="po", title="Gettext PO", suffix=".po", write=LazyFunction(f"{_FORMATS}:to_po")
        ),
        ExportFormat(
            name="tmx",
            title="TMX 1.4 memory",
            suffix=".tmx",
            write=LazyFunction(f"{_FORMATS}:to_tmx"),
        ),
    ),
    memory=workspace.MEMORY,
)
