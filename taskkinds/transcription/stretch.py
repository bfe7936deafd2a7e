"""Playing speech slower or faster without changing its pitch (WSOLA). Qt-free, numpy only.

WSOLA (waveform-similarity overlap-add) cuts the input into frames of about 25 ms taken
every ``speed`` × 12.5 ms and lays them down every 12.5 ms under a Hann window. Each frame
is shifted by up to ±7.5 ms to the place where it best continues the previous one
(normalised cross-correlation, by FFT), so periods line up and the pitch stays put.

``TimeStretcher`` streams: feed it input blocks, pull output blocks, change the speed on
the way. At speed 1.0 it passes samples through untouched, and moving to or from 1.0
joins without a click. ``stretch`` does a whole signal at once.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_SPEED", "MIN_SPEED", "TimeStretcher", "stretch"]

Samples = npt.NDArray[np.float32]

MIN_SPEED = 0.5
MAX_SPEED = 2.0
FRAME_SECONDS = 0.025
TOLERANCE_SECONDS = 0.0075  # covers one period of a voice down to 67 Hz


def check_speed(speed: float) -> float:
    """``speed`` as a float; raises ``ValueError`` outside ``MIN_SPEED``–``MAX_SPEED``."""
    speed = float(speed)
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"the speed must be between {MIN_SPEED} and {MAX_SPEED}, got {speed}")
    return speed


class TimeStretcher:
    """A streaming, pitch-preserving time-stretch of mono float32 samples.

    Output sample rate equals input rate; at ``speed`` 2.0 the output lasts half as long.
    Not thread-safe: one owner feeds and pulls (the player does it under its lock).
    """

    def __init__(self, sample_rate: int, speed: float = 1.0) -> None:
        """Raises ``ValueError`` for a sample rate under 1000 or a speed out of range."""
        if sample_rate < 1000:
            raise ValueError(f"the sample rate must be at least 1000, got {sample_rate}")
        self.sample_rate = int(sample_rate)
        self._speed = check_speed(speed)
        half = max(16, round(sample_rate * FRAME_SECONDS / 2))
        self.frame_length = 2 * half  # N
        self.hop = half  # output hop: frames overlap by half
        self.tolerance = max(1, round(sample_rate * TOLERANCE_SECONDS))  # Δ
        self._search = self.frame_length + 2 * self.tolerance
        self._nfft = 1 << (self._search - 1).bit_length()
        # Periodic Hann: its two halves sum to exactly 1, so overlap-add keeps the level.
        n = np.arange(self.frame_length)
        self._window = (0.5 - 0.5 * np.cos(2 * np.pi * n / self.frame_length)).astype(np.float32)
        self.reset()

    def reset(self) -> None:
        """Forget all input and output, as if just built (the speed is kept)."""
        self._buffer = np.empty(0, dtype=np.float32)
        self._buffer_start = 0  # absolute index of _buffer[0] in the input stream
        self._finished = False
        self._drained = False
        self._out: list[Samples] = []
        self._out_frames = 0
        # Pass-through: the next input index to copy out.
        self._pass_from = 0
        # WSOLA: the start of the last frame laid down, the nominal start of the next one,
        # and the second half of the last frame, waiting for the next one to overlap it.
        self._stretching = self._speed != 1.0
        self._tail: Samples | None = None
        self._previous = 0
        self._nominal = 0.0

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        """Change the speed for what is produced from now on (``ValueError`` out of range)."""
        speed = check_speed(speed)
        if speed == 1.0 and self._stretching:
            if self._tail is not None:
                # The pending half-frame plus its ideal continuation is the input itself.
                self._pass_from = self._previous + self.hop
            self._tail = None
            self._stretching = False
        elif speed != 1.0 and not self._stretching:
            self._stretching = True  # the join is made once enough input is there
        self._speed = speed

    @property
    def finished(self) -> bool:
        """Whether ``finish`` was called: no more input will come."""
        return self._finished

    @property
    def done(self) -> bool:
        """Whether the input is finished and every output sample has been pulled."""
        return self._drained and self._out_frames == 0

    def feed(self, samples: npt.ArrayLike) -> None:
        """Append input samples. Raises ``RuntimeError`` after ``finish``."""
        if self._finished:
            raise RuntimeError("cannot feed a time-stretcher after finish()")
        block = np.asarray(samples, dtype=np.float32).reshape(-1)
        if block.shape[0] == 0:
            return
        keep = max(0, self._keep_from() - self._buffer_start)
        self._buffer = np.concatenate([self._buffer[keep:], block])
        self._buffer_start += keep

    def finish(self) -> None:
        """Mark the end of the input; the remaining output can then be pulled."""
        self._finished = True

    def pull(self, max_frames: int | None = None) -> Samples:
        """Up to ``max_frames`` output samples (all that can be made if None).

        Returns fewer when more input is needed (or, once finished, at the end).
        """
        wanted = math.inf if max_frames is None else max_frames
        while self._out_frames < wanted and self._produce():
            pass
        if not self._out:
            return np.empty(0, dtype=np.float32)
        out = self._out[0] if len(self._out) == 1 else np.concatenate(self._out)
        if max_frames is None or out.shape[0] <= max_frames:
            self._out, self._out_frames = [], 0
            return out
        self._out, self._out_frames = [out[max_frames:]], out.shape[0] - max_frames
        return out[:max_frames]

    # -- internals -----------------------------------------------------------------------

    @property
    def _input_end(self) -> int:
        return self._buffer_start + self._buffer.shape[0]

    def _keep_from(self) -> int:
        """The earliest input index still needed."""
        if not self._stretching:
            return self._pass_from - self._search  # history for a later switch to stretching
        if self._tail is None:
            return self._pass_from - self._search
        return min(self._previous + self.hop, round(self._nominal) - self.tolerance)

    def _span(self, start: int, stop: int) -> Samples:
        """Input ``[start, stop)``, with zeros before the stream and past a finished end."""
        begin, end = start - self._buffer_start, stop - self._buffer_start
        if begin >= 0 and end <= self._buffer.shape[0]:
            return self._buffer[begin:end]
        out = np.zeros(stop - start, dtype=np.float32)
        lo, hi = max(begin, 0), min(end, self._buffer.shape[0])
        if lo < hi:
            out[lo - begin : hi - begin] = self._buffer[lo:hi]
        return out

    def _emit(self, samples: Samples) -> None:
        if samples.shape[0]:
            self._out.append(samples)
            self._out_frames += samples.shape[0]

    def _produce(self) -> bool:
        """Make some output (or progress towards it); False when waiting for input or done."""
        if self._drained:
            return False
        if not self._stretching or (self._tail is None and self._finished_before_join()):
            end = self._input_end
            if self._pass_from < end:
                self._emit(self._span(self._pass_from, end).copy())
                self._pass_from = end
                return True
            self._drained = self._finished
            return False
        if self._tail is None:
            return self._join()
        return self._lay_frame()

    def _finished_before_join(self) -> bool:
        return self._finished and self._input_end < self._pass_from + self.hop

    def _join(self) -> bool:
        """Start stretching at ``_pass_from``, as if a frame had just been laid down there."""
        start = self._pass_from
        if self._input_end < start + self.hop:
            return False
        self._tail = self._span(start, start + self.hop) * self._window[self.hop :]
        self._previous = start - self.hop
        self._nominal = self._previous + self.hop * self._speed
        return True

    def _lay_frame(self) -> bool:
        assert self._tail is not None
        hop, size, tolerance = self.hop, self.frame_length, self.tolerance
        if self._finished and self._previous + size >= self._input_end:
            # The pending half-frame already covers the end of the input.
            self._emit(self._tail[: max(0, min(hop, self._input_end - self._previous - hop))])
            self._tail = None
            self._drained = True
            return True
        low = round(self._nominal) - tolerance
        need = max(low + self._search, self._previous + hop + size)
        if need > self._input_end and not self._finished:
            return False
        natural = self._span(self._previous + hop, self._previous + hop + size)
        candidates = self._span(low, low + self._search)
        shift = self._best_shift(natural, candidates)
        frame = candidates[shift : shift + size] * self._window
        self._emit(self._tail + frame[:hop])
        self._tail = frame[hop:]
        self._previous = low + shift
        self._nominal += hop * self._speed
        return True

    def _best_shift(self, natural: Samples, candidates: Samples) -> int:
        """The offset in ``candidates`` where a frame best continues ``natural``."""
        nfft, size, shifts = self._nfft, self.frame_length, 2 * self.tolerance + 1
        spectrum = np.fft.rfft(candidates, nfft) * np.conj(np.fft.rfft(natural, nfft))
        correlation = np.fft.irfft(spectrum, nfft)[:shifts]
        power = np.concatenate(([0.0], np.cumsum(candidates.astype(np.float64) ** 2)))
        energy = power[size : size + shifts] - power[:shifts]
        return int(np.argmax(correlation / np.sqrt(energy + 1e-9)))


def stretch(samples: npt.ArrayLike, sample_rate: int, speed: float) -> Samples:
    """``samples`` (mono) played at ``speed`` with the pitch kept: about len/speed samples.

    Speed 1.0 returns an unchanged float32 copy. Raises ``ValueError`` for a speed outside
    0.5–2.0 or a sample rate under 1000.
    """
    mono = np.asarray(samples, dtype=np.float32).reshape(-1)
    if check_speed(speed) == 1.0:
        return mono.copy()
    stretcher = TimeStretcher(sample_rate, speed)
    stretcher.feed(mono)
    stretcher.finish()
    return stretcher.pull()
