#!/bin/sh
# Debian's chromium for the browser tests (tests/test_web.py): Playwright drives it with
# executable_path=/usr/bin/chromium. Never `playwright install`: it downloads its own browser,
# which cannot be fetched here. Idempotent: does nothing when chromium is already there.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "scripts/chromium.sh: /usr/bin/chromium is missing; as root run: apt-get install -y chromium" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
