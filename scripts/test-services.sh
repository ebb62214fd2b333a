#!/usr/bin/env bash
# Installs and starts what the tests need: Chromium, PostgreSQL (role "idcontact"), Redis, smtp4dev (SMTP on loopback),
# and nginx, installed only: the reverse-proxy test runs its own nginx process with its own configuration.
# Idempotent; prints the environment to export. Needs root for installing and starting services.
set -euo pipefail

pkgs=()
[ -x /usr/bin/chromium ] || pkgs+=(chromium)
command -v pg_ctlcluster >/dev/null || pkgs+=(postgresql)
command -v redis-server >/dev/null || pkgs+=(redis-server)
command -v curl >/dev/null || pkgs+=(curl)
[ -x /usr/sbin/nginx ] || pkgs+=(nginx)
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "Please install: ${pkgs[*]} (sudo apt-get install -y ${pkgs[*]})" >&2
    exit 1
  fi
  echo "Installing ${pkgs[*]} …" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

if [ "$(id -u)" = "0" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
    pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >&2
    pg_ctlcluster "$version" main start >&2
  fi
  # From /: su postgres cannot enter a private working directory (a clone under /tmp) and would say so.
  (cd / && su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='idcontact'\"") | grep -q 1 \
    || (cd / && su postgres -c "psql -qc \"CREATE ROLE idcontact LOGIN CREATEDB PASSWORD 'idcontact-test'\"") >&2
  # No snapshots: the tests keep nothing in Redis, and a snapshot into a working directory that is later deleted (a
  # clone or worktree) makes Redis refuse every write (MISCONF).
  redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || (cd / && redis-server --daemonize yes --bind 127.0.0.1 --save "" --appendonly no >&2)
fi

# smtp4dev (a NuGet dotnet tool) receives the desk's e-mail in tests; its HTTP API shows what arrived. Loopback only.
tools="${IDCONTACT_TOOLS:-$HOME/.cache/idcontact-tools}"
smtp_port="${IDCONTACT_TEST_SMTP_PORT:-2525}"
smtp_api="${IDCONTACT_TEST_SMTP_API:-http://127.0.0.1:5380}"
if ! curl -fsS "$smtp_api/api/messages" >/dev/null 2>&1; then
  [ -x "$tools/smtp4dev" ] || dotnet tool install --tool-path "$tools" Rnwood.Smtp4dev --version 3.15.0 >&2
  mkdir -p "$tools/smtp4dev-data"
  nohup "$tools/smtp4dev" --urls "$smtp_api" --smtpport "$smtp_port" --bindaddress 127.0.0.1 --allowremoteconnections- \
    --imapport 0 --pop3port 0 --hostname 127.0.0.1 --db "" --messagestokeep 1000 \
    --baseappdatapath "$tools/smtp4dev-data" >"$tools/smtp4dev.log" 2>&1 &
  for _ in $(seq 1 60); do curl -fsS "$smtp_api/api/messages" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS "$smtp_api/api/messages" >/dev/null 2>&1 || { echo "smtp4dev did not start; see $tools/smtp4dev.log" >&2; exit 1; }
fi

echo "IDCONTACT_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=idcontact;Password=idcontact-test'"
echo "IDCONTACT_TEST_REDIS='127.0.0.1:6379'"
echo "IDCONTACT_TEST_SMTP_HOST='127.0.0.1'"
echo "IDCONTACT_TEST_SMTP_PORT='$smtp_port'"
echo "IDCONTACT_TEST_SMTP_API='$smtp_api'"
