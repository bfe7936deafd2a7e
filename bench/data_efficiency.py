"""Data efficiency: megabytes per hour of work, as shipped (WebP, Opus) against JPEG-95 and WAV.

Every demo bundle is built as ``app.demo.build_demo_bundles`` builds it (what the mock
server serves), then again from the same tasks with each photo re-encoded as JPEG at
quality 95 and each clip as 16-bit WAV at its own rate (the baseline, built in the same
run by the same bundle builder). MB per hour of work = bundle bytes / (tasks × the
bundle's estimated minutes per task). The demo photos are small (at most 800 px), so a
projection follows, shipped as the platform should (long side ≤ 1600 px, WebP at the
demo's quality 80) against JPEG-95: generated scenes (``taskkinds.photo_clip.demo``)
rendered at camera size, and real photos (scikit-image's samples, if installed) by their
bits per pixel, with the highest WebP quality that would meet the goals.

A day of mixed work: 8 hours split equally across the three kinds (``--mix`` changes
the split), downloaded over 160 kbit/s, with TCP/IP framing (52 bytes a 1,448-byte
segment) on top of the bytes of the bundles. MB = 10^6 bytes.

    python -m bench.data_efficiency [--quick] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("photo_clip", "transcription", "translation")
GOAL_MB_PER_HOUR = {"photo_clip": 4.0, "transcription": 1.5, "translation": 0.1}
GOAL_BASELINE_FRACTION = 0.2  # shipped bundles ≤ 1/5 of the JPEG-95 / WAV ones
GOAL_DAY_MINUTES = 20.0
LINK_KBIT_S = 160.0
MAX_LONG_SIDE = 1600
TCP_FRAMING = (1448 + 52) / 1448  # IPv4 + TCP with timestamps, per full segment
WEBP_QUALITY = 80  # what taskkinds.photo_clip.demo writes
JPEG_BASELINE_QUALITY = 95


def spec_bundle(spec: dict[str, Any], media_dir: Path, out: Path, convert: Callable | None) -> Path:
    """Build ``spec``'s bundle into ``out``; ``convert(bundle_path, file) -> (path, bytes)``
    replaces each media file (and every mention of its path in the tasks)."""
    from app.demo import build_spec_bundle

    renamed: dict[str, str] = {}
    media: dict[str, bytes | Path] = {}
    for name, file in spec.get("media", {}).items():
        if convert is None:
            media[name] = media_dir / file
            continue
        new_name, content = convert(name, media_dir / file)
        renamed[name] = new_name
        media[new_name] = content
    tasks = spec["tasks"]
    if renamed:
        text = json.dumps(tasks)
        for old, new in renamed.items():
            text = text.replace(json.dumps(old), json.dumps(new))
        tasks = json.loads(text)
    return build_spec_bundle(spec, out.parent, tasks=tasks, media=media, out=out)


def to_baseline(name: str, path: Path) -> tuple[str, bytes | Path]:
    """A photo as JPEG-95 and a clip as 16-bit WAV (same pixels, same samples); else as is."""
    import soundfile
    from PIL import Image

    stem, _, suffix = name.rpartition(".")
    if suffix in ("webp", "png"):
        with Image.open(path) as image:
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_BASELINE_QUALITY)
        return f"{stem}.jpg", buffer.getvalue()
    if suffix in ("opus", "ogg", "flac"):
        data, rate = soundfile.read(path, dtype="int16")
        buffer = io.BytesIO()
        soundfile.write(buffer, data, rate, format="WAV", subtype="PCM_16")
        return f"{stem}.wav", buffer.getvalue()
    return name, path


def stored_bundle(path: Path, out: Path) -> Path:
    """The same zip with nothing deflated: the baseline of a text-only bundle."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as sink:
        for info in source.infolist():
            sink.writestr(info.filename, source.read(info), compress_type=zipfile.ZIP_STORED)
    return out


