#!/usr/bin/env bash
# Installs everything the project needs on a Debian 12 machine, idempotently:
#   - Debian packages (only those missing; apt-get update only when something is missing)
#   - the Python venv in .venv with requirements.txt (only when the file changed)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  clang-22 lld-22 llvm-22 libclang-rt-22-dev
  cmake ninja-build make libgtest-dev
  qemu-system-misc valgrind
  picolibc-riscv64-unknown-elf gcc-riscv64-unknown-elf
  python3 python3-venv
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

VENV=.venv
stamp="$VENV/.requirements.sha256"
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "setup: installing Python packages from requirements.txt"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt
  echo "$wanted" > "$stamp"
fi
