#!/usr/bin/env bash
# Tollgate's overhead benchmark (issue 3), in one command. See BENCHMARKS.md for what it measures and how to read it.
#
#   bench/run.sh [--java 25|17] [--quick] [--only SCENARIO[,SCENARIO...]] [--targets TARGET[,TARGET...]] [--no-build]
#                [--baseline-war FILE]
#
#   --java 25|17   the JDK that runs Tomcat + Tollgate (default 25: Temurin 25, virtual threads on the connector;
#                  17: Debian's OpenJDK 17, Tomcat's platform-thread pool). The load tools always run on Java 21+.
#   --quick        shorter runs (2 s warm-up + 5 s per wrk run, 5 s of streams) and 1,000 slow streams only
#   --only         scenarios, comma-separated: ns1 hit1 ns64 sse64 msg64 resp64 kept64 slow1000 slow5000 (default: all; --quick drops
#                  slow5000). hit1: one connection asking the same temperature-0 question, answered from Tollgate's
#                  response cache after the first (Tollgate targets only; compared with nginx's ns1)
#   --targets      direct nginx tollgate tollgate-nolog tollgate-pg tollgate-pg-limited portkey (default: all seven,
#                  in that order; tollgate-pg, Tollgate's defaults on PostgreSQL instead of H2, and
#                  tollgate-pg-limited, the same with a client key that has every limit, quota and the address
#                  allow-list on (high enough never to trip), only when a server answers at
#                  BENCH_PG_HOST:BENCH_PG_PORT, default 127.0.0.1:5432, as BENCH_PG_USER, default postgres, without a
#                  password; portkey, the optional peer, only when node and npm are installed); two more
#                  Tollgate targets: tollgate-cache-miss, the defaults with CACHE_MODE=all and every request's
#                  question made unique, so each one is looked up, missed and stored (ns1, ns64, sse64 only: the
#                  slow-stream client sends one body; tollgate-unique, the defaults asked the same unique questions,
#                  which are not cacheable there, is added before it as its reference), and tollgate-base, the defaults with the WAR given by
#                  --baseline-war (added right after tollgate when that option is given), to compare two builds
#                  in one run
#   --baseline-war a WAR to measure as the target tollgate-base, e.g. the previous issue's build
#   --no-build     use target/tollgate.war as it is instead of running `mvn -q -DskipTests package`
#
# Installs Debian's nginx and wrk with apt-get when they are missing, fetches Tomcat 10.1 from Maven Central once
# (into bench/.work, which git ignores) and Portkey's gateway from npm once (a pinned version, on the machine's Node), starts the upstreams, the nginx proxy and the gateway on 127.0.0.1 only,
# runs every scenario for a bounded time, stops everything it started, and writes the Markdown results to
# bench/results/<date>-java<N>[-quick][-partial-HHMM].md (also printed at the end). Every load run is bounded in time.
# Environment overrides: TOLLGATE_JVM_OPTS (default "-Xms256m -Xmx1g"), BENCH_TOOLS_JAVA_HOME (a JDK 21+ for the
# stream client and slow upstream; default Temurin 25), BENCH_JAVA17_HOME, BENCH_JAVA25_HOME,
# BENCH_CONNECTOR_THREADS (the thread attributes of Tomcat's connector, e.g. maxThreads="200" on Java 25),
# BENCH_TARGET_WARM (seconds of each target's warm-up phases; default 5, 3 with --quick).
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
WORK=$BENCH/.work
RUN=$WORK/run
LOGS=$WORK/logs
FX=$WORK/fixtures

TOMCAT_VERSION=10.1.59
JSON_PORT=18081
SSE_PORT=18082
SLOW_PORT=18083
PROXY_JSON_PORT=18091
PROXY_SSE_PORT=18092
PROXY_SLOW_PORT=18093
PORTKEY_PORT=18094
PORTKEY_VERSION=1.15.2
TOLLGATE_PORT=18080
CLIENT_KEY=sk-bench-client-0123456789abcdef
OPEN_KEY=$CLIENT_KEY
LIMITED_KEY=sk-bench-limited-0123456789abcdef
SLOW_GAP_MS=25

JAVA_MAJOR=25
QUICK=0
ONLY=""
DEFAULT_TARGETS="direct,nginx,tollgate,tollgate-nolog,tollgate-pg,tollgate-pg-limited,tollgate-cache-miss,portkey"
BASELINE_WAR=""
TARGETS=""
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA_MAJOR=${2:?--java needs 17 or 25}; shift 2 ;;
    --java=*) JAVA_MAJOR=${1#--java=}; shift ;;
    --quick) QUICK=1; shift ;;
    --only) ONLY=${2:?--only needs a scenario}; shift 2 ;;
    --only=*) ONLY=${1#--only=}; shift ;;
    --targets) TARGETS=${2:?--targets needs a list}; shift 2 ;;
    --targets=*) TARGETS=${1#--targets=}; shift ;;
    --no-build) BUILD=0; shift ;;
    --baseline-war) BASELINE_WAR=$(realpath "${2:?--baseline-war needs a file}"); shift 2 ;;
    --baseline-war=*) BASELINE_WAR=$(realpath "${1#--baseline-war=}"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

JAVA17_HOME=${BENCH_JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25_HOME=${BENCH_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
case "$JAVA_MAJOR" in
  17) GATEWAY_JAVA_HOME=$JAVA17_HOME ;;
  25) GATEWAY_JAVA_HOME=$JAVA25_HOME ;;
  *) echo "--java must be 17 or 25" >&2; exit 2 ;;
