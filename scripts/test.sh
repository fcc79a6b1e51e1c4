#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
export TESTING=true DJANGO_ALLOW_ASYNC_UNSAFE=true
if [ ! -x /usr/bin/chromium ]; then
  if [ "${REQUIRE_SERVICES:-false}" = "true" ]; then
    echo "test: /usr/bin/chromium is missing and REQUIRE_SERVICES is set: failing." >&2
    exit 1
  fi
  echo "test: /usr/bin/chromium not found (apt-get install chromium): browser journeys are skipped."
fi
exec .venv/bin/pytest "$@"
