#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (or re-checks a prepared one) for
# building, testing and benchmarking RTA Gateway. Idempotent: every step first
# checks whether its work is already done, so a second run takes ~1 s.
#
#   1. Debian packages: the QUIC/HTTP/3 C libraries, libsodium, hiredis, redis,
#      the ngtcp2 reference client/server, nginx and Caddy (benchmarks).
#   2. Swift toolchain check (preinstalled at /opt/swift).
#   3. Python venv at .venv with the test peers' requirements.
#   4. Development TLS certificate in fixtures/ (scripts/gen-dev-cert.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and sudo is missing: run as root"
  sudo_cmd=(sudo)
fi

# --- 1. Debian packages -------------------------------------------------------
packages=(
  libngtcp2-dev libngtcp2-crypto-gnutls-dev libnghttp3-dev libgnutls28-dev
  libsodium-dev libhiredis-dev redis-server ngtcp2-client ngtcp2-server
  python3-venv pkg-config nginx-light caddy openssl curl
)
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt: all ${#packages[@]} packages already installed"
else
  command -v apt-get >/dev/null || die "apt-get not found: this script targets Debian 12; install ${missing[*]} by hand"
  # Refresh the package lists only if they are missing or older than 6 hours.
  newest=$(find /var/lib/apt/lists -maxdepth 1 -type f -name '*Packages*' -printf '%T@\n' 2>/dev/null | sort -n | tail -1)
  now=$(date +%s)
  if [ -z "$newest" ] || [ $(( now - ${newest%.*} )) -gt 21600 ]; then
    say "apt: updating package lists"
    "${sudo_cmd[@]}" apt-get update -qq
  else
    say "apt: package lists are fresh (< 6 h), skipping apt-get update"
  fi
  say "apt: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian packages start nginx/caddy/redis as system services on install;
# nothing here relies on them (tests and benchmarks start their own on loopback).

# --- 2. Swift -----------------------------------------------------------------
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null || die "swift not found: expected the Swift 6 toolchain at /opt/swift (add /opt/swift/usr/bin to PATH)"
swift_version=$(swift --version 2>&1 | head -n 1)
say "swift: $swift_version"

# --- 3. Python venv -----------------------------------------------------------
requirements="$repo/Tests/peers/requirements.txt"
venv="$repo/.venv"
base_python=/usr/bin/python3
[ -x "$base_python" ] || base_python=$(command -v python3 || true)
[ -n "$base_python" ] || die "python3 not found (apt-get install python3-venv)"
want=$( { "$base_python" --version 2>&1; sha256sum "$requirements"; } | sha256sum | cut -d' ' -f1)
stamp="$venv/.rta-requirements"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] \
   && "$venv/bin/python" -c 'import aioquic' 2>/dev/null; then
  say "venv: $venv up to date ($("$venv/bin/python" -c 'import aioquic; print("aioquic", aioquic.__version__)'))"
else
  say "venv: creating $venv with $base_python and installing $(grep -cvE '^\s*(#|$)' "$requirements") requirement(s)"
  "$base_python" -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" \
    || die "pip install -r $requirements failed (PyPI reachable?)"
  echo "$want" > "$stamp"
  say "venv: ready ($("$venv/bin/python" -c 'import aioquic; print("aioquic", aioquic.__version__)'))"
fi

# --- 4. Dev TLS certificate ---------------------------------------------------
bash "$repo/scripts/gen-dev-cert.sh" | sed 's/^/setup: /'

say "done"
