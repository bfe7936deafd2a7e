"""The photo clipping editor driven by real mouse and key events on its canvas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from taskkinds.photo_clip.checks import iou
from taskkinds.photo_clip.demo import Scene, generate_scene, write_scene
from taskkinds.photo_clip.editor import PhotoClipEditor, Tool
from taskkinds.photo_clip.geometry import regions_area, regions_bounding_box
from taskkinds.photo_clip.masks import rasterize
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Region
from taskkinds.photo_clip.tools import History
from widgets.background import run_inline

NO = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def scene() -> Scene:
    return generate_scene(5, 480, 320)


def open_editor(qtbot, folder: Path, scene: Scene, draft=None) -> PhotoClipEditor:  # type: ignore[no-untyped-def]
    write_scene(scene, folder / "images")
    editor = PhotoClipEditor(scene.payload, folder, draft, run_background=run_inline)
    qtbot.addWidget(editor)
    editor.resize(1000, 800)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


@pytest.fixture
def editor(qtbot, tmp_path: Path, scene: Scene) -> PhotoClipEditor:  # type: ignore[no-untyped-def]
    return open_editor(qtbot, tmp_path, scene)


def at(editor: PhotoClipEditor, x: float, y: float) -> QPoint:
    return editor.canvas.image_to_widget((x, y)).toPoint()


def click(qtbot, editor: PhotoClipEditor, x: float, y: float, modifiers=NO) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(editor.canvas, LEFT, modifiers, at(editor, x, y))


def drag(qtbot, editor: PhotoClipEditor, points, modifiers=NO) -> None:  # type: ignore[no-untyped-def]
    canvas = editor.canvas
    qtbot.mousePress(canvas, LEFT, modifiers, at(editor, *points[0]))
    for point in points[1:]:
        qtbot.mouseMove(canvas, at(editor, *point))
    qtbot.mouseRelease(canvas, LEFT, modifiers, at(editor, *points[-1]))


def key(qtbot, editor: PhotoClipEditor, k: Qt.Key, modifiers=NO) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(editor.canvas, k, modifiers)


def draw_polygon(qtbot, editor, points, modifiers=NO) -> None:  # type: ignore[no-untyped-def]
    for x, y in points:
        click(qtbot, editor, x, y, modifiers)
    key(qtbot, editor, Qt.Key.Key_Return)


SQUARE = [(100.0, 80.0), (300.0, 80.0), (300.0, 240.0), (100.0, 240.0)]


def assert_ring_close(ring, expected, tolerance: float) -> None:  # type: ignore[no-untyped-def]
    assert len(ring) == len(expected)
    assert np.abs(np.array(ring) - np.array(expected)).max() <= tolerance


def test_it_shows_the_instruction_and_the_photo(editor: PhotoClipEditor, scene: Scene) -> None:
    assert scene.payload.instruction in editor.instruction.text()
    assert editor.canvas.has_image() and editor.canvas.isVisible()
    assert editor.canvas.image_size() == (480, 320)


def test_clicks_and_enter_draw_one_region_with_those_vertices(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(editor.draftChanged) as changed:
        draw_polygon(qtbot, editor, SQUARE)
    result = PhotoClipResult.model_validate(changed.args[0])
    assert len(result.regions) == 1 and result.regions[0].holes == []
    half_pixel = 0.5 / editor.canvas.scale() + 1e-9
    assert_ring_close(result.regions[0].outer, SQUARE, half_pixel)
    assert editor.content() == changed.args[0]


def test_clicking_the_first_point_closes_and_escape_cancels(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    for x, y in SQUARE[:3]:
        click(qtbot, editor, x, y)
    key(qtbot, editor, Qt.Key.Key_Escape)
    key(qtbot, editor, Qt.Key.Key_Return)
    assert editor.regions == ()
    for x, y in [*SQUARE, SQUARE[0]]:
        click(qtbot, editor, x, y)
    assert len(editor.regions) == 1 and len(editor.regions[0].outer) == 4


def test_backspace_removes_the_last_point(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    for x, y in [*SQUARE, (400, 300)]:
        click(qtbot, editor, x, y)
    key(qtbot, editor, Qt.Key.Key_Backspace)
    key(qtbot, editor, Qt.Key.Key_Return)
    assert len(editor.regions[0].outer) == 4


def test_shift_drag_draws_a_simplified_freehand_polygon(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    path = [(100 + t, 80.0) for t in range(0, 201, 5)] + [(300.0, 80 + t) for t in range(5, 161, 5)]
    path += [(300 - t, 240.0) for t in range(5, 201, 5)]
    drag(qtbot, editor, path, Qt.KeyboardModifier.ShiftModifier)
    assert len(editor.regions) == 1
    outer = editor.regions[0].outer
    assert len(outer) <= 5  # the straight runs were simplified away
    assert regions_area(editor.regions) == pytest.approx(200 * 160, rel=0.02)  # closed


def test_dragging_a_vertex_moves_it_and_undo_redo_walk_the_history(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    draw_polygon(qtbot, editor, SQUARE)
    drawn = editor.regions
    key(qtbot, editor, Qt.Key.Key_E)
    assert editor.tool is Tool.EDIT
    with qtbot.waitSignal(editor.draftChanged):
        drag(qtbot, editor, [(300, 80), (320, 70), (340, 60)])
    moved = editor.regions
    tolerance = 0.5 / editor.canvas.scale() + 1e-9
    assert_ring_close(moved[0].outer, [SQUARE[0], (340, 60), *SQUARE[2:]], 2 * tolerance)
    key(qtbot, editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.regions == drawn
    key(qtbot, editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.regions == ()
    key(qtbot, editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left
    key(
        qtbot,
        editor,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.regions == drawn
    key(qtbot, editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.regions == moved


def test_a_move_that_would_cross_the_outline_is_shown_red_and_refused(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    draw_polygon(qtbot, editor, SQUARE)
    drawn = editor.regions
    key(qtbot, editor, Qt.Key.Key_E)
    canvas = editor.canvas
    qtbot.mousePress(canvas, LEFT, NO, at(editor, 300, 80))
    qtbot.mouseMove(canvas, at(editor, 60, 160))  # past the left edge: the outline crosses
    assert canvas._highlight is not None and canvas._highlight[1] is True
    qtbot.mouseRelease(canvas, LEFT, NO, at(editor, 60, 160))
    assert editor.regions == drawn
    assert "cross" in editor.status.text()


def test_clicking_an_edge_inserts_a_vertex_and_delete_removes_the_hovered_one(
    qtbot, editor
) -> None:  # type: ignore[no-untyped-def]
    draw_polygon(qtbot, editor, SQUARE)
    key(qtbot, editor, Qt.Key.Key_E)
    click(qtbot, editor, 200, 80)
    assert len(editor.regions[0].outer) == 5
    qtbot.mouseMove(editor.canvas, at(editor, 100, 240))
    key(qtbot, editor, Qt.Key.Key_Delete)
    outer = editor.regions[0].outer
    assert len(outer) == 4
    assert min(np.hypot(x - 100, y - 240) for x, y in outer) > 10


def test_brush_adds_area_and_eraser_removes_it(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    draw_polygon(qtbot, editor, SQUARE)
    before = regions_area(editor.regions)
    key(qtbot, editor, Qt.Key.Key_B)
    editor.brush_size.setValue(10)
    with qtbot.waitSignal(editor.draftChanged):
        drag(qtbot, editor, [(300, 160), (330, 160), (360, 160)])
    painted = regions_area(editor.regions)
    assert painted > before + 40 * 15
    key(qtbot, editor, Qt.Key.Key_X)
    assert editor.tool is Tool.ERASER
    drag(qtbot, editor, [(200, 60), (200, 160)])
    assert regions_area(editor.regions) < painted - 60 * 15
    key(qtbot, editor, Qt.Key.Key_B, Qt.KeyboardModifier.ShiftModifier)
    assert editor.tool is Tool.ERASER


def test_the_wheel_changes_the_brush_size(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    from tests.test_imagecanvas import wheel

    key(qtbot, editor, Qt.Key.Key_B)
    size = editor.brush_size.value()
    scale = editor.canvas.scale()
    wheel(editor.canvas, editor.canvas.rect().center().toPointF(), 2, NO)
    assert editor.brush_size.value() > size
    assert editor.canvas.scale() == scale


def test_an_alt_polygon_inside_a_region_cuts_a_hole(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    draw_polygon(qtbot, editor, SQUARE)
    draw_polygon(
        qtbot,
        editor,
        [(160, 120), (240, 120), (240, 200), (160, 200)],
        Qt.KeyboardModifier.AltModifier,
    )
    assert len(editor.regions) == 1
    region = editor.regions[0]
    assert len(region.holes) == 1
    assert regions_area(editor.regions) == pytest.approx(200 * 160 - 80 * 80, rel=0.02)
    mask = rasterize(list(editor.regions), 480, 320)
    assert not mask[160, 200] and mask[100, 120]


def test_a_box_gives_a_grabcut_proposal_close_to_the_gold(qtbot, editor, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    box = regions_bounding_box(scene.gold.regions)
    assert box is not None
    key(qtbot, editor, Qt.Key.Key_G)
    with qtbot.waitSignal(editor.draftChanged):
        drag(qtbot, editor, [(box.x - 12, box.y - 12), (box.right + 12, box.bottom + 12)])
    gold = rasterize(scene.gold.regions, 480, 320)
    assert iou(rasterize(list(editor.regions), 480, 320), gold) >= 0.9


def test_the_magic_wand_selects_a_flat_object(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    flat = generate_scene(3, 480, 320, flat=True)
    editor = open_editor(qtbot, tmp_path, flat)
    gold = rasterize(flat.gold.regions, 480, 320)
    rows, columns = np.nonzero(gold)
    key(qtbot, editor, Qt.Key.Key_W)
    click(qtbot, editor, columns[len(columns) // 2] + 0.5, rows[len(rows) // 2] + 0.5)
    assert iou(rasterize(list(editor.regions), 480, 320), gold) >= 0.9


def test_scissors_close_on_enter_into_a_region(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    flat = generate_scene(3, 480, 320, flat=True)
    editor = open_editor(qtbot, tmp_path, flat)
    outer = flat.gold.regions[0].outer
    key(qtbot, editor, Qt.Key.Key_S)
    for x, y in outer[:: len(outer) // 8]:
        click(qtbot, editor, x, y)
    key(qtbot, editor, Qt.Key.Key_Return)
    gold = rasterize(flat.gold.regions, 480, 320)
    assert iou(rasterize(list(editor.regions), 480, 320), gold) >= 0.85


def test_draft_changed_fires_once_per_completed_edit(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    drafts: list[dict] = []
    editor.draftChanged.connect(drafts.append)
    for x, y in SQUARE:
        click(qtbot, editor, x, y)
        qtbot.mouseMove(editor.canvas, at(editor, x + 5, y + 5))
    assert drafts == []
    key(qtbot, editor, Qt.Key.Key_Return)
    assert len(drafts) == 1
    key(qtbot, editor, Qt.Key.Key_E)
    drag(qtbot, editor, [(100, 80), (105, 85), (110, 90), (115, 95)])
    assert len(drafts) == 2
    key(qtbot, editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(drafts) == 3


def test_a_draft_is_restored(qtbot, tmp_path: Path, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    draft = PhotoClipResult(regions=[Region(outer=SQUARE)]).model_dump(mode="json")
    editor = open_editor(qtbot, tmp_path, scene, draft)
    assert editor.content() == draft
    damaged = open_editor(qtbot, tmp_path, scene, {"regions": "nonsense"})
    assert damaged.regions == ()


def test_a_truncated_photo_gets_a_clear_message_and_the_editor_still_opens(
    qtbot, tmp_path: Path, scene: Scene
) -> None:  # type: ignore[no-untyped-def]
    write_scene(scene, tmp_path / "images")
    photo = tmp_path / scene.payload.image
    photo.write_bytes(photo.read_bytes()[: photo.stat().st_size // 2])
    editor = PhotoClipEditor(scene.payload, tmp_path, None, run_background=run_inline)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.message.isVisible() and not editor.canvas.isVisible()
    assert "cannot be opened" in editor.message.text() and photo.name in editor.message.text()
    click(qtbot, editor, 10, 10)  # the tools do nothing without a photo
    assert editor.content() == {"version": 1, "regions": []}


def test_without_media_the_editor_opens_and_submits_an_empty_result(qtbot) -> None:  # type: ignore[no-untyped-def]
    payload = PhotoClipPayload(image="images/x.png", width=10, height=10, instruction="the dog")
    editor = PhotoClipEditor(payload, None, None)
    qtbot.addWidget(editor)
    assert "the dog" in editor.instruction.text()
    with qtbot.waitSignal(editor.submitRequested) as submitted:
        editor.request_submit()
    assert submitted.args[0] == {"version": 1, "regions": []}


def test_read_only_refuses_edits(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    editor.set_read_only(True)
    draw_polygon(qtbot, editor, SQUARE)
    assert editor.regions == ()


def test_overlay_toggles(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    from widgets.imagecanvas import OverlayMode

    key(qtbot, editor, Qt.Key.Key_O)
    assert editor.canvas.overlay_mode() is OverlayMode.OUTLINE
    key(qtbot, editor, Qt.Key.Key_C)
    assert editor.canvas.overlay_mode() is OverlayMode.CUTOUT
    key(qtbot, editor, Qt.Key.Key_C)
    key(qtbot, editor, Qt.Key.Key_O)
    assert editor.canvas.overlay_mode() is OverlayMode.FILLED
    editor.opacity.setValue(70)
    assert editor.canvas.overlay_opacity() == pytest.approx(0.7)


def test_history_is_unlimited_and_a_new_edit_drops_the_redo_branch() -> None:
    history = History()
    snapshots = [[Region(outer=[(0, 0), (n + 1, 0), (0, 1)])] for n in range(500)]
    for regions in snapshots:
        history.push(regions)
    for _ in range(500):
        assert history.undo()
    assert history.current == () and not history.undo()
    assert history.redo()
    history.push([])
    assert not history.can_redo()


def test_the_photo_and_assists_load_off_the_ui_thread_by_default(
    qtbot, tmp_path: Path, scene: Scene
) -> None:  # type: ignore[no-untyped-def]
    write_scene(scene, tmp_path / "images")
    editor = PhotoClipEditor(scene.payload, tmp_path, None)
    qtbot.addWidget(editor)
    editor.resize(1000, 800)
    editor.show()
    qtbot.waitUntil(editor.canvas.has_image, timeout=10_000)
    box = regions_bounding_box(scene.gold.regions)
    assert box is not None
    key(qtbot, editor, Qt.Key.Key_G)
    with qtbot.waitSignal(editor.draftChanged, timeout=20_000):
        drag(qtbot, editor, [(box.x - 12, box.y - 12), (box.right + 12, box.bottom + 12)])
    assert len(editor.regions) >= 1


@pytest.mark.parametrize("suffix", ["jpg", "webp", "png"])
def test_a_large_photo_paints_a_reduced_preview_first_then_the_full_photo(
    qtbot, tmp_path: Path, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 255, size=(1500, 2600, 3), dtype=np.uint8)
    (tmp_path / "images").mkdir()
    Image.fromarray(pixels).save(tmp_path / "images" / f"big.{suffix}", lossless=True)
    payload = PhotoClipPayload(
        image=f"images/big.{suffix}", width=2600, height=1500, instruction="x"
    )
    jobs: list = []  # run each background job only when the test says so
    editor = PhotoClipEditor(
        payload, tmp_path, None, run_background=lambda fn, done: jobs.append((fn, done))
    )
    qtbot.addWidget(editor)
    editor.show()

    fn, done = jobs.pop(0)
    done(fn())  # the reduced picture
    assert editor.canvas.shows_photo() and not editor.canvas.has_image()
    assert editor.canvas.image_size() == (2600, 1500)  # tools already work in photo pixels
    fn, done = jobs.pop(0)
    done(fn())  # full resolution, started only after the preview
    assert editor.canvas.has_image() and editor.canvas.image_size() == (2600, 1500)
    assert editor.image is None  # painted; the tools' view of its pixels comes next
    fn, done = jobs.pop(0)
    done(fn())
    assert editor.image is not None and editor.image.shape == (1500, 2600, 3)
    assert jobs == []
    if suffix != "jpg":  # lossless: the pixels the tools see are the file's
        assert np.array_equal(editor.image, pixels)


@pytest.mark.parametrize("suffix", ["webp", "png"])
def test_a_damaged_large_photo_says_so_after_no_preview(
    qtbot, tmp_path: Path, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    (tmp_path / "images").mkdir()
    path = tmp_path / "images" / f"big.{suffix}"
    Image.new("RGB", (2600, 1500), (200, 30, 30)).save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    payload = PhotoClipPayload(
        image=f"images/big.{suffix}", width=2600, height=1500, instruction="x"
    )
    editor = PhotoClipEditor(payload, tmp_path, None, run_background=run_inline)
    qtbot.addWidget(editor)
    assert "big." + suffix in editor.message.text()
    assert "Download the bundle again" in editor.message.text()


def test_edit_tool_selects_a_region_and_delete_removes_it_undoably(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    draw_polygon(qtbot, editor, SQUARE)
    draw_polygon(qtbot, editor, [(350, 100), (450, 100), (450, 200), (350, 200)])
    assert len(editor.regions) == 2
    key(qtbot, editor, Qt.Key.Key_E)
    assert not editor.delete_action.isEnabled()
    click(qtbot, editor, 200, 160)  # inside the square, away from its vertices and edges
    assert editor.selected_region == 0 and editor.canvas.selected_region() == 0
    assert editor.delete_action.isEnabled()
    qtbot.mouseMove(editor.canvas, at(editor, 20, 300))  # no vertex under the mouse
    key(qtbot, editor, Qt.Key.Key_Delete)
    assert len(editor.regions) == 1 and editor.regions[0].outer[0][0] >= 349
    assert editor.selected_region is None
    key(qtbot, editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.regions) == 2
    click(qtbot, editor, 20, 300)  # outside every region: nothing selected
    assert editor.selected_region is None
    click(qtbot, editor, 400, 150)
    assert editor.selected_region == 1
    key(qtbot, editor, Qt.Key.Key_Escape)
    assert editor.selected_region is None and editor.canvas.selected_region() is None


def test_scissors_legs_snap_to_edges_while_clicking(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    flat = generate_scene(3, 480, 320, flat=True)
    editor = open_editor(qtbot, tmp_path, flat)
    outer = flat.gold.regions[0].outer
    a, b = outer[0], outer[len(outer) // 6]
    key(qtbot, editor, Qt.Key.Key_S)
    click(qtbot, editor, *a)
    qtbot.mouseMove(editor.canvas, at(editor, *b))  # the live leg follows the cursor
    live = editor._trace.live
    assert live is not None and len(live) > 2
    click(qtbot, editor, *b)
    path = editor._trace.path()
    assert len(path) > 2  # a snapped leg, not the straight line between the two clicks
    gold = rasterize(flat.gold.regions, 480, 320)
    edge = gold ^ np.roll(gold, 1, axis=0) | gold ^ np.roll(gold, 1, axis=1)
    rows, columns = np.nonzero(edge)
    near = [
        np.min(np.hypot(columns + 0.5 - x, rows + 0.5 - y)) <= 3.0 for x, y in path
    ]  # every point of the leg lies on the object's edge
    assert all(near)
    key(qtbot, editor, Qt.Key.Key_Backspace)
    assert editor._trace.path() == [editor._trace.anchors[0]]


def test_tool_keys_work_after_choosing_a_brush_size(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    key(qtbot, editor, Qt.Key.Key_B)
    editor.brush_size.setFocus()
    editor.brush_size.selectAll()
    qtbot.keyClicks(editor.brush_size.lineEdit(), "30")
    qtbot.keyClick(editor.brush_size, Qt.Key.Key_Return)
    assert editor.brush_size.value() == 30
    assert editor.canvas.hasFocus()
    key(qtbot, editor, Qt.Key.Key_BracketRight)
    assert editor.brush_size.value() > 30
    key(qtbot, editor, Qt.Key.Key_P)
    assert editor.tool is Tool.POLYGON


def test_the_photo_is_held_once_and_the_assists_see_its_exact_pixels(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image
    from PySide6.QtGui import QColor

    from taskkinds.photo_clip.editor_photo import full_photo

    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, size=(601, 333, 3), dtype=np.uint8)  # bands and odd widths
    path = tmp_path / "photo.png"
    Image.fromarray(pixels).save(path)
    photo = full_photo(path)
    assert np.array_equal(photo.pixels, pixels)
    assert not photo.pixels.flags.writeable
    assert np.shares_memory(photo.pixels, np.frombuffer(photo.image.constBits(), np.uint8))
    r, g, b = (int(v) for v in pixels[600, 332])
    assert photo.image.pixelColor(332, 600) == QColor(r, g, b)


@pytest.mark.parametrize("cut", [0.5, 0.98])
def test_a_jpeg_cut_short_says_so_rather_than_showing_grey(
    qtbot, tmp_path: Path, cut: float
) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    (tmp_path / "images").mkdir()
    path = tmp_path / "images" / "cut.jpg"
    rng = np.random.default_rng(5)
    Image.fromarray(rng.integers(0, 255, size=(900, 1400, 3), dtype=np.uint8)).save(path)
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * cut)])
    payload = PhotoClipPayload(image="images/cut.jpg", width=1400, height=900, instruction="x")
    editor = PhotoClipEditor(payload, tmp_path, None, run_background=run_inline)
    qtbot.addWidget(editor)
    assert not editor.canvas.has_image()
    assert "cut.jpg" in editor.message.text() and "cut short" in editor.message.text()


def test_a_photo_with_transparency_or_grey_levels_opens_as_rgb(tmp_path: Path) -> None:
    from PIL import Image

    from taskkinds.photo_clip.editor_photo import full_photo

    rng = np.random.default_rng(9)
    rgba = rng.integers(0, 255, size=(120, 77, 4), dtype=np.uint8)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "alpha.png")
    grey = rng.integers(0, 255, size=(64, 90), dtype=np.uint8)
    Image.fromarray(grey, "L").save(tmp_path / "grey.png")
    assert np.array_equal(full_photo(tmp_path / "alpha.png").pixels, rgba[:, :, :3])
    assert np.array_equal(full_photo(tmp_path / "grey.png").pixels, np.dstack([grey] * 3))


def _large_photo(folder: Path, suffix: str) -> Path:
    from PIL import Image

    (folder / "images").mkdir(exist_ok=True)
    path = folder / "images" / f"large.{suffix}"
    rng = np.random.default_rng(11)
    Image.fromarray(rng.integers(0, 255, size=(1800, 2700, 3), dtype=np.uint8)).save(path)
    return path


@pytest.mark.parametrize("ready_first", [True, False])
def test_a_look_decoded_ahead_by_the_window_is_painted_without_decoding_again(
    qtbot, tmp_path: Path, ready_first: bool
) -> None:  # type: ignore[no-untyped-def]
    from widgets.imagepreview import MediaPreviews

    path = _large_photo(tmp_path, "jpg")
    previews = MediaPreviews()
    decodes: list = []
    previews.prefetch([path], decodes.append)  # the window hands it to a worker
    if ready_first:
        decodes.pop()()  # decoded before the editor exists
    payload = PhotoClipPayload(image="images/large.jpg", width=2700, height=1800, instruction="x")
    jobs: list = []
    editor = PhotoClipEditor(
        payload, tmp_path, None, run_background=lambda fn, done: jobs.append((fn, done)),
        previews=previews,
    )  # fmt: skip
    qtbot.addWidget(editor)
    if not ready_first:
        assert not editor.canvas.shows_photo() and jobs == []  # waiting for the window's
        with qtbot.waitSignal(previews.ready):
            decodes.pop()()
    assert editor.canvas.shows_photo() and not editor.canvas.has_image()
    [(fn, done)] = jobs  # only the full-resolution decode is left to the editor
    done(fn())
    assert editor.canvas.has_image() and editor.canvas.image_size() == (2700, 1800)
    assert previews.take(path) is None  # handed over once, not kept


def test_previews_skip_small_or_other_photos_and_a_failed_one_falls_back(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from widgets.imagepreview import PENDING, MediaPreviews, reduced_image

    png = _large_photo(tmp_path, "png")
    small = tmp_path / "images" / "small.jpg"
    Image.new("RGB", (300, 200)).save(small)
    cut = _large_photo(tmp_path, "webp")
    cut.write_bytes(cut.read_bytes()[:4000])
    assert reduced_image(png) is None and reduced_image(small) is None
    assert reduced_image(cut) is None
    reduced = reduced_image(_large_photo(tmp_path, "jpg"))
    assert reduced is not None and reduced.width() == 1350  # 1/2: at least 1,024 long

    previews = MediaPreviews()
    decodes: list = []
    previews.prefetch([png, small, cut], decodes.append)
    assert len(decodes) == 2 and previews.take(png) is None  # PNG: no reduced decode
    assert previews.take(cut) is PENDING
    payload = PhotoClipPayload(image="images/large.webp", width=2700, height=1800, instruction="x")
    editor = PhotoClipEditor(payload, tmp_path, None, run_background=run_inline, previews=previews)
    qtbot.addWidget(editor)
    for decode in decodes:
        decode()
    # The window's decode found nothing to show: the editor's own decode says what is wrong.
    qtbot.waitUntil(lambda: "large.webp" in editor.message.text(), timeout=5000)
