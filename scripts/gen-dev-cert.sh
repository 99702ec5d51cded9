#!/usr/bin/env bash
# Generates the DEVELOPMENT-ONLY TLS certificate the gateway, Caddy and the
# test peers use on loopback: a self-signed ECDSA P-256 certificate for
# localhost, 127.0.0.1 and ::1, valid 825 days. Never deploy it: the private
# key sits unencrypted in the repository tree (gitignored, mode 600).
#
# Usage: scripts/gen-dev-cert.sh [--force] [OUT_DIR]   (OUT_DIR defaults to fixtures/)
set -euo pipefail

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-"$repo/fixtures"}
cert="$out/dev-cert.pem"
key="$out/dev-key.pem"

if [ "$force" = 0 ] && [ -s "$cert" ] && [ -s "$key" ]; then
  echo "dev cert: $cert already present (use --force to regenerate)"
  exit 0
fi
command -v openssl >/dev/null || { echo "gen-dev-cert: openssl not found (apt-get install openssl)" >&2; exit 1; }

mkdir -p "$out"
umask 077
tmpkey=$(mktemp "$out/.dev-key.XXXXXX")
trap 'rm -f "$tmpkey"' EXIT
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmpkey" 2>/dev/null
openssl req -x509 -new -key "$tmpkey" -out "$cert" -days 825 -sha256 \
  -subj "/O=RTA Gateway DEVELOPMENT ONLY/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" 2>/dev/null
mv "$tmpkey" "$key"
chmod 600 "$key"
chmod 644 "$cert"
echo "dev cert: wrote $cert and $key (self-signed ECDSA P-256, localhost/127.0.0.1/::1, DEV ONLY)"
