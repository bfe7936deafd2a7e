"""Playing a clip through the sound card, off the UI thread. Qt-free and thread-safe.

Samples reach the card from PortAudio's own thread: sounddevice calls ``Player``'s
callback for every block of about 8 ms, and the callback stretches (``stretch.py``),
loops, scales and hands them over. Every public method only changes state under a
lock, so the UI thread never waits for audio.

The output stream is opened and started ("primed", playing silence) when a clip is
loaded, so pressing play is heard at the next block instead of after a device open.
After ``idle_timeout_s`` of pause it stops, to let the sound card sleep; play starts it
again. ``last_latency_s`` records how long the last play took to reach the stream.

Without PortAudio or without an output device, ``available`` is False, ``unavailable_reason``
says so in one line, and playback methods do nothing: the cursor still moves with
``seek`` and ``skip``, so the editor works the same, silently.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from taskkinds.transcription.stretch import MAX_SPEED, MIN_SPEED, TimeStretcher

__all__ = [
    "NO_DEVICE",
    "NO_PORTAUDIO",
    "OutputStream",
    "PlaybackEvent",
    "Player",
]

log = logging.getLogger(__name__)

Samples = npt.NDArray[np.float32]

_STILL_WORKS = "You can still type and submit."
NO_DEVICE = f"Playback is unavailable: no audio output device was found. {_STILL_WORKS}"
NO_PORTAUDIO = (
    "Playback is unavailable: the PortAudio library (libportaudio2) is not installed; "
    f"install it and restart Ouvrage. {_STILL_WORKS}"
)
BLOCK_SECONDS = 0.008  # one callback's worth: short, so play is heard at once
FEED_FRAMES = 2048  # clip samples handed to the stretcher at a time
MIN_LOOP_SECONDS = 0.05
FALLBACK_RATES = (48_000, 44_100)  # tried when the card refuses the clip's own rate


class PlaybackEvent(StrEnum):
    """What ``on_state`` listeners are told."""

    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"  # the end of the clip was played; the player is paused there


class OutputStream(Protocol):
    """The part of ``sounddevice.OutputStream`` the player uses."""

    @property
    def active(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


OutputFactory = Callable[..., OutputStream]
StateListener = Callable[[PlaybackEvent], None]


class _StopStream(Exception):
    """Raised by the callback to end an idle stream (sounddevice's CallbackStop if present)."""


class Player:
    """Plays one mono clip at a time, with speed, volume, loop and rewind-on-resume.

    ``output_factory`` builds the output stream with ``sounddevice.OutputStream``'s keyword
    arguments (``samplerate``, ``channels``, ``dtype``, ``blocksize``, ``latency``,
    ``callback``); tests pass a fake one. By default sounddevice is imported on first use.
    """

    def __init__(self, output_factory: OutputFactory | None = None) -> None:
        self.rewind_on_resume = 1.5  # seconds replayed when resuming after a pause
        self.idle_timeout_s = 10.0  # paused this long, the output stream is stopped
        self.last_latency_s: float | None = None  # play() to first clip sample handed over
        self.first_frame_at: float | None = None  # perf_counter() when it was handed over
        self._factory = output_factory
        self._lock = threading.Lock()  # the state below; taken by the audio callback
        self._stream_lock = threading.Lock()  # opening/starting/closing; never by the callback
        self._listeners: list[StateListener] = []
        self._available: bool | None = None
        self._reason = ""
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._stop_signal: type[Exception] = _StopStream
        self._stream: OutputStream | None = None
        self._stream_rate = 0
        self._stream_stopping = False
        self._samples: Samples = np.zeros(0, dtype=np.float32)
        self._rate = 16_000
        self._speed = 1.0
        self._volume = 1.0
        self._stretcher = TimeStretcher(self._rate)
        self._resampler: _LinearResampler | None = None
        self._loop: tuple[int, int] | None = None
        self._position = 0.0  # in clip samples: the next one heard
        self._read = 0  # the next clip sample handed to the stretcher
        self._playing = False
        self._paused = False  # paused by pause(), not stopped by load or the end
        self._moved_while_paused = False
        self._idle_since = time.monotonic()
        self._play_requested_at: float | None = None

    # -- availability ---------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether sound can be played (probes PortAudio on first use)."""
        self._probe()
        return bool(self._available)

    @property
    def unavailable_reason(self) -> str:
        """One line for the contributor when ``available`` is False; "" otherwise."""
        self._probe()
        return self._reason

    def _probe(self) -> None:
        with self._stream_lock:
            if self._available is not None:
                return
            try:
                import sounddevice
            except OSError:  # the Python package is there, PortAudio is not
                if self._factory is None:
                    self._set_unavailable(NO_PORTAUDIO)
                    return
            except ImportError:
                if self._factory is None:
                    self._set_unavailable(
                        "Playback is unavailable: the sounddevice package is not installed. "
                        + _STILL_WORKS
                    )
                    return
            else:
                self._errors = (OSError, sounddevice.PortAudioError)
                self._stop_signal = sounddevice.CallbackStop
                if self._factory is None:
                    try:
                        sounddevice.query_devices(kind="output")
                    except self._errors as exc:
                        self._set_unavailable(_reason_for(exc))
                        return
            self._available = True

    def _set_unavailable(self, reason: str) -> None:
        self._available = False
        self._reason = reason
        log.info("%s", reason)

    # -- loading --------------------------------------------------------------------------

    def load(self, samples: npt.ArrayLike, sample_rate: int) -> None:
        """Make ``samples`` (mono, any float; kept, not copied when float32) the clip.

        The cursor goes to 0, paused; the loop is cleared; speed and volume are kept.
        Opens and primes the output stream. Raises ``ValueError`` for samples that are not
        one-dimensional or a sample rate under 1000.
        """
        mono = np.asarray(samples, dtype=np.float32)
        if mono.ndim != 1:
            raise ValueError(f"expected mono samples (one dimension), got shape {mono.shape}")
        if sample_rate < 1000:
            raise ValueError(f"the sample rate must be at least 1000, got {sample_rate}")
        with self._lock:
            was_playing = self._playing
            self._samples = mono
            self._rate = int(sample_rate)
            self._stretcher = TimeStretcher(self._rate, self._speed)
            self._loop = None
            self._playing = self._paused = self._moved_while_paused = False
            self._restart_at(0.0)
        if was_playing:
            self._notify(PlaybackEvent.PAUSED)
        if self.available:
            self._open_stream(self._rate)

    def _open_stream(self, rate: int) -> None:
        """Open (or reuse) and start an output stream for clips at ``rate``."""
        with self._stream_lock:
            if self._stream is not None and self._stream_rate == rate:
                self._start_locked()
                return
            self._close_locked()
            factory: Any = self._factory
            if factory is None:
                import sounddevice

                factory = sounddevice.OutputStream
            stream: OutputStream | None = None
            failure: BaseException | None = None
            for device_rate in (rate, *(r for r in FALLBACK_RATES if r != rate)):
                try:
                    stream = factory(
                        samplerate=device_rate,
                        channels=1,
                        dtype="float32",
                        blocksize=max(64, round(device_rate * BLOCK_SECONDS)),
                        latency="low",
                        callback=self._callback,
                    )
                except self._errors as exc:
                    failure = failure or exc
                    if "sample rate" in str(exc).lower():
                        continue  # this card wants another rate: resample to it
                    break
                with self._lock:
                    self._stream_rate = device_rate
                    self._resampler = (
                        _LinearResampler(rate / device_rate) if device_rate != rate else None
                    )
                break
            if stream is None:
                self._set_unavailable(_reason_for(failure))
                return
            self._stream = stream
            self._start_locked()

    def _start_locked(self) -> None:
        """Start the stream if it is not running (the stream lock is held)."""
        stream = self._stream
        if stream is None:
            return
        with self._lock:
            stopping, self._stream_stopping = self._stream_stopping, False
            self._idle_since = time.monotonic()
        try:
            if stopping or not stream.active:
                stream.stop()  # a stream that ended by itself must be stopped to restart
                stream.start()
        except self._errors as exc:
            self._close_locked()
            self._set_unavailable(_reason_for(exc))

    def close(self) -> None:
        """Stop playing and release the output stream. ``load`` opens a new one."""
        with self._lock:
            was_playing, self._playing = self._playing, False
        with self._stream_lock:
            self._close_locked()
        if was_playing:
            self._notify(PlaybackEvent.PAUSED)

    def _close_locked(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.close()
            except self._errors as exc:
                log.warning("closing the audio output failed: %s", exc)

    # -- transport ------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        with self._lock:
            return self._playing

    @property
    def duration(self) -> float:
        """Length of the loaded clip in seconds (0 before ``load``)."""
        with self._lock:
            return self._samples.shape[0] / self._rate

    @property
    def position(self) -> float:
        """Seconds into the clip of the sound being played (or the paused cursor)."""
        with self._lock:
            return self._position / self._rate

    def play(self) -> None:
        """Play from the cursor; after a pause, ``rewind_on_resume`` seconds earlier (unless
        the cursor was moved meanwhile). At the end of the clip, play from the start.
        Does nothing when playback is unavailable or already playing."""
        if not self.available:
            return
        with self._lock:
            total = self._samples.shape[0]
            if self._playing or total == 0:
                return
            if self._position >= total:
                self._restart_at(self._loop[0] if self._loop else 0.0)
            elif self._paused and not self._moved_while_paused and self.rewind_on_resume > 0:
                floor = self._loop[0] if self._loop else 0.0
                self._restart_at(max(floor, self._position - self.rewind_on_resume * self._rate))
            self._playing = True
            self._paused = self._moved_while_paused = False
            self._play_requested_at = time.perf_counter()
        self._notify(PlaybackEvent.PLAYING)
        with self._stream_lock:
            opened = self._stream is not None
            if opened:
                self._start_locked()
        if not opened:
            self._open_stream(self._rate)  # closed earlier, or never loaded
        if not self.available:  # the output failed just now
            with self._lock:
                self._playing = False
            self._notify(PlaybackEvent.PAUSED)

    def pause(self) -> None:
        """Stop where the sound is; the cursor stays there."""
        with self._lock:
            if not self._playing:
                return
            self._playing = False
            self._paused = True
            self._moved_while_paused = False
            self._idle_since = time.monotonic()
        self._notify(PlaybackEvent.PAUSED)

    def toggle(self) -> None:
        """Pause when playing, play otherwise."""
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Move the cursor to ``seconds``, clamped to the clip (and to the loop if one is set).

        Raises ``ValueError`` when ``seconds`` is not finite."""
        if not math.isfinite(seconds):
            raise ValueError(f"cannot seek to {seconds}")
        with self._lock:
            low, high = self._loop or (0, self._samples.shape[0])
            self._restart_at(min(max(seconds * self._rate, low), high))
            if not self._playing:
                self._moved_while_paused = True

    def skip(self, delta_seconds: float) -> None:
        """Move the cursor by ``delta_seconds`` (negative: back), clamped like ``seek``."""
        with self._lock:
            target = self._position / self._rate + delta_seconds
        self.seek(target)

    def _restart_at(self, position: float) -> None:
        """Hear ``position`` next (in samples); the lock is held."""
        self._position = float(position)
        self._read = int(position)
        self._stretcher.reset()
        if self._resampler is not None:
            self._resampler.reset()

    # -- settings -------------------------------------------------------------------------

    @property
    def speed(self) -> float:
        with self._lock:
            return self._speed

    def set_speed(self, speed: float) -> None:
        """Play ``speed`` times faster, pitch kept; clamped to 0.5–2.0 (``ValueError`` if
        not finite)."""
        if not math.isfinite(speed):
            raise ValueError(f"the speed must be a number, got {speed}")
        with self._lock:
            self._speed = min(max(float(speed), MIN_SPEED), MAX_SPEED)
            self._stretcher.set_speed(self._speed)

    @property
    def volume(self) -> float:
        with self._lock:
            return self._volume

    def set_volume(self, volume: float) -> None:
        """Scale the sound by ``volume``, clamped to 0–1 (``ValueError`` if not finite)."""
        if not math.isfinite(volume):
            raise ValueError(f"the volume must be a number, got {volume}")
        with self._lock:
            self._volume = min(max(float(volume), 0.0), 1.0)

    @property
    def loop(self) -> tuple[float, float] | None:
        """The looped span in seconds, or None."""
        with self._lock:
            if self._loop is None:
                return None
            return self._loop[0] / self._rate, self._loop[1] / self._rate

    def set_loop(self, start_s: float, end_s: float) -> None:
        """Play ``start_s``–``end_s`` over and over, clamped to the clip and widened to at least
        0.05 s (a stray click-drag still loops something). A cursor outside it moves to its
        start. Does nothing before a clip is loaded; ``ValueError`` if not finite."""
        if not (math.isfinite(start_s) and math.isfinite(end_s)):
            raise ValueError(f"the loop must be finite, got {start_s}..{end_s}")
        with self._lock:
            total = self._samples.shape[0]
            if total == 0:
                return
            shortest = min(total, math.ceil(MIN_LOOP_SECONDS * self._rate))
            start = min(max(round(min(start_s, end_s) * self._rate), 0), total - shortest)
            end = min(max(round(max(start_s, end_s) * self._rate), start + shortest), total)
            self._loop = (start, end)
            inside = start <= self._position < end
            self._restart_at(self._position if inside else start)

    def clear_loop(self) -> None:
        """Stop looping; playing goes on from where it is."""
        with self._lock:
            if self._loop is not None:
                self._loop = None
                self._restart_at(self._position)

    # -- notifications --------------------------------------------------------------------

    def on_state(self, listener: StateListener | None) -> None:
        """Call ``listener(event)`` on play, pause and end; None removes all listeners.

        Listeners run on whichever thread caused the change, PortAudio's for ``ENDED``:
        they must return quickly (emit a queued signal, for instance) and not call
        ``close``.
        """
        with self._lock:
            if listener is None:
                self._listeners.clear()
            else:
                self._listeners.append(listener)

    def _notify(self, event: PlaybackEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not stop the sound
                log.exception("a playback listener failed on %s", event)

    # -- the audio thread -----------------------------------------------------------------

    def _callback(self, outdata: npt.NDArray[np.float32], frames: int, *_: Any) -> None:
        """Fill ``outdata`` (frames × 1): PortAudio's thread calls this for every block."""
        out = outdata[:, 0] if outdata.ndim == 2 else outdata
        ended = stop = False
        with self._lock:
            if not self._playing:
                out.fill(0.0)
                idle = time.monotonic() - self._idle_since
                stop = self._stream_stopping = idle >= self.idle_timeout_s
            else:
                sound = self._render(frames)
                count = sound.shape[0]
                np.multiply(sound, self._volume, out=out[:count])
                np.clip(out[:count], -1.0, 1.0, out=out[:count])
                out[count:] = 0.0
                if count and self._play_requested_at is not None:
                    self.first_frame_at = time.perf_counter()
                    self.last_latency_s = self.first_frame_at - self._play_requested_at
                    self._play_requested_at = None
                if count < frames:
                    ended = True
                    self._playing = self._paused = False
                    self._position = float(self._samples.shape[0])
                    self._idle_since = time.monotonic()
        if ended:
            self._notify(PlaybackEvent.ENDED)
        if stop:
            raise self._stop_signal

    def _render(self, frames: int) -> Samples:
        """Up to ``frames`` samples at the stream's rate; fewer only at the clip's end."""
        if self._resampler is None:
            return self._stretched(frames)
        return self._resampler.process(frames, self._stretched)

    def _stretched(self, frames: int) -> Samples:
        """Up to ``frames`` samples of the clip at the current speed and loop."""
        parts: list[Samples] = []
        got = 0
        stretcher = self._stretcher
        while got < frames:
            chunk = stretcher.pull(frames - got)
            if chunk.shape[0]:
                parts.append(chunk)
                got += chunk.shape[0]
                self._advance(chunk.shape[0])
                continue
            if stretcher.finished:
                break  # drained: the end of the clip
            low, high = self._loop or (0, self._samples.shape[0])
            if self._read >= high:
                if self._loop is None:
                    stretcher.finish()
                    continue
                self._read = low
            take = min(FEED_FRAMES, high - self._read)
            stretcher.feed(self._samples[self._read : self._read + take])
            self._read += take
        if not parts:
            return np.zeros(0, dtype=np.float32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _advance(self, frames: int) -> None:
        position = self._position + frames * self._speed
        if self._loop is not None:
            low, high = self._loop
            if position >= high:
                position = low + (position - high) % (high - low)
        self._position = min(position, float(self._samples.shape[0]))


class _LinearResampler:
    """Streaming linear interpolation from the clip's rate to the card's (``ratio`` = in/out)."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self.reset()

    def reset(self) -> None:
        self._pending = np.zeros(1, dtype=np.float32)  # input not yet passed, from the left one
        self._phase = 1.0  # where the next output falls, in input samples after _pending[0]

    def process(self, frames: int, source: Callable[[int], Samples]) -> Samples:
        """``frames`` output samples (fewer when ``source`` runs dry)."""
        positions = self._phase + self.ratio * np.arange(frames)
        wanted = int(positions[-1]) + 2 - self._pending.shape[0]
        known = self._pending
        if wanted > 0:
            known = np.concatenate([known, source(wanted)])
        usable = int(np.searchsorted(positions, known.shape[0] - 1, side="right"))
        positions = positions[:usable]
        whole = positions.astype(np.int64)
        fraction = (positions - whole).astype(np.float32)
        upper = np.minimum(whole + 1, known.shape[0] - 1)
        out = known[whole] * (1 - fraction) + known[upper] * fraction
        advance = self._phase + self.ratio * usable
        consumed = min(int(advance), known.shape[0] - 1)
        self._pending = known[consumed:].copy()
        self._phase = advance - consumed
        return out.astype(np.float32, copy=False)


def _reason_for(exc: BaseException | None) -> str:
    """The one line shown when the output cannot be opened."""
    text = str(exc or "").strip()
    lowered = text.lower()
    if isinstance(exc, OSError) and "portaudio" in lowered:
        return NO_PORTAUDIO
    if "querying device -1" in lowered or "no default output" in lowered or not text:
        return NO_DEVICE
    if "device unavailable" in lowered or "busy" in lowered:
        return (
            "Playback is unavailable: the audio output device is busy or was unplugged. "
            + _STILL_WORKS
        )
    first = text.splitlines()[0]
    return (
        f"Playback is unavailable: the audio output could not be opened ({first}). {_STILL_WORKS}"
    )
