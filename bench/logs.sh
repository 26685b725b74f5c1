#!/usr/bin/env bash
# The request log at scale (issue 13): see docs/LOGS.md and BENCHMARKS.md "Request log at scale".
#
#   bench/logs.sh [--rows N] [--days D] [--no-build]
#
#   --rows N    rows to load (default 10000000), spread evenly over the last D days (default 30)
#   --no-build  use target/classes as they are instead of running `mvn -o -q compile`
#
# Creates its own database (tollgate_logbench_<pid>) on BENCH_PG_HOST:BENCH_PG_PORT (default 127.0.0.1:5432) as
# BENCH_PG_USER (default postgres, no password), migrates it with the gateway's own Flyway scripts, creates the
# daily partitions, loads the rows with generate_series (no COPY), and reports bytes per logged request, the rollup
# time, the stats query over 24 hours and over the whole span (raw rows only and with rollups) and a retention run
# that drops the oldest three days. Drops the database at the end. Writes bench/results/<date>-logs[-<rows>].md.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
ROWS=10000000
DAYS=30
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=${2:?--rows needs a number}; shift 2 ;;
    --days) DAYS=${2:?--days needs a number}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
HOST=${BENCH_PG_HOST:-127.0.0.1}
PORT=${BENCH_PG_PORT:-5432}
USER_NAME=${BENCH_PG_USER:-postgres}
DB=tollgate_logbench_$$
CP_FILE=$ROOT/target/logbench.classpath

cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  mvn -o -q compile
fi
if [ ! -s "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -o -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=compile
fi

psql -h "$HOST" -p "$PORT" -U "$USER_NAME" -d postgres -qc "CREATE DATABASE $DB"
trap 'psql -h "$HOST" -p "$PORT" -U "$USER_NAME" -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true' EXIT

started=$(date +%s)
TABLE=$(timeout 900 java -Xmx1g -cp "target/classes:$(cat "$CP_FILE")" -Dlogback.configurationFile="$BENCH/conf/logback-stderr.xml" \
  "$BENCH/tools/LogBench.java" "jdbc:postgresql://$HOST:$PORT/$DB" "$USER_NAME" "$ROWS" "$DAYS")
elapsed=$(( $(date +%s) - started ))

mkdir -p "$BENCH/results"
SUFFIX=""
[ "$ROWS" = 10000000 ] || SUFFIX="-$ROWS"
OUT="$BENCH/results/$(date -u +%Y-%m-%d)-logs$SUFFIX.md"
{
  echo "# Request log at scale, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)'), PostgreSQL"
  echo "$(psql -h "$HOST" -p "$PORT" -U "$USER_NAME" -d postgres -Atc 'SHOW server_version'), $(nproc) CPUs shared with"
  echo "whatever else ran, Java $(java -version 2>&1 | head -1 | cut -d'"' -f2). bench/logs.sh --rows $ROWS --days $DAYS,"
  echo "${elapsed} s in all. Times are wall-clock from one run; 'fastest of three' after a first, cold run."
  echo
  echo "| Measure | Result |"
  echo "|---|---|"
  echo "$TABLE"
} > "$OUT"
cat "$OUT"
