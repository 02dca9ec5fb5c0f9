#!/usr/bin/env bash
# Run Kilpi's whole test suite on a fresh Debian machine.
#
#   scripts/test.sh [swift test arguments...]     e.g. scripts/test.sh --filter Foo
#
# What it does:
#   1. Installs what is missing (PostgreSQL server, zbar-tools, postfix for smtp-sink/smtp-source,
#      python3-aiosmtpd) with apt-get,
#      only when something is actually missing.
#   2. Starts a throwaway PostgreSQL cluster in a temporary folder: listens on
#      127.0.0.1 (and 127.0.0.2, a loopback address its certificate does not name) only, on a free port from 54320 upward, password (scram-sha-256)
#      auth for role `kilpi` (LOGIN CREATEDB, pg_signal_backend) with a random password generated
#      for this run, database `kilpi_test` owned by `kilpi`, fsync=off.
#      TLS is on (ssl=on) with a server certificate for localhost/127.0.0.1/::1
#      signed by a CA made for this run in the temp folder (openssl); plain TCP
#      is still accepted, so tests connect as before unless they ask for TLS.
#   3. Exports KILPI_TEST_POSTGRES_URL=postgres://kilpi:<password>@127.0.0.1:<port>/kilpi_test,
#      KILPI_TEST_POSTGRES_CA (that CA's certificate, PEM) and
#      KILPI_TEST_POSTGRES_OTHER_CA (an unrelated CA, for a verification that must fail)
#   4. Runs `swift build --build-tests` then `swift test --skip-build "$@"` under a watchdog that stops a hung
#      run (no test finished for KILPI_TEST_STALL_SECONDS, default 600) with the stacks and the running tests;
#      the exit code of `swift test` (124 after a hang) is the exit code of this script.
#   The cluster is stopped and the temporary folder removed on exit, also when
#   tests fail or the script is interrupted.
#
# Environment:
#   KILPI_TEST_NO_POSTGRES=1   Skip PostgreSQL entirely (no install, no cluster,
#                              KILPI_TEST_POSTGRES_URL is unset): the suite then
#                              runs its SQLite half only. For quick local runs.
#
# See scripts/README.md for details and for debugging against the cluster.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

want_postgres=1
if [[ "${KILPI_TEST_NO_POSTGRES:-}" == 1 ]]; then
  want_postgres=0
fi

# Run a command as root (directly when we are root, else through sudo).
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/postgres" && -x "$d/pg_ctl" && -x "$d/psql" && -x "$d/pg_isready" ]]; then
    printf '%s\n' "$d"
  fi
}

# ---------------------------------------------------------------------------
# 1. Dependencies
# ---------------------------------------------------------------------------
missing=()
if ! command -v zbarimg >/dev/null 2>&1; then
  missing+=(zbar-tools)
fi
if [[ $want_postgres == 1 && -z "$(pg_bindir)" ]]; then
  missing+=(postgresql)
fi
if [[ $want_postgres == 1 ]] && ! command -v openssl >/dev/null 2>&1; then
  missing+=(openssl)
fi
# The SMTP tests' servers: Postfix's smtp-sink and smtp-source (throughput, and its limit) and aiosmtpd for Debian's
# own python3 (capture and fault injection); the TLS tests make their CA with openssl.
if [[ ! -x /usr/sbin/smtp-sink || ! -x /usr/sbin/smtp-source ]]; then
  missing+=(postfix)
fi
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  missing+=(python3-aiosmtpd)
fi
if [[ $want_postgres == 0 ]] && ! command -v openssl >/dev/null 2>&1; then
  missing+=(openssl)
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available; install them by hand"
  # The Debian package would otherwise create and start a system-wide 'main'
  # cluster on port 5432, which we do not need (we run our own).
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    as_root mkdir -p /etc/postgresql-common/createcluster.d
    if [[ ! -e /etc/postgresql-common/createcluster.d/kilpi-no-main-cluster.conf ]]; then
      echo 'create_main_cluster = false' |
        as_root tee /etc/postgresql-common/createcluster.d/kilpi-no-main-cluster.conf >/dev/null
    fi
  fi
  # Postfix is wanted for its test tools only: no mail system is configured, and no service may start while
  # it installs (a policy-rc.d that forbids starting services, removed afterwards if this script made it).
  made_policy=0
  if [[ " ${missing[*]} " == *" postfix "* ]]; then
    echo 'postfix postfix/main_mailer_type select No configuration' | as_root debconf-set-selections 2>/dev/null || true
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod 755 /usr/sbin/policy-rc.d
      made_policy=1
    fi
  fi
  apt_log=$(mktemp)
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq update &&
         as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends \
           -o Dpkg::Use-Pty=0 "${missing[@]}"; } >"$apt_log" 2>&1 </dev/null; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    [[ $made_policy == 1 ]] && as_root rm -f /usr/sbin/policy-rc.d
    die "apt-get failed to install ${missing[*]}"
  fi
  rm -f "$apt_log"
  if [[ $made_policy == 1 ]]; then
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  if [[ " ${missing[*]} " == *" postfix "* ]]; then
    # In case something started it anyway: no system mail server stays running.
    as_root postfix stop >/dev/null 2>&1 || true
    if command -v systemctl >/dev/null 2>&1; then
      as_root systemctl disable --now postfix >/dev/null 2>&1 || true
    fi
  fi
