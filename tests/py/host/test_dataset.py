"""Magic-wand data set: Kenning's parsing rules, the real archive's counts, seeded windowing."""
from __future__ import annotations

import io
import tarfile
from pathlib import Path, PurePosixPath

import numpy as np
import pytest

from bmrt import dataset, fetch

# Counts from shared/datasets/magic_wand/README.md (files, separators, samples per class).
README_TABLE = {
    "wing": (10, 223, 19083),
    "ring": (10, 218, 17612),
    "slope": (10, 228, 15103),
    "negative": (8, 63, 13575),
}

CAPTURE = (
    "Script started on Thu Jul 25 11:26:08 2019\r\n"
    "\x1b[?1034hbash-3.2$ screen /dev/x 115200\r\n"
    "\x1b[H\x1b[2J\r\n"
    "-,-,-\r\n"
    "1.0,2.0,3.0\r\n"
    "4.0,5.0,6.0\r\n"
    "  -,-,-\r\n"
    "7.0,8.0,9.0\r\n"
    "\x1b[K-,-,-\r\n"
    "10.0,11.0,12.0\r\n"
    "13.0,14.0,15.0\r\n"
    "bash-3.2$ exit\r\n"
)


def test_capture_recordings_are_closed_by_separators_and_the_trailing_one_is_dropped():
    parsed = dataset.parse_capture("output_wing_x.txt", CAPTURE)
    assert parsed.separators == 3
    assert parsed.sample_lines == 5
    assert [r.tolist() for r in parsed.recordings] == [
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        [[7.0, 8.0, 9.0]],
    ]
    assert parsed.dropped_trailing_rows == 2


def test_three_field_line_that_is_not_numbers_closes_a_recording():
    parsed = dataset.parse_capture("f", "-,-,-\n1,2,3\nx,y,z\n4,5,6\n-,-,-\n")
    assert [r.tolist() for r in parsed.recordings] == [[[1, 2, 3]], [[4, 5, 6]]]
    assert parsed.separators == 2


def test_lines_with_other_field_counts_are_ignored():
    parsed = dataset.parse_capture("f", "-,-,-\n1,2,3\n1,2\n1,2,3,4\n5,6,7\n-,-,-\n")
    assert parsed.recordings[0].tolist() == [[1, 2, 3], [5, 6, 7]]


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())


SYNTHETIC = {
    "wing/output_wing_a.txt": CAPTURE,
    "wing/._output_wing_a.txt": "-,-,-\n99,99,99\n-,-,-\n",
    "slope/.ipynb_checkpoints/output_slope_a-checkpoint.txt": "-,-,-\n99,99,99\n-,-,-\n",
    "ring/output_ring_a.txt": "-,-,-\r\n" + "1.0,1.0,1.0\r\n" * 130 + "-,-,-\r\n",
    "negative/output_negative_1.txt": "-,-,-\n" + "2.0,2.0,2.0\n" * 50,
}


def test_directory_and_archive_give_the_same_data_and_skip_apple_double_and_checkpoints(tmp_path):
    root = tmp_path / "root"
    _write_tree(root, SYNTHETIC)
    archive = tmp_path / "data.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in SYNTHETIC.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    from_dir, from_tar = dataset.load(root), dataset.load(archive)
    np.testing.assert_array_equal(from_dir.windows, from_tar.windows)
    np.testing.assert_array_equal(from_dir.labels, from_tar.labels)
    summary = from_dir.summary
    assert (summary["wing"].files, summary["wing"].recordings) == (1, 2)
    assert summary["slope"].files == 0
    assert (summary["ring"].recordings, summary["ring"].windows) == (1, 2)
    assert (summary["negative"].recordings, summary["negative"].dropped_trailing_rows) == (0, 50)
    assert 99.0 not in from_dir.windows


def test_windowing_follows_kennings_padding_rule():
    rng = np.random.default_rng(0)
    recording = np.arange(200 * 3, dtype=np.float32).reshape(200, 3)
    windows = dataset.window_recording(recording, rng)
    assert windows.shape == (3, 128, 3)
    flat = windows.reshape(-1, 3)
    pre = abs(128 - 200) % 128
    np.testing.assert_array_equal(flat[pre:pre + 200], recording)
    assert np.all(np.abs(flat[:pre] - recording[0]) <= 10.0)
    assert np.all(np.abs(flat[pre + 200:] - recording[-1]) <= 10.0)
    short = dataset.window_recording(recording[:10], rng)
    assert short.shape == (1, 128, 3)
    np.testing.assert_array_equal(short[0, 118:], recording[:10])


