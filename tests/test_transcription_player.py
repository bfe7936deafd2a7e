"""Transcription player: transport, rewind, loop, speed, volume, end, unavailable output.

Most tests inject a fake output stream whose ``pump`` calls the player's callback the way
PortAudio's thread would, so what reaches the sound card is checked sample by sample.
The real sounddevice path runs too, in a subprocess whose ALSA default device is the
null plugin (no sound card needed; it is not paced, so a clip plays in milliseconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

try:
    import sounddevice
except OSError:  # the package is installed but PortAudio (libportaudio2) is not
    pytest.skip("PortAudio is not installed", allow_module_level=True)

from taskkinds.transcription.player import NO_DEVICE, NO_PORTAUDIO, PlaybackEvent, Player

ROOT = Path(__file__).resolve().parent.parent
RATE = 16_000


def tone(seconds: float, hz: float = 440.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def ramp(seconds: float) -> np.ndarray:
    """Every sample different, so any jump in what is played shows."""
    n = round(seconds * RATE)
    return (np.arange(n, dtype=np.float64) / n * 1.6 - 0.8).astype(np.float32)


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.shape[0])))
    return float(np.argmax(spectrum) * rate / samples.shape[0])


class FakeOutput:
    """Stands in for sounddevice.OutputStream: ``pump`` plays blocks synchronously."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.callback = settings["callback"]
        self.rate: int = settings["samplerate"]
        self.blocksize: int = settings["blocksize"]
        self.active = False
        self.starts = 0
        self.closed = False

    def start(self) -> None:
        self.active = True
        self.starts += 1

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False
        self.closed = True

    def pump(self, blocks: int = 1) -> np.ndarray:
        """What the sound card receives in ``blocks`` callbacks."""
        played = []
        for _ in range(blocks):
            out = np.full((self.blocksize, 1), np.nan, dtype=np.float32)
            if self.active:
                try:
                    self.callback(out, self.blocksize, None, sounddevice.CallbackFlags())
                except sounddevice.CallbackStop:
                    self.active = False
            played.append(out[:, 0].copy())
        return np.concatenate(played)

    def pump_seconds(self, seconds: float) -> np.ndarray:
        return self.pump(round(seconds * self.rate / self.blocksize))


class Outputs:
    """An output factory that remembers the streams it made."""

    def __init__(self, refuse_rates_except: int | None = None) -> None:
        self.made: list[FakeOutput] = []
        self.refuse_rates_except = refuse_rates_except

    def __call__(self, **settings: Any) -> FakeOutput:
        wanted = self.refuse_rates_except
        if wanted is not None and settings["samplerate"] != wanted:
            raise sounddevice.PortAudioError(
                "Error opening OutputStream: Invalid sample rate [PaErrorCode -9997]"
            )
        self.made.append(FakeOutput(**settings))
        return self.made[-1]

    @property
    def stream(self) -> FakeOutput:
        return self.made[-1]


@pytest.fixture
def outputs() -> Outputs:
    return Outputs()


def loaded(outputs: Outputs, samples: np.ndarray) -> tuple[Player, list[PlaybackEvent]]:
    player = Player(output_factory=outputs)
    events: list[PlaybackEvent] = []
    player.on_state(events.append)
    player.load(samples, RATE)
    return player, events


def test_play_hands_the_clip_to_the_output_from_the_start(outputs: Outputs) -> None:
    clip = ramp(2.0)
    player, events = loaded(outputs, clip)
    assert player.available and player.unavailable_reason == ""
    assert outputs.stream.active  # primed at load, playing silence
    assert not outputs.stream.pump(3).any()

    player.play()
    played = outputs.stream.pump_seconds(0.5)

    np.testing.assert_array_equal(played, clip[: played.shape[0]])
    assert player.playing
    assert player.position == pytest.approx(played.shape[0] / RATE)
    assert events == [PlaybackEvent.PLAYING]


def test_pause_plays_silence_and_keeps_the_cursor(outputs: Outputs) -> None:
    player, events = loaded(outputs, ramp(2.0))
    player.play()
    outputs.stream.pump_seconds(0.6)

    player.pause()
    where = player.position
    silence = outputs.stream.pump_seconds(0.3)

    assert not silence.any()
    assert not player.playing
    assert player.position == where
    assert events == [PlaybackEvent.PLAYING, PlaybackEvent.PAUSED]