def media_facts(bundle: Path) -> dict[str, Any]:
    """Largest photo side and seconds of audio in a built bundle."""
    import soundfile
    from PIL import Image

    long_side, audio_s, audio_bytes, photos = 0, 0.0, 0, 0
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            suffix = info.filename.rpartition(".")[2].lower()
            if suffix in ("webp", "jpg", "jpeg", "png"):
                with Image.open(io.BytesIO(archive.read(info))) as image:
                    long_side = max(long_side, *image.size)
                photos += 1
            elif suffix in ("opus", "ogg", "flac", "wav"):
                audio_s += soundfile.info(io.BytesIO(archive.read(info))).duration
                audio_bytes += info.file_size
    return {
        "photos": photos,
        "longest_photo_side_px": long_side,
        "audio_seconds": audio_s,
        "audio_kbit_s": audio_bytes * 8 / audio_s / 1000 if audio_s else None,
    }


def demo_kinds(folder: Path) -> dict[str, dict[str, Any]]:
    """Per kind: bytes shipped, baseline bytes, tasks and minutes of work of the demo bundles."""
    from app.demo import DEMO_DIR, demo_specs

    kinds: dict[str, dict[str, Any]] = {}
    for spec_path in demo_specs():
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        shipped = spec_bundle(spec, DEMO_DIR, folder / f"{spec['bundle_id']}.zip", None)
        if spec.get("media"):
            baseline = spec_bundle(
                spec, DEMO_DIR, folder / f"{spec['bundle_id']}-baseline.zip", to_baseline
            )
            baseline_label = "JPEG-95 / WAV media"
        else:
            baseline = stored_bundle(shipped, folder / f"{spec['bundle_id']}-stored.zip")
            baseline_label = "manifest not deflated"
        entry = kinds.setdefault(
            spec["kind"],
            {"bundles": [], "bytes": 0, "baseline_bytes": 0, "tasks": 0, "minutes": 0.0},
        )
        minutes = len(spec["tasks"]) * float(spec.get("estimated_minutes_per_task") or 1.0)
        facts = media_facts(shipped)
        entry["bundles"].append(
            {
                "bundle_id": spec["bundle_id"],
                "tasks": len(spec["tasks"]),
                "estimated_minutes_per_task": spec.get("estimated_minutes_per_task"),
                "bytes": shipped.stat().st_size,
                "baseline_bytes": baseline.stat().st_size,
                **facts,
            }
        )
        entry["bytes"] += shipped.stat().st_size
        entry["baseline_bytes"] += baseline.stat().st_size
        entry["tasks"] += len(spec["tasks"])
        entry["minutes"] += minutes
        entry["baseline_label"] = baseline_label
    for entry in kinds.values():
        hours = entry["minutes"] / 60
        entry["mb_per_hour"] = entry["bytes"] / 1e6 / hours
        entry["baseline_mb_per_hour"] = entry["baseline_bytes"] / 1e6 / hours
        entry["ratio"] = entry["bytes"] / entry["baseline_bytes"]
        entry["longest_photo_side_px"] = max(b["longest_photo_side_px"] for b in entry["bundles"])
    return kinds


def encoded_size(image: Any, fmt: str, quality: int) -> int:
    buffer = io.BytesIO()
    options = {"method": 6} if fmt == "WEBP" else {}
    image.save(buffer, format=fmt, quality=quality, **options)
    return len(buffer.getvalue())


def projected_scenes(count: int, camera: tuple[int, int]) -> dict[str, Any]:
    """Generated scenes at camera size, shipped at ≤ 1600 px WebP q80, against JPEG-95."""
    from PIL import Image

    from taskkinds.photo_clip.demo import generate_scene

    webp, jpeg_same, jpeg_camera = [], [], []
    shipped_size = (0, 0)
    for seed in range(1, count + 1):
        original = Image.fromarray(generate_scene(seed, *camera, hole=seed % 2 == 0).image)
        shipped = original.copy()
        shipped.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
        shipped_size = shipped.size
        webp.append(encoded_size(shipped, "WEBP", WEBP_QUALITY))
        jpeg_same.append(encoded_size(shipped, "JPEG", JPEG_BASELINE_QUALITY))
        jpeg_camera.append(encoded_size(original, "JPEG", JPEG_BASELINE_QUALITY))
    return {
        "source": "generated scenes (taskkinds.photo_clip.demo)",
        "photos": count,
        "camera_px": list(camera),
        "shipped_px": list(shipped_size),
        "webp_bytes": sum(webp) / count,
        "jpeg95_bytes": sum(jpeg_same) / count,
        "jpeg95_camera_bytes": sum(jpeg_camera) / count,
    }