def test_windowing_is_reproducible_with_the_seed(tmp_path):
    _write_tree(tmp_path, SYNTHETIC)
    first, again = dataset.load(tmp_path, window_seed=7), dataset.load(tmp_path, window_seed=7)
    other = dataset.load(tmp_path, window_seed=8)
    np.testing.assert_array_equal(first.windows, again.windows)
    assert not np.array_equal(first.windows, other.windows)


def test_real_archive_counts_match_the_readme_table(magic_wand_data):
    for class_name, (files, separators, samples) in README_TABLE.items():
        summary = magic_wand_data.summary[class_name]
        assert (summary.files, summary.separators, summary.sample_lines) == (files, separators,
                                                                              samples)
        # every file's last recording is dropped, exactly as Kenning does
        assert summary.recordings == separators - files
    assert magic_wand_data.windows.shape[1:] == (128, 3)
    assert magic_wand_data.value_range == (-2040.0, 2040.0)
    assert 900 < magic_wand_data.median_magnitude < 1100  # milli-g: about 1 g at rest


def test_real_archive_windows_are_identical_across_loads(archive, magic_wand_data):
    again = dataset.load(archive)
    np.testing.assert_array_equal(again.windows, magic_wand_data.windows)


def test_test_split_is_stratified_reproducible_and_limitable(magic_wand_data):
    split = dataset.test_split(magic_wand_data)
    again = dataset.test_split(magic_wand_data)
    np.testing.assert_array_equal(split.indices, again.indices)
    assert len(set(split.indices.tolist())) == len(split.indices)
    for label, name in enumerate(dataset.CLASS_NAMES):
        in_class = int(np.sum(magic_wand_data.labels == label))
        chosen = int(np.sum(magic_wand_data.labels[split.indices] == label))
        assert chosen == round(in_class * 0.2), name
    limited = split.limit(10)
    np.testing.assert_array_equal(limited.indices, split.indices[:10])
    assert len(dataset.all_samples(magic_wand_data).indices) == len(magic_wand_data.labels)


def test_fetch_rejects_a_file_with_the_wrong_checksum(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not the magic-wand archive")
    destination = tmp_path / "cache" / "data.tar.gz"
    with pytest.raises(fetch.FetchError, match="checksum mismatch"):
        fetch.fetch_verified(bogus.as_uri(), dataset.ARCHIVE_SHA256, destination)
    assert not destination.exists()
    assert list(destination.parent.iterdir()) == []
    good = fetch.fetch_verified(bogus.as_uri(), fetch.sha256_of(bogus), destination)
    assert good.read_bytes() == bogus.read_bytes()


def test_loader_falls_back_to_the_verified_download_and_fails_clearly(tmp_path, monkeypatch):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"tampered")
    monkeypatch.setattr(dataset, "SHARED_ARCHIVE", tmp_path / "absent" / "data.tar.gz")
    monkeypatch.setattr(dataset, "DOWNLOAD_DIR", tmp_path / "downloads")
    monkeypatch.setattr(dataset, "ARCHIVE_URL", bogus.as_uri())
    with pytest.raises(dataset.DatasetError, match="checksum mismatch"):
        dataset.load()
    monkeypatch.setattr(dataset, "ARCHIVE_URL", (tmp_path / "missing.tar.gz").as_uri())
    with pytest.raises(dataset.DatasetError, match="cannot download"):
        dataset.load()


def test_missing_data_set_path_is_a_clear_error(tmp_path):
    with pytest.raises(dataset.DatasetError, match="not found"):
        dataset.load(tmp_path / "nowhere.tar.gz")


def test_class_is_taken_from_the_folder_name():
    assert dataset._class_of(PurePosixPath("data/wing/output_wing_hyw.txt")) == "wing"
    assert dataset._class_of(PurePosixPath("README.txt")) is None
