"""Locating shared inputs and fetching public artifacts with a pinned SHA-256."""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = REPO_ROOT.parent / "shared"
DOWNLOAD_DIR = REPO_ROOT / "build" / "downloads"
FETCH_TIMEOUT_S = 60.0


class FetchError(RuntimeError):
    """A public artifact could not be downloaded or did not match its pinned checksum."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_verified(url: str, sha256: str, destination: Path) -> Path:
    """Downloads `url` to `destination` unless a file with the right SHA-256 is already there.

    The download goes to a temporary file first; only a verified file gets the final name, so a
    failed or tampered download never poisons the cache.
    """
    if destination.is_file() and sha256_of(destination) == sha256:
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False) as partial:
        partial_path = Path(partial.name)
        try:
            with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as response:
                shutil.copyfileobj(response, partial)
        except (urllib.error.URLError, OSError, ValueError) as error:
            partial_path.unlink(missing_ok=True)
            raise FetchError(f"cannot download {url}: {error}") from error
    actual = sha256_of(partial_path)
    if actual != sha256:
        partial_path.unlink(missing_ok=True)
        raise FetchError(
            f"checksum mismatch for {url}: expected SHA-256 {sha256}, got {actual}; "
            "the file was not kept")
    partial_path.replace(destination)
    return destination
