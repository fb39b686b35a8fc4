"""How notebook 07's Play shares the kernel: slices, answers and pace, each as a ratio against a
baseline measured in the same run (a loaded machine slows both sides alike).

1. Slices (in this process). The playground at batch size 4 with 2 x 32 units plays at max speed
   on an asyncio loop while another coroutine measures the gaps between its own turns: the
   longest gap is how long a click could wait. Baseline: the longest piece of work one slice is
   meant to do, measured here: `chunk_seconds` of training plus one more step, or one redraw of
   the slowest view. Goal: the longest gap within 2 x the baseline.
2. Answers (a real Jupyter kernel, the frontend's view). The time for the kernel to answer a
   cell, idle (the baseline, median) and while Play trains (median of the same number of asks).
   ipykernel takes a request through several turns of its event loop (read, dispatch, reply),
   and each turn may wait for the slice that is running: 2 to 3 slices measured. Goal:
   (playing - idle) within 4 x the longest slice the kernel reports (`pg.loop.longest_chunk`).
3. Pace. Play of 40 epochs at 10 epochs a second asks for 4 s. Goal: it takes 1 to 1.5 times
   that, with a picture of the class regions at least every 2.5 x `redraw_seconds` on average.

    python benchmarks/playground_play.py [--asks 20]

Prints GOAL MET or GOAL MISSED for each; exits non-zero only on an error.
"""

import argparse
import asyncio
import math
import statistics
import sys
import time

SETTINGS = "P.Settings(hidden=(32, 32), batch_size=4, epochs=1000)"


def slices():
    """(longest gap between the other coroutine's turns, baseline) in seconds, while Play plays."""
    from nnlite.labs import playground as P

    panel = P.playground(eval(SETTINGS, {"P": P}))
    pg = panel.playground
    panel.speed.value = math.inf
    trainer = P.Trainer(pg.settings)
    steps = []
    for _ in range(200):
        start = time.perf_counter()
        trainer.step()
        steps.append(time.perf_counter() - start)
    trainer.run_epoch()
    draws = []
    for view in (pg.regions, pg.loss, pg.layers):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            view.show(trainer)
            times.append(time.perf_counter() - start)
        draws.append(statistics.median(times))
    baseline = max(pg.loop.chunk_seconds + max(steps), max(draws))

    async def play():
        panel.buttons["play"].click()
        gaps, last = [], time.perf_counter()
        while pg.playing and len(gaps) < 400:
            await asyncio.sleep(0)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        panel.buttons["play"].click()  # Pause
        return max(gaps)

    return asyncio.run(play()), baseline


def answers(asks):
    """(median answer idle, median answer while playing, the longest slice the kernel saw) in seconds."""
    from playground_memory import Kernel  # a kernel that runs code and clicks buttons, as the frontend does

    kernel = Kernel()

    def timed(code):
        start = time.perf_counter()
        kernel.run(code)
        return time.perf_counter() - start

    try:
        play = kernel.run(f"from nnlite.labs import playground as P\npanel = P.playground(settings={SETTINGS})\n"
                          "panel.speed.value = float('inf')\npg = panel.playground\nprint(pg.play_button.comm.comm_id)")
        idle = statistics.median(timed("pass") for _ in range(asks))
        kernel.click(play)
        while kernel.run("print(pg.trainer.steps > 0)") != "True":
            pass
        playing = statistics.median(timed("pass") for _ in range(asks))
        state = kernel.run("print(pg.playing, pg.loop.longest_chunk, repr(panel.error.value))")
        kernel.click(play)  # Pause
        still_playing, longest, error = state.split()
        if still_playing != "True" or error != "''":
            raise RuntimeError(f"Play stopped while the kernel was asked (playing {still_playing}, error {error})")
        return idle, playing, float(longest)
    finally:
        kernel.close()


def play_to_end(panel):
    """Press Play on `panel` and let the event loop run until it stops; the seconds that took."""
    async def play():
        start = time.perf_counter()
        panel.buttons["play"].click()
        while panel.playground.playing:
            await asyncio.sleep(0.02)
        return time.perf_counter() - start

    return asyncio.run(play())


def pace():
    """(seconds Play took, seconds the pace asks for, pictures of the class regions)."""
    from nnlite.labs import playground as P

    epochs, speed = 40, 10
    panel = P.playground(P.Settings(epochs=epochs))
    pg = panel.playground
    panel.speed.value = speed

    redraws = pg.regions.live.redraws
    seconds = play_to_end(panel)
    if pg.trainer.epoch != epochs:
        raise RuntimeError(f"Play stopped at epoch {pg.trainer.epoch} of {epochs}")
    return seconds, epochs / speed, pg.regions.live.redraws - redraws, pg.loop.redraw_seconds


def verdict(ok):
    return "GOAL MET" if ok else "GOAL MISSED"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=20, help="answers timed idle and while playing (default 20)")
    args = parser.parse_args(argv)

    gap, baseline = slices()
    print(f"slices: longest gap {gap * 1000:.1f} ms, baseline (one slice's work) {baseline * 1000:.1f} ms, "
          f"ratio {gap / baseline:.2f} (goal: within 2) -> {verdict(gap <= 2 * baseline)}")

    idle, playing, longest = answers(args.asks)
    extra = max(playing - idle, 0.0)
    print(f"answers: idle {idle * 1000:.1f} ms, while playing {playing * 1000:.1f} ms (medians of {args.asks}); "
          f"extra {extra * 1000:.1f} ms = {extra / longest:.2f} x the longest slice {longest * 1000:.1f} ms "
          f"(goal: within 4) -> {verdict(extra <= 4 * longest)}")

    seconds, asked, pictures, redraw_seconds = pace()
    every = seconds / max(pictures, 1)
    print(f"pace: {seconds:.2f} s for {asked:g} s asked, ratio {seconds / asked:.2f} (goal: 1 to 1.5); "
          f"{pictures} pictures, one every {every * 1000:.0f} ms = {every / redraw_seconds:.2f} x redraw_seconds "
          f"(goal: within 2.5) -> {verdict(1 <= seconds / asked <= 1.5 and every <= 2.5 * redraw_seconds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
