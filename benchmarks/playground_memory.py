"""Kernel memory while the playground plays at batch size 1: RSS over time.

Starts a real Jupyter kernel (no browser), builds notebook 07's playground in it with batch
size 1 and 1000 epochs, and clicks Play the way the frontend does (a comm message to the
button). Play then runs as it does for a student: slices of training on the kernel's event
loop, redraws, and every picture sent as a comm message. Each time a run ends, Play is
clicked again (a new run), so the kernel plays without a break. The speed is "max", so
that more steps and more pictures fit in the same minutes than at the default pace.
Every `--every` seconds the kernel process's resident memory (RSS, from /proc) is read.

Goal: RSS under 250 MiB through 10 minutes of Play.

    python benchmarks/playground_memory.py [--minutes 10] [--every 15] [--view network]

--view network plays with the network view picked (a picture of every unit, redrawn with the rest), the
heaviest view the panel has.
"""

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

LIMIT_MIB = 250
SETUP = """from nnlite.labs import playground as P
panel = P.playground(P.Settings(batch_size=1, epochs=1000))
panel.speed.value = float("inf")
panel.view.value = {view!r}
pg = panel.playground
print(pg.play_button.comm.comm_id)"""


def rss_mib(pid):
    """Resident memory of process `pid` in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS line for process {pid}")


class Kernel:
    """A python3 kernel with helpers to run code and click a widget button."""

    def __init__(self):
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3")
        self.pid = self.manager.provisioner.process.pid

    def run(self, code, timeout=120):
        msg_id = self.client.execute(code)
        out = []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise RuntimeError(f"{msg['content']['ename']}: {msg['content']['evalue']}")
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(out).strip()

    def click(self, comm_id):
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}
        self.client.shell_channel.send(self.client.session.msg("comm_msg", content))

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to play (default 10)")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between RSS readings (default 15)")
    parser.add_argument("--view", default="class regions", choices=("class regions", "network"),
                        help="the panel's main view while it plays (default: class regions)")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        sys.exit("this benchmark reads /proc: Linux only")
    kernel = Kernel()
    try:
        play = kernel.run(SETUP.format(view=args.view))
        before = rss_mib(kernel.pid)
        print(f"kernel pid {kernel.pid}; RSS before Play {before:.0f} MiB")
        kernel.click(play)
        start, readings, runs = time.perf_counter(), [], 1
        while (elapsed := time.perf_counter() - start) < args.minutes * 60:
            time.sleep(min(args.every, max(0.0, args.minutes * 60 - elapsed)))
            state = kernel.run("print(pg.playing, pg.trainer.epoch, pg.trainer.history.steps, repr(panel.error.value))")
            playing, epoch, steps, error = state.split(maxsplit=3)
            if error != "''":
                raise RuntimeError(f"the playground reported an error: {error}")
            if playing == "False":  # the run is over: Play again, as a student would
                kernel.click(play)
                runs += 1
            rss = rss_mib(kernel.pid)
            readings.append(rss)
            print(f"{time.perf_counter() - start:6.0f} s  RSS {rss:6.1f} MiB  run {runs}, epoch {epoch}, "
                  f"step {steps}", flush=True)
        kernel.click(play)  # Pause
    finally:
        kernel.close()
    worst = max(readings) if readings else math.nan
    print(f"\nRSS over {args.minutes:g} min of Play at batch size 1, view {args.view} ({len(readings)} readings, "
          f"{runs} runs): "
          f"median {statistics.median(readings):.0f} MiB, max {worst:.0f} MiB (before Play {before:.0f} MiB); "
          f"goal: under {LIMIT_MIB} MiB: {'met' if worst < LIMIT_MIB else 'NOT met'}")
    return 0 if worst < LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