def real_photo_files() -> list[Path]:
    """scikit-image's sample colour photos, when it is installed (it is not a dependency)."""
    import importlib.util

    found = importlib.util.find_spec("skimage")
    if found is None or found.origin is None:
        return []
    folder = Path(found.origin).parent / "data"
    names = ("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "motorcycle_left.png")
    return [folder / name for name in names if (folder / name).is_file()]


def projected_real_photos(files: list[Path], shipped_px: tuple[int, int]) -> dict[str, Any]:
    """Real photos' bits per pixel as WebP q80 and JPEG-95, scaled to ``shipped_px``.

    The samples are 300–740 px; bits per pixel fall a little as a photo gets larger, so
    this errs on the heavy side. Also: the highest WebP quality meeting both goals.
    """
    from PIL import Image

    photos = []
    for path in files:
        with Image.open(path) as image:
            photos.append(image.convert("RGB"))
    pixels = sum(photo.size[0] * photo.size[1] for photo in photos)
    jpeg_bpp = sum(encoded_size(p, "JPEG", JPEG_BASELINE_QUALITY) for p in photos) * 8 / pixels
    target_px = shipped_px[0] * shipped_px[1]
    by_quality = {}
    for quality in (80, 75, 70, 65, 60, 55, 50, 45, 40):
        bpp = sum(encoded_size(p, "WEBP", quality) for p in photos) * 8 / pixels
        by_quality[quality] = {"bpp": bpp, "bytes": bpp * target_px / 8, "ratio": bpp / jpeg_bpp}
    return {
        "source": "scikit-image sample photos: " + ", ".join(path.stem for path in files),
        "photos": len(photos),
        "shipped_px": list(shipped_px),
        "webp_bytes": by_quality[WEBP_QUALITY]["bytes"],
        "jpeg95_bytes": jpeg_bpp * target_px / 8,
        "webp_bpp": by_quality[WEBP_QUALITY]["bpp"],
        "jpeg95_bpp": jpeg_bpp,
        "by_quality": by_quality,
    }


def per_hour(projection: dict[str, Any], tasks_per_hour: float) -> None:
    """Add MB per hour and ratios to a projection (one photo per task)."""
    projection["mb_per_hour"] = projection["webp_bytes"] * tasks_per_hour / 1e6
    projection["jpeg95_mb_per_hour"] = projection["jpeg95_bytes"] * tasks_per_hour / 1e6
    projection["ratio"] = projection["webp_bytes"] / projection["jpeg95_bytes"]
    if "jpeg95_camera_bytes" in projection:
        projection["ratio_camera"] = projection["webp_bytes"] / projection["jpeg95_camera_bytes"]
    if "by_quality" in projection:
        meeting = [
            quality
            for quality, q in projection["by_quality"].items()
            if q["bytes"] * tasks_per_hour / 1e6 <= GOAL_MB_PER_HOUR["photo_clip"]
            and q["ratio"] <= GOAL_BASELINE_FRACTION
        ]
        projection["highest_quality_meeting_goals"] = max(meeting) if meeting else None
        budget = GOAL_MB_PER_HOUR["photo_clip"] * 1e6 / tasks_per_hour  # bytes per photo
        pixels = budget * 8 / projection["webp_bpp"]
        projection["long_side_meeting_mb_goal_at_q80"] = round((pixels * 3 / 2) ** 0.5)


def day_minutes(mb_per_hour: dict[str, float], mix: dict[str, float], hours: float) -> float:
    megabytes = sum(mb_per_hour[kind] * hours * share for kind, share in mix.items())
    return megabytes * 1e6 * 8 * TCP_FRAMING / (LINK_KBIT_S * 1000) / 60


def row(figure: str, value: float, unit: str, **extra: Any) -> dict[str, Any]:
    return {"figure": figure, "value": value, "unit": unit, **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, smaller projected photos")
    parser.add_argument("--photos", type=int, default=4, help="generated photos to project")
    parser.add_argument("--hours", type=float, default=8.0, help="hours in a day of work")
    parser.add_argument(
        "--mix", default="1,1,1", help="shares of photo_clip,transcription,translation in a day"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    shares = [float(part) for part in args.mix.split(",")]
    mix = {kind: share / sum(shares) for kind, share in zip(KINDS, shares, strict=True)}
    camera = (2400, 1600) if args.quick else (4000, 2720)
    photo_count = 2 if args.quick else args.photos

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-data-") as tmp:
        kinds = demo_kinds(Path(tmp))
    photo = kinds["photo_clip"]
    tasks_per_hour = 60 / (photo["minutes"] / photo["tasks"])
    # Photo bytes only: the manifest and instructions add a few kB per bundle, not per task.
    scenes = projected_scenes(photo_count, camera)
    per_hour(scenes, tasks_per_hour)
    files = real_photo_files()
    real = projected_real_photos(files, tuple(scenes["shipped_px"])) if files else None
    if real is not None:
        per_hour(real, tasks_per_hour)
    projected = real if real is not None else scenes

    shipped_rates = {kind: kinds[kind]["mb_per_hour"] for kind in KINDS}
    baseline_rates = {kind: kinds[kind]["baseline_mb_per_hour"] for kind in KINDS}
    projected_rates = {**shipped_rates, "photo_clip": projected["mb_per_hour"]}
    day = {
        "hours": args.hours,
        "mix": mix,
        "link_kbit_s": LINK_KBIT_S,
        "tcp_framing": TCP_FRAMING,
        "shipped_minutes": day_minutes(shipped_rates, mix, args.hours),
        "baseline_minutes": day_minutes(baseline_rates, mix, args.hours),
        "projected_1600px_minutes": day_minutes(projected_rates, mix, args.hours),
        "photo_only_projected_minutes": day_minutes(
            projected_rates, {"photo_clip": 1.0}, args.hours
        ),
        "shipped_mb": sum(shipped_rates[k] * args.hours * s for k, s in mix.items()),
        "projected_1600px_mb": sum(projected_rates[k] * args.hours * s for k, s in mix.items()),
    }

    warnings = []
    for kind in KINDS:
        side = kinds[kind]["longest_photo_side_px"]
        if side > MAX_LONG_SIDE:
            warnings.append(f"{kind}: a shipped photo is {side} px on its long side (> 1600)")
    for kind, goal in GOAL_MB_PER_HOUR.items():
        if shipped_rates[kind] > goal:
            warnings.append(f"{kind}: {shipped_rates[kind]:.2f} MB/h is over the goal of {goal}")
    for kind in ("photo_clip", "transcription"):
        if kinds[kind]["ratio"] > GOAL_BASELINE_FRACTION:
            warnings.append(
                f"{kind}: the shipped bundle is {kinds[kind]['ratio']:.2f} of the JPEG-95/WAV one"
                f" (goal ≤ {GOAL_BASELINE_FRACTION})"
            )
    if real is not None and real["mb_per_hour"] > GOAL_MB_PER_HOUR["photo_clip"]:
        warnings.append(
            f"photo_clip: real photos at {real['shipped_px'][0]} px would cost "
            f"{real['mb_per_hour']:.1f} MB/h at WebP q{WEBP_QUALITY}; the highest quality meeting"
            f" both goals is q{real['highest_quality_meeting_goals']}, or at q{WEBP_QUALITY} a "
            f"long side of {real['long_side_meeting_mb_goal_at_q80']} px meets the MB/h goal"
        )

    rows = []
    for kind in KINDS:
        k = kinds[kind]
        goal = GOAL_MB_PER_HOUR[kind]
        rows.append(
            row(
                f"{kind}: MB per hour of work (demo bundles as shipped, {k['tasks']} tasks)",
                k["mb_per_hour"],
                "MB/h",
                baseline=k["baseline_mb_per_hour"],
                baseline_label=k["baseline_label"],
                ratio=k["ratio"],
                goal=f"≤ {goal:g} MB/h" + ("" if kind == "translation" else ", ratio ≤ 0.2"),
                met=k["mb_per_hour"] <= goal
                and (kind == "translation" or k["ratio"] <= GOAL_BASELINE_FRACTION),
            )
        )
    size = f"{scenes['shipped_px'][0]}×{scenes['shipped_px'][1]}"
    for name, projection in (("generated scenes", scenes), ("real photos", real)):
        if projection is None:
            continue
        rows.append(
            row(
                f"photo_clip projected: {name} at {size}, WebP q{WEBP_QUALITY}",
                projection["mb_per_hour"],
                "MB/h",
                baseline=projection["jpeg95_mb_per_hour"],
                baseline_label="JPEG-95, same pixels",
                ratio=projection["ratio"],
                goal="≤ 4 MB/h, ratio ≤ 0.2",
                met=projection["mb_per_hour"] <= 4.0 and projection["ratio"] <= 0.2,
            )
        )
    rows.append(
        row(
            f"photo_clip projected: generated scenes against the {camera[0]}×{camera[1]} "
            "original as JPEG-95",
            scenes["mb_per_hour"],
            "MB/h",
            baseline=scenes["jpeg95_camera_bytes"] * tasks_per_hour / 1e6,
            baseline_label="JPEG-95 camera size",
            ratio=scenes["ratio_camera"],
            goal="ratio ≤ 0.2",
            met=scenes["ratio_camera"] <= 0.2,
        )
    )
    mix_text = ", ".join(f"{share * args.hours:.2g} h {kind}" for kind, share in mix.items())
    rows.append(
        row(
            f"a day of mixed work ({mix_text}) at 160 kbit/s, demo bundles",
            day["shipped_minutes"],
            "min",
            baseline=day["baseline_minutes"],
            baseline_label="JPEG-95 / WAV",
            ratio=day["shipped_minutes"] / day["baseline_minutes"],
            goal="≤ 20 min",
            met=day["shipped_minutes"] <= GOAL_DAY_MINUTES,
        )
    )
    rows.append(
        row(
            f"the same day with {'real' if real else 'generated'} photos at {size} (projected)",
            day["projected_1600px_minutes"],
            "min",
            goal="≤ 20 min",
            met=day["projected_1600px_minutes"] <= GOAL_DAY_MINUTES,
        )
    )
    rows.append(
        row(
            f"{args.hours:g} h of clipping only, {'real' if real else 'generated'} photos at "
            f"{size} (projected)",
            day["photo_only_projected_minutes"],
            "min",
        )
    )

    result = {
        "benchmark": "data_efficiency",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "quick": args.quick,
        "seconds": time.perf_counter() - started,
        "kinds": kinds,
        "projection_scenes": scenes,
        "projection_real_photos": real,
        "day": day,
        "warnings": warnings,
        "rows": rows,
        "goals": {
            "mb_per_hour": GOAL_MB_PER_HOUR,
            "baseline_fraction": GOAL_BASELINE_FRACTION,
            "day_minutes": GOAL_DAY_MINUTES,
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{'':<74} {'value':>9} {'baseline':>9} {'ratio':>6}  goal")
    for r in rows:
        base = f"{r['baseline']:9.3f}" if "baseline" in r else f"{'':9}"
        ratio = f"{r['ratio']:6.3f}" if "ratio" in r else f"{'':6}"
        met = "" if "met" not in r else ("  met" if r["met"] else "  NOT MET")
        print(
            f"  {r['figure'][:72]:<72} {r['value']:9.3f} {base} {ratio}  {r.get('goal', '')}{met}"
        )
    for kind in KINDS:
        for b in kinds[kind]["bundles"]:
            audio = f", {b['audio_kbit_s']:.1f} kbit/s audio" if b["audio_kbit_s"] else ""
            print(
                f"    {b['bundle_id']}: {b['tasks']} tasks × {b['estimated_minutes_per_task']}"
                f" min, {b['bytes'] / 1e3:.0f} kB (baseline {b['baseline_bytes'] / 1e3:.0f} kB)"
                f", longest photo side {b['longest_photo_side_px']} px{audio}"
            )
    for warning in warnings:
        print(f"  warning: {warning}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
