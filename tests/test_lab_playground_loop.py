"""Notebook 07's play loop, on its own: it trains any Trainable in slices, keeps to a pace, redraws its
views one per slice, and stops when told, between two slices. Time is a clock the tests move by hand."""

import asyncio
import math

import numpy as np
import pytest

import nnlite as nl
from nnlite.labs import playground as P


class Clock:
    """A clock that moves only when told, or by `tick` seconds every time it is read."""

    def __init__(self, tick=0.0):
        self.now, self.tick = 0.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now


class Run:
    """The smallest Trainable: `epochs` epochs of `steps_per_epoch` steps; `fail_at` makes that step raise."""

    def __init__(self, epochs=3, steps_per_epoch=4, fail_at=None):
        self.epochs, self.steps_per_epoch, self.fail_at, self.steps = epochs, steps_per_epoch, fail_at, 0

    @property
    def epoch(self):
        return self.steps // self.steps_per_epoch

    @property
    def done(self):
        return self.epoch >= self.epochs

    def step(self):
        if self.done:
            return False
        if self.steps + 1 == self.fail_at:
            raise ValueError("a broken step")
        self.steps += 1
        return True


class Screen:
    """Records what a PlayLoop asks of the playground: each view drawn (with the run's step count then),
    each change of state, each error."""

    def __init__(self, run, views=3):
        self.run, self.drawn, self.changes, self.errors = run, [], 0, []
        self.views = [lambda i=i: self.drawn.append((i, self.run.steps)) for i in range(views)]

    def loop(self, clock, **options):
        return P.PlayLoop(self.views, self.on_change, self.errors.append, clock=clock, **options)

    def on_change(self):
        self.changes += 1


def test_the_contract_is_a_protocol_a_trainer_meets():
    assert isinstance(P.Trainer(P.Settings(epochs=1)), P.Trainable) and isinstance(Run(), P.Trainable)
    assert not isinstance(Clock(), P.Trainable)


def test_without_an_event_loop_start_trains_to_the_end_in_slices_then_draws_each_view_once():
    run = Run(epochs=3, steps_per_epoch=4)
    screen = Screen(run)
    loop = screen.loop(Clock(tick=0.001), chunk_seconds=0.0025, redraw_seconds=math.inf)
    loop.start(run)
    assert run.done and run.steps == 12 and not loop.playing and loop.task is None
    # three steps a slice (the clock moves 1 ms a reading; a slice ends at its first reading past 2.5 ms).
    # The first picture is due at once, one view a slice; the next only at the end (redraw_seconds=inf)
    assert loop.chunks == 4 + 2 * 3 and screen.drawn == [(0, 3), (1, 3), (2, 3), (0, 12), (1, 12), (2, 12)]
    assert screen.changes == 2  # started, stopped


def test_step_plays_to_the_next_epoch_only():
    run = Run(epochs=3)
    screen = Screen(run)
    screen.loop(Clock(tick=0.001), redraw_seconds=math.inf).start(run, until_epoch=1)
    assert run.steps == 4 and not run.done and screen.drawn[-3:] == [(0, 4), (1, 4), (2, 4)]


def test_a_slice_trains_for_chunk_seconds_and_stop_is_heard_between_slices():
    run = Run(epochs=1000, steps_per_epoch=10)
    screen = Screen(run)
    loop = screen.loop(Clock(tick=0.001), chunk_seconds=0.005, redraw_seconds=math.inf, speed=math.inf)

    async def scenario():
        loop.start(run)  # schedules the task and returns at once
        assert loop.playing and isinstance(loop.task, asyncio.Task) and run.steps == 0
        seen = []
        for _ in range(20):
            await asyncio.sleep(0)  # another coroutine: runs between the slices
            seen.append(run.steps)
        task = loop.task
        loop.stop()
        steps, chunks = run.steps, loop.chunks
        for _ in range(5):
            await asyncio.sleep(0)
        assert run.steps == steps and task.done() and not loop.playing  # nothing trains after stop
        loop.start(run)
        first = loop.task
        loop.stop()
        loop.start(run)  # at once again (a double click): the first task must not train alongside
        for _ in range(5):
            await asyncio.sleep(0)
        assert first.done() and not loop.task.done() and loop.chunks == chunks + 5
        loop.stop()
        return seen

    seen = asyncio.run(scenario())
    assert max(np.diff([0, *seen])) <= 5 and seen[-1] > 20  # a slice is at most 5 ms of the clock


