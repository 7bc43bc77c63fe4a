# Shared settings for the scripts in .ci/ (sourced, not run).
# Build caches live outside the clone so that a fresh clone on the same machine reuses them.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/agora/target}"
export PATH="$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# One-off builds (CI, make test) gain nothing from incremental caches, which grow to tens of GB.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
SITE_ROOT="$ROOT/target/site"
WASM_TARGET=wasm32-unknown-unknown
# The browser bundles, one per kind of page (app::assets::Bundle names the same ones).
BUNDLES="city picker place poll"
# Which toolchain builds the WASM: "rustup" (route A) or "debian" (route B, rustc-web + build-std).
# Written by .ci/setup.
ROUTE_FILE="$HOME/.cache/agora/wasm-route"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm-bindgen version that Cargo.lock pins (the CLI must match it exactly).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Cargo invocation for the WASM build, honouring the route chosen by setup.
wasm_cargo() {
  if [ "$(cat "$ROUTE_FILE" 2>/dev/null || echo rustup)" = debian ]; then
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo "$@" -Zbuild-std=std,panic_abort
  else
    cargo "$@"
  fi
}