esac
TOOLS_JAVA_HOME=${BENCH_TOOLS_JAVA_HOME:-$JAVA25_HOME}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
PG_DB=tollgate_bench
TOLLGATE_JVM_OPTS=${TOLLGATE_JVM_OPTS:--Xms256m -Xmx1g}
for j in "$GATEWAY_JAVA_HOME" "$TOOLS_JAVA_HOME"; do
  [ -x "$j/bin/java" ] || { echo "no JDK at $j (see the overrides in --help)" >&2; exit 2; }
done

if [ "$QUICK" = 1 ]; then
  WARM=2; DUR=5; STREAM_DUR=5; TARGET_WARM=3; DEFAULT_SCENARIOS="ns1,hit1,ns64,sse64,slow1000"
else
  WARM=5; DUR=10; STREAM_DUR=10; TARGET_WARM=5; DEFAULT_SCENARIOS="ns1,hit1,ns64,sse64,slow1000,slow5000"
fi
TARGET_WARM=${BENCH_TARGET_WARM:-$TARGET_WARM}
SCENARIOS=${ONLY:-$DEFAULT_SCENARIOS}
for s in ${SCENARIOS//,/ }; do
  case "$s" in ns1|hit1|ns64|sse64|msg64|resp64|kept64|slow1000|slow5000) ;; *) echo "unknown scenario: $s" >&2; exit 2 ;; esac
done
if [ -z "$TARGETS" ]; then
  TARGETS=$DEFAULT_TARGETS
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "[bench] no node/npm on this machine: the optional Portkey peer is left out" >&2
    TARGETS=${TARGETS%,portkey}
    DEFAULT_TARGETS=$TARGETS
  fi
  if ! command -v psql >/dev/null 2>&1 || ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
    echo "[bench] no PostgreSQL at $PG_HOST:$PG_PORT (or no psql): the tollgate-pg targets are left out" >&2
    TARGETS=${TARGETS/,tollgate-pg-limited/}
    TARGETS=${TARGETS/,tollgate-pg/}
    DEFAULT_TARGETS=$TARGETS
  fi
fi
if [ -n "$BASELINE_WAR" ]; then
  [ -f "$BASELINE_WAR" ] || { echo "no WAR at $BASELINE_WAR" >&2; exit 2; }
  [[ ,$TARGETS, == *,tollgate-base,* ]] || TARGETS=$(sed 's/\(^\|,\)tollgate\(,\|$\)/\1tollgate,tollgate-base\2/' <<<"$TARGETS")
fi
# The cache-miss target's questions are unique, which costs wrk a Lua call per request: its reference is the
# defaults asked the same unique questions (not cacheable there, so not looked up), measured just before it.
if [[ ,$TARGETS, == *,tollgate-cache-miss,* ]] && [[ ,$TARGETS, != *,tollgate-unique,* ]]; then
  TARGETS=$(sed 's/\(^\|,\)tollgate-cache-miss\(,\|$\)/\1tollgate-unique,tollgate-cache-miss\2/' <<<"$TARGETS")
fi
for t in ${TARGETS//,/ }; do
  case "$t" in direct|nginx|tollgate|tollgate-base|tollgate-nolog|tollgate-pg|tollgate-pg-limited|tollgate-unique|tollgate-cache-miss|portkey) ;;
    *) echo "unknown target: $t" >&2; exit 2 ;; esac
  [ "$t" != tollgate-base ] || [ -n "$BASELINE_WAR" ] || { echo "tollgate-base needs --baseline-war" >&2; exit 2; }
done

log() { printf '%s [bench] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
need_apt=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt="$need_apt nginx"
command -v wrk >/dev/null 2>&1 || need_apt="$need_apt wrk"
command -v curl >/dev/null 2>&1 || need_apt="$need_apt curl"
if [ -n "$need_apt" ]; then
  [ "$(id -u)" = 0 ] || die "missing:$need_apt; install them (apt-get install$need_apt) or run as root"
  log "installing Debian packages:$need_apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_apt >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v python3 >/dev/null 2>&1 || die "python3 is needed for the report"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  log "WARNING: open-files limit is $(ulimit -n); 5,000 streams through a proxy need about 11,000"
fi

# ---------------------------------------------------------------- state, cleanup
mkdir -p "$RUN" "$LOGS" "$FX" "$BENCH/results" "$WORK/dl"
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
SUFFIX="java$JAVA_MAJOR$([ "$QUICK" = 1 ] && echo -quick || true)"
# a run of some scenarios or targets only doesn't replace the day's full report
[ -n "$ONLY" ] || [ "$TARGETS" != "$DEFAULT_TARGETS" ] && SUFFIX="$SUFFIX-partial-$(date -u +%H%M)"
RESULTS_JSONL=$WORK/results-$STAMP.jsonl
COMMANDS=$WORK/commands-$STAMP.txt
: > "$RESULTS_JSONL"
: > "$COMMANDS"
STARTED_PIDS=()
TOMCAT_PID=""
PORTKEY_PID=""

stop_pid() { # pid [seconds]
  local pid=$1 wait=${2:-15}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait * 10))); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid did not stop in ${wait}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  set +e
  [ -n "$TOMCAT_PID" ] && stop_pid "$TOMCAT_PID" 20
  [ -n "$PORTKEY_PID" ] && stop_pid "$PORTKEY_PID" 10
  [[ ,$TARGETS, == *,tollgate-pg* ]] && pg_drop_db 2>/dev/null
  for f in "$RUN/proxy-nginx.pid" "$RUN/upstream-nginx.pid"; do
    [ -s "$f" ] && stop_pid "$(cat "$f")" 10
  done
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid" 5; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_http() { # url seconds
  for _ in $(seq 1 $(($2 * 5))); do
    curl -sf -o /dev/null -m 2 "$1" && return 0
    sleep 0.2
  done
  return 1
}

