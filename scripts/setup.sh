#!/usr/bin/env bash
# Set memo up on a Debian or Ubuntu machine: the system libraries WeasyPrint
# needs (Pango, HarfBuzz and its subsetter, fontconfig), a virtual environment
# in .venv, and memo itself. With --test it also installs the test tools: the
# Python test extras, the validators the suite runs for real (qpdf, poppler,
# Java for the Nu HTML checker, Chromium for `memo serve`) and the npm packages
# in .tools/ (vnu-jar, @argdown/cli).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

test_mode=""
[ "${1:-}" = "--test" ] && test_mode=1
python=${PYTHON:-python3}

# Debian packages: one per line, so additions merge cleanly.
runtime_apt=(
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz0b
  libharfbuzz-subset0
  libfontconfig1
  python3-venv
)
test_apt=(
  qpdf
  poppler-utils
  default-jre-headless
  chromium
  nodejs
  npm
)
# npm packages for the test suite, installed into .tools/node_modules.
test_npm=(
  vnu-jar@26
  @argdown/cli@1.7.5
)

want=("${runtime_apt[@]}")
[ -n "$test_mode" ] && want+=("${test_apt[@]}")
missing=()
for package in "${want[@]}"; do
  case "$package" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    python3-venv) "$python" -c 'import ensurepip, venv' >/dev/null 2>&1 && continue ;;
    default-jre-headless) command -v java >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq || true
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
extras=""; [ -n "$test_mode" ] && extras="[test]"
stamp=".venv/.memo-installed${extras}"
wanted="$(cat pyproject.toml | cksum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "setup: installing memo${extras} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  echo "$wanted" > "$stamp"
fi

if [ -n "$test_mode" ]; then
  npm_stamp=".tools/.installed"
  npm_wanted="$(printf '%s\n' "${test_npm[@]}" | cksum)"
  if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_wanted" ]; then
    echo "setup: installing test tools into .tools: ${test_npm[*]}"
    mkdir -p .tools
    npm install --no-audit --no-fund --loglevel=error --prefix .tools "${test_npm[@]}"
    echo "$npm_wanted" > "$npm_stamp"
  fi
fi
.venv/bin/memo --version
