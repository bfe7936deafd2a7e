"""``bench/REPORT.md`` from the JSON of each benchmark script: the machine, one table per
script (figure, value, baseline, ratio, goal, met), and every goal of the issues so far.

A script may give its own table as a ``rows`` list in its JSON (``figure``, ``value``,
``unit``, and optionally ``baseline``, ``baseline_label``, ``ratio``, ``goal``, ``met``);
the older scripts' JSON is read by the extractors below; anything else gets its numbers
listed as they are.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
Row = dict[str, Any]


@dataclass
class Run:
    """One script's run: its command, outcome and parsed JSON (None when it failed)."""

    name: str
    command: list[str]
    seconds: float = 0.0
    returncode: int | None = None
    timed_out: bool = False
    data: dict[str, Any] | None = None
    error: str | None = None
    stderr_tail: str = ""
    args: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and self.error is None


# --- the machine -------------------------------------------------------------------------


def _first_line(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line.strip()
    except OSError:
        return None
    return None


def _command(args: list[str]) -> str | None:
    if shutil.which(args[0]) is None:
        return None
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else None


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = _first_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    memory = _first_line("/proc/meminfo", "MemTotal")
    ram = f"{int(memory.split()[0]) / 2**20:.1f} GiB" if memory else "unknown"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 0
    os_name = (_first_line("/etc/os-release", "PRETTY_NAME=") or "").replace("PRETTY_NAME=", "")
    try:
        from PySide6 import QtCore, __version__

        qt = f"Qt {QtCore.qVersion()}, PySide6 {__version__}"
    except ImportError:
        qt = "PySide6 not installed"
    commit = _command(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    dirty = _command(["git", "status", "--porcelain", "--untracked-files=no"])
    tools = []
    for tool, args in (("curl", ["curl", "--version"]), ("tc", ["tc", "-V"]),
                       ("nft", ["nft", "--version"])):  # fmt: skip
        found = _command(args)
        version = re.search(r"iproute2-[\w.]+|v?\d+\.\d+(\.\d+)?", found or "")
        tools.append(f"{tool}: {version.group(0) if version else 'absent'}")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical, {usable} usable by this process",
        "RAM": ram,
        "OS": f"{os_name.strip(chr(34))} ({platform.system()} {platform.release()}, "
        f"{platform.machine()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Qt": f"{qt}, QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}",
        "commit": commit + (" with uncommitted changes in the tree" if dirty else ""),
        "tools": ", ".join(tools) + f"; running as {'root' if _is_root() else 'a user'}",
        "load average at start (1/5/15 min)": load,
    }


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# --- rows of the older scripts -------------------------------------------------------------


def _row(figure: str, value: Any, unit: str, **extra: Any) -> Row:
    return {"figure": figure, "value": value, "unit": unit, **extra}


def _arg(args: list[str], flag: str, default: str) -> str:
    return args[args.index(flag) + 1] if flag in args[:-1] else default


def rows_startup(d: dict[str, Any], _args: list[str]) -> list[Row]:
    bare = {"baseline": d["bare_window_s"], "baseline_label": "bare PySide6 window"}
    reference = []
    if "table_window_s" in d:
        reference.append(
            _row("reference: a bare window showing the first 200 rows (QTableWidget)",
                 d["table_window_s"], "s", **bare, ratio=d["ratio_table"])
        )
    return [
        *reference,
        _row("Ouvrage window shown", d["ouvrage_window_shown_s"], "s", **bare,
             ratio=d["ratio_shown"]),
        _row(f"queue of {d['tasks']:,} tasks on screen (first screenful painted)",
             d["ouvrage_queue_shown_s"], "s", **bare, ratio=d["ratio_queue"], goal="≤ 1.5×",
             met=d["ratio_queue"] <= 1.5),
        _row(f"  all {d['tasks']:,} rows read", d["ouvrage_queue_filled_s"], "s", **bare,
             ratio=d["ratio_filled"]),
    ]  # fmt: skip


def rows_sync(d: dict[str, Any], _args: list[str]) -> list[Row]:
    speedup = d["speedup_vs_one_per_result"]
    return [
        _row(f"{d['results']:,} results sent batched, {d['latency_ms']:g} ms per answer",
             d["batched_seconds"], "s", baseline=d["one_per_result_seconds_scaled"],
             baseline_label=f"one request per result (scaled from {d['one_per_result_sample']})",
             ratio=1 / speedup, goal="≥ 20× faster", met=speedup >= 20),
        _row("requests per 100 results", d["requests_per_100_results"], "",
             goal="≤ 1", met=d["requests_per_100_results"] <= 1),
        _row("  batched, against one round trip a batch", d["batched_seconds"], "s",
             baseline=d["ideal_seconds"], baseline_label="ideal", ratio=d["ratio_to_ideal"]),
    ]  # fmt: skip


def rows_photo_clip(d: dict[str, Any], _args: list[str]) -> list[Row]:
    rows = []
    for fmt in ("jpg", "webp", "png"):
        if f"open_ratio_{fmt}" not in d:
            continue
        decode = {"baseline": d[f"pillow_decode_24mp_{fmt}_s"], "baseline_label": "Pillow decode"}
        ratio = d[f"open_ratio_{fmt}"]
        rows.append(_row(f"open a 24 MP {fmt.upper()} to first paint",
                         d[f"editor_first_paint_24mp_{fmt}_s"], "s", **decode, ratio=ratio,
                         goal="≤ 1.5×", met=ratio <= 1.5))  # fmt: skip
        full = d[f"editor_full_image_24mp_{fmt}_s"]
        rows.append(_row("  full resolution ready", full, "s", **decode,
                         ratio=full / decode["baseline"]))  # fmt: skip
    rows.append(_row("mask export, 24 MP", d["mask_export_24mp_s"], "s",
                     baseline=d["pillow_png_24mp_s"], baseline_label="Pillow PNG encode",
                     ratio=d["mask_export_24mp_s"] / d["pillow_png_24mp_s"]))  # fmt: skip
    for name in ("grabcut", "magic_wand", "scissors"):
        seconds = d[f"{name}_12mp_s"]
        rows.append(_row(f"{name} on 12 MP", seconds, "s", baseline=d["pillow_decode_12mp_s"],
                         baseline_label="Pillow decode", ratio=seconds / d["pillow_decode_12mp_s"],
                         goal="≤ 1 s", met=seconds <= 1.0))  # fmt: skip
    return rows


ASSISTS = ("grabcut", "magic_wand", "scissors")


def rows_photo_clip_core(d: dict[str, Any], _args: list[str]) -> list[Row]:
    decode = d["pillow_decode_s"]
    rows = []
    for name, seconds in d["seconds"].items():
        assist = name.startswith(ASSISTS)
        extra: dict[str, Any] = {}
        if assist or name == "load_rgb":
            extra = {"baseline": decode, "baseline_label": "Pillow decode",
                     "ratio": seconds / decode}  # fmt: skip
        if assist:
            extra |= {"goal": "≤ 1 s", "met": seconds <= 1.0}
        rows.append(_row(name, seconds, "s", **extra))
    return rows


def rows_photo_clip_drag(d: dict[str, Any], _args: list[str]) -> list[Row]:
    return [
        _row(f"vertex drag, p50 of {d['moves']} moves", d["p50_ms"], "ms"),
        _row("vertex drag, p99 (no same-run baseline: a 60 Hz frame is 16.7 ms)", d["p99_ms"],
             "ms", goal="≤ 16 ms", met=d["p99_ms"] <= 16),
        _row("vertex drag, slowest move", d["max_ms"], "ms"),
    ]  # fmt: skip


def stretch_floor(d: dict[str, Any]) -> tuple[float, str] | None:
    """The slowest time-stretch figure (clip or played seconds per second) and where."""
    figures = [(v, k) for k, v in d.items() if k.startswith("stretch_") and k.endswith("_x")]
    return min(figures) if figures else None


def rows_transcription(d: dict[str, Any], args: list[str]) -> list[Row]:
    minutes = _arg(args, "--minutes", "60")
    soundfile = {"baseline": d["soundfile_read_s"], "baseline_label": "soundfile.read"}
    rows = [
        _row(f"waveform peaks of a {minutes}-min clip (decode_with_peaks)",
             d["decode_with_peaks_s"], "s", **soundfile, ratio=d["peaks_ratio"], goal="≤ 1.3×",
             met=d["peaks_ratio"] <= 1.3),
        _row("  same, best run against best run (stalls of a shared machine removed)", None, "",
             ratio=d["peaks_ratio_best"]),
        _row("  load_clip (no peaks)", d["load_clip_s"], "s", **soundfile,
             ratio=d["load_clip_s"] / d["soundfile_read_s"]),
    ]  # fmt: skip
    for rate in (16_000, 48_000):
        keys = [k for k in d if k.startswith(f"stretch_{rate}_")]
        if keys:
            slowest = min(d[k] for k in keys)
            rows.append(_row(f"time-stretch at {rate // 1000} kHz, slowest of 0.5–2× "
                             "(clip or played seconds per second)", slowest, "× real time",
                             goal="≥ 10×", met=slowest >= 10))  # fmt: skip
    if "latency_unavailable" in d:
        rows.append(_row(f"play latency not measured: {d['latency_unavailable']}", None, ""))
        return rows
    raw = {"baseline": d["latency_raw_open_median_ms"],
           "baseline_label": "open + start a sounddevice stream (median)"}  # fmt: skip
    if "key_press_median_ms" in d:
        p95 = d["key_press_p95_ms"]
        rows.append(_row("Esc to first frame handed to the stream, p95", p95, "ms", **raw,
                         ratio=p95 / raw["baseline"], goal="≤ 50 ms", met=p95 <= 50))  # fmt: skip
        rows.append(_row("  median", d["key_press_median_ms"], "ms", **raw,
                         ratio=d["key_press_median_ms"] / raw["baseline"]))  # fmt: skip
    rows.append(
        _row(
            "play() to first frame, stream primed (median)",
            d["latency_primed_median_ms"],
            "ms",
            **raw,
            ratio=d["latency_ratio"],
        )
    )
    rows.append(_row("play() to first frame, stream stopped when idle (median)",
                     d["latency_cold_median_ms"], "ms", **raw,
                     ratio=d["latency_cold_median_ms"] / raw["baseline"]))  # fmt: skip
    return rows


def rows_translation(d: dict[str, Any], _args: list[str]) -> list[Row]:
    rows = [_row(f"memory of {d['entries']:,} entries built", d["build_s"], "s")]
    for mode, title in (("move", "moving across segments"), ("type", "typing a source")):
        f = d[mode]
        p95 = f["memory"]["p95_ms"]
        rows.append(_row(f"TM lookup p95, {title} ({f['lookups']} lookups)", p95, "ms",
                         baseline=f["brute_force"]["p95_ms"],
                         baseline_label="rapidfuzz brute force p95", ratio=f["p95_ratio"],
                         goal="≤ 30 ms", met=p95 <= 30))  # fmt: skip
        rows.append(_row("  recall against brute force", f["recall"] * 100, "%"))
    rows.append(_row("concordance search p95", d["concordance"]["p95_ms"], "ms"))
    return rows


def rows_earnings(d: dict[str, Any], _args: list[str]) -> list[Row]:
    bare = {"baseline": d["bare_window_paint_s"], "baseline_label": "bare QWidget painted"}
    first = d["earnings_first_paint_s"]
    return [
        _row(f"earnings view first paint, {d['entries']:,} entries", first, "s", **bare,
             ratio=d["ratio_first_paint"], goal="≤ 300 ms", met=first <= 0.3),
        _row("  totals shown", d["earnings_totals_shown_s"], "s", **bare,
             ratio=d["ratio_totals_shown"]),
        _row("  longest UI-thread stall meanwhile", d["ui_longest_stall_s"], "s"),
    ]  # fmt: skip


EXTRACTORS: dict[str, Callable[[dict[str, Any], list[str]], list[Row]]] = {
    "startup": rows_startup,
    "sync": rows_sync,
    "photo_clip": rows_photo_clip,
    "photo_clip_core": rows_photo_clip_core,
    "photo_clip_drag": rows_photo_clip_drag,
    "transcription": rows_transcription,
    "translation": rows_translation,
    "earnings": rows_earnings,
}


def rows_reliability(d: dict[str, Any], _args: list[str]) -> list[Row]:
    """One row per campaign: its trials, and what went wrong (goal: nothing)."""
    rows = []
    for c in d["campaigns"]:
        broken = c["lost"] + c["duplicated"] + c["leaked"] + len(c["errors"])
        rows.append(_row(f"{c['title']}: trials (lost / duplicated / leaked / errors:"
                         f" {c['lost']} / {c['duplicated']} / {c['leaked']} /"
                         f" {len(c['errors'])})", c["trials"], "", goal="nothing lost,"
                         " duplicated, leaked or broken", met=broken == 0))  # fmt: skip
    return rows


EXTRACTORS["reliability"] = rows_reliability


def rows_generic(d: dict[str, Any], _args: list[str], prefix: str = "") -> list[Row]:
    rows = []
    for key, value in d.items():
        if isinstance(value, dict):
            rows += rows_generic(value, _args, f"{prefix}{key}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            rows.append(_row(f"{prefix}{key}", value, ""))
    return rows


def rows_for(run: Run) -> list[Row]:
    """The table of a successful run; raises whatever a malformed JSON makes it raise."""
    assert run.data is not None
    if isinstance(run.data.get("rows"), list):
        return run.data["rows"]
    return EXTRACTORS.get(run.name, rows_generic)(run.data, run.args)


# --- formatting ------------------------------------------------------------------------------


def number(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not math.isfinite(value):
        return "∞"
    if unit == "s":
        if abs(value) < 1:
            return f"{value * 1000:.1f} ms" if abs(value) < 0.01 else f"{value * 1000:.0f} ms"
        return f"{value:.2f} s" if abs(value) < 100 else f"{value:.0f} s"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def ratio_text(value: Any) -> str:
    if value is None:
        return "—"
    if not math.isfinite(value):
        return "∞"
    return f"{value:.3g}×"


def met_text(met: Any) -> str:
    return "—" if met is None else ("**met**" if met else "**not met**")


def table(rows: list[Row]) -> list[str]:
    lines = ["| figure | value | baseline | ratio | goal | met |", "|---|---|---|---|---|---|"]
    for r in rows:
        unit = r.get("unit", "")
        base = r.get("baseline")
        base_text = "—" if base is None else f"{number(base, unit)}, {r.get('baseline_label', '')}"
        lines.append(
            f"| {_cell(r['figure'])} | {number(r.get('value'), unit)} | {_cell(base_text)} | "
            f"{ratio_text(r.get('ratio'))} | {_cell(r.get('goal', '—'))} | "
            f"{met_text(r.get('met'))} |"
        )
    return lines


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# --- the document ------------------------------------------------------------------------------


def render(
    runs: list[Run], facts: dict[str, str], goals: list[dict[str, Any]], *, quick: bool,
    started: datetime, command: str,
) -> str:  # fmt: skip
    out = [
        "# Ouvrage benchmarks",
        "",
        f"Written by `{command}` on {started.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        + (" in quick mode (smaller sizes: see each script's command)." if quick else ".")
        + " Each figure is measured beside its baseline in the same run, in the same process"
        " or in fresh processes alternating with it; ratio = value / baseline. Medians unless"
        " a figure says otherwise. The goals are at the end.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {key} | {_cell(value)} |" for key, value in facts.items()],
        "",
        "`poor_link` needs `ip` and `tc` (Debian iproute2), `nft` (nftables) and `curl`, and"
        " root for the network namespace (else it falls back to the mock server's own"
        " throttling); CI's `.ci/run` installs none of them, and CI does not run benchmarks.",
        "",
        "## Runs",
        "",
        "| script | outcome | wall time | figures meeting their goal |",
        "|---|---|---|---|",
    ]
    tables: dict[str, list[Row]] = {}
    for run in runs:
        outcome = "ok"
        if run.ok:
            try:
                tables[run.name] = rows_for(run)
            except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
                outcome = f"JSON not understood ({type(exc).__name__}: {exc})"
        else:
            outcome = run.error or "failed"
        judged = [r for r in tables.get(run.name, []) if r.get("met") is not None]
        met = sum(1 for r in judged if r["met"])
        out.append(f"| `{run.name}` | {_cell(outcome)} | {run.seconds:.0f} s | "
                   f"{f'{met} of {len(judged)}' if judged else '—'} |")  # fmt: skip
    for run in runs:
        out += ["", f"## {run.name}", "", f"`{' '.join(run.command)}`", ""]
        if run.name not in tables:
            out.append(f"**Failed**: {_cell(run.error or 'no JSON')}")
            if run.stderr_tail:
                out += ["", "```", run.stderr_tail, "```"]
            continue
        if run.data and run.data.get("link"):
            out += [f"Link: {run.data['link'].get('description', '')}.", ""]
        out += table(tables[run.name])
        for warning in (run.data or {}).get("warnings", []):
            out.append(f"\n- warning: {warning}")
        raw = json.dumps(run.data, indent=1, default=str)[:20_000]
        out += ["", "<details><summary>JSON</summary>", "", "```json", raw, "```", "",
                "</details>"]  # fmt: skip
    out += ["", "## Goals", "",
            "Every goal stated in the issues so far, from this run. Where one is not met, why,"
            " and what it would take.", "",
            "| area | goal | measured | status | why not, and what it would take |",
            "|---|---|---|---|---|"]  # fmt: skip
    for goal in goals:
        out.append(
            f"| {goal['area']} | {_cell(goal['goal'])} | {_cell(goal['measured'])} | "
            f"{goal['status']} | {_cell(goal.get('note', ''))} |"
        )
    return "\n".join(out) + "\n"