for p in $JSON_PORT $SSE_PORT $SLOW_PORT $PROXY_JSON_PORT $PROXY_SSE_PORT $PROXY_SLOW_PORT $TOLLGATE_PORT; do
  port_free "$p" || die "port $p on 127.0.0.1 is taken (a previous run still going?)"
done

# ---------------------------------------------------------------- build and fetch
WAR=$ROOT/target/tollgate.war
if [ "$BUILD" = 1 ]; then
  log "building the WAR: mvn -q -DskipTests package"
  (cd "$ROOT" && mvn -q -DskipTests package) || die "the build failed"
fi
[ -f "$WAR" ] || die "no $WAR (run without --no-build)"
# Which commit the measured WAR was built from: known when this script built it, else only the WAR's date.
WAR_STAMP=$WORK/war-commit.txt
if [ "$BUILD" = 1 ]; then
  { stat -c %Y "$WAR"
    git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown
    [ -z "$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null)" ] || echo "(with uncommitted changes)"
  } > "$WAR_STAMP"
fi
if [ -f "$WAR_STAMP" ] && [ "$(head -n1 "$WAR_STAMP")" = "$(stat -c %Y "$WAR")" ]; then
  WAR_COMMIT=$(tail -n +2 "$WAR_STAMP" | tr '\n' ' ' | sed 's/ $//')
else
  WAR_COMMIT="unknown: target/tollgate.war was not built by bench/run.sh ($(date -u -r "$WAR" +%Y-%m-%dT%H:%MZ))"
fi
log "measuring target/tollgate.war built from: $WAR_COMMIT"

