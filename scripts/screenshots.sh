#!/usr/bin/env bash
# Refreshes the README's screenshots (docs/screenshots/) from a real run: the dashboard tests click through the
# dashboard in Chromium and copy each step's picture there.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

# Without Chromium the tests skip, and nothing would be refreshed.
[ -x /usr/bin/chromium ] || { echo "needs /usr/bin/chromium: apt-get install chromium" >&2; exit 1; }

mkdir -p "$repo/docs/screenshots"
cd "$repo"
SCREENSHOTS_DIR="$repo/docs/screenshots" dotnet test --filter "FullyQualifiedName~DashboardTests"
ls -l docs/screenshots
