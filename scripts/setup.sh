#!/usr/bin/env bash
# Installs what Raft Playground needs, each tool only when missing or at the wrong version.
# usage: scripts/setup.sh build|test TRUNK_VERSION WASM_BINDGEN_VERSION BINARYEN_VERSION
set -euo pipefail
what=$1 trunk_v=$2 wb_v=$3 binaryen_v=$4
cd "$(dirname "$0")/.."

say() { printf '  %-22s %s\n' "$1" "$2"; }
die() { echo "setup: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$2"; }

# Run as root directly, otherwise through sudo when there is one.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "run as root or install sudo to let setup install: $*"; fi; }

build_tools() {
  need cargo "cargo is missing: install Rust from https://rustup.rs and run make again."
  need rustup "rustup is missing: the wasm32 target is added with rustup (https://rustup.rs)."

  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32 target" present
  else
    rustup target add wasm32-unknown-unknown >/dev/null 2>&1
    say "wasm32 target" installed
  fi

  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" = "$trunk_v" ]; then
    say trunk "present ($trunk_v)"
  else
    cargo install trunk --version "$trunk_v" --locked --quiet
    say trunk "installed ($trunk_v)"
  fi

  [ -n "$wb_v" ] || die "could not read the wasm-bindgen version from Cargo.lock."
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$wb_v" ]; then
    say wasm-bindgen-cli "present ($wb_v)"
  else
    # Not --locked: one of its locked dependencies is no longer on the registry.
    cargo install wasm-bindgen-cli --version "$wb_v" --force --quiet
    say wasm-bindgen-cli "installed ($wb_v)"
  fi

  # Debian's binaryen 108 miscompiles modern Rust wasm; 110 or newer is fine.
  local opt_v
  opt_v=$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1 || true)
  if [ -n "$opt_v" ] && [ "$opt_v" -ge 110 ]; then
    say wasm-opt "present (binaryen $opt_v)"
  else
    need npm "npm is missing: install Node.js 18 or newer (it provides wasm-opt via npm binaryen) and run make again."
    if [ -w "$(npm prefix -g)/lib" ] || [ "$(id -u)" = 0 ]; then
      npm install -g --silent "binaryen@$binaryen_v" >/dev/null
    else
      as_root npm install -g --silent "binaryen@$binaryen_v" >/dev/null
    fi
    hash -r
    say wasm-opt "installed (binaryen $binaryen_v)"
  fi
}

test_tools() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say chromium "present ($(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'))"
  else
    command -v apt-get >/dev/null 2>&1 || die "the tests need Chromium and ChromeDriver at /usr/bin/chromium and /usr/bin/chromedriver; this system has no apt-get, so install them by hand."
    as_root apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
    say chromium "installed ($(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'))"
  fi

  need npm "npm is missing: install Node.js 18 or newer for the end-to-end tests and run make again."
  # Every package pinned in e2e/package-lock.json (playwright-core, axe-core) at its
  # locked version, or `npm ci` installs them all.
  local pkg want have missing=0
  for pkg in playwright-core axe-core; do
    want=$(node -p "require('./e2e/package-lock.json').packages['node_modules/$pkg'].version")
    have=$(node -p "try{require('./e2e/node_modules/$pkg/package.json').version}catch(e){''}")
    [ "$want" = "$have" ] || missing=1
  done
  if [ "$missing" = 0 ]; then
    say "npm packages" "present (playwright-core, axe-core)"
  else
    (cd e2e && npm ci --silent --no-audit --no-fund >/dev/null)
    say "npm packages" "installed (playwright-core, axe-core)"
  fi
}

case "$what" in
  build) echo "setup: tools for building and serving"; build_tools ;;
  test) echo "setup: tools for testing"; test_tools ;;
  *) die "unknown step '$what'" ;;
esac
