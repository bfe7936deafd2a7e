"""``ouvrage`` command line: opens the window, or runs a subcommand for scripts and testers.

Exit status is 0 on success and non-zero with a one-line reason on stderr otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--profile",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="profile folder (default: the platform's data folder; with --demo, a fresh demo one)",
    )
    parser = argparse.ArgumentParser(
        prog="ouvrage",
        description="Work on micro-tasks offline. Without a subcommand, opens the window.",
        parents=[common],
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a fresh demo profile preloaded with demo bundles (wiped at each start)",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="the task server to sign in to (the window asks when needed)",
    )
    parser.add_argument(
        "--theme",
        choices=("auto", "light", "dark", "high-contrast"),
        help="colours of the window (default: follow the system; also OUVRAGE_THEME)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        help="language of the window (default: the preference, else the system's; "
        "also OUVRAGE_LANG)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, wait for the queue and one editor of each kind, then exit "
        "(0 if all worked): checks a build without a screen",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_import = sub.add_parser("import", parents=[common], help="verify and import bundle files")
    p_import.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p_status = sub.add_parser("status", parents=[common], help="task counts, outbox, profile")
    p_status.add_argument("--json", action="store_true", help="print machine-readable JSON")

    p_login = sub.add_parser(
        "login", parents=[common], help="sign in to a task server and keep the token safely"
    )
    p_login.add_argument("--server", dest="login_server", metavar="URL", help="server address")
    p_login.add_argument("--user", metavar="ID", help="contributor id")
    p_login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    p_login.add_argument("--ca-file", metavar="PEM", help="certificate authority for a test server")

    p_sync = sub.add_parser(
        "sync",
        parents=[common],
        help="one pass: send results, refresh the catalogue, pull earnings, finish downloads",
    )
    p_sync.add_argument(
        "--claim", metavar="BUNDLE", action="append", default=[], help="claim and download a bundle"
    )

    p_export = sub.add_parser(
        "export", parents=[common], help="write submitted results in a kind's standard format"
    )
    p_export.add_argument("--kind", required=True, help="task kind, e.g. translation")
    p_export.add_argument(
        "--format", dest="format_name", help="format name (default: the kind's first)"
    )
    p_export.add_argument("--out", required=True, type=Path, metavar="FILE")
    p_export.add_argument("--bundle", help="only results of this bundle")
    p_export.add_argument(
        "--state",
        action="append",
        choices=("queued", "sent", "accepted", "rejected"),
        help="only results in this state (repeatable; default: all)",
    )

    p_diag = sub.add_parser(
        "diagnostics",
        parents=[common],
        help="write a zip for a bug report: logs without secrets, versions, settings, counts",
    )
    p_diag.add_argument("--out", required=True, type=Path, metavar="FILE")
    return parser


def _version() -> str:
    from app import __version__

    return __version__


def _fail(message: str, code: int = 1) -> int:
    print(f"ouvrage: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from app.profile import Profile, default_profile_dir, demo_profile_dir

    explicit = getattr(args, "profile", None)
    if args.command is None:
        from app.gui import run_window

        options = {"theme": args.theme, "language": args.lang, "smoke_test": args.smoke_test}
        if args.demo:
            return run_window(
                Path(explicit) if explicit else demo_profile_dir(), demo=True, **options
            )
        return run_window(
            Path(explicit) if explicit else default_profile_dir(), server=args.server, **options
        )

    from app.store import Store, StoreError

    profile = Profile(Path(explicit) if explicit else default_profile_dir())
    try:
        profile.ensure()
        store = Store(profile.db_path)
    except (StoreError, OSError) as exc:
        return _fail(str(exc))
    try:
        if args.command == "import":
            return _import(store, profile, args.files)
        if args.command == "status":
            return _status(store, profile, as_json=args.json)
        if args.command == "export":
            return _export(store, args)
        if args.command == "login":
            from app.cli_sync import login

            return login(store, profile, args)
        if args.command == "sync":
            from app.cli_sync import sync

            return sync(store, profile, args)
        if args.command == "diagnostics":
            return _diagnostics(store, profile, args.out)
    finally:
        store.close()
    return _fail(f"unknown command {args.command}", 2)


def _import(store, profile, files: list[Path]) -> int:  # type: ignore[no-untyped-def]
    from app.importer import import_bundle_file
    from sync.bundle import BundleError
    from taskkinds import default_registry

    registry = default_registry()
    failures = 0
    for path in files:
        try:
            outcome = import_bundle_file(store, profile, path, registry)
        except BundleError as exc:
            failures += 1
            print(f"ouvrage: {exc}", file=sys.stderr)
            continue
        except OSError as exc:
            failures += 1
            print(f"ouvrage: cannot import {path}: {exc.strerror or exc}", file=sys.stderr)
            continue
        if outcome.already_imported:
            print(f"{path.name}: '{outcome.title}' already imported, nothing changed")
        else:
            print(f"{path.name}: imported '{outcome.title}' ({outcome.task_count} tasks)")
    return 1 if failures else 0


def _status(store, profile, *, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    counts = store.counts_by_state()
    outbox = store.outbox()
    info = {
        "profile": str(profile.root),
        "database": str(profile.db_path),
        "schema_version": store.schema_version,
        "bundles": len(store.bundles()),
        "tasks": counts,
        "tasks_total": sum(counts.values()),
        "outbox": {"waiting": store.outbox_waiting(), "total": len(outbox)},
        "server": store.setting("server.account"),
        "earnings_cursor": store.earnings_cursor(),
    }
    if as_json:
        print(json.dumps(info, indent=2))
        return 0
    states = ", ".join(f"{state} {n}" for state, n in counts.items())
    print(f"Profile:        {info['profile']}")
    print(f"Schema version: {info['schema_version']}")
    print(f"Bundles:        {info['bundles']}")
    print(f"Tasks:          {info['tasks_total']} ({states})")
    print(
        f"Outbox:         {info['outbox']['waiting']} waiting to send, "
        f"{info['outbox']['total']} in all"
    )
    server = info["server"] or {}
    signed_in = f"{server.get('contributor_id')} at {server.get('url')}" if server else "none"
    print(f"Server:         {signed_in}")
    return 0


def _export(store, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from app.exporting import NothingToExport, export_results
    from taskkinds import UnknownKind, default_registry

    registry = default_registry()
    try:
        kind = registry.get(args.kind)
        format_name = args.format_name or (
            kind.export_formats[0].name if kind.export_formats else ""
        )
        count = export_results(
            store,
            registry,
            args.kind,
            format_name,
            args.out,
            states=args.state,
            bundle_id=args.bundle,
        )
    except (UnknownKind, NothingToExport, ValueError, OSError) as exc:
        return _fail(str(exc))
    except KeyError as exc:
        return _fail(str(exc.args[0]))
    print(f"Wrote {count} result(s) to {args.out}")
    return 0


def _diagnostics(store, profile, out: Path) -> int:  # type: ignore[no-untyped-def]
    from app.diagnostics import export_diagnostics

    try:
        export_diagnostics(profile, out, store)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"Wrote diagnostics to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