def test_toggle_alternates_play_and_pause(outputs: Outputs) -> None:
    player, events = loaded(outputs, ramp(1.0))

    player.toggle()
    assert player.playing
    player.toggle()
    assert not player.playing
    assert events == [PlaybackEvent.PLAYING, PlaybackEvent.PAUSED]


def test_resuming_after_a_pause_replays_the_last_moments(outputs: Outputs) -> None:
    clip = ramp(4.0)
    player, _ = loaded(outputs, clip)
    player.play()
    outputs.stream.pump(250)  # 250 blocks of 128 samples: 2.0 s
    player.pause()
    assert player.position == pytest.approx(2.0)

    player.play()
    assert player.position == pytest.approx(0.5)
    np.testing.assert_array_equal(outputs.stream.pump(1), clip[8000:8128])


def test_the_rewind_stops_at_the_start_of_the_clip(outputs: Outputs) -> None:
    clip = ramp(3.0)
    player, _ = loaded(outputs, clip)
    player.rewind_on_resume = 2.5
    player.play()
    outputs.stream.pump_seconds(1.0)
    player.pause()

    player.play()

    assert player.position == 0.0
    np.testing.assert_array_equal(outputs.stream.pump(1), clip[:128])


def test_moving_the_cursor_while_paused_cancels_the_rewind(outputs: Outputs) -> None:
    clip = ramp(4.0)
    player, _ = loaded(outputs, clip)
    player.play()
    outputs.stream.pump_seconds(1.0)
    player.pause()

    player.seek(3.0)
    player.play()

    assert player.position == pytest.approx(3.0)
    np.testing.assert_array_equal(outputs.stream.pump(1), clip[48000:48128])


def test_seek_and_skip_stay_within_the_clip(outputs: Outputs) -> None:
    player, _ = loaded(outputs, ramp(5.0))

    player.seek(2.25)
    assert player.position == 2.25
    player.skip(-5)
    assert player.position == 0.0
    player.skip(1.5)
    assert player.position == 1.5
    player.seek(99)
    assert player.position == 5.0
    with pytest.raises(ValueError):
        player.seek(float("nan"))


def test_a_loop_plays_its_span_over_and_over(outputs: Outputs) -> None:
    clip = ramp(2.0)
    player, events = loaded(outputs, clip)
    player.seek(1.5)

    player.set_loop(0.5, 0.7)  # the cursor was outside: it moves to the loop's start
    player.play()
    played = outputs.stream.pump(100)  # 12 800 samples: four times the 3 200 of the loop

    np.testing.assert_array_equal(played, np.tile(clip[8000:11200], 4))
    assert 0.5 <= player.position < 0.7
    assert player.loop == (0.5, 0.7)
    assert PlaybackEvent.ENDED not in events


def test_the_cursor_stays_in_the_loop_and_leaves_it_once_cleared(outputs: Outputs) -> None:
    clip = ramp(3.0)
    player, _ = loaded(outputs, clip)
    player.set_loop(1.0, 2.0)

    player.seek(2.5)
    assert player.position == 2.0
    player.skip(-4)
    assert player.position == 1.0

    player.clear_loop()
    player.seek(2.5)
    player.play()
    assert player.loop is None
    np.testing.assert_array_equal(outputs.stream.pump(1), clip[40000:40128])


def test_a_stray_tiny_loop_is_widened_and_kept_within_the_clip(outputs: Outputs) -> None:
    player, _ = loaded(outputs, ramp(1.0))

    player.set_loop(0.5, 0.51)
    assert player.loop == (0.5, 0.55)
    player.set_loop(3.0, 4.0)  # entirely past the end
    assert player.loop == (0.95, 1.0)
    player.set_loop(0.3, 0.2)  # dragged backwards
    assert player.loop == (0.2, 0.3)
    with pytest.raises(ValueError, match="finite"):
        player.set_loop(0.0, float("inf"))


@pytest.mark.parametrize("speed", [0.5, 0.75, 1.5, 2.0])
def test_speed_moves_the_cursor_faster_or_slower_and_keeps_the_pitch(
    outputs: Outputs, speed: float
) -> None:
    player, _ = loaded(outputs, tone(6.0))
    player.set_speed(speed)
    player.play()

    played = outputs.stream.pump(125)  # one second of sound

    assert player.speed == speed
    assert player.position == pytest.approx(speed, abs=0.01)
    assert dominant_hz(played[1600:], RATE) == pytest.approx(440, rel=0.02)


