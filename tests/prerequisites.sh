#!/usr/bin/env bash
# Installs what the tests and the benchmark need on a Debian machine, and only what is missing: Node.js and npm (the
# SMTP test server), Chromium (the browser tests drive Debian's Chromium; no browser is downloaded) and a Chinese font, redis-server (the
# token-sharing tests start their own), postgresql (the EF Core store tests start a private cluster; the package's own
# cluster is not used), and Postfix with Cyrus SASL (the benchmark starts a private instance; the
# machine's own Postfix stays unconfigured). Uses sudo when not run as root. Then installs the test servers' npm
# packages from their lock files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "prerequisites: not root and no sudo; install them as root: $0" >&2; exit 1; }
  as_root=(sudo)
fi

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# A Chinese font, so the zh-CN page's screenshots show characters rather than empty boxes.
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh)" ]; } || missing+=(fonts-wqy-microhei)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
{ [ -x /usr/sbin/postfix ] && [ -x /usr/sbin/saslpasswd2 ]; } || missing+=(postfix sasl2-bin libsasl2-modules)
if [ ${#missing[@]} -gt 0 ]; then
  echo "prerequisites: installing ${missing[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | "${as_root[@]}" debconf-set-selections
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

for dir in "$root"/tests/TestServers/*/; do
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
