"""The kernel's share of a playground control's latency: the CPU time (ms) from a control's new value
to the last widget message it causes, for every control of notebook 07's panel, with the network view
picked (every unit's picture) and with the class regions.

`benchmarks/latency.py` measures what a student feels, in a browser, against the echo floor of the
page; on this 2-core machine its runs an hour apart differ more than a change of a few milliseconds.
The kernel's part of it is measured here, in this process and as CPU time (time.process_time: on a
shared machine wall time counts the other processes too), so that two versions of the code can be
compared in minutes. The baseline measured in the same run: the CPU time of an echo (a slider that
writes its value into a Label, latency.py's floor, without the browser). Medians of --moves moves.
Beside each, the widget messages a move sends (its median): the browser handles them one at a time and
may lay out and paint the page between them (about 1.5 ms each, measured at device pixel ratio 2).

    python benchmarks/playground_controls.py [--moves 9] [--view network]
"""

import argparse
import statistics
import sys
import time


def next_value(control):
    """A value for `control` next to its current one (the next option, the next step, the other state)."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control.value, bool):
        return not control.value
    up = control.value + control.step
    return up if up <= control.max else control.value - control.step


def cpu_ms(set_value):
    start = time.process_time()
    set_value()
    return (time.process_time() - start) * 1000


def counting_messages():
    """Count every widget message (``Widget._send``: a state update or a custom message) in `counting_messages.sent`."""
    import ipywidgets

    counting_messages.sent = 0
    send = ipywidgets.Widget._send
    if getattr(send, "counting", False):
        return

    def counted(self, msg, buffers=None):
        counting_messages.sent += 1
        return send(self, msg, buffers)

    counted.counting = True
    ipywidgets.Widget._send = counted


def echo_ms(moves):
    """The CPU time of latency.py's echo, a slider whose only effect is to write its value into a Label, and
    the messages of its move (the slider's own, counted here as for every control, and the label's)."""
    import ipywidgets as w

    counting_messages()
    slider, label = w.IntSlider(value=5, min=0, max=100), w.Label("5")
    slider.observe(lambda change: setattr(label, "value", str(change.new)), names="value")
    times = [cpu_ms(lambda: setattr(slider, "value", next_value(slider))) for _ in range(moves)]
    return statistics.median(times), counting_messages.sent / moves


def control_ms(view, moves):
    """{control name: (median CPU ms of a move, median widget messages of a move)} for every control of a
    fresh panel showing `view`."""
    from nnlite.labs import playground as P

    counting_messages()
    panel = P.playground()
    panel.view.value = view
    rows = {}
    for name, control in panel.controls.items():
        if control.layout.display == "none" or name.startswith("units_") and name != "units_1":
            continue  # not on the page (own data's class, the units of layers there are not)
        times, messages = [], []
        for _ in range(moves):
            counting_messages.sent = 0
            times.append(cpu_ms(lambda c=control: setattr(c, "value", next_value(c))))
            messages.append(counting_messages.sent)
        rows[name] = statistics.median(times), statistics.median(messages)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=9, help="moves per control (median)")
    parser.add_argument("--view", choices=("network", "class regions"), default="network")
    args = parser.parse_args(argv)
    rows, (echo, echo_messages) = control_ms(args.view, args.moves), echo_ms(args.moves)
    print(f"{'control':<16}{'CPU ms':>8}{'messages':>10}   (view: {args.view}; echo baseline {echo:.2f} ms, "
          f"{echo_messages:g} messages)")
    for name, (ms, messages) in rows.items():
        print(f"{name:<16}{ms:>8.1f}{messages:>10g}")
    values = sorted(ms for ms, _ in rows.values())
    print(f"median {statistics.median(values):.1f} ms, slowest {values[-1]:.1f} ms "
          f"({max(rows, key=lambda name: rows[name][0])}); echo {echo:.2f} ms; median messages "
          f"{statistics.median(messages for _, messages in rows.values()):g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
