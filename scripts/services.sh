#!/usr/bin/env bash
# Finds (and if installed but down, starts) PostgreSQL and Redis on this machine.
# Sourced by scripts/test.sh; exports DATABASE_URL / CELERY_BROKER_URL when they answer.
# With REQUIRE_SERVICES=true (CI) a missing service is an error, never a fallback.

port_open() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

wait_port() {
  for _ in $(seq 1 30); do port_open "$1" "$2" && return 0; sleep 0.5; done
  return 1
}

require="${REQUIRE_SERVICES:-false}"
missing=()

if ! port_open 127.0.0.1 5432 && command -v pg_ctlcluster >/dev/null; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  wait_port 127.0.0.1 5432 || true
fi
if port_open 127.0.0.1 5432; then
  export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/regionalsamverkan}"
  echo "services: PostgreSQL at 127.0.0.1:5432"
else
  missing+=("PostgreSQL (127.0.0.1:5432)")
fi

if ! port_open 127.0.0.1 6379 && command -v redis-server >/dev/null; then
  echo "services: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  wait_port 127.0.0.1 6379 || true
fi
if port_open 127.0.0.1 6379; then
  # Database 15 keeps test messages apart from a developer's running worker (database 0).
  export CELERY_BROKER_URL="${TEST_BROKER_URL:-redis://127.0.0.1:6379/15}"
  echo "services: Redis at 127.0.0.1:6379"
else
  missing+=("Redis (127.0.0.1:6379)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$require" = "true" ] || [ "$require" = "1" ]; then
    echo "services: missing ${missing[*]} and REQUIRE_SERVICES is set: failing." >&2
    exit 1
  fi
  echo "services: missing ${missing[*]}: falling back to SQLite and in-process tasks;"
  echo "services: the tests that need the real services are skipped."
fi
