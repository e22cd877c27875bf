#!/usr/bin/env bash
# Set up everything the project needs on Debian 12 (bookworm) or Debian 13 (trixie).
#   scripts/setup.sh                   what a build needs (fonts, WeasyPrint's libraries, the Python packages)
#   scripts/setup.sh --test            the same, plus what the tests need (Chromium, poppler, axe-core)
#   scripts/setup.sh --print-packages  print the Debian packages the build path installs, one a line,
#                                      and install nothing (add --test for the test path's)
# Safe to run again: it installs only what is missing and is quick when nothing is.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
print_only=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --print-packages) print_only=1 ;;
    *) echo "setup: unknown option $arg (use --test or --print-packages)" >&2; exit 2 ;;
  esac
done

# The Debian release decides the names: Liberation 2.x (every Vietnamese letter) is the package
# fonts-liberation2 on Debian 12 and fonts-liberation itself on Debian 13 (fonts-liberation 1.07 of
# Debian 12 lacks 46 Vietnamese letters: the build refuses it).
release=$( (. /etc/os-release 2>/dev/null && echo "${VERSION_ID:-}") || true)
case "$release" in
  12) fonts=fonts-liberation2 ;;
  13) fonts=fonts-liberation ;;
  *)
    echo "setup: Debian ${release:-?} is not one this project is tested on (Debian 12 or 13); trying the Debian 13 names." >&2
    fonts=fonts-liberation ;;
esac

# Every package whose files a build loads (tests/test_setup.py checks this list against the
# libraries a build really maps): WeasyPrint's Pango, HarfBuzz (and HarfBuzz-Subset, which makes
# the PDFs' font subsets; without it WeasyPrint falls back to fontTools), fontconfig and the font.
build_packages=("$fonts" fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0)
test_packages=(poppler-utils chromium chromium-driver)

apt_packages=("${build_packages[@]}")
if [ "$want_test" = 1 ]; then
  apt_packages+=("${test_packages[@]}")
  command -v npm >/dev/null || apt_packages+=(nodejs npm)
fi

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python=$candidate; break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "setup: no Python 3.11 or newer found (Debian 12 has python3.11, Debian 13 python3.13: sudo apt-get install python3)." >&2
  exit 1
fi
# Debian's own Python needs its venv package to make .venv
if [ ! -x .venv/bin/python ] && ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  apt_packages+=("python3-venv")
fi

if [ "$print_only" = 1 ]; then
  printf '%s\n' "${apt_packages[@]}"
  exit 0
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" != 0 ] && sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "setup: could not install ${missing[*]} with apt-get. See README.md, 'When set-up fails'." >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python"
  "$python" -m venv .venv
fi
stamp=.venv/.planpub-installed
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)-$want_test
if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
  echo "setup: installing Python packages from pyproject.toml"
  extra=""; [ "$want_test" = 1 ] && extra="[test]"
  log=.venv/setup-pip.log
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e ".${extra}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup: pip could not install the Python packages (whole output in $log). See README.md, 'When set-up fails'." >&2
    exit 1
  fi
  echo "$hash" > "$stamp"
fi

if [ "$want_test" = 1 ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "setup: installing axe-core from npm"
  npm install --silent --no-audit --no-fund --no-save axe-core@4 >/dev/null
fi
