#!/usr/bin/env bash
# Tollgate's soak (issue 15): a long run of the packaged WAR in Tomcat, watching for leaks. See RELIABILITY.md, "Soak".
#
#   bench/soak.sh [--requests N] [--concurrency C] [--sample SECONDS] [--java 17|25] [--no-build]
#
#   --requests     requests in all (default 200000): every 4th a stream (20 data events), every 100th to a
#                  model whose upstream refuses connections (a 502, or a 503 while its breaker is open), the rest
#                  plain chat completions from nginx
#   --concurrency  requests in flight at once (default 16)
#   --sample       seconds between two samples (default 20)
#   --java 17|25   the JDK that runs Tomcat (default 17: Tomcat's platform-thread pool, so a thread leak shows in
#                  the thread count; 25 puts the connector on virtual threads)
#   --no-build     use target/tollgate.war as it is instead of running `mvn -q -DskipTests package`
#
# Needs PostgreSQL at BENCH_PG_HOST:BENCH_PG_PORT (default 127.0.0.1:5432) as BENCH_PG_USER (default postgres),
# nginx (installed with apt-get when missing, as bench/run.sh does) and Tomcat 10.1 (fetched into bench/.work once,
# shared with bench/run.sh). Its own ports (18280-18282) and database (tollgate_soak), so it can run beside
# bench/run.sh. Each sample: requests done, then `jcmd GC.run` and the heap used after it (GC.heap_info), live
# threads and RSS (/proc/PID/status), open descriptors (/proc/PID/fd), and from /metrics the open streams, the
# upstream connections (active, idle) and the request-log rows pending. At the end the usage_log rows must equal
# the requests. Writes bench/results/<date>-soak-java<N>.csv and .md (also printed).
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$BENCH/.work
SOAK=$WORK/soak
TOMCAT_VERSION=10.1.59
TOLLGATE_PORT=18280
JSON_PORT=18281
SSE_PORT=18282
KEY=sk-soak-client-0123456789abcdef
PG_DB=tollgate_soak

REQUESTS=200000 CONCURRENCY=16 SAMPLE=20 JAVA_MAJOR=17 BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) REQUESTS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    --java) JAVA_MAJOR=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
JAVA17_HOME=${BENCH_JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25_HOME=${BENCH_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
case "$JAVA_MAJOR" in
  17) GATEWAY_JAVA_HOME=$JAVA17_HOME; CONNECTOR_THREADS='maxThreads="200"' ;;
  25) GATEWAY_JAVA_HOME=$JAVA25_HOME; CONNECTOR_THREADS='useVirtualThreads="true"' ;;
  *) echo "--java must be 17 or 25" >&2; exit 2 ;;
esac
TOOLS_JAVA_HOME=${BENCH_TOOLS_JAVA_HOME:-$JAVA25_HOME}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1} PG_PORT=${BENCH_PG_PORT:-5432} PG_USER=${BENCH_PG_USER:-postgres}
JVM_OPTS=${TOLLGATE_JVM_OPTS:--Xms256m -Xmx1g}

