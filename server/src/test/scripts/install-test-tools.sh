#!/usr/bin/env bash
# Installs what the server's end-to-end tests need, from the project's own files:
#   1. the Node packages of server/src/test/node (newman, puppeteer-core, fhirclient), with `npm ci` from the lockfile;
#   2. Debian's Chromium (/usr/bin/chromium) for the browser tests, when running as root and it is missing.
# Run by `./mvnw verify` (exec-maven-plugin, phase process-test-classes, server/pom.xml); safe to run by hand.
# Idempotent and quick when everything is there: npm ci runs only when package-lock.json changed since the last
# install, apt-get only when /usr/bin/chromium is absent. Never downloads a browser of its own.
#
# When something cannot be installed (no Node, not root and no Chromium) it says so and exits 0: the build goes on
# and the tests that need the tool fail with a message naming this script (browser tests are skipped only when
# not root, not in CI and Chromium is absent; see org.caregate.server.e2e.TestTools).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node_dir="$(cd "$here/../node" && pwd)"
chromium="${CAREGATE_CHROMIUM:-/usr/bin/chromium}"

say() { echo "[caregate test tools] $*"; }

install_node_packages() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        say "WARNING: node/npm not found; the Postman (newman) and SMART JS client tests will fail. Install Node 20+ and npm, then rerun $0"
        return 0
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if (( major < 20 )); then
        say "WARNING: Node $(node -v) is older than 20; the Node-based tests may fail"
    fi
    local stamp="$node_dir/node_modules/.caregate-lock.sha256"
    local wanted
    wanted="$(sha256sum "$node_dir/package-lock.json" | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -x "$node_dir/node_modules/.bin/newman" ]]; then
        say "Node packages up to date ($node_dir/node_modules)"
        return 0
    fi
    say "npm ci in $node_dir"
    # --omit=peer: fhirclient's optional react-native peers are ~430 MB and unused in a browser.
    # --engine-strict=false: some transitive packages declare engines that exclude Node 20 although they run on it.
    # PUPPETEER_SKIP_DOWNLOAD: puppeteer-core never downloads a browser, but be explicit.
    (cd "$node_dir" && PUPPETEER_SKIP_DOWNLOAD=true npm ci --omit=peer --engine-strict=false --no-audit --no-fund \
        --loglevel=error)
    echo "$wanted" > "$stamp"
}

install_chromium() {
    if [[ -x "$chromium" ]]; then
        say "Chromium present: $chromium"
        return 0
    fi
    if [[ "$(id -u)" != "0" ]]; then
        say "WARNING: $chromium not found and not running as root, so it is not installed. The browser tests will be"
        say "         skipped (outside CI) or fail (CI=true). Install it with: sudo apt-get install -y chromium"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        say "WARNING: $chromium not found and no apt-get here; install Chromium and set CAREGATE_CHROMIUM to its path"
        return 0
    fi
    say "installing Debian's chromium (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium
    [[ -x "$chromium" ]] || { say "ERROR: apt-get installed chromium but $chromium is missing"; exit 1; }
}

install_node_packages
install_chromium
