#!/usr/bin/env bash
# Real services for integration tests and CI, on 127.0.0.1, no Docker:
#   - Apache Kafka 4.1.x in KRaft mode (one broker+controller), from Maven Central jars;
#   - ClickHouse server from Debian's clickhouse-server package, run from a temporary directory.
# `bash scripts/services.sh --help` lists the commands and settings.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${SHADOWDIFF_SERVICES_DIR:-$ROOT/.services}"
KAFKA_VERSION="${SHADOWDIFF_KAFKA_VERSION:-4.1.2}"
LOG4J_VERSION="2.24.3"
KAFKA_HOME="${SHADOWDIFF_SERVICES_CACHE:-$HOME/.cache/shadowdiff/kafka-$KAFKA_VERSION}"
KAFKA_LIBS="$KAFKA_HOME/libs"
# Ports: a port set in the environment is used as given. Otherwise the one recorded in
# $STATE/ports.env when this directory last started the service (so a restart with --keep-data
# comes back where clients expect it), else the default, else, when that is taken by something
# this directory did not start (another checkout's services, say), a free one: see choose_ports.
PORT_FILE="$STATE/ports.env"
PORT_NAMES="KAFKA_PORT KAFKA_CONTROLLER_PORT CH_HTTP_PORT CH_TCP_PORT CH_INTERSERVER_PORT"
declare -A PORT_ENV=(
  [KAFKA_PORT]=SHADOWDIFF_KAFKA_PORT [KAFKA_CONTROLLER_PORT]=SHADOWDIFF_KAFKA_CONTROLLER_PORT
  [CH_HTTP_PORT]=SHADOWDIFF_CLICKHOUSE_HTTP_PORT [CH_TCP_PORT]=SHADOWDIFF_CLICKHOUSE_TCP_PORT
  [CH_INTERSERVER_PORT]=SHADOWDIFF_CLICKHOUSE_INTERSERVER_PORT
)
declare -A PORT_DEFAULT=(
  [KAFKA_PORT]=19092 [KAFKA_CONTROLLER_PORT]=19093
  [CH_HTTP_PORT]=18123 [CH_TCP_PORT]=19000 [CH_INTERSERVER_PORT]=19009
)
declare -A PORT_EXPLICIT=()
for name in $PORT_NAMES; do
  env_name="${PORT_ENV[$name]}"
  if [ -n "${!env_name:-}" ]; then
    printf -v "$name" '%s' "${!env_name}"
    PORT_EXPLICIT[$name]=1
  else
    printf -v "$name" '%s' "${PORT_DEFAULT[$name]}"
  fi
done
if [ -f "$PORT_FILE" ]; then
  while IFS='=' read -r name value; do
    case " $PORT_NAMES " in *" $name "*) ;; *) continue ;; esac
    [[ "$value" =~ ^[0-9]+$ ]] || continue
    [ -n "${PORT_EXPLICIT[$name]:-}" ] || printf -v "$name" '%s' "$value"
  done <"$PORT_FILE"
fi
CH_CONFIG=/etc/clickhouse-server/config.xml
CH_READY_SECONDS=60
KAFKA_READY_SECONDS=90

say() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<USAGE
usage: scripts/services.sh COMMAND [kafka|clickhouse|browser|all] [--keep-data]

  install   fetch what is missing: Kafka $KAFKA_VERSION jars (Maven Central), clickhouse-server (apt),
            and the headless chromium the HTML report's test uses (apt; "browser")
  start     start the services, installing first if needed; a service already running is reused,
            otherwise it starts on fresh data, or on its old data with --keep-data
  stop      SIGTERM, then SIGKILL after 30 s; the data stays until the next start
  status    one line per service: "kafka running 127.0.0.1:PORT" or "kafka stopped", and
            "clickhouse running http://127.0.0.1:PORT" or "clickhouse stopped"
  env       export lines for eval: SHADOWDIFF_KAFKA_BROKERS, SHADOWDIFF_CLICKHOUSE_URL (the ports
            the services were started on)
  ports     the ports a start would use now (nothing is started or recorded), NAME=PORT lines