CATALINA_HOME=$WORK/apache-tomcat-$TOMCAT_VERSION
if [ ! -x "$CATALINA_HOME/bin/catalina.sh" ]; then
  log "fetching Tomcat $TOMCAT_VERSION from Maven Central"
  (cd "$WORK" && mvn -q dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" \
    -DoutputDirectory="$WORK/dl") || die "could not fetch Tomcat"
  tar -xzf "$WORK/dl/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK"
fi

PORTKEY_JS=$WORK/portkey-$PORTKEY_VERSION/node_modules/@portkey-ai/gateway/build/start-server.js
if [[ ,$TARGETS, == *,portkey,* ]] && [ ! -f "$PORTKEY_JS" ]; then
  log "fetching Portkey's gateway $PORTKEY_VERSION from npm"
  npm install --prefix "$WORK/portkey-$PORTKEY_VERSION" --no-audit --no-fund --ignore-scripts \
    "@portkey-ai/gateway@$PORTKEY_VERSION" > "$LOGS/portkey-npm.log" 2>&1 || die "npm could not fetch Portkey"
fi

# ---------------------------------------------------------------- render configs
python3 "$BENCH/tools/render.py" fixtures "$FX"
R() { FIXTURES=$FX python3 "$BENCH/tools/render.py" template "$@" WORK="$WORK" JSON_PORT=$JSON_PORT \
  SSE_PORT=$SSE_PORT SLOW_PORT=$SLOW_PORT PROXY_JSON_PORT=$PROXY_JSON_PORT PROXY_SSE_PORT=$PROXY_SSE_PORT \
  PROXY_SLOW_PORT=$PROXY_SLOW_PORT TOLLGATE_PORT=$TOLLGATE_PORT CLIENT_KEY=$CLIENT_KEY LIMITED_KEY=$LIMITED_KEY; }
mkdir -p "$RUN"/upstream-nginx-tmp "$RUN"/proxy-nginx-tmp
chmod 1777 "$RUN"/upstream-nginx-tmp "$RUN"/proxy-nginx-tmp
R "$BENCH/conf/upstream.nginx.conf" "$RUN/upstream.nginx.conf"
R "$BENCH/conf/proxy.nginx.conf" "$RUN/proxy.nginx.conf"
R "$BENCH/conf/tollgate-bench.yaml" "$RUN/tollgate-bench.yaml"
if [ -n "${BENCH_CONNECTOR_THREADS:-}" ]; then
  CONNECTOR_THREADS=$BENCH_CONNECTOR_THREADS
elif [ "$JAVA_MAJOR" -ge 21 ]; then
  CONNECTOR_THREADS='useVirtualThreads="true"'
else
  CONNECTOR_THREADS='maxThreads="200"'
fi
R "$BENCH/conf/server.xml" "$RUN/server.xml" CONNECTOR_THREADS="$CONNECTOR_THREADS"

# ---------------------------------------------------------------- measuring helpers
CLK_TCK=$(getconf CLK_TCK)
nginx_pids() { # master pid file -> master and workers
  local m
  m=$(cat "$1" 2>/dev/null) || return 0
  echo "$m $(pgrep -P "$m" | tr '\n' ' ')"
}
cpu_ticks() { # pids... -> utime+stime summed, in clock ticks (fields 14 and 15 of /proc/PID/stat)
  local total=0 pid v
  for pid in "$@"; do
    v=$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
hwm_kb() { # pids... -> VmHWM summed (kB)
  local total=0 pid v
  for pid in "$@"; do
    v=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
reset_hwm() { local pid; for pid in "$@"; do echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true; done; }

# ---------------------------------------------------------------- start the upstreams and the nginx proxy
log "starting the upstreams: nginx (fixed JSON :$JSON_PORT, fixed SSE :$SSE_PORT), slow stream :$SLOW_PORT"
"$NGINX" -c "$RUN/upstream.nginx.conf" -e "$LOGS/upstream-nginx.error.log"
"$TOOLS_JAVA_HOME/bin/java" -Xss256k "$BENCH/tools/SlowUpstream.java" $SLOW_PORT "$FX/stream.sse" $SLOW_GAP_MS \
  > "$LOGS/slow-upstream.log" 2>&1 &
STARTED_PIDS+=($!)
: > "$LOGS/proxy-nginx.access.log"
log "starting nginx as a reverse proxy (:$PROXY_JSON_PORT, :$PROXY_SSE_PORT, :$PROXY_SLOW_PORT)"
"$NGINX" -c "$RUN/proxy.nginx.conf" -e "$LOGS/proxy-nginx.error.log"
wait_http "http://127.0.0.1:$SLOW_PORT/healthz" 30 || die "the slow upstream did not start (see $LOGS/slow-upstream.log)"

# ---------------------------------------------------------------- Tomcat + Tollgate
CATALINA_BASE=$WORK/catalina-base
start_tollgate() { # usage-log(true|false) name [JDBC URL of the database; default: the built-in H2 file]
  local usage=$1 name=$2 db_url=${3:-} war=$WAR extra=()
  local yaml=$RUN/tollgate-bench.yaml
  if [ "$name" = tollgate-base ]; then
    # an older build may not read the limited key's fields: the baseline gets the file without that client
    war=$BASELINE_WAR yaml=$RUN/tollgate-bench-base.yaml
    sed '/- name: bench-limited/,$d' "$RUN/tollgate-bench.yaml" > "$yaml"
  fi
  [ "$name" = tollgate-cache-miss ] && extra=(CACHE_MODE=all)
  stop_tollgate
  rm -rf "$CATALINA_BASE" "$WORK/data"
  mkdir -p "$CATALINA_BASE"/{conf,logs,temp,work,webapps} "$WORK/data"
  cp "$CATALINA_HOME"/conf/{web.xml,context.xml,logging.properties,catalina.properties,catalina.policy} \
    "$CATALINA_BASE/conf/"
  cp "$RUN/server.xml" "$CATALINA_BASE/conf/server.xml"
  cp "$war" "$CATALINA_BASE/webapps/ROOT.war"
  TOLLGATE_OUT=$LOGS/$name.out
  log "starting Tomcat $TOMCAT_VERSION + Tollgate ($name${extra[*]:+, ${extra[*]}}) on Java $JAVA_MAJOR: USAGE_LOG=$usage, ${db_url:-H2}, $TOLLGATE_JVM_OPTS"
  local db_env=(-u TOLLGATE_DB_URL -u TOLLGATE_DB_USER -u TOLLGATE_DB_PASSWORD)
  [ -z "$db_url" ] || db_env=(-u TOLLGATE_DB_PASSWORD TOLLGATE_DB_URL="$db_url" TOLLGATE_DB_USER="$PG_USER")
  env -u UPSTREAM_BASE_URL -u UPSTREAM_API_KEY -u API_KEYS "${db_env[@]}" \
    JAVA_HOME="$GATEWAY_JAVA_HOME" JRE_HOME="$GATEWAY_JAVA_HOME" \
    CATALINA_HOME="$CATALINA_HOME" CATALINA_BASE="$CATALINA_BASE" CATALINA_PID="" \
    CATALINA_OPTS="$TOLLGATE_JVM_OPTS" \
    TOLLGATE_CONFIG="$yaml" TOLLGATE_HOME="$WORK/data" USAGE_LOG="$usage" "${extra[@]}" \
    "$CATALINA_HOME/bin/catalina.sh" run > "$TOLLGATE_OUT" 2>&1 &
  TOMCAT_PID=$!
  if ! wait_http "http://127.0.0.1:$TOLLGATE_PORT/healthz" 120; then
    tail -n 40 "$TOLLGATE_OUT" >&2
    die "Tollgate did not answer /healthz within 120 s (log: $TOLLGATE_OUT)"
  fi
  log "Tollgate is up (pid $TOMCAT_PID, $(readlink "/proc/$TOMCAT_PID/exe"))"
}
pg_fresh_db() { # drops and creates the bench's database; prints its JDBC URL
  PGOPTIONS='-c client_min_messages=warning' psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >&2 || return 1
  echo "jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB"
}
pg_drop_db() {
  PGOPTIONS='-c client_min_messages=warning' psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
    -c "DROP DATABASE IF EXISTS $PG_DB" >&2 || true
}
stop_tollgate() {
  if [ -n "$TOMCAT_PID" ]; then
    stop_pid "$TOMCAT_PID" 20
    wait "$TOMCAT_PID" 2>/dev/null || true
    TOMCAT_PID=""
  fi
}

# Portkey's gateway: Node, one process, headless; it finds the upstream from the x-portkey-* headers of each request.
start_portkey() {
  log "starting Portkey's gateway $PORTKEY_VERSION on $(node --version)"
  NODE_ENV=production node "$PORTKEY_JS" --port=$PORTKEY_PORT --headless > "$LOGS/portkey.out" 2>&1 &
  PORTKEY_PID=$!
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORTKEY_PORT/")" != 000 ] && return 0
    sleep 0.2
  done
  die "Portkey's gateway did not start (log: $LOGS/portkey.out)"
}
stop_portkey() {
  if [ -n "$PORTKEY_PID" ]; then
    stop_pid "$PORTKEY_PID" 10
    wait "$PORTKEY_PID" 2>/dev/null || true
    PORTKEY_PID=""
  fi
}

# ---------------------------------------------------------------- one target's addresses
set_target() {
  TARGET=$1
  CLIENT_KEY=$OPEN_KEY
  [ "$TARGET" = tollgate-pg-limited ] && CLIENT_KEY=$LIMITED_KEY
  BENCH_UNIQUE=""
  [[ $TARGET == tollgate-cache-miss || $TARGET == tollgate-unique ]] && BENCH_UNIQUE=1
  export BENCH_UNIQUE
  case "$TARGET" in
    direct) URL_JSON=http://127.0.0.1:$JSON_PORT/v1/chat/completions
            URL_SSE=http://127.0.0.1:$SSE_PORT/v1/chat/completions
            URL_SLOW=http://127.0.0.1:$SLOW_PORT/v1/chat/completions ;;
    nginx)  URL_JSON=http://127.0.0.1:$PROXY_JSON_PORT/v1/chat/completions
            URL_SSE=http://127.0.0.1:$PROXY_SSE_PORT/v1/chat/completions
            URL_SLOW=http://127.0.0.1:$PROXY_SLOW_PORT/v1/chat/completions ;;
    tollgate*) URL_JSON=http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions
            URL_SSE=$URL_JSON
            URL_SLOW=$URL_JSON
            # the same fixed SSE upstream, its chunks translated into Anthropic's or the Responses API's events
            URL_MSG=http://127.0.0.1:$TOLLGATE_PORT/v1/messages
            URL_RESP=http://127.0.0.1:$TOLLGATE_PORT/v1/responses ;;
    portkey) URL_JSON=http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions
            URL_SSE=$URL_JSON
            URL_SLOW=$URL_JSON ;;
  esac
  HDR_JSON=$(peer_headers $JSON_PORT); HDR_SSE=$(peer_headers $SSE_PORT); HDR_SLOW=$(peer_headers $SLOW_PORT)
}
peer_headers() { # upstream port -> the extra request headers (one per line) the target needs to reach it
  [ "$TARGET" = portkey ] || return 0
  printf 'x-portkey-provider: openai\nx-portkey-custom-host: http://127.0.0.1:%s/v1\n' "$1"
}
header_args() { # header lines -> --header/-H arguments, one per line, NUL-separated
  local line
  while IFS= read -r line; do [ -n "$line" ] && printf -- '%s\0%s\0' "$1" "$line"; done <<<"$2"
}
db_pids() { # the database server's processes, when the target uses PostgreSQL (their CPU is reported apart)
  [[ $TARGET == tollgate-pg* ]] && pgrep -x postgres | tr '\n' ' '
  return 0
}
measured_pids() { # the process(es) whose CPU and memory count as the proxy's
  case "$TARGET" in
    direct) echo "" ;;
    nginx) nginx_pids "$RUN/proxy-nginx.pid" ;;
    tollgate*) echo "$TOMCAT_PID" ;;
    portkey) echo "$PORTKEY_PID" ;;
  esac
}

