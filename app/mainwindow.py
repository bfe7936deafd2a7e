"""The main window: task queue, the open task's editor, the outbox and the status bar."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.activity import TaskTime
from app.changes import SUBMITTED_STATES, Change
from app.context import AppContext
from app.formatting import duration_text, money
from app.i18n import format_title, kind_title, remember_language, saved_language
from app.kind_memory import KindMemories
from app.leases import lease_times
from app.preferences import (
    Preferences,
    PreferencesDialog,
    load_preferences,
    save_preferences,
)
from app.queue_view import QueuePanel
from app.taskpane import TaskPane
from app.tasks import op
from app.worktime import BreakBanner, WorkTime
from widgets.imagepreview import MediaPreviews
from widgets.paintwatch import after_next_paint

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from app.earnings_view import EarningsView
    from app.importer import ImportOutcome
    from app.outbox_view import OutboxView
    from app.server_link import ServerLink
    from app.store import Store
    from taskkinds import Registry, TaskKind

log = logging.getLogger(__name__)


def _ignore(_value: object) -> None:
    """A background step's result nobody waits for."""


FIRST_ROWS = 200  # the queue's first screenful, shown before the rest is read
CONTENT_WAIT_MS = 1500  # start-up work waits at most this long for a resumed task's photo
LAST_TASK_SETTING = "window.last_task"  # reopened at the next start


def _first_rows(store: Store) -> tuple[list, list, int, str | None]:
    """The queue's first screenful, its bundles, how many tasks in all, the task to resume."""
    rows = store.tasks(limit=FIRST_ROWS)
    total = len(rows) if len(rows) < FIRST_ROWS else store.task_count()
    return rows, store.bundles(), total, store.setting(LAST_TASK_SETTING)


@dataclass
class OpenTask:
    key: str
    kind: TaskKind
    payload: Any
    read_only: bool


@dataclass(frozen=True)
class StatusSnapshot:
    waiting: int
    earnings_today: dict[str, Decimal]
    leases: list[dict[str, Any]]
    server_offset_s: float


