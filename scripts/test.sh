#!/usr/bin/env bash
# Every check, in order; stops at the first failure and says which. Run by `make test`.
set -uo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export TRUNK_OFFLINE=true
start=$(date +%s)
ran=()

joined() { local IFS=';'; echo "${ran[*]:-nothing}" | sed 's/;/, /g'; }

step() {
  local name=$1; shift
  echo "==> $name"
  if ! "$@"; then
    echo "make test: FAILED at '$name' (passed before it: $(joined))" >&2
    exit 1
  fi
  ran+=("$name")
}

step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --all-targets -- -D warnings
step "clippy (wasm UI)" cargo clippy --target wasm32-unknown-unknown --lib --bins -- -D warnings
step "native tests" cargo test --quiet
step "browser tests (wasm-bindgen, headless Chromium)" cargo test --target wasm32-unknown-unknown --test browser
step "release build (trunk)" trunk build --release --offline
step "single offline file (what make dist adds)" node scripts/single-file.mjs
step "brotli and gzip copies (what make dist adds)" node scripts/precompress.mjs dist
step "end-to-end tests (Playwright, headless Chromium)" node e2e/run.mjs
step "the lab end to end (Figure 16, break a rule, both languages)" node e2e/lab.mjs
step "guided tour end to end (both languages, presenter screenshots)" node e2e/tour.mjs
step "accessibility (axe-core, both languages, every state)" node e2e/a11y.mjs
step "offline end to end (the single file and dist/ opened from file://)" node e2e/offline.mjs

echo "make test: all passed in $(( $(date +%s) - start )) s: $(joined)"
