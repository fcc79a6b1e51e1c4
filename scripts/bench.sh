#!/usr/bin/env bash
# `make bench`: the generated data set under gunicorn (2 workers), measured by scripts/bench.py.
# Needs PostgreSQL (BENCH_DATABASE_URL, default the local regionalsamverkan_bench database);
# installs Debian's wrk if missing. Not a CI test: the numbers are for reading.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

DB_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/regionalsamverkan_bench}"
SEED="${BENCH_SEED:-2019}"
SCALE="${BENCH_SCALE:-1}"
PORT="${BENCH_PORT:-8199}"
DB_NAME="${DB_URL##*/}"
SERVER_URL="${DB_URL%/*}/postgres"

# Production-like: DEBUG off, a real secret, no TLS in front, no second factor for the
# bench logins, and the bare floor view switched on.
export DATABASE_URL="$DB_URL" DEBUG=false SECRET_KEY="bench-only-$(hostname)-not-a-secret-0123456789"
export ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=false OTP_REQUIRED=false BENCH_ENDPOINTS=true
export BENCH_URL="http://127.0.0.1:$PORT" TESTING=false
unset CELERY_BROKER_URL  # compile in-process

mkdir -p bench-results
STAMP="bench-results/.generated"
WANT="$DB_URL seed=$SEED scale=$SCALE year=$(date +%Y)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "bench: (re)creating $DB_NAME and generating the data (seed $SEED, scale $SCALE)"
  psql "$SERVER_URL" -qc "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null
  psql "$SERVER_URL" -qc "CREATE DATABASE $DB_NAME" >/dev/null
  .venv/bin/python manage.py migrate --noinput -v0
  .venv/bin/python manage.py generate_load_data --seed "$SEED" --scale "$SCALE"
  echo "$WANT" > "$STAMP"
else
  .venv/bin/python manage.py migrate --noinput -v0
fi
.venv/bin/python manage.py collectstatic --noinput -v0

.venv/bin/gunicorn regionalsamverkan.wsgi --workers 2 --bind "127.0.0.1:$PORT" \
  --access-logfile /dev/null --error-logfile bench-results/gunicorn.log \
  --pid bench-results/gunicorn.pid &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf "$BENCH_URL/bench/bare/" >/dev/null && break
  sleep 0.2
done

.venv/bin/python scripts/bench.py
