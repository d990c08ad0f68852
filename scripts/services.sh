#!/usr/bin/env bash
# Real services for integration tests and CI, on 127.0.0.1, no Docker:
#   - Apache Kafka 4.1.x in KRaft mode (one broker+controller), from Maven Central jars;
#   - ClickHouse server from Debian's clickhouse-server package, run from a temporary directory.
#
# usage: scripts/services.sh install|start|stop|status|env [kafka|clickhouse|all] [--keep-data]
#
# Jars are cached in ${SHADOWDIFF_SERVICES_CACHE:-~/.cache/shadowdiff}; runtime state (data, logs,
# pids) lives in ${SHADOWDIFF_SERVICES_DIR:-<repo>/.services}. `start` installs what is missing,
# reuses a service that is already running, and otherwise starts it on fresh data unless
# --keep-data is given (fault tests restart the broker on its old log).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${SHADOWDIFF_SERVICES_DIR:-$ROOT/.services}"
CACHE="${SHADOWDIFF_SERVICES_CACHE:-$HOME/.cache/shadowdiff}"
KAFKA_VERSION="${SHADOWDIFF_KAFKA_VERSION:-4.1.1}"
LOG4J_VERSION="2.24.3"
KAFKA_PORT="${SHADOWDIFF_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${SHADOWDIFF_KAFKA_CONTROLLER_PORT:-19093}"
CH_HTTP_PORT="${SHADOWDIFF_CLICKHOUSE_HTTP_PORT:-18123}"
CH_TCP_PORT="${SHADOWDIFF_CLICKHOUSE_TCP_PORT:-19000}"
CH_INTERSERVER_PORT="${SHADOWDIFF_CLICKHOUSE_INTERSERVER_PORT:-19009}"
KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"

say() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

# --- install ---------------------------------------------------------------------------------

install_clickhouse() {
  if command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/bin/clickhouse ]; then
    say "clickhouse-server already installed"
    return
  fi
  say "installing clickhouse-server from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client >/dev/null
  # The package starts nothing we use: we run our own server from a temporary directory.
}

install_kafka() {
  if [ -f "$KAFKA_LIBS/.complete" ]; then
    say "kafka $KAFKA_VERSION jars cached in $KAFKA_LIBS"
    return
  fi
  command -v mvn >/dev/null || die "maven (mvn) is needed to fetch the Kafka jars"
  command -v java >/dev/null || die "java 17 is needed to run Kafka"
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
  mkdir -p "$KAFKA_LIBS"
  mvn -B -q -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
  # Two SLF4J bindings would make logging pick one at random; keep log4j's only.
  rm -f "$KAFKA_LIBS"/slf4j-reload4j-*.jar "$KAFKA_LIBS"/logback-*.jar
  touch "$KAFKA_LIBS/.complete"
  rm -rf "$work"
  say "kafka jars in $KAFKA_LIBS ($(ls "$KAFKA_LIBS" | wc -l) files)"
}

# --- process helpers -------------------------------------------------------------------------

pid_of() { [ -f "$STATE/$1.pid" ] && cat "$STATE/$1.pid" || true; }

alive() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

stop_service() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$STATE/$name.pid"
    return
  fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$name.pid"
}

# --- ClickHouse ------------------------------------------------------------------------------

clickhouse_answers() { curl -fsS "http://127.0.0.1:$CH_HTTP_PORT/ping" >/dev/null 2>&1; }

