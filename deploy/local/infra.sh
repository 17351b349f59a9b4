#!/usr/bin/env bash
# Finds or starts the infrastructure Helixgate needs on one machine:
#   NATS with JetStream, and a MongoDB-compatible server (mongod, or FerretDB over SQLite or PostgreSQL).
# Used by `npm start`, by the test harness (libs/testing) and by .ci/run. Idempotent.
#
#   infra.sh up     find or start both; print NATS_URL=… and MONGODB_URI=… on stdout (default)
#   infra.sh down [nats|mongo…]   stop what this script started (all of it, or the named ones)
#   infra.sh tools  only build the tools that are missing (nats-server, ferretdb)
#
# Human-readable progress goes to stderr; stdout carries only KEY=VALUE lines.
# Environment: NATS_URL and MONGODB_URI, when set, are used as they are.
#   FERRETDB_BACKEND          postgresql (default when PostgreSQL answers) or sqlite (the fallback; data in .helixgate/data)
#   FERRETDB_POSTGRESQL_URL   PostgreSQL for FerretDB (default: postgres://postgres@127.0.0.1:5432/helixgate_ferretdb)
#   HELIXGATE_STATE_DIR       where tools, data, logs and pid files live (default: <repo>/.helixgate)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${HELIXGATE_STATE_DIR:-$ROOT/.helixgate}
TOOLS=$STATE/tools
BIN=$TOOLS/bin
RUN=$STATE/run
LOGS=$STATE/logs
DATA=$STATE/data

