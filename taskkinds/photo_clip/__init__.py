"""Photo clipping (détourage): cut an object out of a photo as polygons with holes.

Qt-free apart from ``editor`` (imported lazily by ``KIND.load_editor``). Checks and
exporters work on numpy arrays (and PIL images): the kind names them by path, so
listing the kind loads only the pydantic models.
"""

from __future__ import annotations

from taskkinds.base import ExportFormat, LazyFunction, TaskKind
from taskkinds.photo_clip import model

_CHECKS = "taskkinds.photo_clip.checks"
_EXPORT = "taskkinds.photo_clip.export"

KIND = TaskKind(
    id="photo_clip",
    title="Photo clipping",
    version=1,
    payload_model=model.PhotoClipPayload,
    result_model=model.PhotoClipResult,
    new_result=model.new_result,
    validate=LazyFunction(f"{_CHECKS}:validate"),
    grade=LazyFunction(f"{_CHECKS}:grade"),
    summarize=model.summarize,
    editor_path="taskkinds.photo_clip.editor:PhotoClipEditor",
    export_formats=(
        ExportFormat.lazy("coco", "COCO (polygons)", ".json", f"{_EXPORT}:to_coco"),
        ExportFormat.lazy("coco-rle", "COCO (RLE)", ".json", f"{_EXPORT}:to_coco_rle"),
        ExportFormat.lazy("labelme", "labelme JSON (zip)", ".zip", f"{_EXPORT}:to_labelme_zip"),
        ExportFormat.lazy("masks", "PNG masks (zip)", ".zip", f"{_EXPORT}:to_mask_zip"),
    ),
)