start_clickhouse() {
  if alive clickhouse && clickhouse_answers; then
    say "clickhouse already running on $CH_HTTP_PORT"
    return
  fi
  install_clickhouse
  local dir="$STATE/clickhouse"
  [ "$KEEP_DATA" = 1 ] || rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  local binary
  binary="$(command -v clickhouse-server || echo /usr/bin/clickhouse-server)"
  say "starting clickhouse on 127.0.0.1:$CH_HTTP_PORT (data in $dir)"
  (
    cd "$dir"
    exec "$binary" --config-file=/etc/clickhouse-server/config.xml -- \
      --path="$dir/data/" --tmp_path="$dir/tmp/" --user_files_path="$dir/user_files/" \
      --format_schema_path="$dir/format_schemas/" --http_port="$CH_HTTP_PORT" --tcp_port="$CH_TCP_PORT" \
      --interserver_http_port="$CH_INTERSERVER_PORT" --listen_host=127.0.0.1 \
      --logger.log="$dir/server.log" --logger.errorlog="$dir/error.log" --logger.console=0
  ) >"$dir/stdout.log" 2>&1 &
  echo $! >"$STATE/clickhouse.pid"
  for _ in $(seq 1 600); do
    if clickhouse_answers; then
      say "clickhouse ready: $(curl -fsS "http://127.0.0.1:$CH_HTTP_PORT/?query=SELECT%20version()")"
      return
    fi
    alive clickhouse || break
    sleep 0.1
  done
  tail -n 30 "$dir/error.log" "$dir/stdout.log" >&2 2>/dev/null || true
  die "clickhouse did not answer on 127.0.0.1:$CH_HTTP_PORT"
}

# --- Kafka -----------------------------------------------------------------------------------

kafka_answers() { (cd "$ROOT" && node scripts/wait-kafka.mjs "127.0.0.1:$KAFKA_PORT" "${1:-2}") >/dev/null 2>&1; }

start_kafka() {
  if alive kafka && kafka_answers 5; then
    say "kafka already running on $KAFKA_PORT"
    return
  fi
  install_kafka
  local dir="$STATE/kafka"
  if [ "$KEEP_DATA" != 1 ] || [ ! -f "$dir/data/meta.properties" ]; then
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/logs"
    write_kafka_config "$dir"
    local cluster_id
    cluster_id="$(java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool \
      format -t "$cluster_id" -c "$dir/server.properties" >"$dir/logs/format.log" 2>&1 ||
      { cat "$dir/logs/format.log" >&2; die "kafka storage format failed"; }
  fi
  say "starting kafka on 127.0.0.1:$KAFKA_PORT (data in $dir)"
  java -Xms256m -Xmx512m -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -Dkafka.logs.dir="$dir/logs" kafka.Kafka "$dir/server.properties" >"$dir/logs/stdout.log" 2>&1 &
  echo $! >"$STATE/kafka.pid"
  if (cd "$ROOT" && node scripts/wait-kafka.mjs "127.0.0.1:$KAFKA_PORT" 90); then
    say "kafka ready"
    return
  fi
  tail -n 40 "$dir/logs/stdout.log" >&2 || true
  die "kafka did not answer on 127.0.0.1:$KAFKA_PORT"
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

COMMAND="${1:-}"
[ $# -gt 0 ] && shift
TARGET="all"
KEEP_DATA=0
for arg in "$@"; do
  case "$arg" in
    kafka | clickhouse | all) TARGET="$arg" ;;
    --keep-data) KEEP_DATA=1 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done
wants() { [ "$TARGET" = all ] || [ "$TARGET" = "$1" ]; }
mkdir -p "$STATE"

case "$COMMAND" in
  install)
    if wants clickhouse; then install_clickhouse; fi
    if wants kafka; then install_kafka; fi
    ;;
  start)
    if wants clickhouse; then start_clickhouse; fi
    if wants kafka; then start_kafka; fi
    ;;
  stop)
    if wants kafka; then stop_service kafka; fi
    if wants clickhouse; then stop_service clickhouse; fi
    ;;
  status)
    if alive kafka && kafka_answers 5; then echo "kafka running 127.0.0.1:$KAFKA_PORT"; else echo "kafka stopped"; fi
    if alive clickhouse && clickhouse_answers; then
      echo "clickhouse running http://127.0.0.1:$CH_HTTP_PORT"
    else
      echo "clickhouse stopped"
    fi
    ;;
  env)
    echo "export SHADOWDIFF_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    echo "export SHADOWDIFF_CLICKHOUSE_URL=http://127.0.0.1:$CH_HTTP_PORT"
    ;;
  -h | --help | help | "") usage ;;
  *) die "unknown command: $COMMAND (see --help)" ;;
esac