class MainWindow(QMainWindow):
    """The shell shows at once; the store and the kinds load on the database worker."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        server_url: str | None = None,
        auto_sign_in: tuple[str, str] | None = None,
        auto_claim: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.server_url = server_url
        self.auto_sign_in = auto_sign_in
        self.auto_claim = auto_claim
        self._editors_ini: QSettings | None = None
        self.previews = MediaPreviews(self)
        self.lease_times: dict = {}
        self.prefs = Preferences()
        self.memories = KindMemories(ctx)
        self.link: ServerLink | None = None
        self.current: OpenTask | None = None
        self._opening: str | None = None
        self.error_box: QMessageBox | None = None
        self._kinds_requested = False
        from app.autosave import DraftAutosaver

        # 750 ms leaves room for the write itself inside the one-second promise.
        self.autosaver = DraftAutosaver(self._save_draft, quiet_ms=300, max_ms=750, parent=self)
        self._queue_started = False  # the first screenful of the queue has been shown
        self._after_start: list = []  # start-up work waiting for the first screen
        opened = ctx.ready  # tests and scripts open it first; the window opens it on a worker
        if not opened:
            # The database worker opens the profile while the window is built; the first
            # screenful is read right after (``_open_profile``), which reports failures.
            op(ctx.load_store).success(_ignore).failure(_ignore).run(ctx.db)
        self.setWindowTitle(self.tr("Ouvrage — demo") if ctx.demo else "Ouvrage")
        self.setAcceptDrops(True)
        self._build_ui()
        self._build_menus()
        self._restore_geometry()
        if opened:
            self._fill_menus()
            self._kinds_requested = ctx.registry is not None  # loaded with the store
            self._store_ready(ctx)
            self._build_link()
            if self._kinds_requested:
                self._kinds_ready(ctx)
        else:
            self._after_start.insert(0, self._fill_menus)  # before anything that needs them
            self.pane.show_message(self.tr("Opening your profile…"), str(ctx.profile.root))
            self._queue_started = True
            op(self._open_profile).success(self._profile_opened).failure(
                self._context_failed
            ).run(ctx.db)

    def _open_profile(self) -> tuple[list, list, int, str | None]:
        """On the database worker: open the store and read the queue's first screenful."""
        store = self.ctx.load_store().store
        assert store is not None
        return _first_rows(store)

    def _profile_opened(self, first: tuple[list, list, int, str | None]) -> None:
        self._first_rows_loaded(first)
        self.refresh_outbox()
        op(load_preferences, self.store).success(self._preferences_loaded).run(self.ctx.db)

    @property
    def store(self) -> Store:
        assert self.ctx.store is not None, "used before the profile was opened"
        return self.ctx.store

    @property
    def registry(self) -> Registry:
        assert self.ctx.registry is not None, "used before the kinds were loaded"
        return self.ctx.registry

    def _store_ready(self, ctx: AppContext) -> None:
        self.refresh_queue()
        self.refresh_outbox()
        op(load_preferences, ctx.store).success(self._preferences_loaded).run(ctx.db)

    def _build_link(self) -> None:
        """The server's side of the window: catalogue, earnings and qualifications tabs and
        the Server menu. Built once the queue is on screen, its modules imported off the UI
        thread first (see ``_queue_shown``)."""
        if self.link is not None or self.ctx.store is None:
            return
        from app.server_link import ServerLink

        self.link = ServerLink(
            self,
            server_url=self.server_url,
            auto_sign_in=self.auto_sign_in,
            auto_claim=self.auto_claim,
        )
        self.tabs.addTab(self.link.catalogue, self.tr("Catalogue"))
        from app.earnings_view import EarningsView

        self._earnings_view = EarningsView(self.ctx, self)  # reads nothing until first shown
        self.tabs.addTab(self._earnings_view, self.tr("Earnings"))
        self.tabs.addTab(self.link.qualifications, self.tr("Qualifications"))
        self.link.service.stateChanged.connect(self._sync_state_changed)
        self.link.install(self.server_menu, self.network_label)

    def _load_kinds(self) -> None:
        # After the queue is on screen: importing the kinds' models holds the GIL for a while.
        if not self._kinds_requested:
            self._kinds_requested = True
            op(self.ctx.load_kinds).success(self._kinds_ready).failure(self._context_failed).run(
                self.ctx.db
            )

    def _kinds_ready(self, _ctx: AppContext) -> None:
        for kind in self.registry:
            self.queue_panel.add_kind(kind.id, kind_title(kind))
            for fmt in kind.export_formats:
                text = self.tr("%1 as %2…").replace("%1", kind_title(kind))
                self.export_menu.addAction(
                    self._action(
                        text.replace("%2", format_title(fmt)),
                        None,
                        lambda _=False, k=kind, f=fmt.name: self.choose_export(k, f),
                    )
                )
        self._kinds_loaded = True
        self._fill_menus()
        for action in self._needs_profile:
            action.setEnabled(True)
        if self.link is not None:
            self.link.set_kind_titles({kind.id: kind_title(kind) for kind in self.registry})

    def _context_failed(self, exc: BaseException) -> None:
        self._fill_menus()  # Quit, Preferences and Help work with no profile
        self.pane.show_message(self.tr("This profile cannot be opened"), str(exc))
        self.report_error(exc)

    # ---------------------------------------------------------------- layout

    def _build_ui(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)

        work = QWidget(self)
        work_column = QVBoxLayout(work)
        work_column.setContentsMargins(4, 4, 4, 4)
        self.break_banner = BreakBanner(work)
        work_column.addWidget(self.break_banner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, work)
        work_column.addWidget(self.splitter, 1)

        self.queue_panel = QueuePanel(self.splitter)
        self.queue_panel.taskChosen.connect(self.open_task)
        # Short names the rest of the window (and the tests) use.
        self.queue_model = self.queue_panel.model
        self.queue_proxy = self.queue_panel.proxy
        self.queue = self.queue_panel.table
        self.kind_filter = self.queue_panel.kind_filter
        self.bundle_filter = self.queue_panel.bundle_filter
        self.state_filter = self.queue_panel.state_filter
        self.queue_count = self.queue_panel.count

        self.pane = TaskPane(self.splitter)
        self.pane.importRequested.connect(self.choose_bundles)
        self.pane.submitClicked.connect(self.submit_current)
        self.pane.previousClicked.connect(lambda: self.move_task(-1))
        self.pane.nextClicked.connect(lambda: self.move_task(1))
        self.splitter.addWidget(self.queue_panel)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 620])

        self.tabs.addTab(work, self.tr("Tasks"))
        self.work_time = WorkTime(
            lambda: self.pane.editor, self.break_banner, watch=False, parent=self
        )
        self._after_start.append(self.work_time.watch)  # once the first screen is painted
        self.work_time.finished.connect(self._keep_task_time)
        self.work_time.suggestion.connect(lambda text: self.statusBar().showMessage(text, 15000))
        # The outbox view is built the first time it is shown: start-up only pays for the queue.
        self._outbox_view: OutboxView | None = None
        self._earnings_view: EarningsView | None = None
        self._outbox_rows: list = []
        self.tabs.addTab(QWidget(self), self.tr("Outbox"))
        self.tabs.currentChanged.connect(lambda index: index == 1 and self.outbox_view)

        bar = self.statusBar()
        self.profile_label = QLabel(self)
        self.profile_label.setText(self.tr("Profile: %1").replace("%1", str(self.ctx.profile.root)))
        self.profile_label.setToolTip(str(self.ctx.profile.root))
        self.network_label = QLabel(self.tr("Offline — no server set up"), self)
        self.network_label.setObjectName("networkState")
        self.waiting_label = QLabel(self)
        self.waiting_label.setObjectName("waitingCount")
        self.earnings_label = QLabel(self)
        self.earnings_label.setObjectName("earningsToday")
        self.lease_label = QLabel(self)
        self.lease_label.setObjectName("leaseWarning")
        self.lease_label.hide()
        # Lease time runs out offline too: look again every minute.
        self._lease_timer = QTimer(self)
        self._lease_timer.setInterval(60_000)
        self._lease_timer.timeout.connect(self.refresh_status)
        self._lease_timer.start()
        for widget in (
            self.lease_label,
            self.network_label,
            self.waiting_label,
            self.earnings_label,
        ):
            bar.addPermanentWidget(widget)
        bar.addWidget(self.profile_label, 1)
        self.pane.show_placeholder(has_tasks=False)

    def _build_menus(self) -> None:
        """The menu bar's titles, in place from the first frame so nothing moves; their
        entries follow in ``_fill_menus``, after the first screen at start-up."""
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.export_menu = self.file_menu.addMenu(self.tr("&Export results"))
        self.task_menu = bar.addMenu(self.tr("&Task"))
        self.server_menu = bar.addMenu(self.tr("&Server"))
        self.view_menu = bar.addMenu(self.tr("&View"))
        self.help_menu = bar.addMenu(self.tr("&Help"))
        self._menus_filled = False
        self._kinds_loaded = False

    def _fill_menus(self) -> None:
        """The menus' entries and shortcuts, the help and the tour (once)."""
        if self._menus_filled:
            return
        self._menus_filled = True
        file_menu = self.file_menu
        self.import_action = self._action(
            self.tr("&Import bundle…"), QKeySequence.StandardKey.Open, self.choose_bundles
        )
        file_menu.insertAction(self.export_menu.menuAction(), self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Preferences…"), "Ctrl+,", self.edit_preferences))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        )

        task_menu = self.task_menu
        self.submit_action = self._action(self.tr("&Submit"), None, self.submit_current)
        self.submit_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        task_menu.addAction(self.submit_action)
        task_menu.addAction(
            self._action(self.tr("&Previous task"), "Alt+Left", lambda: self.move_task(-1))
        )
        task_menu.addAction(
            self._action(self.tr("&Next task"), "Alt+Right", lambda: self.move_task(1))
        )

        self._needs_profile = [self.import_action, self.submit_action]
        for action in self._needs_profile:
            action.setEnabled(self._kinds_loaded)

        view_menu = self.view_menu
        view_menu.addAction(
            self._action(self.tr("&Tasks"), "Ctrl+1", lambda: self.tabs.setCurrentIndex(0))
        )
        view_menu.addAction(
            self._action(self.tr("&Outbox"), "Ctrl+2", lambda: self.tabs.setCurrentIndex(1))
        )
        view_menu.addAction(
            self._action(self.tr("&Catalogue"), "Ctrl+3", lambda: self.tabs.setCurrentIndex(2))
        )
        view_menu.addAction(
            self._action(self.tr("&Earnings"), "Ctrl+4", lambda: self.tabs.setCurrentIndex(3))
        )
        view_menu.addAction(
            self._action(
                self.tr("&Qualifications"), "Ctrl+5", lambda: self.tabs.setCurrentIndex(4)
            )
        )

        help_menu = self.help_menu
        help_menu.addAction(self._action(self.tr("&About Ouvrage"), None, self._about))
        from app.help import install_help  # shortcut sheet, tour, diagnostics, zoom, colours

        self.help_actions = install_help(self, help_menu, view_menu)

    def _action(self, text: str, shortcut: Any, slot: Any) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ---------------------------------------------------------------- queue

    def refresh_queue(self) -> None:
        store = self.store
        if self._queue_started:
            op(lambda: (store.tasks(), store.bundles())).success(self._queue_loaded).failure(
                self.report_error
            ).run(self.ctx.db)
            return
        # At start: a screenful first (and the task to resume), the rest after it.
        self._queue_started = True
        op(_first_rows, store).success(self._first_rows_loaded).failure(self.report_error).run(
            self.ctx.db
        )

    def _first_rows_loaded(self, loaded: tuple[list, list, int, str | None]) -> None:
        rows, bundles, total, last_task = loaded
        self.queue_panel.show_first_rows(rows, bundles, total)
        self._after_start.append(self._load_kinds)
        if len(rows) < total:
            self._after_start.append(self._read_other_rows)
        if self.link is None:
            self._after_start.append(self._prepare_link)
        resuming = self.current is None and self._opening is None and isinstance(last_task, str)
        if resuming:
            # Where the contributor left off; the rest waits until that task is on screen.
            self.pane.show_message(self.tr("Reopening the task you left open…"), "")
            self.open_task(last_task, resuming=True)
        self._queue_shown(bool(rows))
        if not resuming:
            self._start_after_paint(self.queue.viewport())

    def _start_after_paint(self, widget: QWidget) -> None:
        """The start-up work that waited, once ``widget`` has painted what it was given
        (at once if it is not on screen; after ``CONTENT_WAIT_MS`` at the latest)."""
        if not widget.isVisible():
            self._start_later()
            return
        after_next_paint(widget, self._start_later)
        QTimer.singleShot(CONTENT_WAIT_MS, self._start_later)

    def _start_later(self) -> None:
        """Run the start-up work that waited for the first screen (the rest of the queue,
        the server tabs): posted, so whatever is already waiting to paint paints first."""
        work, self._after_start = self._after_start, []
        for step in work:
            QTimer.singleShot(0, step)

    def _read_other_rows(self) -> None:
        # Python on a worker competes with painting for the GIL: read once painted.
        op(self.store.tasks, offset=self.queue_model.rowCount()).success(
            self._other_rows_loaded
        ).failure(self.report_error).run(self.ctx.db)

    def _prepare_link(self) -> None:
        # The server tabs' modules (pydantic wire models) are imported on a worker;
        # building their widgets then takes the UI thread briefly.
        op(importlib.import_module, "app.server_link").success(
            lambda _module: self._build_link()
        ).failure(self.report_error).run(self.ctx.net)

    def _other_rows_loaded(self, rows: list) -> None:
        self.queue_panel.append_rows(rows)
        if self.current is not None:
            self.queue_panel.select(self.current.key)
            self._show_position(self.current.key)

    def _queue_loaded(self, loaded: tuple[list, list]) -> None:
        rows, bundles = loaded
        self.queue_panel.set_contents(rows, bundles)
        self._queue_shown(bool(rows))
        self._load_kinds()

    def _queue_shown(self, has_tasks: bool) -> None:
        if self.current is not None:
            self.queue_panel.select(self.current.key)
        elif self._opening is None:
            self.pane.show_placeholder(has_tasks=has_tasks)
        self.refresh_status()

    def move_task(self, step: int) -> None:
        """Open the previous or next task in the filtered queue (Alt+Left / Alt+Right)."""
        self.queue_panel.move(step)

    # ---------------------------------------------------------------- opening a task

    def open_task(self, key: str, *, resuming: bool = False) -> None:
        """Load ``key`` and show it in its editor. ``resuming``: the task open when Ouvrage
        last closed, reopened at start unless it has been submitted or removed since."""
        if self.current and self.current.key == key:
            return
        self.autosaver.flush()
        self._opening = key
        store, ctx, previews = self.store, self.ctx, self.previews

        def load() -> tuple[dict, dict | None] | None:
            from app.store import TaskNotFound

            try:
                task = store.task(key)
            except TaskNotFound:
                if resuming:
                    return None
                raise
            if resuming and task["state"] not in ("new", "draft"):
                return None
            # Photos start decoding at a reduced size (GIL released) while the kind and
            # its editor are imported below.
            folder = ctx.profile.bundle_dir(task["bundle_id"])
            previews.prefetch(
                (folder / name for name in task["media"] if isinstance(name, str)),
                lambda decode: ctx.net.submit(decode, _ignore, log.warning),
            )
            # Its kind (only it, if the others are not loaded yet) and the editor's module
            # (it creates no widget) are imported here, not on the UI thread.
            from taskkinds import LazyFunction

            kind = ctx.kind(task["kind"])
            kind.load_editor()
            with contextlib.suppress(ValueError):  # parsed again on the UI thread, which
                task["parsed_payload"] = kind.parse_payload(task["payload"])  # says why
            if task["state"] in SUBMITTED_STATES:
                latest = store.latest_outbox_row(key)
                task["note"] = latest.note if latest else ""
                content = store.submitted_result(key)
            else:
                content = store.draft(key)
            if content is not None and isinstance(kind.validate, LazyFunction):
                kind.validate.resolve()  # the draft is checked as it is shown
            return task, content

        op(load).success(self._task_loaded).failure(self._task_failed).run(self.ctx.db)
        if not resuming:  # at start-up the other kinds wait until the task is on screen
            self._load_kinds()  # for the menus and filters, after the task

    def _nothing_opened(self) -> None:
        """The task asked for will not open: the placeholder unless another is shown, and
        the start-up work that waited for it."""
        self._opening = None
        if self.current is None:
            self.pane.show_placeholder(has_tasks=self.queue_model.rowCount() > 0)
        self._start_later()

    def _task_failed(self, exc: BaseException) -> None:
        self._nothing_opened()
        self.report_error(exc)

    def _task_loaded(self, loaded: tuple[dict, dict | None] | None) -> None:
        if loaded is None:  # nothing to resume
            self._nothing_opened()
            return
        task, content = loaded
        if task["id"] != self._opening:
            return  # the contributor moved on while it loaded
        try:
            self._show_loaded(task, content)
        finally:
            if self._after_start:
                self._start_after_content(self.pane.editor)

    def _start_after_content(self, editor: QWidget | None) -> None:
        """The start-up work that waited, once ``editor`` has its content on screen: its
        ``contentShown`` (a photo decoded off the UI thread, then painted), or its first
        paint for editors that show their content as they are built."""
        shown = getattr(editor, "contentShown", None)
        if shown is None:
            if editor is None:
                self._start_later()
            else:
                self._start_after_paint(editor)
            return
        shown.connect(self._start_later)  # once the photo is painted
        QTimer.singleShot(CONTENT_WAIT_MS, self._start_later)  # a photo that never comes

    def _show_loaded(self, task: dict, content: dict | None) -> None:
        try:
            kind = self.registry.get(task["kind"])
            payload = task.get("parsed_payload") or kind.parse_payload(task["payload"])
            editor_class = kind.load_editor()
        except (LookupError, ValueError) as exc:  # UnknownKind is a LookupError
            self.report_error(exc)
            return
        read_only = task["state"] in SUBMITTED_STATES
        options: dict[str, Any] = {}
        accepted = inspect.signature(editor_class).parameters
        if "settings" in accepted:
            options["settings"] = self._editor_settings()  # the editor's own preferences
        if "previews" in accepted:
            options["previews"] = self.previews  # photos' reduced looks decoded ahead
        editor = editor_class(
            payload, self.ctx.profile.bundle_dir(task["bundle_id"]), content, **options
        )
        key = task["id"]
        editor.draftChanged.connect(lambda c, key=key: self._editor_changed(key, c))
        if kind.memory is not None and hasattr(editor, "set_memory"):
            self.memories.request(kind, payload, lambda m, e=editor: self._give_memory(e, m))
            memory_key = kind.memory.key(payload)
            if hasattr(editor, "memoryLearned"):
                editor.memoryLearned.connect(
                    lambda records, kind=kind, k=memory_key: self.memories.keep(kind, k, records)
                )
        editor.submitRequested.connect(lambda c, key=key: self._submit(key, c))
        self.current = OpenTask(key, kind, payload, read_only)
        if not read_only:
            op(self.store.set_setting, LAST_TASK_SETTING, key).failure(self.report_error).run(
                self.ctx.db
            )
        position = self._position_text(key)
        held = self.lease_times.get(task["bundle_id"])
        lease = (
            self.tr("Lease: %1 left").replace("%1", duration_text(held.left))
            if held is not None and held.level != "expired"
            else self.tr("Lease ended")
            if held is not None
            else ""
        )
        self.pane.show_task(
            task,
            editor,
            read_only=read_only,
            position=position,
            kind_title=kind_title(kind),
            lease=lease,
        )
        if read_only and hasattr(editor, "set_read_only"):
            editor.set_read_only(True)
        self.queue_panel.select(key)
        self._check(editor.content() if content is not None else None)
        if not read_only and hasattr(editor, "focus_first_empty"):
            editor.focus_first_empty()
        if read_only:
            self.work_time.stop()
        else:
            self.work_time.start(key)
        self._import_checks(kind)

    def _import_checks(self, kind: TaskKind) -> None:
        """Import the kind's checks (a clipping task's need numpy) off the UI thread before
        the first edit runs them: at start-up once the task is on screen, else now."""
        from taskkinds import LazyFunction

        checks = kind.validate
        if not isinstance(checks, LazyFunction) or checks.resolved:
            return

        def step() -> None:
            op(checks.resolve).failure(self.report_error).run(self.ctx.net)

        if self._after_start:
            self._after_start.append(step)
        else:
            step()

    def _position_text(self, key: str) -> str:
        where = self.queue_panel.position_of(key)
        if where is None:
            return ""
        return self.tr("Task %1 of %2").replace("%1", str(where[0])).replace("%2", str(where[1]))

    def _show_position(self, key: str) -> None:
        """Say again where ``key`` stands in the queue (once all of it is read)."""
        self.pane.set_position(self._position_text(key))

    # ---------------------------------------------------------------- preferences

    def _preferences_loaded(self, prefs: Preferences) -> None:
        """The saved preferences, once the store is open; the language's mirror in
        window.ini (read at start, before the database opens) follows the store, except
        in the demo, whose database starts empty but whose window.ini is kept."""
        root = self.ctx.profile.root
        mirrored = saved_language(root)
        if self.ctx.demo and not prefs.language and mirrored:
            prefs.language = mirrored
        elif prefs.language != mirrored:
            try:
                remember_language(root, prefs.language)
            except OSError as exc:  # a read-only profile: the next start follows the system
                log.warning("cannot keep the language in window.ini: %s", exc)
        self.apply_preferences(prefs)

    def apply_preferences(self, prefs: Preferences) -> None:
        """Use ``prefs`` from now on (work time, breaks, runs, lease warnings)."""
        self.prefs = prefs
        timing = self.work_time
        timing.timer.idle_after_s = float(prefs.idle_after_s)
        timing.reminder.work_s = prefs.break_minutes * 60.0
        timing.reminder.snooze_s = prefs.snooze_minutes * 60.0
        timing.run.suggest_after = prefs.kind_run
        if self.ctx.store is not None:
            self.refresh_status()

    def _sync_state_changed(self, state: Any) -> None:
        # A pass may have brought ledger entries: the earnings view reads them again.
        if state.kind == "synced" and self._earnings_view is not None:
            self._earnings_view.refresh()

    def edit_preferences(self) -> None:
        if self.ctx.store is None:
            return
        dialog = PreferencesDialog(self.prefs, parent=self)
        if not dialog.exec():
            return
        prefs = dialog.preferences()
        op(save_preferences, self.store, prefs).failure(self.report_error).run(self.ctx.db)
        if prefs.language != self.prefs.language:
            try:
                remember_language(self.ctx.profile.root, prefs.language)
            except OSError as exc:
                self.report_error(exc)
            self.statusBar().showMessage(
                self.tr("The new language applies the next time Ouvrage starts."), 8000
            )
        self.apply_preferences(prefs)
        if self._earnings_view is not None:
            self._earnings_view.refresh()  # the reference wage may have changed

    def _keep_task_time(self, measured: TaskTime) -> None:
        op(self.store.add_task_time, measured.key, measured.active_s, measured.spent_s).failure(
            self.report_error
        ).run(self.ctx.db)

    def _give_memory(self, editor: QWidget, memory: Any) -> None:
        """Hand a built memory to ``editor`` unless the contributor closed it meanwhile."""
        import shiboken6

        if shiboken6.isValid(editor):
            editor.set_memory(memory)

    # ---------------------------------------------------------------- drafts and submit

    def _editor_changed(self, key: str, content: dict) -> None:
        if not self.current or self.current.key != key or self.current.read_only:
            return
        self.autosaver.edited(key, content)
        self.pane.set_save_state(self.tr("Editing…"))
        self._check(content)

    def _check(self, content: dict | None) -> list:
        """Run the kind's checks and show their problems inline; returns them."""
        if self.current is None or content is None:
            self.pane.set_problems([])
            if self.pane.editor is not None and hasattr(self.pane.editor, "show_problems"):
                self.pane.editor.show_problems([])
            return []
        try:
            result = self.current.kind.parse_result(content)
            problems = self.current.kind.validate(self.current.payload, result)
        except ValueError as exc:
            from taskkinds import Problem

            problems = [Problem("invalid_result", str(exc))]
        self.pane.set_problems(problems)
        if self.pane.editor is not None and hasattr(self.pane.editor, "show_problems"):
            self.pane.editor.show_problems(problems)
        return problems

    def _save_draft(self, key: str, content: dict) -> None:
        op(self.store.save_draft, key, content).success(
            lambda change, key=key: self._draft_saved(key, change)
        ).failure(self.report_error).run(self.ctx.db)

    def _draft_saved(self, key: str, change: Change) -> None:
        if self.current and self.current.key == key and not self.autosaver.dirty:
            saved = QLocale().toString(datetime.now().time(), QLocale.FormatType.ShortFormat)
            self.pane.set_save_state(self.tr("Draft saved %1").replace("%1", saved))
        self._apply_change(change)

    def submit_current(self) -> None:
        editor = self.pane.editor
        if self.current is None or editor is None or self.current.read_only:
            return
        editor.request_submit()

    def _submit(self, key: str, content: dict) -> None:
        problems = self._check(content)
        blocking = [p for p in problems if p.blocking]
        if blocking:
            self.statusBar().showMessage(
                self.tr("Fix the %n problem(s) marked ✖ before submitting.", None, len(blocking)),
                8000,
            )
            return
        self.autosaver.discard(key)
        learned = self.current if self.current and self.current.key == key else None
        if learned is not None:
            # Its time goes to the store first: the result is sent with it.
            self.work_time.submitted(learned.kind.id, kind_title(learned.kind))
        op(self.store.submit, key, content).success(
            lambda _uuid, key=key: self._submitted(key, learned, content)
        ).failure(self.report_error).run(self.ctx.db)

    def _submitted(
        self, key: str, task: OpenTask | None = None, content: dict | None = None
    ) -> None:
        if task is not None and content is not None:
            try:
                self.memories.learn(task.kind, task.payload, task.kind.parse_result(content))
            except ValueError:
                log.warning("a submitted %s result did not parse", task.kind.id)
        if self.link is not None:
            self.link.submitted()
        self.statusBar().showMessage(self.tr("Result queued for sending."), 5000)
        self._apply_change(Change(tasks=frozenset({key}), outbox=True))
        if self.current and self.current.key == key:
            self.current.read_only = True
            nxt = self.queue_panel.next_open(key)
            if nxt is not None:
                self._opening = None
                self.current = None
                self.queue_panel.select(nxt)
                self.open_task(nxt)
            else:
                self.current = None
                self.open_task(key)

    def _apply_change(self, change: Change) -> None:
        if change.tasks:
            op(self.store.task_rows, change.tasks).success(self._rows_changed).run(self.ctx.db)
        if change.outbox:
            self.refresh_outbox()
        if change.bundles:
            self.refresh_queue()

    def _rows_changed(self, rows: list) -> None:
        self.queue_panel.update_rows(rows)
        if self.current:
            self.queue_panel.select(self.current.key)
        self.refresh_status()

    # ---------------------------------------------------------------- outbox and status

    def refresh_outbox(self) -> None:
        op(self.store.outbox).success(self._outbox_loaded).failure(self.report_error).run(
            self.ctx.db
        )

    @property
    def outbox_view(self) -> OutboxView:
        if self._outbox_view is None:
            from app.outbox_view import OutboxView

            self._outbox_view = OutboxView(self)
            self._outbox_view.set_rows(self._outbox_rows)
            text, current = self.tabs.tabText(1), self.tabs.currentIndex()
            placeholder = self.tabs.widget(1)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, self._outbox_view, text)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            placeholder.deleteLater()
        return self._outbox_view

    def _outbox_loaded(self, rows: list) -> None:
        self._outbox_rows = rows
        if self._outbox_view is not None:
            self._outbox_view.set_rows(rows)
        waiting = sum(1 for row in rows if row.state == "queued")
        self.tabs.setTabText(
            1, self.tr("Outbox (%1)").replace("%1", str(waiting)) if waiting else self.tr("Outbox")
        )
        self.refresh_status()

    def refresh_status(self) -> None:
        store = self.store

        def snapshot() -> StatusSnapshot:
            return StatusSnapshot(
                store.outbox_waiting(),
                store.earnings_on(datetime.now(UTC).date()),
                store.leases(["claimed", "downloading", "imported"]),
                float(store.setting("server_clock_offset_s", 0.0) or 0.0),
            )

        op(snapshot).success(self._status_loaded).run(self.ctx.db)

    def _status_loaded(self, snap: StatusSnapshot) -> None:
        self.waiting_label.setText(self.tr("%1 waiting to send").replace("%1", str(snap.waiting)))
        locale = QLocale()
        if snap.earnings_today:
            amounts = ", ".join(money(v, c, locale) for c, v in sorted(snap.earnings_today.items()))
        else:
            amounts = money(0, "EUR", locale)
        self.earnings_label.setText(self.tr("Today: %1").replace("%1", amounts))
        self._show_leases(snap)

    def _show_leases(self, snap: StatusSnapshot) -> None:
        """The lease that ends first, when it ends within the warning time or has ended."""
        times = lease_times(
            snap.leases,
            server_offset_s=snap.server_offset_s,
            warn_hours=self.prefs.lease_warn_hours,
        )
        self.lease_times = times
        urgent = sorted((t for t in times.values() if t.level != "ok"), key=lambda t: t.left)
        if not urgent:
            self.lease_label.hide()
            return
        first = urgent[0]
        if first.level == "expired":
            text = self.tr("Lease of %1 has ended: its results may be refused")
            colour = "#b3261e"
        else:
            text = self.tr("Lease of %1 ends in %2: submit or release it")
            colour = "#8a5a00"
        more = len(urgent) - 1
        label = text.replace("%1", first.bundle_id).replace("%2", duration_text(first.left))
        if more:
            label += self.tr(" (and %1 more)").replace("%1", str(more))
        self.lease_label.setText(label)
        self.lease_label.setStyleSheet(f"color: {colour}; font-weight: bold")
        self.lease_label.show()

    # ---------------------------------------------------------------- import and export

    def choose_bundles(self) -> None:
        from app.dialogs import ask_bundle_files

        self.import_files(ask_bundle_files(self))

    def import_files(self, paths: list[Path]) -> None:
        from app.importer import import_bundle_file

        if not self.ctx.ready:
            return  # a drop while the profile is still opening, or could not be opened
        self._load_kinds()  # queued first: the kinds are loaded when the import runs
        ctx = self.ctx
        for path in paths:
            self.statusBar().showMessage(self.tr("Checking %1…").replace("%1", path.name))
            op(
                lambda path=path: import_bundle_file(ctx.store, ctx.profile, path, ctx.registry)
            ).success(self._imported).failure(self.report_error).run(ctx.db)

    def _imported(self, outcome: ImportOutcome) -> None:
        if outcome.already_imported:
            text = self.tr("'%1' was already imported; nothing changed.").replace(
                "%1", outcome.title
            )
        else:
            text = self.tr("Imported '%1': %n task(s).", None, outcome.task_count).replace(
                "%1", outcome.title
            )
        self.statusBar().showMessage(text, 8000)
        self.refresh_queue()

    def choose_export(self, kind: TaskKind, format_name: str) -> None:
        from app.dialogs import ask_export_path

        fmt = kind.export_format(format_name)
        path = ask_export_path(self, kind.id, format_title(fmt), fmt.suffix)
        if path is None:
            return
        from app.exporting import export_results

        op(export_results, self.store, self.registry, kind.id, format_name, path).success(
            lambda count: self.statusBar().showMessage(
                self.tr("Exported %n result(s) to %1", None, count).replace("%1", str(path)),
                8000,
            )
        ).failure(self.report_error).run(self.ctx.db)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        self.import_files([Path(u.toLocalFile()) for u in event.mimeData().urls()])
        event.acceptProposedAction()

    # ---------------------------------------------------------------- errors, about, closing

    def report_error(self, exc: BaseException) -> None:
        """Show what went wrong in words the contributor can act on; never a traceback."""
        from app.dialogs import describe_error, open_error_box

        title, text = describe_error(exc)
        self.statusBar().showMessage(text, 10000)
        self.error_box = open_error_box(self, title, text)

    def _about(self) -> None:
        from app.dialogs import show_about

        show_about(self)

    def _editor_settings(self) -> QSettings:
        """Editors' preferences (keys, playback), kept in the profile like the window's."""
        if self._editors_ini is None:
            path = str(self.ctx.profile.root / "editors.ini")
            self._editors_ini = QSettings(path, QSettings.Format.IniFormat, self)
        return self._editors_ini

    def _window_settings(self) -> QSettings:
        # An ini file in the profile: readable before the database opens, nothing outside it.
        self.ctx.profile.root.mkdir(parents=True, exist_ok=True)
        return QSettings(str(self.ctx.profile.root / "window.ini"), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        settings = self._window_settings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.autosaver.flush()
        self.work_time.close()
        if self.link is not None:
            self.link.close()
        settings = self._window_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.sync()
        # Wait for every queued draft save: the worker runs operations in order.
        self.ctx.db.call(lambda: None)
        super().closeEvent(event)
