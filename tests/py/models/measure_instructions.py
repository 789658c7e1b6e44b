"""Instructions per magic-wand inference on the simulated core, split into kernel calls, the
rest of the entry function's call (VM interpreter + hal module) and the engine/server glue.

Exact: QEMU runs with -icount shift=0 and the firmware reads minstret; the server's STATS reply
carries the counts of the last inference (last_inference_instructions around Engine::Run,
last_invoke_instructions around the VM call, last_kernel_instructions summed over the
dispatches' workgroup loops).

    PYTHONPATH=host .venv/bin/python tests/py/models/measure_instructions.py [--windows N]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_harness as corpus  # noqa: E402
from bmrt.client import Generation, InferenceClient, SerialTransport  # noqa: E402
from bmrt.simulator import Simulator  # noqa: E402

COUNTERS = ("last_inference_instructions", "last_invoke_instructions", "last_kernel_instructions",
            "last_dispatches", "last_workgroups")
DERIVED = ("outside_kernels", "vm_and_hal", "glue")


def measure(vector: bool, windows: int) -> list[dict]:
    rows = []
    target = "rv32-vector" if vector else "rv32-scalar"
    with tempfile.TemporaryDirectory() as scratch, \
            Simulator(corpus.FIRMWARE, uart="socket", vector=vector,
                      log_path=Path(scratch) / "firmware.log") as simulator:
        simulator.wait_for_log("Runtime started", timeout=30.0)
        client = InferenceClient(SerialTransport.from_port(simulator.uart, "qemu uart"),
                                 Generation.G4, timeout=120.0)
        client.connect()
        for name in corpus.TFLITE_MODELS:
            model = corpus.load(name)
            vmfb = model.compile(target)
            client.upload_io_spec(model.spec())
            client.upload_model(vmfb.read_bytes())
            rng = np.random.default_rng(2026)
            samples = []
            for _ in range(windows):
                client.infer(corpus.pack(model.make_input(rng)))
                stats = client.download_stats()
                total, invoke, kernel, *_ = (stats[key].value for key in COUNTERS)
                samples.append([stats[key].value for key in COUNTERS]
                               + [total - kernel, invoke - kernel, total - invoke])
            values = np.array(samples)
            rows.append({"target": target, "model": name, "vmfb_bytes": vmfb.stat().st_size,
                         "loaded_bytes": stats["engine_loaded_bytes"].value,
                         **{key: (int(values[:, i].min()), int(values[:, i].max()))
                            for i, key in enumerate(COUNTERS + DERIVED)}})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=10)
    args = parser.parse_args()
    print("| target | model | total | entry call | kernels | outside kernels | VM + hal | glue |"
          " dispatches | workgroups |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for vector in (True, False):
        for row in measure(vector, args.windows):
            span = lambda key: (f"{row[key][0]:,}" if row[key][0] == row[key][1]  # noqa: E731
                                else f"{row[key][0]:,}-{row[key][1]:,}")
            share = 100 * row["outside_kernels"][1] / row[COUNTERS[0]][0]
            print(f"| {row['target']} | {row['model']} | {span(COUNTERS[0])} | {span(COUNTERS[1])} "
                  f"| {span(COUNTERS[2])} | {span('outside_kernels')} ({share:.1f} %) "
                  f"| {span('vm_and_hal')} | {span('glue')} | {span('last_dispatches')} "
                  f"| {span('last_workgroups')} |")


if __name__ == "__main__":
    main()