NATS_VERSION=v2.10.29
FERRETDB_VERSION=v1.24.2
NATS_PORT=4222
MONGO_PORT=27017
FERRETDB_PG_URL=${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:5432/helixgate_ferretdb}
# host and port of that URL, for the "does PostgreSQL answer" check
PG_HOSTPORT=${FERRETDB_PG_URL#*://}; PG_HOSTPORT=${PG_HOSTPORT#*@}; PG_HOSTPORT=${PG_HOSTPORT%%/*}
PG_HOST=${PG_HOSTPORT%%:*}; PG_PORT=5432
[ "$PG_HOSTPORT" = "$PG_HOST" ] || PG_PORT=${PG_HOSTPORT##*:}

say() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: error: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_port() { # host port seconds logfile
  local i
  for ((i = 0; i < $3 * 10; i++)); do port_open "$1" "$2" && return 0; sleep 0.1; done
  [ -f "${4:-}" ] && tail -n 20 "$4" >&2
  die "nothing answered on $1:$2 after $3 s"
}
start_bg() { # name logfile command…
  local name=$1 log=$2; shift 2
  setsid nohup "$@" >"$log" 2>&1 </dev/null 9>&- &
  echo $! >"$RUN/$name.pid"
}

# Builds a Go module's command into $BIN/<name> from a writable copy of the module source.
# (`go install m@v` also asks the proxy for the module's version list, which not every proxy serves.)
go_build_module() { # module version package output [version-file-content]
  local module=$1 version=$2 pkg=$3 out=$4 version_file=${5:-}
  command -v go >/dev/null || die "Go is needed to build $module $version and is not on PATH"
  say "building $module@$version (once; about a minute)…"
  local dir src
  dir=$(cd /tmp && go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || die "go mod download $module@$version failed"
  src=$(mktemp -d "$TOOLS/src.XXXXXX")
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  [ -z "$version_file" ] || echo "$version_file" >"$src/build/version/version.txt"
  (cd "$src" && go build -trimpath -o "$out.tmp" "$pkg") >&2 || { rm -rf "$src"; die "go build of $module@$version failed"; }
  mv "$out.tmp" "$out"
  rm -rf "$src"
}

nats_server_bin() {
  if command -v nats-server >/dev/null; then command -v nats-server; return; fi
  local out=$BIN/nats-server-$NATS_VERSION
  [ -x "$out" ] || go_build_module github.com/nats-io/nats-server/v2 "$NATS_VERSION" . "$out"
  echo "$out"
}

ferretdb_bin() {
  local out=$BIN/ferretdb-$FERRETDB_VERSION
  [ -x "$out" ] || go_build_module github.com/FerretDB/FerretDB "$FERRETDB_VERSION" ./cmd/ferretdb "$out" "$FERRETDB_VERSION"
  echo "$out"
}

ensure_nats() {
  if [ -n "${NATS_URL:-}" ]; then say "nats: using NATS_URL=$NATS_URL"; echo "NATS_URL=$NATS_URL"; return; fi
  local url=nats://127.0.0.1:$NATS_PORT
  if port_open 127.0.0.1 "$NATS_PORT"; then say "nats: using the server already answering at $url"; echo "NATS_URL=$url"; return; fi
  local bin; bin=$(nats_server_bin)
  mkdir -p "$DATA/nats"
  start_bg nats "$LOGS/nats.log" "$bin" -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$DATA/nats"
  wait_port 127.0.0.1 "$NATS_PORT" 20 "$LOGS/nats.log"
  say "nats: started $bin (JetStream, data in $DATA/nats, log $LOGS/nats.log) at $url"
  echo "NATS_URL=$url"
}

# Creates the FerretDB database in PostgreSQL when it is missing; fails quietly so SQLite can take over.
ensure_pg_database() {
  command -v psql >/dev/null || return 1
  local admin_url=${FERRETDB_PG_URL%/*}/postgres db=${FERRETDB_PG_URL##*/}
  db=${db%%\?*}
  # -w: never prompt for a password; bounded connect time
  [ "$(PGCONNECT_TIMEOUT=5 psql -w "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null)" = 1 ] && return 0
  PGCONNECT_TIMEOUT=5 psql -w "$admin_url" -qc "CREATE DATABASE \"$db\"" >/dev/null 2>&1
}

ensure_mongo() {
  if [ -n "${MONGODB_URI:-}" ]; then say "mongodb: using MONGODB_URI=$MONGODB_URI"; echo "MONGODB_URI=$MONGODB_URI"; return; fi
  local uri=mongodb://127.0.0.1:$MONGO_PORT
  if port_open 127.0.0.1 "$MONGO_PORT"; then say "mongodb: using the server already answering at $uri"; echo "MONGODB_URI=$uri"; return; fi
  if command -v mongod >/dev/null; then
    mkdir -p "$DATA/mongod"
    start_bg mongo "$LOGS/mongod.log" mongod --dbpath "$DATA/mongod" --bind_ip 127.0.0.1 --port "$MONGO_PORT"
    wait_port 127.0.0.1 "$MONGO_PORT" 30 "$LOGS/mongod.log"
    say "mongodb: started mongod (data in $DATA/mongod) at $uri"
    echo "MONGODB_URI=$uri"; return
  fi
  local bin; bin=$(ferretdb_bin)
  mkdir -p "$DATA/ferretdb-state"
  local backend
  # PostgreSQL when it answers, else SQLite; FERRETDB_BACKEND=sqlite|postgresql chooses. Measured (README, "Choosing
  # FerretDB's backend"): on PostgreSQL an equality filter is evaluated by PostgreSQL's own scan (a locus's alleles
  # out of 100k rows in ~70 ms); on SQLite only _id is, and any other filter decodes the whole collection in
  # FerretDB (~5.5 s for 100k rows): fatal at PubMLST scale, where typing-db loads a locus or scheme at a time.
  local choice=${FERRETDB_BACKEND:-}
  if [ -z "$choice" ]; then
    if port_open "$PG_HOST" "$PG_PORT" && ensure_pg_database; then choice=postgresql; else choice=sqlite; fi
  fi
  if [ "$choice" = postgresql ]; then
    port_open "$PG_HOST" "$PG_PORT" || die "FERRETDB_BACKEND=postgresql, but no PostgreSQL answers at $PG_HOST:$PG_PORT"
    ensure_pg_database || die "could not create the PostgreSQL database of $FERRETDB_PG_URL (psql missing, or refused)"
    backend="PostgreSQL ${FERRETDB_PG_URL%%\?*}"
    start_bg mongo "$LOGS/ferretdb.log" "$bin" --handler=postgresql --postgresql-url="$FERRETDB_PG_URL" \
      --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- --telemetry=disable --state-dir="$DATA/ferretdb-state" --log-level=warn
  else
    [ "$choice" = sqlite ] || die "FERRETDB_BACKEND is sqlite or postgresql, not $choice"
    mkdir -p "$DATA/ferretdb-sqlite"
    backend="SQLite in $DATA/ferretdb-sqlite"
    start_bg mongo "$LOGS/ferretdb.log" "$bin" --handler=sqlite --sqlite-url="file:$DATA/ferretdb-sqlite/" \
      --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- --telemetry=disable --state-dir="$DATA/ferretdb-state" --log-level=warn
  fi
  wait_port 127.0.0.1 "$MONGO_PORT" 30 "$LOGS/ferretdb.log"
  say "mongodb: started FerretDB $FERRETDB_VERSION on $backend (log $LOGS/ferretdb.log) at $uri"
  echo "MONGODB_URI=$uri"
}

stop_started() { # [name…]
  local f pid files=()
  if [ $# -gt 0 ]; then for f in "$@"; do files+=("$RUN/$f.pid"); done; else files=("$RUN"/*.pid); fi
  for f in "${files[@]}"; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" && say "stopped $(basename "$f" .pid) (pid $pid)"; fi
    rm -f "$f"
  done
}

mkdir -p "$BIN" "$RUN" "$LOGS" "$DATA"
exec 9>"$STATE/infra.lock"
flock 9   # one caller at a time: tests and `npm start` may race to start the same servers

case "${1:-up}" in
  up) ensure_nats; ensure_mongo ;;
  down) shift; stop_started "$@" ;;
  tools) nats_server_bin >/dev/null; ferretdb_bin >/dev/null ;;
  *) die "usage: infra.sh [up|down|tools]" ;;
esac
