#!/usr/bin/env bash
# The real-browser walk of the support channel (Tests/Browser/support_walk.py): headless Chromium through
# Selenium against `kilpi serve --demo`, mail captured by the tests' aiosmtpd server.
#
#   scripts/browser.sh
#
# Installs chromium, chromium-driver and python3-aiosmtpd with apt-get when missing (Selenium comes from pip:
# .ci/run installs it), builds kilpi (debug) unless it is built, then runs the walk. Its exit code is the walk's.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
missing=()
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium chromium-driver)
/usr/bin/python3 -c "import aiosmtpd" 2> /dev/null || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}" >&2
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
python3 -c "import selenium" 2> /dev/null || {
    echo "error: Selenium is missing: pip install selenium==4.51.0 (.ci/run does)" >&2
    exit 1
}
[[ -x .build/debug/kilpi ]] || swift build --product kilpi
echo "==> support walk in headless Chromium" >&2
python3 Tests/Browser/support_walk.py .build/debug/kilpi Tests/KilpiMailTests/Support/smtp_server.py