smoke_json() { # checks a non-stream answer through the target; prints nothing on success
  local out hdr
  mapfile -d '' hdr < <(header_args -H "$HDR_JSON")
  out=$(curl -s -m 10 -H "Authorization: Bearer $CLIENT_KEY" -H 'Content-Type: application/json' "${hdr[@]}" \
    --data-binary @"$FX/req-json.json" -w '\n%{http_code}' "$URL_JSON") || true
  [ "$(tail -n1 <<<"$out")" = 200 ] && grep -q '"chat.completion"' <<<"$out" \
    || { echo "non-stream answer: $(head -c 400 <<<"$out")"; return 1; }
}
smoke_streams() { # checks both kinds of stream through the target; prints nothing on success
  local out hdr u
  for u in "$URL_SSE@req-sse@$HDR_SSE" "$URL_SLOW@req-slow@$HDR_SLOW"; do
    mapfile -d '' hdr < <(header_args -H "${u#*@*@}")
    u=${u%@*}
    out=$(curl -s -N -m 20 -H "Authorization: Bearer $CLIENT_KEY" -H 'Content-Type: application/json' "${hdr[@]}" \
      --data-binary @"$FX/${u#*@}.json" -w '\n%{http_code}' "${u%@*}") || true
    printf '%s\n' "$out" > "$LOGS/smoke-$TARGET-${u#*@}.txt"
    [ "$(tail -n1 <<<"$out")" = 200 ] && grep -q '^data: \[DONE\]' <<<"$out" \
      && [ "$(grep -c '^data: ' <<<"$out")" = 21 ] \
      || { echo "stream answer (${u#*@}): $(head -c 400 <<<"$out")"; return 1; }
  done
}

