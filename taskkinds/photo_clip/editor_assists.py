"""The photo clipping editor's assists: box to GrabCut, magic wand, and scissors legs
that snap to the edges while the contributor clicks.

A mixin of ``PhotoClipEditor``. Every assist runs off the UI thread through the
editor's ``_run``; an answer that comes back after another edit is dropped. The
assists and masks (numpy, OpenCV) are imported by the first assist used, not with
the editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from taskkinds.photo_clip.model import Box, Point

# A mixin says its context: self.tr() would look texts up under the editor class's name.
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from taskkinds.photo_clip.editor import PhotoClipEditor

    _Base = PhotoClipEditor
else:
    _Base = object


class Assists(_Base):
    """GrabCut box, magic wand and live scissors."""

    # scissors: each leg snaps to the edges off the UI thread as soon as it is known

    def _add_anchor(self, p: Point) -> None:
        from taskkinds.photo_clip.assists import scissors_path

        self._trace.add(p)
        image = self.image
        assert image is not None
        for start, end in self._trace.missing_legs():

            def done(outcome: Any, start: Point = start, end: Point = end) -> None:
                if not isinstance(outcome, Exception) and self._trace.set_leg(start, end, outcome):
                    self._preview_open()

            self._run(lambda start=start, end=end: scissors_path(image, [start, end]), done)

    def _want_live_leg(self, cursor: Point) -> None:
        """Snap the leg from the last anchor to the cursor; one computation at a time,
        always for the latest cursor position."""
        if self._live_busy:
            self._live_wanted = cursor
            return
        image, start = self.image, self._trace.anchors[-1] if self._trace.anchors else None
        if image is None or start is None:
            return
        from taskkinds.photo_clip.assists import scissors_path

        self._live_busy, self._live_wanted = True, None

        def done(outcome: Any) -> None:
            self._live_busy = False
            if not isinstance(outcome, Exception) and self._trace.set_live(start, outcome):
                self._preview_open()
            if self._live_wanted is not None and self._trace.anchors:
                self._want_live_leg(self._live_wanted)

        self._run(lambda: scissors_path(image, [start, cursor]), done)

    # assists

    def _assist_failed(self, outcome: Any, edits: int) -> bool:
        """Report a failed assist; also True when the regions changed meanwhile."""
        if isinstance(outcome, Exception):
            self.status.setText(str(outcome))
            return True
        if edits != self._edits:
            self.status.setText(
                translate("Assists", "The proposal came after another edit and was dropped.")
            )
            return True
        self._update_hint()
        return False

    def _run_grabcut(self, start: Point, end: Point) -> None:
        from taskkinds.photo_clip.assists import grabcut_proposal
        from taskkinds.photo_clip.masks import union

        width, height = self._size()
        x0, x1 = sorted((min(max(start[0], 0), width), min(max(end[0], 0), width)))
        y0, y1 = sorted((min(max(start[1], 0), height), min(max(end[1], 0), height)))
        if x1 - x0 < 4 or y1 - y0 < 4:
            self.status.setText(translate("Assists", "Drag a larger box around the object."))
            return
        image, box, edits = self.image, Box(x=x0, y=y0, w=x1 - x0, h=y1 - y0), self._edits
        assert image is not None
        self.status.setText(translate("Assists", "Finding the object…"))

        def done(outcome: Any) -> None:
            if self._assist_failed(outcome, edits):
                return
            if not outcome:
                self.status.setText(
                    translate("Assists", "Nothing found in the box: try a tighter box.")
                )
                return
            self._commit(union(self.history.current, outcome, width, height))

        self._run(lambda: grabcut_proposal(image, box), done)

    def _run_wand(self, p: Point, subtracting: bool) -> None:
        from taskkinds.photo_clip.assists import magic_wand
        from taskkinds.photo_clip.masks import subtract, union

        image, tolerance, edits = self.image, self.tolerance.value(), self._edits
        assert image is not None
        width, height = self._size()
        self.status.setText(translate("Assists", "Selecting similar colours…"))

        def done(outcome: Any) -> None:
            if self._assist_failed(outcome, edits) or not outcome:
                return
            edit = subtract if subtracting else union
            self._commit(edit(self.history.current, outcome, width, height))

        self._run(lambda: magic_wand(image, p, tolerance), done)
