"""The magic-wand accelerometer data set, parsed and windowed the way Kenning does it.

Parsing follows Kenning's `MagicWandDataset`: a line with three comma-separated floats is a
sample; any other three-field line (the `-,-,-` separator, possibly behind escape codes) closes
the current recording; the recording after the last separator of a file is dropped. Windowing
pads each recording with noise to a multiple of 128 rows and cuts 128x3 windows. Unlike Kenning
the noise comes from a seeded generator, so every run sees the same samples.
"""
from __future__ import annotations

import dataclasses
import re
import tarfile
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

import numpy as np

from bmrt.fetch import DOWNLOAD_DIR, SHARED_DIR, FetchError, fetch_verified

CLASS_NAMES = ("wing", "ring", "slope", "negative")
WINDOW_ROWS = 128
AXES = 3
NOISE_LEVEL = 20.0
DEFAULT_WINDOW_SEED = 2023
TEST_FRACTION = 0.2
SPLIT_SEED = 1234
UNITS = "milli-g (about 1000 at rest, saturating at +-2040: LIS2DH12 +-2 g range)"

ARCHIVE_URL = "http://download.tensorflow.org/models/tflite/magic_wand/data.tar.gz"
ARCHIVE_SHA256 = "f1363203508484c50101e4a9d4096d29bd336a7b581cefe0382d3e0cfb1026bc"
SHARED_ARCHIVE = SHARED_DIR / "datasets" / "magic_wand" / "data.tar.gz"

_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>]|\][^\x07]*\x07)")


class DatasetError(RuntimeError):
    """The data set is missing, unreadable or has an unexpected layout."""


@dataclasses.dataclass
class ParsedFile:
    """One capture file: the recordings Kenning keeps plus counts for the description."""
    name: str
    recordings: list[np.ndarray]
    separators: int
    sample_lines: int
    dropped_trailing_rows: int


def clean_line(line: str) -> str:
    return _ESCAPE_SEQUENCE.sub("", line).strip()


def parse_capture(name: str, text: str) -> ParsedFile:
    """Splits one terminal capture into recordings of shape (rows, 3), milli-g."""
    recordings: list[np.ndarray] = []
    current: list[list[float]] = []
    separators = sample_lines = 0
    for raw_line in text.splitlines():
        fields = clean_line(raw_line).split(",")
        if len(fields) != AXES:
            continue
        try:
            current.append([float(field) for field in fields])
            sample_lines += 1
        except ValueError:
            if fields == ["-", "-", "-"]:
                separators += 1
            if current:
                recordings.append(np.asarray(current, dtype=np.float32))
                current = []
    return ParsedFile(name, recordings, separators, sample_lines, len(current))


@dataclasses.dataclass
class ClassSummary:
    files: int = 0
    separators: int = 0
    recordings: int = 0
    sample_lines: int = 0
    dropped_trailing_rows: int = 0
    windows: int = 0


@dataclasses.dataclass
class MagicWandData:
    """All windows of the data set with their labels, in a deterministic order."""
    windows: np.ndarray              # (N, 128, 3) float32, milli-g
    labels: np.ndarray               # (N,) int64, index into CLASS_NAMES
    summary: dict[str, ClassSummary]
    source: str
    window_seed: int
    value_range: tuple[float, float]
    median_magnitude: float

    def description(self) -> dict:
        return {
            "name": "magic_wand",
            "source": self.source,
            "class_names": list(CLASS_NAMES),
            "units": UNITS,
            "value_range": list(self.value_range),
            "median_magnitude": round(self.median_magnitude, 1),
            "window_shape": [WINDOW_ROWS, AXES],
            "window_seed": self.window_seed,
            "classes": {name: dataclasses.asdict(item) for name, item in self.summary.items()},
            "total_windows": int(len(self.labels)),
        }


def _is_data_member(path: PurePosixPath) -> bool:
    if path.suffix != ".txt" or path.name.startswith("._"):
        return False
    return not any(part == ".ipynb_checkpoints" or part.startswith("._") for part in path.parts)


def _class_of(path: PurePosixPath) -> str | None:
    for part in reversed(path.parts[:-1]):
        if part in CLASS_NAMES:
            return part
    return None


def _iter_archive(archive: Path) -> Iterator[tuple[PurePosixPath, str]]:
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar.getmembers():
                path = PurePosixPath(member.name)
                if member.isfile() and _is_data_member(path):
                    data = tar.extractfile(member)
                    if data is not None:
                        yield path, data.read().decode("utf-8", errors="replace")
    except (tarfile.TarError, OSError) as error:
        raise DatasetError(f"cannot read data-set archive {archive}: {error}") from error