run_cmd_logged() { printf '%q ' "$@" | sed 's/ $//' >> "$COMMANDS"; echo >> "$COMMANDS"; "$@"; }
log_size() { if [[ $TARGET == tollgate* ]]; then stat -c %s "$TOLLGATE_OUT"; else echo 0; fi; }

# Before the scenarios, every target gets the same warm-up (the JVM's JIT needs it; nginx does not care):
# non-stream and fixed-SSE requests at 16 connections, then a few hundred slow streams.
warm_target() {
  local hdr
  export BENCH_NONCE=warm-$RANDOM$RANDOM
  log "$TARGET: warm-up (${TARGET_WARM}s non-stream, ${TARGET_WARM}s SSE, slow streams)"
  BENCH_BODY_FILE=$FX/req-json.json BENCH_AUTH="Bearer $CLIENT_KEY" BENCH_HEADERS=$HDR_JSON \
    wrk -t2 -c16 -d${TARGET_WARM}s --timeout 10s -s "$BENCH/tools/post.lua" "$URL_JSON" > "$LOGS/$TARGET-warm-json.txt" 2>&1 || true
  [ -n "$STREAMS_OK" ] || return 0
  BENCH_BODY_FILE=$FX/req-sse.json BENCH_AUTH="Bearer $CLIENT_KEY" BENCH_HEADERS=$HDR_SSE \
    wrk -t2 -c16 -d${TARGET_WARM}s --timeout 10s -s "$BENCH/tools/post.lua" "$URL_SSE" > "$LOGS/$TARGET-warm-sse.txt" 2>&1 || true
  mapfile -d '' hdr < <(header_args --header "$HDR_SLOW")
  "$TOOLS_JAVA_HOME/bin/java" -Xss256k "$BENCH/tools/StreamClient.java" --url "$URL_SLOW" --body "$FX/req-slow.json" \
    --header "Authorization: Bearer $CLIENT_KEY" "${hdr[@]}" --concurrency 200 --ramp 1 --duration 2 --timeout 30 --expect 20 \
    > "$LOGS/$TARGET-warm-slow.txt" 2>&1 || true
  sleep 1
}

