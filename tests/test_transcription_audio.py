"""Transcription audio engine: decoding clips, waveform peaks and time-stretch.

Real files written by soundfile in a temporary directory, decoded back by the code under
test; peaks checked against brute-force numpy; stretch checked by the FFT of its output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from taskkinds.transcription import audio
from taskkinds.transcription.audio import AudioUnreadable, load_clip
from taskkinds.transcription.peaks import BLOCK, WaveformPeaks, decode_with_peaks
from taskkinds.transcription.stretch import TimeStretcher, stretch

RATE = 16_000

# (file name, soundfile format, subtype): every format a bundle may carry.
FORMATS = [
    ("clip.wav", "WAV", "PCM_16"),
    ("clip.flac", "FLAC", "PCM_16"),
    ("clip.ogg", "OGG", "VORBIS"),
    ("clip.opus", "OGG", "OPUS"),
    ("clip.mp3", "MP3", "MPEG_LAYER_III"),
]


def tone(seconds: float, rate: int = RATE, hz: float = 440.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    """The frequency of the FFT's strongest bin, away from the edges of the signal."""
    trim = samples.shape[0] // 10
    middle = samples[trim : samples.shape[0] - trim]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(middle.shape[0])))
    return float(np.argmax(spectrum) * rate / middle.shape[0])


def writable(fmt: str, subtype: str) -> bool:
    return subtype in soundfile.available_subtypes(fmt)


def write(path: Path, samples: np.ndarray, fmt: str, subtype: str, rate: int = RATE) -> Path:
    if not writable(fmt, subtype):
        pytest.skip(f"this libsndfile cannot write {fmt}/{subtype}")
    soundfile.write(path, samples, rate, format=fmt, subtype=subtype)
    return path


def cut(path: Path, fraction: float) -> Path:
    data = path.read_bytes()
    short = path.with_name("cut-" + path.name)
    short.write_bytes(data[: int(len(data) * fraction)])
    return short


# -- decoding ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt", "subtype"), FORMATS)
def test_every_bundle_format_decodes_to_the_same_mono_tone(
    tmp_path: Path, name: str, fmt: str, subtype: str
) -> None:
    path = write(tmp_path / name, tone(2.0), fmt, subtype)

    clip = load_clip(path)

    assert clip.sample_rate == RATE
    assert clip.channels == 1
    assert clip.format == fmt
    assert clip.duration == pytest.approx(2.0, abs=0.01)
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert dominant_hz(clip.samples, RATE) == pytest.approx(440, rel=0.01)
    middle = clip.samples[RATE // 10 : -RATE // 10]  # lossy codecs ring at the edges
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)
    assert not clip.samples.flags.writeable


def test_stereo_is_mixed_down_and_its_channel_count_kept(tmp_path: Path) -> None:
    left, right = tone(1.0), tone(1.0, hz=1000, level=0.2)
    path = write(tmp_path / "stereo.flac", np.stack([left, right], axis=1), "FLAC", "PCM_24")

    clip = load_clip(path)

    assert clip.channels == 2
    np.testing.assert_allclose(clip.samples, (left + right) / 2, atol=1e-4)


def test_float_wav_with_nan_and_overloads_decodes_to_safe_samples(tmp_path: Path) -> None:
    wild = np.array([np.nan, 3.0, -np.inf, 0.25, np.inf, -7.0], dtype=np.float32)
    path = write(tmp_path / "wild.wav", wild, "WAV", "FLOAT")

    clip = load_clip(path)

    assert clip.samples.tolist() == [0.0, 1.0, -1.0, 0.25, 1.0, -1.0]


def test_blocks_reach_the_listener_in_order_and_cover_the_clip(tmp_path: Path) -> None:
    samples = tone(9.3)
    path = write(tmp_path / "long.wav", samples, "WAV", "PCM_16")
    blocks: list[np.ndarray] = []

    clip = load_clip(path, on_block=lambda block: blocks.append(block.copy()))

    assert len(blocks) > 1
    np.testing.assert_array_equal(np.concatenate(blocks), clip.samples)