def test_speed_and_volume_are_clamped_to_their_ranges(outputs: Outputs) -> None:
    player, _ = loaded(outputs, ramp(1.0))

    player.set_speed(5)
    assert player.speed == 2.0
    player.set_speed(0.1)
    assert player.speed == 0.5
    player.set_volume(3)
    assert player.volume == 1.0
    player.set_volume(-1)
    assert player.volume == 0.0


def test_volume_scales_the_samples(outputs: Outputs) -> None:
    clip = ramp(1.0)
    player, _ = loaded(outputs, clip)
    player.set_volume(0.25)
    player.play()

    played = outputs.stream.pump(10)

    np.testing.assert_array_equal(played, clip[:1280] * np.float32(0.25))


def test_the_end_of_the_clip_stops_playing_and_is_announced(outputs: Outputs) -> None:
    clip = ramp(1.0)
    player, events = loaded(outputs, clip)
    player.play()

    played = outputs.stream.pump(130)  # 16 640 samples for a clip of 16 000

    np.testing.assert_array_equal(played[:16000], clip)
    assert not played[16000:].any()
    assert not player.playing
    assert player.position == 1.0
    assert events == [PlaybackEvent.PLAYING, PlaybackEvent.ENDED]

    player.play()  # from the end: starts over, without a rewind
    assert player.position == 0.0
    np.testing.assert_array_equal(outputs.stream.pump(1), clip[:128])


def test_the_end_is_reached_at_any_speed(outputs: Outputs) -> None:
    player, events = loaded(outputs, tone(1.0))
    player.set_speed(1.5)
    player.play()

    outputs.stream.pump(100)

    assert events[-1] == PlaybackEvent.ENDED
    assert player.position == 1.0


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (sounddevice.PortAudioError("Error querying device -1"), NO_DEVICE),
        (OSError("PortAudio library not found"), NO_PORTAUDIO),
    ],
    ids=["no-device", "no-portaudio"],
)
def test_without_an_output_playback_does_nothing_but_the_cursor_moves(
    error: Exception, reason: str
) -> None:
    def refuse(**settings: Any) -> FakeOutput:
        raise error

    player = Player(output_factory=refuse)
    events: list[PlaybackEvent] = []
    player.on_state(events.append)
    player.load(ramp(3.0), RATE)

    assert not player.available
    assert player.unavailable_reason == reason
    assert "You can still type and submit." in reason and "\n" not in reason
    player.play()
    player.toggle()
    assert not player.playing
    player.seek(2.0)
    player.skip(-0.5)
    assert player.position == 1.5
    player.set_speed(1.5)
    player.set_volume(0.3)
    player.set_loop(0.5, 1.0)
    player.clear_loop()
    player.pause()
    player.close()
    assert events == []


def test_an_output_failing_with_another_error_says_what_it_was() -> None:
    def busy(**settings: Any) -> FakeOutput:
        raise sounddevice.PortAudioError("Error opening OutputStream: Illegal combination")

    player = Player(output_factory=busy)
    player.load(ramp(1.0), RATE)

    assert not player.available
    assert "could not be opened (Error opening OutputStream: Illegal combination)" in (
        player.unavailable_reason
    )


def test_an_idle_output_is_stopped_and_play_starts_it_again(outputs: Outputs) -> None:
    clip = ramp(1.0)
    player, _ = loaded(outputs, clip)
    player.idle_timeout_s = 0.0

    outputs.stream.pump(1)
    assert not outputs.stream.active  # released while nothing plays

    player.play()
    assert outputs.stream.active and outputs.stream.starts == 2
    np.testing.assert_array_equal(outputs.stream.pump(1), clip[:128])


def test_the_time_from_play_to_the_first_frame_is_recorded(outputs: Outputs) -> None:
    player, _ = loaded(outputs, ramp(1.0))
    assert player.last_latency_s is None

    player.play()
    assert player.last_latency_s is None  # nothing handed over yet
    outputs.stream.pump(1)

    assert player.last_latency_s is not None and player.last_latency_s >= 0


def test_a_card_refusing_the_clip_rate_gets_resampled_sound() -> None:
    outputs = Outputs(refuse_rates_except=48_000)
    player, _ = loaded(outputs, tone(3.0))
    assert player.available
    assert outputs.stream.rate == 48_000

    player.play()
    played = outputs.stream.pump_seconds(1.0)

    assert player.position == pytest.approx(played.shape[0] / 48_000, abs=0.002)
    assert dominant_hz(played, 48_000) == pytest.approx(440, rel=0.01)
    assert np.abs(played).max() == pytest.approx(0.5, abs=0.01)