# Runs one scenario against the current target and appends one JSON record to $RESULTS_JSONL.
run_scenario() {
  local sc=$1 pids dbp out tool_json t0 t1 c0 c1 d0 d1 hwm log0 log1 kind
  pids=$(measured_pids)
  dbp=$(db_pids)
  # shellcheck disable=SC2086
  reset_hwm $pids
  log0=0
  case "$sc" in
    ns1|hit1|ns64|sse64|msg64|resp64|kept64)
      kind=wrk
      export BENCH_NONCE=$sc-$RANDOM$RANDOM
      local url body conns threads headers
      case "$sc" in
        ns1) url=$URL_JSON; body=req-json; conns=1; threads=1; headers=$HDR_JSON ;;
        hit1) url=$URL_JSON; body=req-hit; conns=1; threads=1; headers=$HDR_JSON ;;
        ns64) url=$URL_JSON; body=req-json; conns=64; threads=2; headers=$HDR_JSON ;;
        sse64) url=$URL_SSE; body=req-sse; conns=64; threads=2; headers=$HDR_SSE ;;
        msg64) url=$URL_MSG; body=req-msg; conns=64; threads=2; headers=$HDR_SSE ;;
        resp64) url=$URL_RESP; body=req-resp; conns=64; threads=2; headers=$HDR_SSE ;;
        kept64) url=$URL_RESP; body=req-kept; conns=64; threads=2; headers=$HDR_SSE ;;
      esac
      export BENCH_BODY_FILE=$FX/$body.json BENCH_AUTH="Bearer $CLIENT_KEY" BENCH_HEADERS=$headers
      log "$TARGET $sc: warm-up ${WARM}s"
      wrk -t$threads -c$conns -d${WARM}s --timeout 10s -s "$BENCH/tools/post.lua" "$url" > "$LOGS/$TARGET-$sc-warm.txt" 2>&1 || true
      log "$TARGET $sc: measuring ${DUR}s"
      log0=$(log_size)
      # shellcheck disable=SC2086
      python3 "$BENCH/tools/procstat.py" snap "$RUN/snap-a.json" $pids
      c0=$(cpu_ticks $pids); d0=$(cpu_ticks $dbp); t0=$(date +%s.%N)
      out=$(run_cmd_logged env BENCH_BODY_FILE="$FX/$body.json" BENCH_AUTH="Bearer $CLIENT_KEY" BENCH_HEADERS="$headers" \
        BENCH_UNIQUE="$BENCH_UNIQUE" BENCH_NONCE="$BENCH_NONCE" \
        wrk -t$threads -c$conns -d${DUR}s --timeout 10s --latency -s "$BENCH/tools/post.lua" "$url" 2>&1) || true
      # shellcheck disable=SC2086
      t1=$(date +%s.%N); c1=$(cpu_ticks $pids); d1=$(cpu_ticks $dbp)
      python3 "$BENCH/tools/procstat.py" snap "$RUN/snap-b.json" $pids
      printf '%s\n' "$out" > "$LOGS/$TARGET-$sc.txt"
      ;;
    slow1000|slow5000)
      kind=streams
      local n=${sc#slow} ramp=2 hdr
      mapfile -d '' hdr < <(header_args --header "$HDR_SLOW")
      [ "$n" -ge 5000 ] && ramp=3
      log "$TARGET $sc: $n concurrent slow streams, ${ramp}s ramp + ${STREAM_DUR}s"
      log0=$(log_size)
      # shellcheck disable=SC2086
      python3 "$BENCH/tools/procstat.py" snap "$RUN/snap-a.json" $pids
      c0=$(cpu_ticks $pids); d0=$(cpu_ticks $dbp); t0=$(date +%s.%N)
      out=$(run_cmd_logged "$TOOLS_JAVA_HOME/bin/java" -Xss256k -XX:+UseParallelGC "$BENCH/tools/StreamClient.java" \
        --url "$URL_SLOW" --body "$FX/req-slow.json" --header "Authorization: Bearer $CLIENT_KEY" "${hdr[@]}" \
        --concurrency "$n" --ramp $ramp --duration "$STREAM_DUR" --timeout 30 --expect 20 2>&1) || true
      # shellcheck disable=SC2086
      t1=$(date +%s.%N); c1=$(cpu_ticks $pids); d1=$(cpu_ticks $dbp)
      python3 "$BENCH/tools/procstat.py" snap "$RUN/snap-b.json" $pids
      printf '%s\n' "$out" > "$LOGS/$TARGET-$sc.txt"
      ;;
  esac
  # shellcheck disable=SC2086
  hwm=$(hwm_kb $pids)
  local cpu heap=""
  cpu=$(python3 "$BENCH/tools/procstat.py" diff "$RUN/snap-a.json" "$RUN/snap-b.json")
  if [[ $TARGET == tollgate* ]]; then
    # the JVM's heap at the end of the scenario: committed (what RSS mostly is) and used
    heap=$("$GATEWAY_JAVA_HOME/bin/jcmd" "$TOMCAT_PID" GC.heap_info 2>/dev/null | tr '\n' ' ' | head -c 2000 || true)
  fi
  tool_json=$(grep -m1 '^BENCHJSON ' <<<"$out" | sed 's/^BENCHJSON //')
  [ -n "$tool_json" ] || { log "WARNING: $TARGET $sc printed no result (see $LOGS/$TARGET-$sc.txt)"; tool_json=null; }
  local logscan=null
  if [[ $TARGET == tollgate* ]]; then
    sleep 1 # let the asynchronous access log drain
    log1=$(stat -c %s "$TOLLGATE_OUT")
    logscan=$(python3 "$BENCH/tools/logscan.py" "$TOLLGATE_OUT" "$log0" "$log1")
  fi
  python3 - "$RESULTS_JSONL" "$tool_json" "$logscan" "$cpu" "$heap" <<EOF
import json, re, sys
heap = {}
m = re.search(r"heap\s+total(?: reserved \d+K, committed)? (\d+)K, used (\d+)K", sys.argv[5])
if m:
    heap = {"committed_kb": int(m.group(1)), "used_kb": int(m.group(2))}
rec = {"target": "$TARGET", "scenario": "$sc", "kind": "$kind", "result": json.loads(sys.argv[2]),
       "cpu_ticks": ${c1:-0} - ${c0:-0}, "db_cpu_ticks": ${d1:-0} - ${d0:-0}, "clk_tck": $CLK_TCK, "wall_s": $t1 - $t0,
       "measured_pids": "${pids}".split(), "peak_rss_kb": $hwm, "log": json.loads(sys.argv[3]),
       "cpu": json.loads(sys.argv[4]), "heap": heap, "heap_info": sys.argv[5][:600]}
open(sys.argv[1], "a").write(json.dumps(rec) + "\n")
EOF
  if [ "$tool_json" != null ]; then
    log "$TARGET $sc: $(python3 "$BENCH/tools/report.py" --one "$(tail -n1 "$RESULTS_JSONL")")"
  fi
  sleep 2
}

smoke_failed() { # target why skipped(all|streams): logs it and keeps it for the report
  log "SMOKE CHECK FAILED for $1 (skipped: $3 scenarios): $2"
  python3 -c 'import json,sys; print(json.dumps({"target": sys.argv[1], "scenario": "smoke", "error": sys.argv[2], "skipped": sys.argv[3]}))' \
    "$1" "$2" "$3" >> "$RESULTS_JSONL"
}

