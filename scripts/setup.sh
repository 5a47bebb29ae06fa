#!/usr/bin/env bash
# Set memo up on a Debian or Ubuntu machine: the system libraries WeasyPrint
# needs (Pango, HarfBuzz, fontconfig), a virtual environment in .venv, and memo
# itself (with the test tools when called with --test).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
python=${PYTHON:-python3}

have_lib() { { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "$1"; }
missing=()
have_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
have_lib libharfbuzz.so.0 || missing+=(libharfbuzz0b)
have_lib libfontconfig.so.1 || missing+=(libfontconfig1)
command -v "$python" >/dev/null 2>&1 || missing+=(python3)
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then missing+=(python3-venv); fi
# HarfBuzz's subsetter makes smaller font subsets; older releases lack the package, so it is optional.
optional=()
have_lib libharfbuzz-subset.so.0 || optional+=(libharfbuzz-subset0)
if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq || true
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ ${#optional[@]} -gt 0 ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null 2>&1 \
      || echo "setup: ${optional[*]} not available here; PDFs will still build"
  fi
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=".venv/.memo-installed${extras}"
want="$(cat pyproject.toml | cksum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing memo${extras} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  echo "$want" > "$stamp"
fi
.venv/bin/memo --version
