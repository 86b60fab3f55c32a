#!/usr/bin/env bash
# A local PostgreSQL 15 + pgvector for development and CI: `start`, `stop` or `status`.
#
#   scripts/postgres-dev.sh start    # installs what is missing (root or sudo), starts a cluster,
#                                    # prints DATABASE_URL=postgres://postgres@127.0.0.1:PORT/paperbot
#   scripts/postgres-dev.sh status   # running or not, and the URL
#   scripts/postgres-dev.sh stop     # stops the cluster (its files stay until you delete the dir)
#
# Debian/Ubuntu only. PostgreSQL 15 comes from apt; pgvector is built from Debian's own source
# package (bookworm has no binary package), fetched through apt in a private state directory so
# the system's apt sources stay untouched. Each step is skipped when already done.
# The cluster listens on 127.0.0.1 only, trusts local connections and runs with fsync off: it is
# for tests and development, never for data you want to keep.
#
# Environment: PAPERBOT_PG_PORT (default 55432), PAPERBOT_PG_DIR (default ~/.cache/paperbot-postgres,
# or /var/tmp/paperbot-postgres as root).
set -euo pipefail

PORT="${PAPERBOT_PG_PORT:-55432}"
# As root the cluster runs as the postgres user, which cannot enter root's home: use /var/tmp.
if [ "$(id -u)" = 0 ]; then DEFAULT_DIR=/var/tmp/paperbot-postgres; else DEFAULT_DIR="${HOME:-/tmp}/.cache/paperbot-postgres"; fi
STATE_DIR="${PAPERBOT_PG_DIR:-$DEFAULT_DIR}"
PG_BIN=/usr/lib/postgresql/15/bin
DATA_DIR="$STATE_DIR/data"
DATABASE=paperbot
URL="postgres://postgres@127.0.0.1:$PORT/$DATABASE"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "postgres-dev: '$*' needs root; run this script as root or install sudo" >&2; exit 1; fi
}

# Runs a PostgreSQL binary as the cluster owner: the postgres user when we are root (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgres() {
  # The server headers too: a machine may have postgresql-15 (which ships pg_config) without
  # postgresql-server-dev-15, and pgvector does not build without them.
  if [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/pg_config" ] &&
    [ -f "$("$PG_BIN/pg_config" --includedir-server)/postgres.h" ]; then return; fi
  echo "postgres-dev: installing postgresql-15 and build tools" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-server-dev-15 postgresql-client-15 make gcc dpkg-dev >/dev/null
}

install_pgvector() {
  local extension_dir
  extension_dir="$("$PG_BIN/pg_config" --sharedir)/extension"
  if [ -f "$extension_dir/vector.control" ]; then return; fi
  echo "postgres-dev: building pgvector from Debian's source package" >&2
  local sources=/etc/apt/sources.list.d/debian.sources mirror work
  if [ ! -f "$sources" ]; then
    echo "postgres-dev: $sources not found: install pgvector for PostgreSQL 15 yourself" >&2
    exit 1
  fi
  mirror="$(awk '/^URIs:/ {print $2; exit}' "$sources")"
  work="$(mktemp -d)"
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$work/apt/sources.list"
  local apt_private=(-o "Dir::Etc::sourcelist=$work/apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache")
  apt-get "${apt_private[@]}" update -qq
  (cd "$work" && apt-get "${apt_private[@]}" source -qq pgvector >/dev/null 2>&1)
  local source_dir
  source_dir="$(ls -d "$work"/pgvector-*/ | head -1)"
  make -s -C "$source_dir" PG_CONFIG="$PG_BIN/pg_config" -j2 >/dev/null
  as_root make -s -C "$source_dir" PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
  rm -rf "$work"
}

is_running() {
  [ -f "$DATA_DIR/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

start() {
  install_postgres
  install_pgvector
  mkdir -p "$STATE_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$STATE_DIR"; chmod 700 "$STATE_DIR"; fi
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! is_running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$STATE_DIR/server.log" -w -o \
      "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$STATE_DIR -c fsync=off" start >/dev/null
  fi
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qAt)
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DATABASE"
  fi
  "${psql[@]}" -d "$DATABASE" -c 'CREATE EXTENSION IF NOT EXISTS vector'
  echo "postgres-dev: PostgreSQL $("${psql[@]}" -d "$DATABASE" -c 'SHOW server_version') with pgvector $("${psql[@]}" -d "$DATABASE" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'") on 127.0.0.1:$PORT (data: $DATA_DIR)" >&2
  echo "DATABASE_URL=$URL"
}

stop() {
  if is_running; then as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null; fi
  echo "postgres-dev: stopped" >&2
}

status() {
  if [ -x "$PG_BIN/pg_ctl" ] && is_running; then
    echo "postgres-dev: running on 127.0.0.1:$PORT (data: $DATA_DIR)" >&2
    echo "DATABASE_URL=$URL"
  else
    echo "postgres-dev: not running" >&2
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "Usage: scripts/postgres-dev.sh start|stop|status" >&2; exit 2 ;;
esac
