"""`bmrt report RESULTS.json`: a Markdown report with plots, and a summary on the terminal."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from bmrt import results as results_module

PALETTE = {"rv32-vector": "#1f77b4", "rv32-scalar": "#ff7f0e"}
FALLBACK_COLOURS = ["#2ca02c", "#d62728", "#9467bd"]


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({"figure.dpi": 110, "axes.spines.top": False,
                         "axes.spines.right": False, "font.size": 10})
    return plt


def _millions(axis) -> None:
    from matplotlib.ticker import FuncFormatter
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1e6:g} M"))


def _colour(target: str, index: int) -> str:
    return PALETTE.get(target, FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)])


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f} %"


def _count(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def plot_confusion(run: dict[str, Any], class_names: list[str], path: Path) -> Path:
    plt = _pyplot()
    matrix = np.asarray(run["confusion_matrix"], dtype=float)
    totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
    figure, axes = plt.subplots(figsize=(4.8, 4.2))
    axes.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for row in range(len(class_names)):
        for column in range(len(class_names)):
            dark = share[row, column] > 0.6
            axes.text(column, row, f"{int(matrix[row, column])}\n{100 * share[row, column]:.0f} %",
                      ha="center", va="center", fontsize=9,
                      color="white" if dark else "#222222")
    axes.set_xticks(range(len(class_names)), class_names)
    axes.set_yticks(range(len(class_names)), class_names)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(f"{run['target']}: accuracy {_percent(run['accuracy'])}")
    for spine in axes.spines.values():
        spine.set_visible(False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_instructions(runs: list[dict[str, Any]], path: Path) -> Path | None:
    with_counts = [run for run in runs if run["instructions_per_inference"]]
    if not with_counts:
        return None
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(9, 3.6))
    for index, run in enumerate(with_counts):
        counts = np.asarray(run["instructions_per_inference"], dtype=float)
        spread = counts.max() - counts.min()
        axes.plot(np.arange(len(counts)), counts, ".", ms=3, color=_colour(run["target"], index),
                  label=f"{run['target']}: mean {counts.mean():,.0f}, spread {spread:,.0f}")
    axes.set_xlabel("sample")
    axes.set_ylabel("retired instructions")
    axes.set_title("Instructions per inference, per sample (1 instruction = 1 ns simulated)")
    axes.set_ylim(bottom=0, top=axes.get_ylim()[1] * 1.08)
    axes.legend(frameon=False, loc="lower right")
    from matplotlib.ticker import MaxNLocator
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    _millions(axes.yaxis)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_comparison(runs: list[dict[str, Any]], path: Path) -> Path | None:
    """Mean instructions per inference per target, split into kernels and runtime when known."""
    with_counts = [run for run in runs if "instructions" in run]
    split = all("kernel_mean" in run["instructions"] for run in with_counts)
    if not with_counts or (len(with_counts) < 2 and not split):
        return None
    plt = _pyplot()
    names = [run["target"] for run in with_counts]
    means = [run["instructions"]["mean"] for run in with_counts]
    figure, axes = plt.subplots(figsize=(8, 1.4 + 0.8 * len(names)))
    colours = [_colour(name, i) for i, name in enumerate(names)]
    if split:
        kernels = [run["instructions"]["kernel_mean"] for run in with_counts]
        runtime = [run["instructions"]["runtime_mean"] for run in with_counts]
        axes.barh(names, kernels, color=colours, label="compiled kernels")
        axes.barh(names, runtime, left=kernels, color=colours, alpha=0.35, hatch="//",
                  edgecolor="white", label="runtime (VM, HAL, engine)")
        for row, (kernel, rest) in enumerate(zip(kernels, runtime)):
            share = kernel / (kernel + rest) if kernel + rest else 0.0
            axes.text(kernel / 2, row, f"kernels {kernel / 1e3:,.0f} k ({100 * share:.0f} %)",
                      ha="center", va="center", color="white", fontsize=8)
        axes.legend(frameon=False, loc="upper right", fontsize=8)
    else:
        axes.barh(names, means, color=colours)
    for row, mean in enumerate(means):
        label = f"{mean / 1e6:.3f} M instr = {mean * 1e-6:.3f} ms"
        if row:
            label += f"\n{mean / means[0]:.2f}x the instructions of {names[0]}"
        axes.text(mean, row, "  " + label, va="center", fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, max(means) * 1.9)
    axes.set_xlabel("mean retired instructions per inference (1 instruction = 1 ns simulated)")
    axes.set_title("Vector vs scalar" if len(names) > 1 else "Where the instructions go")
    _millions(axes.xaxis)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_opcode_classes(runs: list[dict[str, Any]], path: Path) -> Path | None:
    profiled = [run for run in runs if run["statistics"].get("opcode_counters")]
    if not profiled:
        return None
    plt = _pyplot()
    classes = sorted({name for run in profiled for name in run["statistics"]["opcode_counters"]},
                     key=lambda name: -max(run["statistics"]["opcode_counters"].get(name, 0)
                                           for run in profiled))
    samples = max(1, profiled[0]["samples"])
    figure, axes = plt.subplots(figsize=(7.5, 0.9 + 0.32 * len(classes) * len(profiled)))
    height = 0.8 / len(profiled)
    for index, run in enumerate(profiled):
        counters = run["statistics"]["opcode_counters"]
        values = [counters.get(name, 0) / max(1, run["samples"]) for name in classes]
        axes.barh(np.arange(len(classes)) + index * height, values, height,
                  color=_colour(run["target"], index), label=run["target"])
    axes.set_yticks(np.arange(len(classes)) + height * (len(profiled) - 1) / 2, classes)
    axes.invert_yaxis()
    axes.set_xlabel(f"instructions per inference (mean over {samples} samples)")
    axes.set_title("Executed instructions by class (QEMU plugin)")
    _millions(axes.xaxis)
    axes.legend(frameon=False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def _grouped_barh(runs: list[dict[str, Any]], values: list[dict[str, float]], names: list[str],
                  title: str, xlabel: str, path: Path, millions: bool = True,
                  share_of: list[float] | None = None) -> Path:
    """One bar per (name, run): the profile plots' common layout."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8.5, 1.0 + 0.34 * len(names) * len(runs)))
    height = 0.8 / len(runs)
    for index, (run, counts) in enumerate(zip(runs, values)):
        bars = axes.barh(np.arange(len(names)) + index * height,
                         [counts.get(name, 0.0) for name in names], height,
                         color=_colour(run["target"], index), label=run["target"])
        total = share_of[index] if share_of else None
        for bar, name in zip(bars, names):
            value = counts.get(name, 0.0)
            label = f" {value / 1e3:,.1f} k" if millions else f" {value:,.0f}"
            if total:
                label += f" ({100 * value / total:.1f} %)"
            axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, label, va="center",
                      fontsize=7)
    axes.set_yticks(np.arange(len(names)) + height * (len(runs) - 1) / 2,
                    [_shorten(name) for name in names], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, axes.get_xlim()[1] * 1.25)
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    if millions:
        _millions(axes.xaxis)
    if len(runs) > 1:
        axes.legend(frameon=False, loc="lower right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def _shorten(name: str, limit: int = 48) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def _ranked_names(values: list[dict[str, float]], limit: int | None = None) -> list[str]:
    names = sorted({name for counts in values for name in counts},
                   key=lambda name: -max(counts.get(name, 0.0) for counts in values))
    return names[:limit] if limit else names


def plot_top_kernels(runs: list[dict[str, Any]], path: Path, limit: int = 12) -> Path | None:
    profiled = [run for run in runs if run.get("kernel_instructions")]
    if not profiled:
        return None
    values = [run["kernel_instructions"] for run in profiled]
    totals = [sum(run["instructions_by_component"].values())
              if run.get("instructions_by_component") else None for run in profiled]
    return _grouped_barh(profiled, values, _ranked_names(values, limit),
                         "Top kernels (instructions per inference; share of the inference)",
                         "instructions per inference (QEMU plugin, per pc)", path,
                         share_of=totals)


def plot_components(runs: list[dict[str, Any]], path: Path) -> Path | None:
    profiled = [run for run in runs if run.get("instructions_by_component")]
    if not profiled:
        return None
    values = [run["instructions_by_component"] for run in profiled]
    return _grouped_barh(profiled, values, _ranked_names(values),
                         "Instructions by component (kernels vs firmware parts)",
                         "instructions per inference", path,
                         share_of=[sum(counts.values()) for counts in values])


def plot_memory_regions(runs: list[dict[str, Any]], path: Path) -> Path | None:
    profiled = [run for run in runs if run.get("memory_by_region")]
    if not profiled:
        return None
    plt = _pyplot()
    regions = _ranked_names([{region: entry["load_bytes"] + entry["store_bytes"]
                              for region, entry in run["memory_by_region"].items()}
                             for run in profiled])
    figure, axes = plt.subplots(figsize=(8.5, 1.2 + 0.4 * len(regions) * len(profiled)))
    height = 0.8 / len(profiled)
    for index, run in enumerate(profiled):
        table = run["memory_by_region"]
        positions = np.arange(len(regions)) + index * height
        loads = [table.get(region, {}).get("load_bytes", 0.0) / 1024 for region in regions]
        stores = [table.get(region, {}).get("store_bytes", 0.0) / 1024 for region in regions]
        colour = _colour(run["target"], index)
        axes.barh(positions, loads, height, color=colour,
                  label=f"{run['target']} loads" if len(profiled) > 1 else "loaded")
        axes.barh(positions, stores, height, left=loads, color=colour, alpha=0.35, hatch="//",
                  edgecolor="white",
                  label=f"{run['target']} stores" if len(profiled) > 1 else "stored")
        for row, region in enumerate(regions):
            entry = table.get(region, {})
            axes.text(loads[row] + stores[row], positions[row],
                      f" {loads[row]:,.1f} / {stores[row]:,.1f} KiB "
                      f"({entry.get('loads', 0):,.0f} loads, {entry.get('stores', 0):,.0f} stores)",
                      va="center", fontsize=7)
    axes.set_yticks(np.arange(len(regions)) + height * (len(profiled) - 1) / 2, regions)
    axes.invert_yaxis()
    axes.set_xlim(0, axes.get_xlim()[1] * 1.6)
    axes.set_xlabel("KiB per inference (loaded / stored)")
    axes.set_title("Memory traffic by region")
    axes.legend(frameon=False, loc="lower right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


VECTOR_CLASSES = ("vector_arith", "vector_load", "vector_store", "vsetvl")


def plot_vector_share(runs: list[dict[str, Any]], path: Path) -> Path | None:
    """Share of vector instructions in each profiled run (inside the inference windows)."""
    profiled = [run for run in runs if run["statistics"].get("opcode_counters")]
    if not profiled:
        return None
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 1.2 + 0.6 * len(profiled)))
    names = [run["target"] for run in profiled]
    for row, run in enumerate(profiled):
        counters = run["statistics"]["opcode_counters"]
        total = sum(value for name, value in counters.items()
                    if not name.startswith("mem_") and name != "insns") or 1
        left = 0.0
        for index, name in enumerate(VECTOR_CLASSES):
            share = counters.get(name, 0) / total
            axes.barh(row, 100 * share, left=100 * left, color=_colour(run["target"], row),
                      alpha=1.0 - 0.2 * index, edgecolor="white",
                      label=name if row == 0 else None)
            left += share
        axes.text(100 * left, row, f" vector {100 * left:.1f} % of "
                  f"{total / max(1, run['samples']):,.0f} instructions per inference",
                  va="center", fontsize=8)
    axes.set_yticks(range(len(names)), names)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of executed instructions (vector_arith, vector_load, vector_store, vsetvl)")
    axes.set_title("Vector share of the executed instructions")
    axes.legend(frameon=False, loc="lower right", fontsize=7, ncol=4)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_agreement(runs: list[dict[str, Any]], path: Path) -> Path:
    plt = _pyplot()
    metrics = ["accuracy"] + sorted({name for run in runs for name in run["agreement"]})
    figure, axes = plt.subplots(figsize=(7.5, 3.4))
    width = 0.8 / len(runs)
    for index, run in enumerate(runs):
        values = [run["accuracy"]] + [run["agreement"].get(name, np.nan) for name in metrics[1:]]
        positions = np.arange(len(metrics)) + index * width - 0.4 + width / 2
        bars = axes.bar(positions, np.asarray(values) * 100, width,
                        color=_colour(run["target"], index), label=run["target"])
        for bar, value in zip(bars, values):
            axes.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 0.1,
                      f"{100 * value:.1f}", ha="center", va="bottom", fontsize=8)
    axes.axhline(results_module.AGREEMENT_GOAL * 100, color="#888888", ls="--", lw=1)
    axes.text(1.0, results_module.AGREEMENT_GOAL * 100, " agreement\n goal 99.5 %",
              transform=axes.get_yaxis_transform(), va="center", ha="left", fontsize=8,
              color="#666666")
    labels = ["accuracy"] + [f"top-1 agreement\nwith {name}" for name in metrics[1:]]
    axes.set_xticks(range(len(metrics)), labels)
    lowest = min([run["accuracy"] for run in runs]
                 + [v for run in runs for v in run["agreement"].values()])
    axes.set_ylim(max(0.0, 100 * lowest - 5), 101)
    axes.set_ylabel("%")
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 0.75))
    axes.set_title("Accuracy and agreement with the references")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def summary_rows(results: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = [("", *[run["target"] for run in results["bmrt"]["runs"]])]

    def row(label, values):
        rows.append((label, *values))

    runs = results["bmrt"]["runs"]
    row("samples", [str(run["samples"]) for run in runs])
    row("accuracy", [_percent(run["accuracy"]) for run in runs])
    for name in sorted({name for run in runs for name in run["agreement"]}):
        row(f"top-1 agreement with {name}", [_percent(run["agreement"].get(name)) for run in runs])
        row(f"max abs diff vs {name}",
            [f"{run['output_difference'][name]['max_abs']:.3g}" for run in runs])
        row(f"max rel diff vs {name}",
            [f"{run['output_difference'][name]['max_rel']:.3g}" for run in runs])
    row("instructions / inference (mean)",
        [_count(run.get("instructions", {}).get("mean")) for run in runs])
    row("  of which in compiled kernels",
        [_count(run.get("instructions", {}).get("kernel_mean")) for run in runs])
    row("simulated time / inference",
        [f"{run['instructions']['simulated_seconds_mean'] * 1e3:.3f} ms"
         if "instructions" in run else "n/a" for run in runs])
    row("model size (vmfb)", [f"{run['compiled'].get('size', 0):,} B" for run in runs])
    row("model upload", [_upload(run["upload"]) for run in runs])
    row("arena peak", [_bytes(_peak(run["allocation_stats"])) for run in runs])
    row("arena capacity", [_bytes(_first(run["allocation_stats"], ("arena_capacity_bytes",)))
                           for run in runs])
    row("arena in use after the run", [_bytes(_first(run["statistics"], ("arena_in_use_bytes",)))
                                       for run in runs])
    row("model buffer", [_bytes(_first(run["allocation_stats"], ("model_bytes",)))
                         for run in runs])
    row("loaded module (engine)", [_bytes(_first(run["statistics"], ("engine_loaded_bytes",)))
                                   for run in runs])
    row("goals met", [", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in run["goals"].items())
                      or "n/a" for run in runs])
    return rows


def _upload(upload: dict[str, Any]) -> str:
    if not upload.get("bytes_per_second"):
        return "n/a"
    return (f"{upload['bytes']:,} B in {upload['seconds']:.2f} s "
            f"({upload['bytes_per_second'] / 1024:.1f} KiB/s)")


def _peak(stats: dict[str, Any]) -> int | None:
    return _first(stats, ("arena_peak_bytes", "arena_peak", "host_bytes_peak", "device_bytes_peak"))


def _first(stats: dict[str, Any], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        if isinstance(stats.get(key), (int, float)):
            return int(stats[key])
    return None


def _bytes(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,} B"


def headline(results: dict[str, Any]) -> list[str]:
    """The few sentences a reader wants first."""
    runs = results["bmrt"]["runs"]
    first = runs[0]
    sentence = (f"- **{first['target']}**: {_percent(first['accuracy'])} of {first['samples']} "
                f"samples classified correctly")
    if "tflite" in first["agreement"]:
        sentence += f"; top-1 agreement with TFLite {_percent(first['agreement']['tflite'])}"
    if "iree-base-runtime" in first["output_difference"]:
        difference = first["output_difference"]["iree-base-runtime"]
        sentence += f", largest relative difference to iree-base-runtime {difference['max_rel']:.2g}"
    lines = [sentence + "."]
    if "instructions" in first:
        mean = first["instructions"]["mean"]
        lines.append(f"- {mean:,.0f} retired instructions per inference "
                     f"({mean * 1e-6:.3f} ms simulated at 1 ns per instruction).")
    others = results["bmrt"].get("comparison", {}).get("others", {})
    for name, entry in others.items():
        if "instruction_ratio" in entry:
            lines.append(f"- {name} needs {entry['instruction_ratio']:.2f}x the instructions; "
                         f"same prediction on {_percent(entry['same_predictions'])} of samples.")
    failed = [name for run in runs for name, ok in run["goals"].items() if not ok]
    lines.append("- Goals: " + ("all met." if not failed else "NOT met: " + ", ".join(failed)))
    return lines


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def terminal_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in rows)


def render(results: dict[str, Any], output: Path) -> Path:
    """Writes `output` (Markdown) and its PNGs beside it; returns the Markdown path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stem = output.stem
    for stale in output.parent.glob(f"{stem}-*.png"):  # plots of an earlier run
        stale.unlink()
    runs = results["bmrt"]["runs"]
    class_names = results["class_names"]
    images: list[tuple[str, Path | None]] = []
    for run in runs:
        images.append((f"Confusion matrix, {run['target']}",
                       plot_confusion(run, class_names,
                                      output.with_name(f"{stem}-confusion-{run['target']}.png"))))
    images.append(("Accuracy and agreement",
                   plot_agreement(runs, output.with_name(f"{stem}-agreement.png"))))
    images.append(("Instructions per inference",
                   plot_instructions(runs, output.with_name(f"{stem}-instructions.png"))))
    kind = "comparison" if len(runs) > 1 else "breakdown"
    images.append(("Vector vs scalar" if len(runs) > 1 else "Kernels vs runtime",
                   plot_comparison(runs, output.with_name(f"{stem}-{kind}.png"))))
    images.append(("Instruction classes",
                   plot_opcode_classes(runs, output.with_name(f"{stem}-opcodes.png"))))
    images.append(("Vector share",
                   plot_vector_share(runs, output.with_name(f"{stem}-vector-share.png"))))
    images.append(("Top kernels",
                   plot_top_kernels(runs, output.with_name(f"{stem}-kernels.png"))))
    images.append(("Instructions by component",
                   plot_components(runs, output.with_name(f"{stem}-components.png"))))
    images.append(("Memory by region",
                   plot_memory_regions(runs, output.with_name(f"{stem}-memory.png"))))
    bmrt = results["bmrt"]
    dataset = bmrt.get("dataset", {})
    model = bmrt.get("model", {})
    lines = [f"# Evaluation: {model.get('name', results.get('model_name', 'model'))} "
             "on the simulated accelerator", ""]
    lines += headline(results) + ["", markdown_table(summary_rows(results)), ""]
    lines += [f"![{title}]({path.name})" for title, path in images if path is not None]
    lines += ["", "## Setup", ""]
    lines += [f"- Model: `{model.get('path', '')}` ({results['model_framework']}, "
              f"{'int8 quantized' if bmrt.get('quantized') else 'float32'})",
              f"- Data set: {dataset.get('split', '')} of {dataset.get('total_windows', '?')} "
              f"windows of 128x3 from `{dataset.get('source', '?')}`; window seed "
              f"{dataset.get('window_seed', '?')}",
              f"- Units found in the data: {dataset.get('units', '?')}; median magnitude "
              f"{dataset.get('median_magnitude', '?')}, range {dataset.get('value_range', '?')}",
              f"- Compiler: IREE {results['compilers'][0]['compiler_version']}",
              f"- Command: `{' '.join(results.get('command', []))}`"]
    for run in runs:
        flags = " ".join(flag for flag in run["compiled"].get("flags", [])
                         if "cpu-features" in flag or "triple" in flag)
        lines.append(f"- {run['target']}: `{flags}`")
    simulator = bmrt.get("simulator") or {}
    if simulator:
        lines.append(f"- Simulator: {simulator}")
    references = bmrt.get("references", {})
    if references:
        lines += ["", "Reference accuracy on the same samples: "
                  + ", ".join(f"{name} {_percent(ref['accuracy'])}"
                              for name, ref in references.items()) + "."]
    output.write_text("\n".join(lines) + "\n")
    return output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=Path, help="results JSON written by `bmrt evaluate`")
    parser.add_argument("-o", "--output", type=Path,
                        help="Markdown file (default: report.md beside the results)")


def run(args: argparse.Namespace) -> int:
    try:
        results = results_module.load(args.results)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    output = args.output or args.results.with_name("report.md")
    render(results, output)
    print(terminal_table(summary_rows(results)))
    print(f"report: {output}")
    return 0