# ---------------------------------------------------------------- run
log "scenarios: $SCENARIOS; targets: $TARGETS; gateway on $GATEWAY_JAVA_HOME"
BEGIN=$(date +%s)
for t in ${TARGETS//,/ }; do
  set_target "$t"
  case "$t" in
    tollgate) start_tollgate true tollgate ;;
    tollgate-base) start_tollgate true tollgate-base ;;
    tollgate-cache-miss) start_tollgate true tollgate-cache-miss ;;
    tollgate-unique) start_tollgate true tollgate-unique ;;
    tollgate-nolog) start_tollgate false tollgate-nolog ;;
    tollgate-pg) pg_url=$(pg_fresh_db) || die "could not create database $PG_DB on $PG_HOST:$PG_PORT"
                 start_tollgate true tollgate-pg "$pg_url" ;;
    tollgate-pg-limited) pg_url=$(pg_fresh_db) || die "could not create database $PG_DB on $PG_HOST:$PG_PORT"
                 start_tollgate true tollgate-pg-limited "$pg_url" ;;
    portkey) start_portkey ;;
  esac
  STREAMS_OK=1
  if ! why=$(smoke_json); then
    smoke_failed "$t" "$why" all
  else
    if ! why=$(smoke_streams); then
      STREAMS_OK=""
      smoke_failed "$t" "$why" streams
    fi
    warm_target
    for sc in ${SCENARIOS//,/ }; do
      [ -n "$STREAMS_OK" ] || [[ $sc == ns* ]] || continue
      # hit1 is the cache's own scenario; the cache-miss target's bodies are unique for wrk only
      [ "$sc" != hit1 ] || [ "$t" = tollgate ] || continue
      # msg64, resp64, kept64: Tollgate's translations; no other target speaks these dialects
      [[ $sc != msg64 && $sc != resp64 && $sc != kept64 ]] || [[ $t == tollgate || $t == tollgate-base || $t == tollgate-pg ]] || continue
      [[ $t != tollgate-cache-miss && $t != tollgate-unique ]] || [[ $sc != slow* ]] || continue
      run_scenario "$sc"
    done
  fi
  [ "$t" = portkey ] && stop_portkey
  if [[ $t == tollgate* ]]; then
    cp "$TOLLGATE_OUT" "$LOGS/$t-last.out" 2>/dev/null || true
    stop_tollgate
    [[ $t == tollgate-pg* ]] && pg_drop_db
    # Tomcat's own log of the run (JULI): warnings and errors from the container and the webapp.
    python3 "$BENCH/tools/logscan.py" --container "$CATALINA_BASE/logs" > "$LOGS/$t-container.json" || true
  fi
done
END=$(date +%s)
cleanup
trap - EXIT

# ---------------------------------------------------------------- report
META=$WORK/meta-$STAMP.json
python3 - "$META" <<EOF
import json, subprocess, sys
def sh(c):
    try:
        p = subprocess.run(c, shell=True, capture_output=True, text=True, timeout=30)
        return (p.stdout + p.stderr).strip()
    except Exception as e:
        return str(e)
meta = {
  "stamp": "$STAMP", "java_major": "$JAVA_MAJOR", "quick": $QUICK, "scenarios": "$SCENARIOS", "targets": "$TARGETS",
  "warm_s": $WARM, "dur_s": $DUR, "target_warm_s": $TARGET_WARM, "stream_dur_s": $STREAM_DUR, "elapsed_s": $END - $BEGIN,
  "nproc": sh("nproc"), "cpu": sh("lscpu | sed -n 's/^Model name: *//p'"), "kernel": sh("uname -srm"),
  "free": sh("free -m"), "os": sh(". /etc/os-release && echo \$PRETTY_NAME"),
  "gateway_java": sh("'$GATEWAY_JAVA_HOME/bin/java' -version"), "tools_java": sh("'$TOOLS_JAVA_HOME/bin/java' -version"),
  "nginx": sh("'$NGINX' -v"), "node": sh("node --version"), "portkey": "$PORTKEY_VERSION", "wrk": sh("wrk -v 2>&1 | head -n1"), "tomcat": "$TOMCAT_VERSION",
  "connector": '''$CONNECTOR_THREADS maxConnections="10000" acceptCount="4096" keepAliveTimeout="60000" maxKeepAliveRequests="-1"''',
  "jvm_opts": "$TOLLGATE_JVM_OPTS", "git": "$WAR_COMMIT", "baseline_war": "$BASELINE_WAR",
  "commands_file": "$COMMANDS", "logs": "$LOGS",
  "container_logs": {t: json.load(open(f"$LOGS/{t}-container.json")) for t in "$TARGETS".split(",")
                     if t.startswith("tollgate") and __import__("os").path.exists(f"$LOGS/{t}-container.json")},
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
OUT=$BENCH/results/$(date -u +%Y-%m-%d)-$SUFFIX.md
python3 "$BENCH/tools/report.py" "$RESULTS_JSONL" "$META" "$COMMANDS" > "$OUT"
cat "$OUT"
log "results written to ${OUT#$ROOT/} (raw records: ${RESULTS_JSONL#$ROOT/}, logs: ${LOGS#$ROOT/})"
