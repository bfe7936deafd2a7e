"""``ouvrage-mock-server``: run the tester's server, or act on a running one as its admin.

``serve`` runs the server in the foreground; every other subcommand calls the
admin API of a running server (``--url``, ``--admin-token`` or the
environment variables ``OUVRAGE_MOCK_URL`` / ``OUVRAGE_MOCK_ADMIN_TOKEN``),
prints one line and exits 0, or prints one line saying why and exits 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from mockserver import cli_platform
from mockserver.admin_client import AdminClient, AdminError
from sync.bundle_errors import summarize
from sync.protocol_admin import FaultSettings

DEFAULT_URL = "http://127.0.0.1:8765"
_FAULT_HELP = {
    "latency_ms": "milliseconds waited before each answer",
    "jitter_ms": "plus a uniform 0..N ms",
    "bandwidth_bytes_per_s": "bytes per second per answer (0 = unlimited)",
    "error_probability": "fraction of requests answered 500/502/503 with Retry-After",
    "error_statuses": "comma-separated statuses to choose from, e.g. 503",
    "retry_after_s": "seconds in Retry-After of injected errors",
    "cut_after_bytes": "body bytes sent before a cut (with --cut-probability)",
    "cut_every_bytes": "archive downloads: every answer cut after N bytes",
    "drop_probability": "POST /results: commit, then drop the answer",
    "slow_first_byte_ms": "milliseconds before the first body byte",
    "malformed_probability": "fraction of JSON answers replaced by broken JSON",
    "gzip": "an older server: 'refuse' answers 415 to gzipped bodies, 'ignore' reads them as "
    "plain JSON (400); neither gzips answers ('on' by default)",
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed
        return int(exc.code or 0)
    try:
        if args.command == "serve":
            return _serve(args)
        return _admin(args)
    except AdminError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except (ValueError, ValidationError) as exc:
        print(f"error: {_first_line(exc)}", file=sys.stderr)
        return 1


# ---------------------------------------------------------------- parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ouvrage-mock-server", description="The tester's task server for Ouvrage."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server in the foreground")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--data", type=Path, required=True, help="folder of its database and bundles"
    )
    serve.add_argument("--seed", type=int, help="seed of the fault decisions (reproducible runs)")
    serve.add_argument("--admin-token", help="default: a random token, printed at start")
    serve.add_argument("--annual-cap", type=Decimal, default=Decimal("3000"))
    serve.add_argument("--rotation", type=int, default=3, help="0 turns rotation off")
    serve.add_argument(
        "--gold-rate", type=float, default=0.05, help="share of demo tasks that are gold questions"
    )
    serve.add_argument(
        "--fatigue-results", type=int, default=0, help="results of one kind that pause it (0=off)"
    )
    serve.add_argument("--fatigue-window-minutes", type=float, default=60.0)
    serve.add_argument("--fatigue-pause-minutes", type=float, default=30.0)
    serve.add_argument(
        "--qualified-copies",
        type=int,
        default=1,
        help="copies of each demo bundle that need its kind's qualification",
    )
    serve.add_argument("--lease-seconds", type=int, default=2 * 86_400)
    serve.add_argument("--largest-batch", type=int, default=500)
    serve.add_argument("--token-seconds", type=int, help="tokens expire after this (default never)")
    serve.add_argument("--demo-copies", type=int, default=4, help="copies of each demo bundle")
    serve.add_argument("--no-demo", action="store_true", help="start with an empty catalogue")
    serve.add_argument("--log-level", default="info")
    _add_fault_flags(serve)

    def admin(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--url", default=os.environ.get("OUVRAGE_MOCK_URL", DEFAULT_URL))
        sub.add_argument("--admin-token", default=os.environ.get("OUVRAGE_MOCK_ADMIN_TOKEN"))
        return sub

    publish = admin("publish", "publish a bundle zip or a demo spec")
    source = publish.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", type=Path, help="a bundle zip")
    source.add_argument("--demo", metavar="SPEC", help="a demo spec name, or 'all'")
    publish.add_argument("--copies", type=int, default=1)

    for name, help_text in (("approve", "approve results"), ("reject", "reject results")):
        review = admin(name, help_text)
        review.add_argument("--key", action="append", default=[], help="an idempotency key")
        review.add_argument("--task", action="append", default=[], metavar="BUNDLE/TASK")
        review.add_argument("--all-pending", action="store_true")
        review.add_argument("--contributor", help="whose pending results (with --all-pending)")
        review.add_argument("--reason", required=name == "reject")

    admin("pay", "pay every approved reward and bonus").add_argument("--contributor", required=True)
    bonus = admin("bonus", "add a bonus")
    bonus.add_argument("--contributor", required=True)
    bonus.add_argument("--amount", required=True)
    bonus.add_argument("--reason", required=True)
    withdraw = admin("withdraw", "withdraw tasks or a whole bundle")
    withdraw.add_argument("--bundle", required=True)
    withdraw.add_argument("--task", action="append", help="default: every task of the bundle")
    admin("expire-tokens", "expire a contributor's tokens").add_argument(
        "--contributor", required=True
    )
    admin("advance-clock", "move the server clock forward").add_argument(
        "--seconds", type=float, required=True
    )
    faults = admin("faults", "show the faults, or change the ones given")
    faults.add_argument("--clear", action="store_true", help="turn every fault off first")
    _add_fault_flags(faults)
    contributor = admin("add-contributor", "create a contributor")
    contributor.add_argument("--id", required=True)
    contributor.add_argument("--password", required=True)
    contributor.add_argument("--name", required=True)
    admin("reset-cursors", "invalidate every earnings cursor")

    cli_platform.add_subcommands(admin)
    return parser


def _add_fault_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("faults (probabilities are 0..1)")
    for name, field in FaultSettings.model_fields.items():
        flag = "--" + name.replace("_", "-")
        if name == "error_statuses":
            group.add_argument(
                flag, dest=name, type=_statuses, metavar="LIST", help=_FAULT_HELP[name]
            )
            continue
        if name == "gzip":
            group.add_argument(
                flag, dest=name, choices=get_args(field.annotation), help=_FAULT_HELP[name]
            )
            continue
        kind = int if field.annotation is int else float
        metavar = "P" if name.endswith("probability") else "N"
        group.add_argument(flag, dest=name, type=kind, metavar=metavar, help=_FAULT_HELP.get(name))


def _statuses(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _given_faults(args: argparse.Namespace) -> dict[str, Any]:
    return {
        name: getattr(args, name)
        for name in FaultSettings.model_fields
        if getattr(args, name, None) is not None
    }


# ---------------------------------------------------------------- serve


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.app import create_app
    from mockserver.state import ServerOptions, open_state

    given = _given_faults(args)
    options = ServerOptions(
        annual_cap=args.annual_cap,
        rotation=args.rotation,
        gold_rate=args.gold_rate,
        fatigue_results=args.fatigue_results,
        fatigue_window_minutes=args.fatigue_window_minutes,
        fatigue_pause_minutes=args.fatigue_pause_minutes,
        qualified_copies=args.qualified_copies,
        lease_seconds=args.lease_seconds,
        largest_batch=args.largest_batch,
        token_seconds=args.token_seconds,
        seed=args.seed,
        admin_token=args.admin_token,
        demo_copies=args.demo_copies,
        publish_demo=not args.no_demo,
        faults=FaultSettings(**given) if given else None,
    )
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly, or asyncio leaves Nagle on (40 ms stalls on kept-alive connections).
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((args.host, args.port))
    except OSError as exc:
        listener.close()
        print(f"error: cannot listen on {args.host}:{args.port} ({exc.strerror})", file=sys.stderr)
        return 1
    level = getattr(logging, args.log_level.upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    state = open_state(args.data, options)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{listener.getsockname()[1]}"
    print(f"Ouvrage mock server at {url} (API docs: {url}/docs), data in {args.data}")
    print(f"admin token: {state.admin_token}", flush=True)
    try:
        config = uvicorn.Config(
            create_app(state),
            log_level=args.log_level,
            lifespan="off",
            timeout_graceful_shutdown=5,  # a throttled download must not hold Ctrl-C hostage
        )
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        listener.close()
        state.close()
    return 0


# ---------------------------------------------------------------- admin subcommands


def _admin(args: argparse.Namespace) -> int:
    if not args.admin_token:
        print(
            "error: give --admin-token (printed by 'serve') or set OUVRAGE_MOCK_ADMIN_TOKEN",
            file=sys.stderr,
        )
        return 1
    client = AdminClient(args.url, args.admin_token)
    try:
        print(_run_admin(client, args))
    finally:
        client.close()
    return 0


def _run_admin(client: AdminClient, args: argparse.Namespace) -> str:
    command = args.command
    if command == "publish":
        if args.file is not None:
            bundles = client.publish_file(args.file)
        else:
            spec = None if args.demo == "all" else args.demo
            bundles = client.publish_demo(spec, args.copies)
        ids = ", ".join(bundle.bundle_id for bundle in bundles)
        return f"published {len(bundles)} bundle{'s' if len(bundles) != 1 else ''}: {ids}"
    if command in ("approve", "reject"):
        tasks = [_task_ref(text) for text in args.task]
        targets = {
            "keys": args.key,
            "tasks": tasks,
            "contributor_id": args.contributor,
            "all_pending": args.all_pending,
        }
        if command == "approve":
            review = client.approve(**targets)
        else:
            review = client.reject(args.reason, **targets)
        return f"{review.status.value}: {len(review.changed)} result(s)"
    if command == "pay":
        payout = client.pay(args.contributor)
        if payout.entry is None:
            return f"nothing approved to pay to {args.contributor}"
        return f"paid {payout.amount} to {args.contributor} ({payout.paid_entries} entries)"
    if command == "bonus":
        entry = client.bonus(args.contributor, _amount(args.amount), args.reason)
        return f"bonus {entry.amount} {entry.currency} for {args.contributor}: {entry.entry_id}"
    if command == "withdraw":
        withdrawn = client.withdraw(args.bundle, args.task)
        return f"withdrew {len(withdrawn)} task(s) of {args.bundle}: {', '.join(withdrawn)}"
    if command == "expire-tokens":
        return f"expired {client.expire_tokens(args.contributor)} token(s) of {args.contributor}"
    if command == "advance-clock":
        clock = client.advance_clock(args.seconds)
        return f"server time is now {clock.server_time.isoformat()}"
    if command == "faults":
        given = _given_faults(args)
        if args.clear:
            settings = client.set_faults(FaultSettings(**given))
        elif given:
            settings = client.update_faults(**given)
        else:
            settings = client.get_faults()
        return "faults: " + _describe_faults(settings)
    if command == "add-contributor":
        made = client.add_contributor(args.id, args.password, args.name)
        return f"contributor {made.contributor_id} ({made.display_name}) ready"
    if command == "reset-cursors":
        return f"earnings cursors reset (epoch {client.reset_cursors()})"
    if command in cli_platform.COMMANDS:
        return cli_platform.COMMANDS[command](client, args)
    raise ValueError(f"unknown command {command}")


def _task_ref(text: str) -> tuple[str, str]:
    bundle, slash, task = text.partition("/")
    if not slash or not bundle or not task:
        raise ValueError(f"--task wants BUNDLE/TASK, not '{text}'")
    return bundle, task


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"--amount wants a number such as 2.50, not '{text}'") from None


def _describe_faults(settings: FaultSettings) -> str:
    default = FaultSettings()
    changed = {
        name: value
        for name, value in settings.model_dump().items()
        if value != getattr(default, name)
    }
    return ", ".join(f"{name}={value}" for name, value in changed.items()) or "none"


def _first_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return summarize(exc)
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
