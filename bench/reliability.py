"""Every reliability campaign at full counts; writes docs/RELIABILITY.md.

    python -m bench.reliability [--scale 1.0] [--only crash,network] [--out PATH] [--json PATH]

The campaigns live in tests/reliability/ (CI runs them at small counts, marker
``reliability``). ``--scale`` multiplies the full counts (0.1 for a quick look);
``--only`` runs some campaigns (the report then holds only those).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What the campaigns found when they first ran; each fix has its regression test in
# tests/reliability/test_regressions.py.
FINDINGS = [
    (
        "A server that sends its status line or headers one byte a second held a sync "
        "pass forever (the socket timeout restarts with every byte).",
        "sync/deadline.py, sync/client.py: the headers must arrive within `answer_seconds`; "
        "the connection is shut when they do not.",
        "test_headers_that_trickle_in_are_cut_off_by_a_deadline",
    ),
    (
        "An error answer (5xx, 4xx) whose body trickles in was read without a deadline "
        "(64 KB at a byte a second: 18 hours).",
        "sync/answers.py, sync/client.py: error bodies are read for at most 10 s "
        "(or `answer_seconds` if shorter).",
        "test_an_error_answer_that_trickles_in_is_cut_off_by_a_deadline",
    ),
    (
        'Earnings pages saying "more" under a new cursor each time, with or without '
        "entries, looped forever.",
        "sync/engine.py: an empty page that says more ends the phase with an error; at most "
        "200 pages per pass, the cursor kept for the next pass.",
        "test_more_earnings_that_never_arrive_end_the_pass_even_under_new_cursors, "
        "test_a_server_that_always_has_more_earnings_is_asked_a_bounded_number_of_times",
    ),
    (
        "A JSON array of three items where the server should send an amount made "
        "pydantic-core call `Decimal(tuple)` and let its ValueError escape the parser: the "
        'sync pass failed with a raw exception instead of a clear "malformed answer".',
        "sync/answers.py: `parse_answer` turns any ValueError from validation into "
        "`MalformedAnswer`.",
        "test_an_array_where_an_amount_belongs_is_a_malformed_answer",
    ),
    (
        "A negative yearly cap from the server was accepted.",
        "sync/protocol.py: `ServerConfig.annual_cap` must be at least 0.",
        "test_a_negative_yearly_cap_is_a_malformed_answer",
    ),
    (
        "Garbage or truncated audio clips imported fine; the contributor only found out "
        "when opening the task.",
        "app/importer.py (+ `AudioRefused` in sync/bundle_errors.py): every clip is decoded "
        "at import, as the editor will, and a damaged one refuses the bundle.",
        "test_a_truncated_audio_clip_is_refused_at_import_and_leaves_nothing",
    ),
    (
        "A draft or result holding half of a UTF-16 pair (a broken paste) could not be saved "
        "(UnicodeEncodeError: typing lost, task stuck), and once in the outbox it would have "
        "stopped every later result from being sent (PydanticSerializationError).",
        "app/store/syncing.py, app/store/memory.py: such text is stored with \\u escapes and "
        "reads back unchanged; sync/engine.py: it goes on the wire as U+FFFD, and a result "
        "that still cannot be written stays behind alone.",
        "test_a_draft_holding_half_an_emoji_is_saved_and_reads_back, "
        "test_a_result_holding_half_an_emoji_goes_out_with_a_replacement_character",
    ),
    (
        "A full disk under the database surfaced as a raw `sqlite3.OperationalError` "
        '("Something went wrong"), and a full disk while opening a profile as "cannot be '
        'opened … restore it from a backup".',
        "app/store: `ProfileDiskFull` (a `StoreError`), one clear line, raised by every write "
        "and when opening the profile; the transaction is rolled back.",
        "test_a_full_disk_under_the_database_is_a_clear_error_and_loses_nothing",
    ),
    (
        "When unpacking a downloaded bundle hit a full disk, the next try downloaded the "
        "whole archive again although the verified archive was already there.",
        "sync/download.py: a destination file that already holds the lease's archive (size "
        "and SHA-256) is used without a request.",
        "test_an_archive_downloaded_before_a_failed_import_is_not_fetched_again",
    ),
    (
        "A download stopped by a full disk recorded why in the database, on the same full "
        "disk: that write's ProfileDiskFull replaced the download's own error (1 full "
        "disk-full campaign in 3).",
        "app/fetching.py: the reason is recorded when it can be; the download's error is "
        "the one raised, and the lease stays \"downloading\", which resumes the same way.",
        "test_a_download_stopped_by_a_full_disk_says_so_even_when_the_database_is_full_too",
    ),
]


def _counts() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    from tests.reliability.common import CI_COUNTS, FULL_COUNTS

    return FULL_COUNTS, CI_COUNTS


def _campaigns() -> dict[str, Callable[..., Any]]:
    from tests.reliability.access_campaign import run_access_campaign
    from tests.reliability.bundle_campaign import run_hostile_bundle_campaign
    from tests.reliability.crash_campaign import run_crash_campaign
    from tests.reliability.disk_campaign import run_disk_campaign
    from tests.reliability.fuzz_campaign import run_fuzz_campaign
    from tests.reliability.hostile_server_campaign import run_hostile_server_campaign
    from tests.reliability.network_campaign import run_network_campaign

    return {
        "crash": run_crash_campaign,
        "network": run_network_campaign,
        "hostile-bundles": run_hostile_bundle_campaign,
        "fuzz": run_fuzz_campaign,
        "disk-full": run_disk_campaign,
        "hostile-server": run_hostile_server_campaign,
        "access": run_access_campaign,
    }


def _scaled(counts: dict[str, int], scale: float) -> dict[str, int]:
    return {name: max(1 if value else 0, round(value * scale)) for name, value in counts.items()}


def _doc(module: str) -> list[str]:
    """A campaign module's docstring, one line per paragraph."""
    import importlib

    text = importlib.import_module(module).__doc__ or ""
    paragraphs = [" ".join(part.split()) for part in text.strip().split("\n\n")]
    return [line for paragraph in paragraphs for line in (paragraph, "")]