@pytest.mark.parametrize(("name", "fmt", "subtype"), FORMATS)
def test_a_truncated_clip_is_refused_rather_than_played_in_part(
    tmp_path: Path, name: str, fmt: str, subtype: str
) -> None:
    whole = write(tmp_path / name, tone(5.0) + tone(5.0, hz=97, level=0.2), fmt, subtype)
    truncated = cut(whole, 0.5)

    with pytest.raises(AudioUnreadable) as caught:
        load_clip(truncated)

    message = str(caught.value)
    assert f"'{truncated.name}'" in message
    assert "damaged or truncated" in message
    assert "Download the bundle again or ask for a new copy." in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"\x00\x01garbage" * 500, "is not in a format Ouvrage plays"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "is not in a format Ouvrage plays"),
    ],
    ids=["empty", "garbage", "header-only"],
)
def test_files_that_are_not_audio_get_a_clear_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "clip.wav"
    path.write_bytes(content)

    with pytest.raises(AudioUnreadable, match=expected) as caught:
        load_clip(path)

    assert "'clip.wav'" in str(caught.value)
    assert str(caught.value).endswith("Download the bundle again or ask for a new copy.")


def test_a_missing_clip_says_to_import_the_bundle_again(tmp_path: Path) -> None:
    with pytest.raises(AudioUnreadable, match="'gone.opus' is missing. Import the bundle"):
        load_clip(tmp_path / "gone.opus")


def test_a_clip_without_samples_holds_no_sound(tmp_path: Path) -> None:
    path = write(tmp_path / "silent.wav", np.zeros(0, dtype=np.float32), "WAV", "PCM_16")

    with pytest.raises(AudioUnreadable, match="holds no sound"):
        load_clip(path)


def test_formats_a_bundle_does_not_carry_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "clip.aiff", tone(0.5), "AIFF", "PCM_16")

    with pytest.raises(AudioUnreadable, match="is in the AIFF format, not Opus"):
        load_clip(path)


def test_a_clip_longer_than_the_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path / "long.flac", tone(3.0), "FLAC", "PCM_16")
    decoded: list[np.ndarray] = []

    with pytest.raises(AudioUnreadable, match="is too long: it lasts 3 s, more than the 2 s"):
        load_clip(path, max_seconds=2, on_block=decoded.append)

    assert decoded == []


def test_a_hostile_header_claiming_a_thousand_hours_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.flac", tone(1.0), "FLAC", "PCM_16")
    data = bytearray(path.read_bytes())
    # STREAMINFO: the total sample count is the low 36 bits of the 8 bytes at offset 18.
    fields = int.from_bytes(data[18:26], "big")
    data[18:26] = (fields | (1 << 36) - 1).to_bytes(8, "big")
    path.write_bytes(bytes(data))

    with pytest.raises(AudioUnreadable, match="is too long: it lasts 1193 h") as caught:
        load_clip(path)

    assert "Ask the task's publisher for a shorter clip." in str(caught.value)


def test_a_header_that_undercounts_still_gives_every_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = tone(3.0)
    path = write(tmp_path / "clip.wav", samples, "WAV", "PCM_16")
    monkeypatch.setattr(audio, "_announced_frames", lambda sound: int(sound.frames) // 3)

    clip = load_clip(path)

    np.testing.assert_allclose(clip.samples, samples, atol=1 / 32768)


def test_a_clip_found_too_long_while_decoding_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "clip.wav", tone(3.0), "WAV", "PCM_16")
    monkeypatch.setattr(audio, "_announced_frames", lambda sound: 0)  # "length unknown"

    with pytest.raises(
        AudioUnreadable, match="is too long: it lasts more than the 1 s Ouvrage plays safely"
    ):
        load_clip(path, max_seconds=1)


# -- waveform peaks -----------------------------------------------------------------------


def brute_range(samples: np.ndarray, start: float, stop: float) -> tuple[float, float] | None:
    """Min and max (clipped to ±1) of the samples with index in [start, stop)."""
    low, high = max(0, int(np.ceil(start))), min(samples.shape[0], int(np.ceil(stop)))
    if low >= high:
        return None
    part = np.clip(samples[low:high], -1, 1)
    return float(part.min()), float(part.max())


