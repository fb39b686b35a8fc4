"""Training in slices on the kernel's event loop, at a pace, with the views redrawn in between.

Why slices: in a Jupyter kernel, a callback that trains for ten seconds blocks every other
widget message for ten seconds, so a Pause button could not be heard. A `PlayLoop` therefore
trains for about `chunk_seconds` at a time, as an asyncio task on the kernel's own event loop,
and awaits between slices, so the kernel handles the clicks and slider moves that arrived in
the meantime. It redraws at most every `redraw_seconds`, one view per slice, so that drawing
does not eat the training time, and keeps to a `Pace` (a tiny network trains faster than
anyone can watch).

What it trains is any `Trainable` (a Trainer is one); what it draws is a list of callables.
"""

import asyncio
import html
import math
import time
from typing import Protocol, runtime_checkable

from ..._validate import check_number


@runtime_checkable
class Trainable(Protocol):
    """What a PlayLoop trains: a Trainer, or a stand-in in a test (``isinstance(x, Trainable)`` checks
    that it has these members)."""

    steps_per_epoch: int  # SGD steps in one epoch

    @property
    def steps(self) -> int:
        """SGD steps taken so far."""

    @property
    def epoch(self) -> int:
        """Epochs completed so far."""

    @property
    def done(self) -> bool:
        """True when there is nothing left to train (all epochs done, or training diverged)."""

    def step(self) -> bool:
        """Take one SGD step; False when there was nothing left to do."""


class Pace:
    """`speed` epochs a second (math.inf: as fast as it can), counted from the last `restart`."""

    def __init__(self, speed=40):
        self.speed = speed if speed == math.inf else check_number(speed, "speed", low=0.0, low_open=True)
        self.restart(0.0, 0)

    def restart(self, now, steps):
        """Count from time `now` (seconds), when `steps` steps had been taken."""
        self.start = (now, steps)

    def allowed(self, now, steps_per_epoch):
        """How many steps the pace allows by time `now` (one more than were taken at the restart, at once)."""
        if self.speed == math.inf:
            return math.inf
        start, steps = self.start
        return steps + 1 + math.floor((now - start) * self.speed * steps_per_epoch)

    def due(self, steps, steps_per_epoch):
        """The time at which the pace allows two steps more than `steps`: a play loop ahead of the pace
        sleeps until then and takes both, so it wakes half as often as it steps."""
        start, taken = self.start
        return start + (steps + 1 - taken) / (self.speed * steps_per_epoch)


class PlayLoop:
    """Plays a Trainable: trains it in slices on the event loop and redraws `views` in between.

    views: one callable per view; each redraws its view from the run being played.
    on_change: called with no argument when playing starts or stops or the speed changes.
    on_error: called with a sentence (HTML) when training raised; the play stops. (An exception
    in an asyncio task is invisible in JupyterLab: it must be said.)
    clock: seconds, as time.perf_counter (a test may give a clock it moves by hand).

    Without a running event loop (a plain Python script) `start` trains to the end right away.
    """

    def __init__(self, views, on_change, on_error, chunk_seconds=0.015, redraw_seconds=0.1, speed=40,
                 clock=time.perf_counter):
        self.views, self.on_change, self.on_error, self.clock = list(views), on_change, on_error, clock
        self.chunk_seconds, self.redraw_seconds, self.pace = chunk_seconds, redraw_seconds, Pace(speed)
        self.run = self.until_epoch = self.task = None  # what plays, up to where, and its asyncio task
        self.playing = False  # True from start to stop
        self.chunks, self.longest_chunk = 0, 0.0  # slices of work done while playing; the longest one, seconds
        self._generation = 0  # bumped by start: the task of an older start stops at its next slice
        self._stale = []  # indices of the views that still show an older state
        self._next_draw, self._cycle = 0.0, (0.0, 0.0)  # next pictures due (clock s); (start, drawing s) of a cycle
        self._paced = False  # keep to the pace (only Play on an event loop: a script trains at once)
        self._idle = 0.0  # seconds the play loop may sleep before the next slice

    def set_speed(self, speed):
        """Epochs per second while playing (math.inf: as fast as it can); counts from now."""
        self.pace = Pace(speed)
        if self.playing:
            self.pace.restart(self.clock(), self.run.steps)
        self.on_change()

    def start(self, run, until_epoch=None):
        """Play `run` to its end (Play), or to epoch `until_epoch` at once, without a pace (Step)."""
        self._generation += 1
        generation = self._generation
        self.run, self.until_epoch, self.playing = run, until_epoch, True
        self.on_change()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain script, a test): just train here
            loop = None
        self._paced = loop is not None and until_epoch is None
        self.pace.restart(self.clock(), run.steps)
        if loop is None:
            while self.chunk(generation):
                pass
        else:
            self.task = loop.create_task(self._play(generation))

    def stop(self):
        """Stop after the slice that is running now (the task ends at its next await)."""
        self.playing, self.task = False, None
        self.on_change()

    def draw_all(self):
        """Redraw every view now: none is stale any more."""
        self._stale = []
        for view in self.views:
            view()

    async def _play(self, generation):
        while self.chunk(generation):
            idle, self._idle = self._idle, 0.0
            await asyncio.sleep(idle)  # let the kernel handle the widget messages that came in meanwhile

    def chunk(self, generation=None):
        """One slice of work: redraw one stale view when a redraw is due, else train for about `chunk_seconds`.

        Returns True while there is more to do. Errors end the play and are said in words.
        """
        if not self.playing or (generation is not None and generation != self._generation):
            return False
        self.chunks += 1
        start = self.clock()
        try:
            return self._work()
        except Exception as error:
            self.stop()
            self.on_error(f"<span style='color:#b00'>Training stopped: "
                          f"{html.escape(type(error).__name__)}: {html.escape(str(error))}</span>")
            return False
        finally:
            self.longest_chunk = max(self.longest_chunk, self.clock() - start)

    def _finished(self):
        return self.run.done or (self.until_epoch is not None and self.run.epoch >= self.until_epoch)

    def _work(self):
        now = self.clock()
        if self._stale and (self._finished() or now >= self._next_draw or len(self._stale) < len(self.views)):
            self._draw_next(now)  # one view per slice (a slice stays short), until every view is drawn
        elif not self._finished():
            self._train(now)
        if self._finished() and not self._stale:  # trained to the end, and the last picture is out: stop
            self.stop()
            return False
        return True

    def _train(self, now):
        run, per_epoch = self.run, self.run.steps_per_epoch
        allowed = self.pace.allowed(now, per_epoch) if self._paced else math.inf
        if run.steps >= allowed:  # ahead of the pace: wait for the next step (or the next redraw)
            redraw = self._next_draw - now if self._stale else math.inf
            self._idle = max(0.0, min(self.pace.due(run.steps, per_epoch) - now, redraw, 0.05))
            return
        end = now + self.chunk_seconds
        while run.steps < allowed and not self._finished() and run.step() and self.clock() < end:
            pass
        self._stale = list(range(len(self.views)))

    def _draw_next(self, now):
        if len(self._stale) == len(self.views):
            self._cycle = (now, 0.0)
        self.views[self._stale.pop(0)]()
        start, spent = self._cycle
        self._cycle = (start, spent + self.clock() - now)
        if not self._stale:  # due again redraw_seconds after this cycle began, or later on a slow
            # machine: drawing may take at most half of the time, training gets the rest
            self._next_draw = start + max(self.redraw_seconds, 2 * self._cycle[1])