Ports: one set in the environment is used as given (start fails if it is taken). Otherwise the
one this state directory used last, else the default, else (when something this directory did
not start holds it: another checkout's services, say) a free port chosen at start and recorded
in <state>/ports.env, which env and status read.

environment [default]:
  SHADOWDIFF_SERVICES_DIR                 data, logs, pid files [<repo>/.services]
  SHADOWDIFF_SERVICES_CACHE               Kafka jar cache [~/.cache/shadowdiff/kafka-<version>]
  SHADOWDIFF_KAFKA_VERSION                [4.1.2]
  SHADOWDIFF_CHROMIUM                     a chromium binary to use instead of Debian's
  SHADOWDIFF_KAFKA_PORT                   [19092, or a free one]
  SHADOWDIFF_KAFKA_CONTROLLER_PORT        [19093, or a free one]
  SHADOWDIFF_CLICKHOUSE_HTTP_PORT         [18123, or a free one]
  SHADOWDIFF_CLICKHOUSE_TCP_PORT          [19000, or a free one]
  SHADOWDIFF_CLICKHOUSE_INTERSERVER_PORT  [19009, or a free one]
USAGE
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "root is needed for: $* (run it as root, or install sudo)"
  fi
}

apt_install() {
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

# --- install ---------------------------------------------------------------------------------

# Debian puts the server in /usr/sbin, which is not on a normal user's PATH.
clickhouse_binary() {
  local candidate
  for candidate in "$(command -v clickhouse-server 2>/dev/null || true)" /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Not a service: the headless browser the HTML report's test renders in. Debian's chromium, or
# the one named by SHADOWDIFF_CHROMIUM.
chromium_binary() {
  local candidate
  for candidate in "${SHADOWDIFF_CHROMIUM:-}" "$(command -v chromium 2>/dev/null || true)" /usr/bin/chromium; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_browser() {
  if chromium_binary >/dev/null; then
    say "chromium already installed ($(chromium_binary))"
    return
  fi
  apt_install chromium
  chromium_binary >/dev/null || die "apt installed chromium, but no chromium binary was found"
}

install_clickhouse() {
  if clickhouse_binary >/dev/null; then
    say "clickhouse-server already installed ($(clickhouse_binary))"
    return
  fi
  apt_install clickhouse-server clickhouse-client
  clickhouse_binary >/dev/null || die "apt installed clickhouse-server, but no clickhouse-server binary was found"
}

# The marker names the versions, so a cache directory set by hand is refetched when they change.
kafka_marker_text() { echo "kafka_2.13 $KAFKA_VERSION log4j $LOG4J_VERSION"; }

kafka_installed() { [ "$(cat "$KAFKA_LIBS/.complete" 2>/dev/null)" = "$(kafka_marker_text)" ]; }

install_kafka() {
  if kafka_installed; then
    say "kafka $KAFKA_VERSION jars cached in $KAFKA_LIBS"
    return
  fi
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    apt_install default-jre-headless maven
  fi
  local java_version
  java_version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${java_version%%.*}" -ge 17 ] 2>/dev/null || die "Kafka 4 needs Java 17 or newer; java on PATH is ${java_version:-unknown}"

  say "fetching kafka_2.13:$KAFKA_VERSION and its runtime dependencies from Maven Central"
  local work
  work="$(mktemp -d)"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.shadowdiff</groupId>
  <artifactId>kafka-broker-for-tests</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  # Download beside the cache and rename at the end, so an interrupted run never looks complete.
  rm -rf "$KAFKA_LIBS" "$KAFKA_LIBS.partial"
  mkdir -p "$KAFKA_LIBS.partial"
  if ! mvn -B -q -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_LIBS.partial" >"$work/mvn.log" 2>&1; then
    tail -n 40 "$work/mvn.log" >&2
    rm -rf "$work"
    die "maven could not fetch kafka_2.13:$KAFKA_VERSION (its output is above)"
  fi
  # Two SLF4J bindings would make logging pick one at random; keep log4j's only.
  rm -f "$KAFKA_LIBS.partial"/slf4j-reload4j-*.jar "$KAFKA_LIBS.partial"/logback-*.jar
  kafka_marker_text >"$KAFKA_LIBS.partial/.complete"
  mv "$KAFKA_LIBS.partial" "$KAFKA_LIBS"
  rm -rf "$work"
  say "kafka jars in $KAFKA_LIBS ($(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars)"
}

# --- process helpers -------------------------------------------------------------------------

pid_of() { cat "$STATE/$1.pid" 2>/dev/null || true; }

alive() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free TCP port on 127.0.0.1, from the kernel (node is present wherever the tests run).
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Before a service starts: each of its ports that is taken (by anything: the service itself is
# not running, reuse_running has checked) moves to a free port, unless the environment set it.
# The result is recorded for env, status and the next start.
choose_ports() {
  local name taken=()
  for name in "$@"; do
    if port_taken "${!name}"; then
      if [ -n "${PORT_EXPLICIT[$name]:-}" ]; then continue; fi
      local previous="${!name}" port
      for _ in 1 2 3 4 5; do
        port="$(free_port)"
        # A port handed to an earlier name in this round is not free for this one.
        case " ${taken[*]:-} " in *" $port "*) continue ;; esac
        break
      done
      printf -v "$name" '%s' "$port"
      say "port $previous ($name) is taken by a process this directory did not start; using $port"
    fi
    taken+=("${!name}")
  done
}

record_ports() {
  mkdir -p "$STATE"
  local name
  for name in $PORT_NAMES; do echo "$name=${!name}"; done >"$PORT_FILE.partial"
  mv "$PORT_FILE.partial" "$PORT_FILE"
}

# A port set in the environment and held by a server we did not start would make ours fail to
# bind while the other one passes the readiness check, so refuse before starting.
require_free_ports() {
  local name="$1" port
  shift
  for port in "$@"; do
    if port_taken "$port"; then
      die "port $port (set in the environment) is in use, but not by a $name started from $STATE (no live pid file);" \
        "stop that process, set SHADOWDIFF_SERVICES_DIR to the directory that started it, or unset the port to get a free one (see --help)"
    fi
  done
}

stop_service() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$STATE/$name.pid"
    say "$name not running"
    return
  fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop within 30 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$STATE/$name.pid"
}

# Succeeds when the service is running and answering, to be reused. One that is alive but silent
# is ours (its pid file says so) and is stopped, so the caller starts it again.
reuse_running() {
  local name="$1" answers="$2"
  alive "$name" || return 1
  if "$answers"; then
    say "$name already running (pid $(pid_of "$name")); reusing it"
    return 0
  fi
  say "$name (pid $(pid_of "$name")) is alive but does not answer; restarting it"
  stop_service "$name"
  return 1
}

# --- ClickHouse ------------------------------------------------------------------------------

clickhouse_answers() { curl -fsS --max-time 2 "http://127.0.0.1:$CH_HTTP_PORT/ping" >/dev/null 2>&1; }

start_clickhouse() {
  reuse_running clickhouse clickhouse_answers && return
  install_clickhouse
  choose_ports CH_HTTP_PORT CH_TCP_PORT CH_INTERSERVER_PORT
  record_ports
  require_free_ports clickhouse "$CH_HTTP_PORT" "$CH_TCP_PORT" "$CH_INTERSERVER_PORT"
  [ -f "$CH_CONFIG" ] || die "$CH_CONFIG is missing (reinstall clickhouse-server)"
  local dir="$STATE/clickhouse" binary
  binary="$(clickhouse_binary)"
  [ "$KEEP_DATA" = 1 ] || rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  say "starting clickhouse on http://127.0.0.1:$CH_HTTP_PORT (state in $dir)"
  (
    cd "$dir"
    exec "$binary" --config-file="$CH_CONFIG" -- \
      --path="$dir/data/" --tmp_path="$dir/tmp/" --user_files_path="$dir/user_files/" \
      --format_schema_path="$dir/format_schemas/" --http_port="$CH_HTTP_PORT" --tcp_port="$CH_TCP_PORT" \
      --interserver_http_port="$CH_INTERSERVER_PORT" --listen_host=127.0.0.1 \
      --logger.log="$dir/server.log" --logger.errorlog="$dir/error.log" --logger.console=0
  ) </dev/null >"$dir/stdout.log" 2>&1 9>&- &
  echo $! >"$STATE/clickhouse.pid"
  local deadline=$((SECONDS + CH_READY_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ] && alive clickhouse; do
    if clickhouse_answers; then
      say "clickhouse ready: version $(curl -fsS "http://127.0.0.1:$CH_HTTP_PORT/?query=SELECT%20version()")"
      return
    fi
    sleep 0.2
  done
  local outcome="exited"
  if alive clickhouse; then
    outcome="did not answer http://127.0.0.1:$CH_HTTP_PORT/ping within $CH_READY_SECONDS s"
    stop_service clickhouse
  fi
  rm -f "$STATE/clickhouse.pid"
  say "last lines of $dir/error.log and $dir/stdout.log:"
  tail -n 30 "$dir/error.log" "$dir/stdout.log" >&2 2>/dev/null || true
  die "clickhouse $outcome before it was ready (logs above)"
}

# --- Kafka -----------------------------------------------------------------------------------

wait_kafka() { (cd "$ROOT" && node scripts/wait-kafka.mjs "127.0.0.1:$KAFKA_PORT" "$@"); }

kafka_answers() { wait_kafka --timeout 5 >/dev/null 2>&1; }

start_kafka() {
  reuse_running kafka kafka_answers && return
  [ -d "$ROOT/node_modules/kafkajs" ] || die "kafkajs is missing from node_modules (run npm ci): the readiness check uses it"
  install_kafka
  choose_ports KAFKA_PORT KAFKA_CONTROLLER_PORT
  record_ports
  require_free_ports kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  local dir="$STATE/kafka"
  if [ "$KEEP_DATA" = 1 ] && [ -f "$dir/data/meta.properties" ]; then
    say "keeping kafka data in $dir/data"
    write_kafka_config "$dir"
  else
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/logs"
    write_kafka_config "$dir"
    local cluster_id
    cluster_id="$(java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
      kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    [ -n "$cluster_id" ] || die "kafka.tools.StorageTool random-uuid printed no cluster id"
    java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool \
      format -t "$cluster_id" -c "$dir/server.properties" >"$dir/logs/format.log" 2>&1 ||
      { cat "$dir/logs/format.log" >&2; die "kafka storage format failed"; }
  fi
  mkdir -p "$dir/logs"
  say "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (state in $dir)"
  java -Xms256m -Xmx512m -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -Dkafka.logs.dir="$dir/logs" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$dir/logs/stdout.log" 2>&1 9>&- &
  echo $! >"$STATE/kafka.pid"
  if wait_kafka --timeout "$KAFKA_READY_SECONDS" --pid "$(pid_of kafka)" --probe; then
    say "kafka ready"
    return
  fi
  if alive kafka; then stop_service kafka; fi
  rm -f "$STATE/kafka.pid"
  say "last lines of $dir/logs/stdout.log:"
  tail -n 40 "$dir/logs/stdout.log" >&2 || true
  die "kafka did not become ready on 127.0.0.1:$KAFKA_PORT (log above)"
}

write_kafka_config() {
  local dir="$1"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
  cat >"$dir/log4j2.properties" <<'LOG'
appender.console.type=Console
appender.console.name=STDOUT
appender.console.layout.type=PatternLayout
appender.console.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=WARN
rootLogger.appenderRef.console.ref=STDOUT
LOG
}

# --- main ------------------------------------------------------------------------------------

# Two test runs starting services at once would race on the pid files and ports, so the commands
# that change state take a lock. Servers are started with fd 9 closed (9>&-) and never hold it.
lock_state() {
  mkdir -p "$STATE"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STATE/.lock"
    flock 9
  fi
}

COMMAND="${1:-}"
[ $# -gt 0 ] && shift
TARGET="all"
KEEP_DATA=0
for arg in "$@"; do
  case "$arg" in
    kafka | clickhouse | browser | all) TARGET="$arg" ;;
    --keep-data) KEEP_DATA=1 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done
wants() { [ "$TARGET" = all ] || [ "$TARGET" = "$1" ]; }

case "$COMMAND" in
  install)
    if wants browser; then install_browser; fi
    if wants clickhouse; then install_clickhouse; fi
    if wants kafka; then install_kafka; fi
    ;;
  start)
    lock_state
    if wants clickhouse; then start_clickhouse; fi
    if wants kafka; then start_kafka; fi
    ;;
  stop)
    # Data is only removed by the next start, so --keep-data changes nothing here.
    lock_state
    if wants kafka; then stop_service kafka; fi
    if wants clickhouse; then stop_service clickhouse; fi
    ;;
  status)
    if alive kafka && kafka_answers; then echo "kafka running 127.0.0.1:$KAFKA_PORT"; else echo "kafka stopped"; fi
    if alive clickhouse && clickhouse_answers; then
      echo "clickhouse running http://127.0.0.1:$CH_HTTP_PORT"
    else
      echo "clickhouse stopped"
    fi
    ;;
  ports)
    # What a start would use now: a running service keeps its ports; a stopped one gets new
    # ones where its ports are taken (nothing is recorded).
    if ! alive clickhouse; then choose_ports CH_HTTP_PORT CH_TCP_PORT CH_INTERSERVER_PORT 2>/dev/null; fi
    if ! alive kafka; then choose_ports KAFKA_PORT KAFKA_CONTROLLER_PORT 2>/dev/null; fi
    for name in $PORT_NAMES; do echo "$name=${!name}"; done
    ;;
  env)
    echo "export SHADOWDIFF_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    echo "export SHADOWDIFF_CLICKHOUSE_URL=http://127.0.0.1:$CH_HTTP_PORT"
    ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) die "unknown command: $COMMAND (see --help)" ;;
esac