def test_play_keeps_to_the_pace_and_step_does_not():
    """10 epochs a second of 4 steps: 40 steps a second, the first step at once; drawing takes no step."""
    run = Run(epochs=100, steps_per_epoch=4)
    screen = Screen(run)
    clock = Clock()  # stands still unless the test moves it
    loop = screen.loop(clock, chunk_seconds=0.015, redraw_seconds=0.1, speed=10)

    async def scenario():
        loop.start(run)  # on an event loop: paced. The test runs the slices itself, at times it sets
        for t, allowed in [(0.0, 1), (0.5, 21), (0.51, 21), (1.0, 41)]:
            clock.now = t
            for _ in range(10):
                loop.chunk()
            assert run.steps == allowed, t
        loop.set_speed(20)  # counts from now: 80 steps a second from step 41 at 1.0 s
        clock.now = 1.25
        for _ in range(10):
            loop.chunk()
        assert run.steps == 41 + 1 + 20
        loop.stop()
        stepped = Run(epochs=100, steps_per_epoch=4)
        loop.start(stepped, until_epoch=2)  # Step: two epochs at once, without a pace
        while loop.playing:
            loop.chunk()
        assert stepped.steps == 8 and clock.now == 1.25

    asyncio.run(scenario())
    assert P.Pace(10).allowed(1.0, 4) == 41 and P.Pace(10).due(40, 4) == 1.025
    assert P.Pace(10).allowed(1.025, 4) == 42 > P.Pace(10).allowed(1.02, 4)


def test_views_are_redrawn_one_per_slice_at_most_every_redraw_seconds():
    run = Run(epochs=200, steps_per_epoch=10)
    screen = Screen(run)
    clock = Clock(tick=0.001)
    loop = screen.loop(clock, chunk_seconds=0.005, redraw_seconds=0.05, speed=math.inf)
    starts = []  # clock times at which a redraw cycle began

    async def scenario():
        loop.start(run)
        while loop.playing and clock.now < 1.0:
            drawn = len(screen.drawn)
            loop.chunk()
            assert len(screen.drawn) - drawn <= 1  # one view per slice at most
            if len(screen.drawn) > drawn and screen.drawn[-1][0] == 0:
                starts.append(clock.now)
        loop.stop()

    asyncio.run(scenario())
    assert len(starts) > 10 and min(np.diff(starts)) >= 0.05


def test_an_error_in_training_stops_the_play_and_is_said_in_words():
    run = Run(fail_at=6)
    screen = Screen(run)
    loop = screen.loop(Clock(tick=0.001))
    loop.start(run)
    assert not loop.playing and run.steps == 5
    assert screen.errors == ["<span style='color:#b00'>Training stopped: ValueError: a broken step</span>"]


def test_the_speed_is_checked_and_named():
    with pytest.raises(ValueError, match="speed must be in"):
        P.Pace(0)
    assert P.Pace(math.inf).allowed(1e9, 15) == math.inf


def test_a_trainer_played_in_slices_equals_fit():
    settings = P.Settings(epochs=3, batch_size=8)
    trainer = P.Trainer(settings)
    loop = P.PlayLoop([], lambda: None, pytest.fail, chunk_seconds=0.002, clock=Clock(tick=0.001))
    loop.start(trainer)
    assert trainer.epoch == 3 and loop.chunks >= 23 * 3 // 2  # 23 steps an epoch (180 rows), at most 2 a slice
    namespace = {"nl": nl}
    exec(P.code_line(settings), namespace)
    assert trainer.history.step_loss == namespace["history"].step_loss
    assert trainer.history.val_loss == namespace["history"].val_loss