MODULES = {
    "crash": "tests.reliability.crash_campaign",
    "network": "tests.reliability.network_campaign",
    "hostile-bundles": "tests.reliability.bundle_campaign",
    "fuzz": "tests.reliability.fuzz_campaign",
    "disk-full": "tests.reliability.disk_campaign",
    "hostile-server": "tests.reliability.hostile_server_campaign",
    "access": "tests.reliability.access_campaign",
}


def _figure(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_figure(v)}" for k, v in value.items())
    if isinstance(value, list):
        shown = ", ".join(f"{v:,}" if isinstance(v, int) else str(v) for v in value[:12])
        return shown + (f" … ({len(value)} in all)" if len(value) > 12 else "")
    return f"{value:,}" if isinstance(value, int) else str(value)


def _count_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {value:,}" for name, value in counts.items())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: list[dict[str, Any]], *, scale: float, seconds: float) -> str:
    """docs/RELIABILITY.md from the campaigns' result dicts."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    counts = "full counts" if scale == 1 else f"{scale:g} × the full counts"
    lines = [
        "# Reliability",
        "",
        f"Generated by `python -m bench.reliability` on {when} ({machine}) in "
        f"{seconds / 60:.1f} min, at {counts}. Each campaign turns promises of "
        "DESIGN.md into trials that run, count and report; the code is in "
        "`tests/reliability/`, where CI runs the same campaigns at small counts (marker "
        "`reliability`; `OUVRAGE_RELIABILITY_SCALE=full` runs these counts under pytest).",
        "",
        "**Lost** counts promised work that went missing (a submitted result, typing older "
        "than a second, a saved write); **duplicated** what was counted or paid twice; "
        "**leaked** what got through that must not (a hostile file imported or written "
        "outside the profile, a refused request that succeeded, a secret in a log, a stray "
        "file). **Errors** are other broken promises: an unclear message, a time or memory "
        "bound passed, an exception that escaped.",
        "",
        "## Summary",
        "",
        "| campaign | trials | lost | duplicated | leaked | errors | time |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {_cell(r['title'])} | {r['trials']:,} | {r['lost']} | {r['duplicated']} | "
            f"{r['leaked']} | {len(r['errors'])} | {r['seconds']:.0f} s |"
        )
    for r in results:
        _, ci = _counts()
        lines += ["", f"## {r['title']}", "", *_doc(MODULES[r["campaign"]])]
        lines += [
            f"Counts here: {_count_text(r['counts'])}; in CI: {_count_text(ci[r['campaign']])}.",
            "",
        ]
        lines += ["| faults or inputs tried | count |", "|---|---:|"]
        lines += [f"| {_cell(name)} | {n:,} |" for name, n in r["tried"].items()]
        lines += [
            "",
            f"Trials: {r['trials']:,}. Lost: {r['lost']}. Duplicated: {r['duplicated']}. "
            f"Leaked: {r['leaked']}. Time: {r['seconds']:.0f} s.",
            "",
        ]
        tables = {k: v for k, v in r["figures"].items() if isinstance(v, dict) and len(v) > 4}
        for name, value in r["figures"].items():
            if name not in tables:
                lines.append(f"- {name}: {_cell(_figure(value))}")
        for name, table in tables.items():
            lines += ["", f"| {_cell(name)} | |", "|---|---:|"]
            lines += [f"| {_cell(str(k))} | {_cell(_figure(v))} |" for k, v in table.items()]
        lines.append("")
        if r["errors"]:
            lines.append("Errors:")
            lines += [f"- {_cell(e)}" for e in r["errors"][:30]]
        else:
            lines.append("Errors: none.")
    lines += [
        "",
        "## What the campaigns found, and the fixes",
        "",
        "Each was found by a campaign above on its first runs, fixed, and pinned by a "
        "regression test in `tests/reliability/test_regressions.py`.",
        "",
        "| found | fixed in | regression test |",
        "|---|---|---|",
    ]
    lines += [f"| {_cell(a)} | {_cell(b)} | `{_cell(c)}` |" for a, b, c in FINDINGS]
    lines += [
        "",
        "## Limits of these figures",
        "",
        "- SIGKILL ends the process, not the machine: the operating system still writes what "
        "it holds. A power cut is covered by `PRAGMA synchronous = FULL` and by ordering "
        "(sidecar before `.part`, fsync before rename), which these runs do not exercise.",
        "- The crash worker drives the store, the importer, the downloads and the sync "
        "engine directly (the window's own autosaver included), not the widgets; "
        "`tests/test_crash.py` kills the real window.",
        "- The hostile server trials make one attempt each; with retries the bounds multiply "
        "by the retry policy's attempts. An archive download has no overall deadline (a slow "
        "link is normal there): it is cancellable and resumes.",
        "- A bundle's payload may name media the task does not list (a transcription's "
        "`audio`); the task kinds do not yet tell the importer which media a payload uses, "
        "so that mismatch surfaces when the task is opened.",
        "- The disk-full database trials need a tmpfs (root on Linux); elsewhere ENOSPC is "
        "injected into the download's writes and the database trials are skipped.",
        "- The photo_clip grader rasterises the bounding box of both shapes; it is only "
        "called on results the kind's checks accepted (points inside the photo), and the "
        "fuzzing keeps to that contract. Given wild coordinates it would ask for terabytes.",
        "- libmpg123 prints its own notes about a damaged MP3 on stderr (the command line's "
        "import shows them above its one-line refusal).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full counts")
    full_counts, _ = _counts()
    parser.add_argument("--only", help="comma-separated campaigns: " + ", ".join(full_counts))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "RELIABILITY.md")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    parser.add_argument("--json-out", type=Path, help="also write the raw results here")
    args = parser.parse_args()

    campaigns = _campaigns()
    chosen = args.only.split(",") if args.only else list(full_counts)
    unknown = [name for name in chosen if name not in campaigns]
    if unknown:
        parser.error(f"unknown campaign(s): {', '.join(unknown)}")
    results = []
    started = time.perf_counter()
    for name in chosen:
        counts = _scaled(full_counts[name], args.scale)
        print(f"{name}: {counts} …", flush=True)
        result = campaigns[name](**counts).as_dict()
        result["counts"] = counts
        results.append(result)
        print(
            f"  {result['trials']:,} trials, lost {result['lost']}, duplicated "
            f"{result['duplicated']}, leaked {result['leaked']}, {len(result['errors'])} "
            f"errors, {result['seconds']:.0f} s",
            flush=True,
        )
        for error in result["errors"][:10]:
            print(f"  ! {error}", flush=True)
    seconds = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results, scale=args.scale, seconds=seconds), encoding="utf-8")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    said = f"wrote {args.out} in {seconds / 60:.1f} min"
    if args.json:  # one JSON object last on stdout, as ``python -m bench`` reads it
        print(said, file=sys.stderr)
        print(json.dumps({"benchmark": "reliability", "campaigns": results}, default=str))
    else:
        print(said)


if __name__ == "__main__":
    main()
