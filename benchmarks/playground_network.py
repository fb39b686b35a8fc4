"""Notebook 07's network view (issue 23): pictures per second while Play trains, as a ratio against a
baseline measured in the same run (a loaded machine slows both sides alike).

1. Play. The playground panel at default settings (200 epochs at 40 epochs a second) plays on an asyncio
   loop in this process, as the kernel runs it, once with the network view picked (the panel's "view"
   control) and once as it starts, with the class regions: the baseline. The two alternate, --rounds
   times each. For every view, pictures per second over the play; the ratio network / baseline of the
   main view's rate in each round. `PlayLoop` starts a round of pictures at most every `redraw_seconds`
   (0.1 s): 10 a second is its ceiling, reached when a round of pictures takes at most half of that.
   Goal (issue 23): at least 10 pictures a second of every view, with the network view, at the median.
2. Redraw. The kernel time of one picture of the network view (one forward pass of the 60 x 60 grid,
   every unit's picture, every weight, the output picture, the words) after a training step, against
   the class regions', the two interleaved; at the default network (2 x 16) and the largest (6 x 32).
   Kernel time is this process's CPU time (time.process_time): on a shared machine wall time counts
   the other processes too. Medians of --redraws.

    python benchmarks/playground_network.py [--rounds 3] [--redraws 30]

Prints the medians and GOAL MET or GOAL MISSED; exits non-zero only on an error.
"""

import argparse
import statistics
import sys
import time

from playground_play import play_to_end  # run as a script: its folder is on sys.path

LARGEST = (32,) * 6
VIEWS = ("main view", "loss", "hidden layers", "confusion")  # the PlayLoop's views, in its order


def play(view):
    """Play at default settings with `view` picked; ({view: pictures per second}, seconds the play took)."""
    from nnlite.labs import playground as P

    panel = P.playground()
    panel.view.value = view
    pg = panel.playground
    stamps = {name: [] for name in VIEWS}
    for name, draw in zip(VIEWS, list(pg.loop.views), strict=True):
        def timed(draw=draw, name=name):
            draw()
            stamps[name].append(time.perf_counter())

        pg.loop.views[VIEWS.index(name)] = timed

    seconds = play_to_end(panel)
    if pg.trainer.epoch != pg.settings.epochs or panel.error.value:
        raise RuntimeError(f"Play stopped at epoch {pg.trainer.epoch} of {pg.settings.epochs}: {panel.error.value}")
    return {name: len(times) / seconds for name, times in stamps.items()}, seconds


def cpu_ms(view, trainer):
    """CPU ms of view.show(trainer), after one training step."""
    trainer.step()
    start = time.process_time()
    view.show(trainer)
    return (time.process_time() - start) * 1000


def redraws(n):
    """{hidden: (network view ms, class regions ms)}, CPU medians of n after a training step each."""
    from nnlite.labs import playground as P

    results = {}
    for hidden in ((16, 16), LARGEST):
        trainer = P.Trainer(P.Settings(hidden=hidden))
        trainer.run_epoch()
        net, regions = P.NetworkView(), P.RegionsView()
        for view in (net, regions):
            view.set_data(trainer)
            view.show(trainer)
        times = {"network": [], "regions": []}
        for _ in range(n):
            times["network"].append(cpu_ms(net, trainer))
            times["regions"].append(cpu_ms(regions, trainer))
        results[hidden] = tuple(statistics.median(t) for t in times.values())
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="plays of each panel, alternating (default 3)")
    parser.add_argument("--redraws", type=int, default=30, help="redraws timed per network size (default 30)")
    args = parser.parse_args(argv)

    rates = {"network": [], "class regions": []}
    for i in range(args.rounds):
        for view in ("network", "class regions") if i % 2 == 0 else ("class regions", "network"):
            per_view, seconds = play(view)
            rates[view].append(per_view)
            print(f"round {i + 1}, {view}: " + ", ".join(f"{name} {rate:.1f}/s" for name, rate in per_view.items())
                  + f" ({seconds:.1f} s)")
    ratios = [net["main view"] / base["main view"] for net, base in zip(rates["network"], rates["class regions"],
                                                                         strict=True)]
    medians = {name: statistics.median(r[name] for r in rates["network"]) for name in VIEWS}
    baseline = statistics.median(r["main view"] for r in rates["class regions"])
    print(f"Play with the network view, medians of {args.rounds}: " + ", ".join(
        f"{name} {rate:.1f} pictures/s" for name, rate in medians.items())
        + f"; the class regions (baseline) {baseline:.1f}/s; network / baseline {statistics.median(ratios):.2f} "
          f"(per round {', '.join(f'{r:.2f}' for r in ratios)})")

    for hidden, (network, regions) in redraws(args.redraws).items():
        print(f"redraw, hidden {'x'.join(map(str, hidden))}: network view {network:.1f} ms, class regions "
              f"{regions:.1f} ms, ratio {network / regions:.1f} (CPU ms, medians of {args.redraws})")
    slowest = min(medians.values())
    print(f"slowest view with the network view picked: {slowest:.1f} pictures/s at the median (goal: 10) -> "
          + ("GOAL MET" if slowest >= 10 else "GOAL MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
