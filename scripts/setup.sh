#!/usr/bin/env bash
# Set up everything the project needs on a Debian machine with Python 3.11.
#   scripts/setup.sh         what a build needs (fonts, WeasyPrint's libraries, the Python packages)
#   scripts/setup.sh --test  the same, plus what the tests need (Chromium, poppler, axe-core)
# Safe to run again: it installs only what is missing and is quick when nothing is.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_packages=(fonts-liberation2 fontconfig libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
if [ "$want_test" = 1 ]; then
  apt_packages+=(chromium chromium-driver)
  command -v npm >/dev/null || apt_packages+=(nodejs npm)
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" != 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python"
  "$python" -m venv .venv
fi
stamp=.venv/.planpub-installed
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)-$want_test
if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
  echo "setup: installing Python packages from pyproject.toml"
  extra=""; [ "$want_test" = 1 ] && extra="[test]"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${extra}"
  echo "$hash" > "$stamp"
fi

if [ "$want_test" = 1 ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "setup: installing axe-core from npm"
  npm install --silent --no-audit --no-fund --no-save axe-core@4 >/dev/null
fi