def test_closing_releases_the_output_and_load_opens_another(outputs: Outputs) -> None:
    player, events = loaded(outputs, ramp(1.0))
    player.play()

    player.close()

    assert outputs.stream.closed and not player.playing
    assert events[-1] == PlaybackEvent.PAUSED
    player.load(ramp(0.5), 22_050)
    assert len(outputs.made) == 2 and outputs.stream.rate == 22_050


def test_a_failing_listener_does_not_stop_the_sound(outputs: Outputs) -> None:
    player, _ = loaded(outputs, ramp(1.0))

    def broken(event: PlaybackEvent) -> None:
        raise RuntimeError("listener bug")

    player.on_state(broken)
    player.play()
    outputs.stream.pump(200)

    assert player.position == 1.0 and not player.playing


def test_load_refuses_samples_that_are_not_mono(outputs: Outputs) -> None:
    with pytest.raises(ValueError, match="mono"):
        Player(output_factory=outputs).load(np.zeros((100, 2), dtype=np.float32), RATE)


def test_controls_from_the_ui_thread_while_audio_runs_stay_consistent(outputs: Outputs) -> None:
    player, _ = loaded(outputs, tone(3.0))
    stream = outputs.stream
    finished = threading.Event()
    failures: list[BaseException] = []
    loudest = [0.0]

    def audio_thread() -> None:
        try:
            while not finished.is_set():
                played = stream.pump(1)
                loudest[0] = max(loudest[0], float(np.abs(played).max()))
        except BaseException as exc:  # reported below
            failures.append(exc)

    worker = threading.Thread(target=audio_thread)
    worker.start()
    rng = np.random.default_rng(5)
    try:
        for step in range(1500):
            if step % 50 == 0:
                time.sleep(0.001)  # let the audio thread in: both sides must interleave
            action = rng.integers(8)
            if action == 0:
                player.toggle()
            elif action == 1:
                player.seek(rng.uniform(-1, 4))
            elif action == 2:
                player.skip(rng.uniform(-2, 2))
            elif action == 3:
                player.set_speed(rng.choice([0.5, 0.75, 1.0, 1.5, 2.0]))
            elif action == 4:
                player.set_volume(rng.uniform(0, 1))
            elif action == 5:
                start = rng.uniform(0, 2.5)
                player.set_loop(start, start + 0.3)
            elif action == 6:
                player.clear_loop()
            else:
                player.play()
            assert 0.0 <= player.position <= 3.0
    finally:
        finished.set()
        worker.join()
    assert failures == []
    assert loudest[0] <= 1.0
    # And it still plays what it should afterwards.
    player.pause()
    player.clear_loop()
    player.set_speed(1.0)
    player.set_volume(1.0)
    player.seek(1.0)
    player.play()
    np.testing.assert_array_equal(stream.pump(1), tone(3.0)[16000:16128])


ALSA_NULL_SCRIPT = """
import json, time
import numpy as np
from taskkinds.transcription.player import Player

player = Player()
events = []
player.on_state(lambda event: events.append(str(event)))
rate = 16000
clip = (0.2 * np.sin(2 * np.pi * 440 * np.arange(2 * rate) / rate)).astype(np.float32)
result = {"available": player.available, "reason": player.unavailable_reason}
if player.available:
    player.load(clip, rate)
    player.set_speed(1.5)
    player.play()
    deadline = time.monotonic() + 30
    while player.playing and time.monotonic() < deadline:
        time.sleep(0.002)
    result.update(
        position=player.position,
        playing=player.playing,
        events=events,
        latency=player.last_latency_s,
    )
    player.close()
print(json.dumps(result))
"""


@pytest.mark.skipif(
    not Path("/usr/share/alsa/alsa.conf").is_file(), reason="needs ALSA's configuration"
)
def test_real_sounddevice_output_plays_a_clip_on_the_alsa_null_device(tmp_path: Path) -> None:
    # The real PortAudio path with no sound card: this process's ALSA default becomes the
    # null plugin. ALSA reads its configuration when PortAudio starts, hence a subprocess.
    config = tmp_path / "asound.conf"
    config.write_text("</usr/share/alsa/alsa.conf>\npcm.!default { type null }\n")
    env = {**os.environ, "ALSA_CONFIG_PATH": str(config)}

    done = subprocess.run(
        [sys.executable, "-c", ALSA_NULL_SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["available"], result["reason"]
    assert result["events"] == ["playing", "ended"]
    assert result["position"] == 2.0 and not result["playing"]
    assert result["latency"] is not None
