"""Photo clipping (détourage): cut an object out of a photo as polygons with holes.

Qt-free apart from ``editor`` (imported lazily by ``KIND.load_editor``). Not yet in
``taskkinds.BUILTIN_KINDS``: it is registered once the editor exists.
"""

from __future__ import annotations

from taskkinds.base import ExportFormat, TaskKind
from taskkinds.photo_clip import checks, export, model

KIND = TaskKind(
    id="photo_clip",
    title="Photo clipping",
    version=1,
    payload_model=model.PhotoClipPayload,
    result_model=model.PhotoClipResult,
    new_result=model.new_result,
    validate=checks.validate,
    grade=checks.grade,
    summarize=model.summarize,
    editor_path="taskkinds.photo_clip.editor:PhotoClipEditor",
    export_formats=(
        ExportFormat(name="coco", title="COCO (polygons)", suffix=".json", write=export.to_coco),
        ExportFormat(name="coco-rle", title="COCO (RLE)", suffix=".json", write=export.to_coco_rle),
        ExportFormat(
            name="labelme", title="labelme JSON (zip)", suffix=".zip", write=export.to_labelme_zip
        ),
        ExportFormat(
            name="masks", title="PNG masks (zip)", suffix=".zip", write=export.to_mask_zip
        ),
    ),
)