fi

# ---------------------------------------------------------------------------
# 2. Throwaway PostgreSQL cluster
# ---------------------------------------------------------------------------
pg_tmp=""
pg_bin=""
pg_pid=""

# Run a PostgreSQL binary as the cluster owner, from inside the temp folder
# (the owner may not be allowed to read the current directory). The binary is
# exec'ed (setpriv does not fork, unlike runuser/su), so when started in the
# background $! is the PostgreSQL process itself and this script reaps it.
pg_as_owner=()
if [[ $EUID -eq 0 ]]; then
  if command -v setpriv >/dev/null 2>&1; then
    pg_as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  else
    pg_as_owner=(runuser -u postgres --)
  fi
fi
as_pg() {
  local exe="$pg_bin/$1"; shift
  (cd "$pg_tmp" && exec "${pg_as_owner[@]}" "$exe" "$@")
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  set +e
  if [[ -n "$pg_tmp" && -d "$pg_tmp" ]]; then
    if [[ -f "$pg_tmp/data/postmaster.pid" ]]; then
      as_pg pg_ctl stop -D "$pg_tmp/data" -m immediate -w -t 30 >/dev/null 2>&1
    fi
    if [[ -n "$pg_pid" ]]; then
      # Last resort if it did not go away: kill exactly our own child.
      if kill -0 "$pg_pid" 2>/dev/null; then
        kill -KILL "$pg_pid" 2>/dev/null
      fi
      wait "$pg_pid" 2>/dev/null
    fi
    rm -rf "$pg_tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [[ $want_postgres == 1 ]]; then
  pg_bin=$(pg_bindir)
  [[ -n "$pg_bin" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"

  # PostgreSQL refuses to run as root: run the cluster as the `postgres` user.
  if [[ $EUID -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
      --shell /usr/sbin/nologin postgres
  fi

  pg_tmp=$(mktemp -d /tmp/kilpi-pg.XXXXXX)
  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$pg_tmp"
  fi
  chmod 700 "$pg_tmp"

  # Random password for this run only (hex: safe inside a URL). Never printed.
  pg_password=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  [[ ${#pg_password} -eq 48 ]] || die "could not generate a password"

  # Bootstrap superuser is the OS user owning the cluster, reachable only via
  # the unix socket in the (0700) temp folder with peer auth; TCP needs a password.
  pg_super=$([[ $EUID -eq 0 ]] && echo postgres || id -un)
  as_pg initdb -D "$pg_tmp/data" -U "$pg_super" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 --no-sync >"$pg_tmp/initdb.log" 2>&1 || {
      cat "$pg_tmp/initdb.log" >&2
      die "initdb failed"
    }

  # TLS for the cluster: a CA made for this run signs a certificate for the loopback names; a second,
  # unrelated CA lets a test check that a certificate from the wrong CA is refused. Keys never leave the
  # (0700) temp folder; the server key is owned by the cluster owner, as PostgreSQL requires.
  pg_tls="$pg_tmp/tls"
  mkdir -m 700 "$pg_tls"
  make_ca() {
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 2 \
      -subj "/CN=$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$pg_tls/$1.key" -out "$pg_tls/$1.crt" 2>>"$pg_tls/openssl.log"
  }
  {
    make_ca ca "Kilpi test CA" &&
      make_ca other-ca "Kilpi unrelated CA" &&
      openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -subj "/CN=localhost" \
        -keyout "$pg_tls/server.key" -out "$pg_tls/server.csr" 2>>"$pg_tls/openssl.log" &&
      printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$pg_tls/server.ext" &&
      openssl x509 -req -in "$pg_tls/server.csr" -CA "$pg_tls/ca.crt" -CAkey "$pg_tls/ca.key" -CAcreateserial \
        -sha256 -days 2 -extfile "$pg_tls/server.ext" -out "$pg_tls/server.crt" 2>>"$pg_tls/openssl.log"
  } || {
    cat "$pg_tls/openssl.log" >&2
    die "could not make the test certificates with openssl"
  }
  chmod 600 "$pg_tls"/*.key
  chmod 644 "$pg_tls"/*.crt
  if [[ $EUID -eq 0 ]]; then
    chown -R postgres: "$pg_tls"
  fi

  port=54320
  while :; do
    while port_in_use "$port"; do
      port=$((port + 1))
    done
    [[ $port -lt 54420 ]] || die "no free port found in 54320-54419"
    log "starting PostgreSQL on 127.0.0.1:$port (data and unix socket in $pg_tmp)"
    # The postmaster runs as a child of this script (not daemonized through
    # `pg_ctl start`) so that we reap it ourselves when it stops.
    (cd "$pg_tmp" && exec "${pg_as_owner[@]}" "$pg_bin/postgres" -D "$pg_tmp/data" \
      -c listen_addresses=127.0.0.1,127.0.0.2 -c port="$port" -c unix_socket_directories="$pg_tmp" \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
      -c max_connections=600 -c password_encryption=scram-sha-256 \
      -c ssl=on -c ssl_cert_file="$pg_tls/server.crt" -c ssl_key_file="$pg_tls/server.key") \
      >"$pg_tmp/postgres.log" 2>&1 </dev/null &
    pg_pid=$!
    for ((i = 0; i < 600; i++)); do
      if as_pg pg_isready -q -h "$pg_tmp" -p "$port" -d postgres; then
        break
      fi
      if ! kill -0 "$pg_pid" 2>/dev/null; then
        break
      fi
      sleep 0.1
    done
    if kill -0 "$pg_pid" 2>/dev/null && as_pg pg_isready -q -h "$pg_tmp" -p "$port" -d postgres; then
      break
    fi
    wait "$pg_pid" 2>/dev/null || true
    pg_pid=""
    # Lost a race for the port (another run grabbed it)? Try the next one.
    if grep -q 'could not bind\|Address already in use' "$pg_tmp/postgres.log" 2>/dev/null; then
      port=$((port + 1))
      continue
    fi
    tail -n 30 "$pg_tmp/postgres.log" >&2 || true
    die "PostgreSQL failed to start"
  done

  # SQL goes through stdin so the password never shows up in a process list.
  as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$pg_tmp" -p "$port" -U "$pg_super" -d postgres \
    >/dev/null <<SQL || die "could not create role/database kilpi"
CREATE ROLE kilpi LOGIN CREATEDB PASSWORD '$pg_password';
-- Each test drops its database WITH (FORCE), which must also end an autovacuum worker that happens to be in it;
-- PostgreSQL 15 lets only superusers and members of pg_signal_backend do that.
GRANT pg_signal_backend TO kilpi;
CREATE DATABASE kilpi_test OWNER kilpi;
SQL

  export KILPI_TEST_POSTGRES_URL="postgres://kilpi:$pg_password@127.0.0.1:$port/kilpi_test"
  export KILPI_TEST_POSTGRES_CA="$pg_tls/ca.crt"
  export KILPI_TEST_POSTGRES_OTHER_CA="$pg_tls/other-ca.crt"
else
  unset KILPI_TEST_POSTGRES_URL KILPI_TEST_POSTGRES_CA KILPI_TEST_POSTGRES_OTHER_CA
fi

# ---------------------------------------------------------------------------
# 3. Build and test
# ---------------------------------------------------------------------------
rc=0
if [[ -n "${KILPI_TEST_COMMAND:-}" ]]; then
  # Harness/debug hook (not advertised above; see scripts/README.md): run this
  # command, with the cluster up, instead of build + test.
  bash -c "$KILPI_TEST_COMMAND" || rc=$?
else
  log "building"
  swift build --build-tests
  log "testing"
  # A hung test stops the run after KILPI_TEST_STALL_SECONDS without a finished test (default 600), printing the
  # test processes' stacks and the tests still running (scripts/test-watchdog.py); output is line-buffered so the
  # last lines before a hang are not lost in a pipe's buffer.
  if command -v python3 >/dev/null 2>&1; then
    python3 scripts/test-watchdog.py "${KILPI_TEST_STALL_SECONDS:-600}" -- \
      stdbuf -oL -eL swift test --skip-build "$@" || rc=$?
  else
    swift test --skip-build "$@" || rc=$?
  fi
fi
# A failed run shows what the server complained about: PSQLError hides the server's message in a test's
# output, and the cluster (with its log) is deleted on exit. Test data only, no secrets (the password never
# appears in statements: the role was created over stdin before this log had test traffic).
if [[ $rc -ne 0 && $want_postgres == 1 && -f "$pg_tmp/postgres.log" ]]; then
  log "PostgreSQL errors during this run (last 40):"
  grep -E 'ERROR|FATAL|PANIC|DETAIL|STATEMENT' "$pg_tmp/postgres.log" | tail -n 40 >&2 || true
fi
exit "$rc"
