# Sourced by scripts/test and scripts/bench: starts a throwaway PostgreSQL cluster on a free
# port in a temporary folder, installs the server binaries first if they are missing (Debian
# package postgresql), and stops and removes the cluster when the calling script exits.
# Sets PG_BIN, PG_DIR, PG_PORT and PG_URL.

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

if ! PG_BIN=$(find_pg_bin); then
  echo "== installing PostgreSQL server binaries (Debian package postgresql)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  PG_BIN=$(find_pg_bin)
fi

# initdb refuses to run as root: run the cluster as the `postgres` user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PG_DIR=$(mktemp -d /tmp/sammen-pg.XXXXXX)
chmod 755 "$PG_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_pg() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT

echo "== starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version)) on port $PG_PORT"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
# In the configuration file (not on the command line), so a restart by scripts/e2e keeps them.
as_pg tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start >/dev/null
export PG_BIN PG_DIR PG_PORT
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export PG_URL