def noisy_speech(seconds: float, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    envelope = 0.55 + 0.45 * np.sin(np.arange(n) / RATE * 2 * np.pi * 1.3)
    return (rng.standard_normal(n) * 0.4 * envelope).astype(np.float32)  # peaks past ±1 too


def test_each_column_spans_its_samples_and_nothing_a_column_away() -> None:
    samples = noisy_speech(70.0)
    peaks = WaveformPeaks(samples, RATE)
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(120):  # zooms from a few samples to whole minutes, partly off the clip
        start = rng.uniform(-3, 70)
        end = start + 10 ** rng.uniform(-3.5, 1.9)
        columns = int(rng.integers(1, 900))
        mins, maxs = peaks.envelope(start, end, columns)
        width = (end - start) * RATE / columns
        edges = start * RATE + np.arange(columns + 1) * width
        for i in range(columns):
            if edges[i + 1] <= 0 or edges[i] >= samples.shape[0]:
                assert mins[i] == maxs[i] == 0, "no sound outside the clip"
                continue
            near = brute_range(samples, edges[i] - width - 1, edges[i + 1] + width + 1)
            exact = brute_range(samples, edges[i], edges[i + 1]) or (1.0, -1.0)  # None: between
            assert near is not None  # two samples, when zoomed closer than one a column
            assert near[0] <= mins[i] <= exact[0]
            assert exact[1] <= maxs[i] <= near[1]
            checked += 1
    assert checked > 10_000


@pytest.mark.parametrize(
    ("samples_per_column", "columns"),
    [(1, 100), (64, 100), (256, 100), (1024, 100), (4096, 100), (65536, 10)],
)
def test_columns_on_block_boundaries_match_brute_force_exactly(
    samples_per_column: int, columns: int
) -> None:
    samples = noisy_speech(60.0)
    peaks = WaveformPeaks(samples, RATE)
    start_sample = 3 * 65536

    mins, maxs = peaks.envelope(
        start_sample / RATE, (start_sample + columns * samples_per_column) / RATE, columns
    )

    span = np.clip(samples[start_sample : start_sample + columns * samples_per_column], -1, 1)
    blocks = span.reshape(columns, samples_per_column)
    np.testing.assert_array_equal(mins, blocks.min(axis=1))
    np.testing.assert_array_equal(maxs, blocks.max(axis=1))


def test_a_click_shows_in_its_own_column_at_every_zoom() -> None:
    samples = noisy_speech(40.0) * 0.05
    click = round(23.45678 * RATE)
    samples[click] = 0.9
    click_at = click / RATE
    peaks = WaveformPeaks(samples, RATE)

    for span in (0.1, 0.3, 2.0, 15.0, 40.0):  # a column from 3 samples to 80 blocks
        start = max(0.0, click_at - span * 0.3712)  # the click mid-column
        mins, maxs = peaks.envelope(start, start + span, 500)
        column = int((click_at - start) / span * 500)
        assert maxs[column] == pytest.approx(0.9), span
        showing = set(np.flatnonzero(maxs > 0.5).tolist())
        assert column in showing and showing <= {column - 1, column, column + 1}, span


def test_peaks_from_a_file_equal_peaks_from_its_samples(tmp_path: Path) -> None:
    samples = noisy_speech(21.0)[: 21 * RATE - 77]  # not a whole number of blocks
    stereo = np.stack([samples, np.roll(samples, 5) * 0.5], axis=1)
    path = write(tmp_path / "speech.flac", np.clip(stereo, -1, 1), "FLAC", "PCM_16")

    clip, from_file = decode_with_peaks(path)
    in_memory = WaveformPeaks.from_clip(clip)

    assert from_file.duration == pytest.approx(clip.duration)
    assert from_file.sample_rate == RATE
    assert from_file.samples is clip.samples  # decoded once, shared with the player
    for span, columns in [((0, 21), 800), ((3.2, 3.3), 640), ((10, 14.5), 123)]:
        for got, want in zip(
            from_file.envelope(*span, columns), in_memory.envelope(*span, columns), strict=True
        ):
            np.testing.assert_array_equal(got, want)


def test_from_file_refuses_a_damaged_clip_like_load_clip(tmp_path: Path) -> None:
    path = cut(write(tmp_path / "a.flac", tone(4.0), "FLAC", "PCM_16"), 0.6)

    with pytest.raises(AudioUnreadable, match="damaged or truncated"):
        WaveformPeaks.from_file(path)


def test_envelope_values_are_float32_within_one() -> None:
    loud = np.array([np.nan, 5.0, -5.0] * 40_000, dtype=np.float32)
    peaks = WaveformPeaks(loud, RATE)

    for columns in (3, 700):
        mins, maxs = peaks.envelope(0, peaks.duration, columns)
        assert mins.dtype == maxs.dtype == np.float32
        assert mins.shape == maxs.shape == (columns,)
        assert mins.min() == -1.0 and maxs.max() == 1.0


def test_the_pyramid_goes_down_to_one_block() -> None:
    peaks = WaveformPeaks(np.zeros(BLOCK * 4**5 + 1, dtype=np.float32), RATE)

    assert peaks.levels == 7  # 1025, 257, 65, 17, 5, 2, 1 blocks


@pytest.mark.parametrize(("start", "end", "columns"), [(0, 1, 0), (2, 2, 10), (0, np.nan, 5)])
def test_a_meaningless_span_is_refused(start: float, end: float, columns: int) -> None:
    with pytest.raises(ValueError):
        WaveformPeaks(tone(1.0), RATE).envelope(start, end, columns)


def test_an_empty_clip_draws_silence() -> None:
    mins, maxs = WaveformPeaks(np.zeros(0, dtype=np.float32), RATE).envelope(0, 1, 10)

    assert mins.tolist() == maxs.tolist() == [0.0] * 10


# -- time-stretch -------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [16_000, 48_000])
@pytest.mark.parametrize("speed", [0.5, 0.75, 1.5, 2.0])
def test_stretching_keeps_the_pitch(rate: int, speed: float) -> None:
    stretched = stretch(tone(2.0, rate), rate, speed)

    assert dominant_hz(stretched, rate) == pytest.approx(440, rel=0.02)


@pytest.mark.parametrize("speed", [0.5, 0.75, 1.5, 2.0])
def test_stretched_sound_lasts_its_length_over_the_speed_at_the_same_level(speed: float) -> None:
    source = tone(3.0)

    stretched = stretch(source, RATE, speed)

    assert stretched.shape[0] == pytest.approx(source.shape[0] / speed, abs=0.03 * RATE)
    middle = stretched[RATE // 10 : -RATE // 10]
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.03)


def test_speed_one_passes_samples_through_untouched() -> None:
    source = noisy_speech(1.3)
    stretcher = TimeStretcher(RATE, 1.0)
    pulled = []
    for start in range(0, source.shape[0], 1000):
        stretcher.feed(source[start : start + 1000])
        pulled.append(stretcher.pull())
    stretcher.finish()
    pulled.append(stretcher.pull())

    np.testing.assert_array_equal(stretch(source, RATE, 1.0), source)
    np.testing.assert_array_equal(np.concatenate(pulled), source)
    assert stretcher.done


def test_streaming_in_odd_blocks_gives_the_one_shot_result() -> None:
    source = noisy_speech(3.0)
    stretcher = TimeStretcher(RATE, 0.75)
    pulled = []
    for start in range(0, source.shape[0], 333):
        stretcher.feed(source[start : start + 333])
        pulled.append(stretcher.pull(100))
        pulled.append(stretcher.pull())
    stretcher.finish()
    pulled.append(stretcher.pull())

    np.testing.assert_array_equal(np.concatenate(pulled), stretch(source, RATE, 0.75))
    assert stretcher.done


def test_changing_speed_while_streaming_joins_without_a_click() -> None:
    source = tone(3.0)
    stretcher = TimeStretcher(RATE)
    speeds = [1.0, 0.5, 1.0, 2.0, 0.75, 1.0, 1.5]
    pulled = []
    for index, start in enumerate(range(0, source.shape[0], 4000)):
        stretcher.set_speed(speeds[index % len(speeds)])
        stretcher.feed(source[start : start + 4000])
        pulled.append(stretcher.pull())
    stretcher.finish()
    pulled.append(stretcher.pull())
    out = np.concatenate(pulled)

    steepest = 0.5 * 2 * np.pi * 440 / RATE  # the largest step between samples of the tone
    assert np.abs(np.diff(out)).max() <= steepest * 1.05
    assert np.abs(out).max() <= 0.5 * 1.02


def test_a_speed_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0.5 and 2.0"):
        stretch(tone(0.1), RATE, 3.0)
    with pytest.raises(ValueError, match="between 0.5 and 2.0"):
        TimeStretcher(RATE).set_speed(0.25)


def test_feeding_after_finish_is_a_mistake() -> None:
    stretcher = TimeStretcher(RATE, 1.5)
    stretcher.finish()

    with pytest.raises(RuntimeError, match="after finish"):
        stretcher.feed(tone(0.1))