def _iter_directory(root: Path) -> Iterator[tuple[PurePosixPath, str]]:
    for path in sorted(root.rglob("*.txt")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        if _is_data_member(relative):
            yield relative, path.read_text(encoding="utf-8", errors="replace")


def parse_files(files: Iterable[tuple[PurePosixPath, str]]) -> dict[str, list[ParsedFile]]:
    """Groups parsed capture files by class, each class sorted by file name."""
    by_class: dict[str, list[ParsedFile]] = {name: [] for name in CLASS_NAMES}
    for path, text in files:
        class_name = _class_of(path)
        if class_name is not None:
            by_class[class_name].append(parse_capture(path.name, text))
    for parsed in by_class.values():
        parsed.sort(key=lambda item: item.name)
    if not any(by_class.values()):
        raise DatasetError("no wing/ring/slope/negative capture files found")
    return by_class


def noise_padding(rng: np.random.Generator, rows: int, neighbour: np.ndarray) -> np.ndarray:
    noise = np.round((rng.random((rows, AXES)) - 0.5) * NOISE_LEVEL, 1)
    return (noise + neighbour).astype(np.float32)


def window_recording(recording: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Kenning's padding: pre-pad with |128 - len| % 128 rows, post-pad to a multiple of 128."""
    pre_rows = abs(WINDOW_ROWS - len(recording)) % WINDOW_ROWS
    padded = np.concatenate([noise_padding(rng, pre_rows, recording[0]), recording])
    post_rows = (-len(padded)) % WINDOW_ROWS
    padded = np.concatenate([padded, noise_padding(rng, post_rows, recording[-1])])
    return padded.reshape(-1, WINDOW_ROWS, AXES)


def build(by_class: dict[str, list[ParsedFile]], source: str,
          window_seed: int = DEFAULT_WINDOW_SEED) -> MagicWandData:
    rng = np.random.default_rng(window_seed)
    windows: list[np.ndarray] = []
    labels: list[int] = []
    summary: dict[str, ClassSummary] = {}
    low, high = np.inf, -np.inf
    magnitudes: list[np.ndarray] = []
    for label, class_name in enumerate(CLASS_NAMES):
        item = summary.setdefault(class_name, ClassSummary())
        for parsed in by_class.get(class_name, []):
            item.files += 1
            item.separators += parsed.separators
            item.sample_lines += parsed.sample_lines
            item.dropped_trailing_rows += parsed.dropped_trailing_rows
            for recording in parsed.recordings:
                low, high = min(low, float(recording.min())), max(high, float(recording.max()))
                magnitudes.append(np.linalg.norm(recording, axis=1))
                item.recordings += 1
                cut = window_recording(recording, rng)
                item.windows += len(cut)
                windows.append(cut)
                labels.extend([label] * len(cut))
    if not windows:
        raise DatasetError(f"{source}: no complete recording found")
    return MagicWandData(np.concatenate(windows).astype(np.float32),
                         np.asarray(labels, dtype=np.int64), summary, source, window_seed,
                         (low, high), float(np.median(np.concatenate(magnitudes))))


def resolve_archive(archive: Path | None = None) -> Path:
    """The archive given, else the project copy, else a verified download of the public one."""
    if archive is not None:
        if not archive.exists():
            raise DatasetError(f"data set not found: {archive}")
        return archive
    if SHARED_ARCHIVE.is_file():
        return SHARED_ARCHIVE
    try:
        return fetch_verified(ARCHIVE_URL, ARCHIVE_SHA256, DOWNLOAD_DIR / "magic_wand_data.tar.gz")
    except FetchError as error:
        raise DatasetError(f"magic-wand data set unavailable: {error}") from error


def load(path: Path | None = None, window_seed: int = DEFAULT_WINDOW_SEED) -> MagicWandData:
    """Loads from an archive (.tar.gz) or an extracted root directory."""
    source = resolve_archive(path)
    files = _iter_directory(source) if source.is_dir() else _iter_archive(source)
    return build(parse_files(files), str(source), window_seed)


@dataclasses.dataclass
class Split:
    indices: np.ndarray      # into MagicWandData.windows, in evaluation order
    name: str

    def limit(self, count: int | None) -> "Split":
        if count is None or count >= len(self.indices):
            return self
        return Split(self.indices[:count], f"{self.name}, first {count}")


def test_split(data: MagicWandData, fraction: float = TEST_FRACTION,
               seed: int = SPLIT_SEED) -> Split:
    """A stratified test split (Kenning: test fraction 0.2, seed 1234), shuffled across classes.

    Kenning uses scikit-learn's stratified split; this one keeps the same fraction per class and
    the seed, so the sizes match but the chosen windows differ.
    """
    rng = np.random.default_rng(seed)
    chosen: list[np.ndarray] = []
    for label in range(len(CLASS_NAMES)):
        members = np.flatnonzero(data.labels == label)
        take = int(round(len(members) * fraction))
        chosen.append(rng.permutation(members)[:take])
    indices = rng.permutation(np.concatenate(chosen))
    return Split(indices, f"test split {fraction:g} (seed {seed})")


def all_samples(data: MagicWandData) -> Split:
    return Split(np.arange(len(data.labels)), "all samples")