log() { printf '%s [soak] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
psql_q() { PGOPTIONS='-c client_min_messages=warning' psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  [ "$(id -u)" = 0 ] || die "nginx is missing; install it (apt-get install nginx) or run as root"
  log "installing Debian's nginx"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v psql >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p "$PG_PORT" \
  || die "no PostgreSQL at $PG_HOST:$PG_PORT (or no psql)"

rm -rf "$SOAK"
mkdir -p "$SOAK"/{fx,run,logs,data,base/conf,base/logs,base/temp,base/work,base/webapps} "$SOAK/run/upstream-nginx-tmp" \
  "$BENCH/results" "$WORK/dl"
TOMCAT_PID="" NGINX_STARTED="" CLIENT_PID=""
stop_pid() { kill -0 "$1" 2>/dev/null || return 0; kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" 2>/dev/null || true; }
cleanup() {
  set +e
  [ -n "$CLIENT_PID" ] && stop_pid "$CLIENT_PID"
  [ -n "$TOMCAT_PID" ] && stop_pid "$TOMCAT_PID"
  [ -n "$NGINX_STARTED" ] && [ -s "$SOAK/run/upstream-nginx.pid" ] && stop_pid "$(cat "$SOAK/run/upstream-nginx.pid")"
  psql_q -d postgres -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

WAR=$ROOT/target/tollgate.war
if [ "$BUILD" = 1 ]; then
  log "building the WAR: mvn -o -q -DskipTests package"
  (cd "$ROOT" && mvn -o -q -DskipTests package) || die "the build failed"
fi
[ -f "$WAR" ] || die "no $WAR (run without --no-build)"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
CATALINA_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION
if [ ! -x "$CATALINA_HOME/bin/catalina.sh" ]; then
  log "fetching Tomcat $TOMCAT_VERSION from Maven Central"
  (cd "$WORK" && mvn -q dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" \
    -DoutputDirectory="$WORK/dl") || die "could not fetch Tomcat"
  tar -xzf "$WORK/dl/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK"
fi

# The upstreams: bench/run.sh's nginx with its fixed answers, on this script's ports.
python3 "$BENCH/tools/render.py" fixtures "$SOAK/fx"
R() { FIXTURES=$SOAK/fx python3 "$BENCH/tools/render.py" template "$@" WORK="$SOAK" JSON_PORT=$JSON_PORT \
  SSE_PORT=$SSE_PORT TOLLGATE_PORT=$TOLLGATE_PORT; }
R "$BENCH/conf/upstream.nginx.conf" "$SOAK/run/upstream.nginx.conf"
chmod 1777 "$SOAK/run/upstream-nginx-tmp"
R "$BENCH/conf/server.xml" "$SOAK/base/conf/server.xml" CONNECTOR_THREADS="$CONNECTOR_THREADS"
REFUSED_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$SOAK/run/tollgate.yaml" <<EOF
providers:
  - {name: json-up, type: openai, base_url: "http://127.0.0.1:$JSON_PORT/v1", api_key: sk-soak-upstream}
  - {name: sse-up, type: openai, base_url: "http://127.0.0.1:$SSE_PORT/v1", api_key: sk-soak-upstream}
  - {name: refused-up, type: openai, base_url: "http://127.0.0.1:$REFUSED_PORT/v1", api_key: sk-soak-upstream}
models:
  - {name: bench-json, targets: [{provider: json-up}]}
  - {name: bench-sse, targets: [{provider: sse-up}]}
  - {name: soak-refused, targets: [{provider: refused-up}]}
clients: [{name: soak, key: $KEY}]
EOF
log "starting nginx (:$JSON_PORT fixed JSON, :$SSE_PORT fixed 20-event stream)"
"$NGINX" -c "$SOAK/run/upstream.nginx.conf" -e "$SOAK/logs/nginx.error.log"
NGINX_STARTED=1

psql_q -d postgres -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null
cp "$CATALINA_HOME"/conf/{web.xml,context.xml,logging.properties,catalina.properties,catalina.policy} "$SOAK/base/conf/"
cp "$WAR" "$SOAK/base/webapps/ROOT.war"
log "starting Tomcat $TOMCAT_VERSION + Tollgate on Java $JAVA_MAJOR ($JVM_OPTS), PostgreSQL database $PG_DB"
env -u UPSTREAM_BASE_URL -u UPSTREAM_API_KEY -u API_KEYS -u TOLLGATE_DB_PASSWORD \
  JAVA_HOME="$GATEWAY_JAVA_HOME" JRE_HOME="$GATEWAY_JAVA_HOME" CATALINA_HOME="$CATALINA_HOME" \
  CATALINA_BASE="$SOAK/base" CATALINA_PID="" CATALINA_OPTS="$JVM_OPTS" TOLLGATE_CONFIG="$SOAK/run/tollgate.yaml" \
  TOLLGATE_HOME="$SOAK/data" TOLLGATE_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB" TOLLGATE_DB_USER="$PG_USER" \
  "$CATALINA_HOME/bin/catalina.sh" run > "$SOAK/logs/tollgate.out" 2>&1 &
TOMCAT_PID=$!
for _ in $(seq 1 600); do curl -sf -o /dev/null -m 2 "http://127.0.0.1:$TOLLGATE_PORT/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null -m 2 "http://127.0.0.1:$TOLLGATE_PORT/healthz" || die "Tollgate did not start ($SOAK/logs/tollgate.out)"
# The java process under catalina.sh run: the one whose parent is the script (or the script itself after exec).
JPID=$(pgrep -P "$TOMCAT_PID" java || echo "$TOMCAT_PID")
log "Tollgate is up (JVM pid $JPID)"

STAMP=$(date -u +%Y-%m-%d)
CSV=$BENCH/results/$STAMP-soak-java$JAVA_MAJOR.csv
MD=$BENCH/results/$STAMP-soak-java$JAVA_MAJOR.md
echo "elapsed_s,requests_done,heap_after_gc_mb,threads,fds,rss_mb,streams_open,upstream_active,upstream_idle,log_pending" > "$CSV"
metric() { awk -v n="$1" -v l="$2" '($1 == n || index($1, n "{") == 1) && index($1, l) { v = $2 }
  END { print (v == "" ? "NA" : v + 0) }' "$SOAK/run/metrics.txt"; }
sample() {
  local done heap threads fds rss
  done=$(cat "$SOAK/run/progress" 2>/dev/null || echo 0)
  "$GATEWAY_JAVA_HOME/bin/jcmd" "$JPID" GC.run >/dev/null 2>&1 || true
  heap=$("$GATEWAY_JAVA_HOME/bin/jcmd" "$JPID" GC.heap_info 2>/dev/null | tr '\n' ' ' \
    | sed -nE 's/.*total( reserved [0-9]+K, committed)? [0-9]+K, used ([0-9]+)K.*/\2/p')
  threads=$(awk '/^Threads:/{print $2}' "/proc/$JPID/status")
  rss=$(awk '/^VmRSS:/{printf "%.0f", $2 / 1024}' "/proc/$JPID/status")
  fds=$(ls "/proc/$JPID/fd" | wc -l)
  curl -s -m 5 "http://127.0.0.1:$TOLLGATE_PORT/metrics" > "$SOAK/run/metrics.txt" || : > "$SOAK/run/metrics.txt"
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' $(( $(date +%s) - BEGIN )) "${done:-0}" \
    "$(awk -v k="${heap:-0}" 'BEGIN { printf "%.1f", k / 1024 }')" "$threads" "$fds" "$rss" \
    "$(metric tollgate_streams_open '')" "$(metric tollgate_upstream_connections 'state="active"')" \
    "$(metric tollgate_upstream_connections 'state="idle"')" "$(metric tollgate_request_log_pending '')" >> "$CSV"
  tail -n1 "$CSV" >&2
}

BEGIN=$(date +%s)
echo 0 > "$SOAK/run/progress"
sample
log "soak: $REQUESTS requests at concurrency $CONCURRENCY (every 4th a stream, every 100th to a refused upstream)"
"$TOOLS_JAVA_HOME/bin/java" "$BENCH/tools/SoakClient.java" "http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions" \
  "$KEY" "$REQUESTS" "$CONCURRENCY" 4 100 "$SOAK/run/progress" > "$SOAK/logs/client.out" 2>&1 &
CLIENT_PID=$!
while kill -0 "$CLIENT_PID" 2>/dev/null; do
  for _ in $(seq 1 "$SAMPLE"); do kill -0 "$CLIENT_PID" 2>/dev/null && sleep 1; done
  kill -0 "$CLIENT_PID" 2>/dev/null && sample
done
wait "$CLIENT_PID" || true
CLIENT_PID=""
RESULT=$(sed -n 's/^SOAKJSON //p' "$SOAK/logs/client.out")
[ -n "$RESULT" ] || die "the client printed no result ($SOAK/logs/client.out)"
sleep 5 # idle: the log writer drains, pooled threads and connections may go
sample
ROWS=0
for _ in $(seq 1 60); do
  ROWS=$(psql_q -d "$PG_DB" -c "SELECT count(*) FROM usage_log")
  [ "$ROWS" -ge "$REQUESTS" ] && break
  sleep 1
done
END=$(date +%s)

python3 - "$CSV" "$RESULT" "$ROWS" "$REQUESTS" "$CONCURRENCY" "$JAVA_MAJOR" "$COMMIT" $((END - BEGIN)) "$JVM_OPTS" \
  > "$MD" <<'EOF'
import csv, json, sys
path, result, rows, requests, conc, java, commit, elapsed, opts = sys.argv[1:]
result = json.loads(result)
samples = list(csv.DictReader(open(path)))
print(f"# Soak: {int(requests):,} requests, concurrency {conc}, Java {java}, commit {commit}\n")
print(f"Elapsed {int(elapsed) // 60} min {int(elapsed) % 60} s (client: {result['seconds']} s,"
      f" {result['requests'] / float(result['seconds']):.0f} requests/s); JVM options `{opts}`.\n")
print(f"Outcomes: {', '.join(f'{k} {v:,}' for k, v in result['outcomes'].items())}.\n")
print(f"usage_log rows: {int(rows):,} for {result['requests']:,} requests"
      f" ({'all logged' if int(rows) == result['requests'] else 'MISMATCH'}).\n")
print("| elapsed s | requests done | heap after GC MB | threads | fds | RSS MB | streams open | upstream active/idle | log pending |")
print("|---|---|---|---|---|---|---|---|---|")
for s in samples:
    print(f"| {s['elapsed_s']} | {int(s['requests_done']):,} | {s['heap_after_gc_mb']} | {s['threads']} | {s['fds']} |"
          f" {s['rss_mb']} | {s['streams_open']} | {s['upstream_active']}/{s['upstream_idle']} | {s['log_pending']} |")
loaded = samples[1:-1] or samples
first, last = loaded[0], loaded[-1]
print(f"\nUnder load, first to last sample: heap after GC {first['heap_after_gc_mb']} -> {last['heap_after_gc_mb']} MB,"
      f" threads {first['threads']} -> {last['threads']}, fds {first['fds']} -> {last['fds']},"
      f" RSS {first['rss_mb']} -> {last['rss_mb']} MB. Idle at the end: {samples[-1]['threads']} threads,"
      f" {samples[-1]['fds']} fds, streams open {samples[-1]['streams_open']},"
      f" upstream connections active {samples[-1]['upstream_active']}.")
EOF
cat "$MD"
log "results: ${CSV#$ROOT/}, ${MD#$ROOT/} ($((END - BEGIN)) s)"
[ "$ROWS" = "$REQUESTS" ] || { log "usage_log has $ROWS rows for $REQUESTS requests"; exit 1; }
