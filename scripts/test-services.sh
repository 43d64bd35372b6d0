#!/usr/bin/env bash
# Make sure the test suite has Chromium, PostgreSQL and Java (for the Nu HTML checker). Installs or starts what it can;
# under CI=true anything still missing is an error, elsewhere a warning (those tests skip).
set -u
missing=()

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || missing+=("chromium (apt-get install chromium failed)")
  else
    missing+=("chromium (/usr/bin/chromium; install Debian's chromium package)")
  fi
fi

if ! command -v java >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing a Java runtime for the Nu HTML checker (vnu.jar, from npm)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq default-jre-headless >/dev/null) \
      || missing+=("java (apt-get install default-jre-headless failed)")
  else
    missing+=("java (the Nu HTML checker runs on it; install default-jre-headless)")
  fi
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || missing+=("PostgreSQL on 127.0.0.1:5432")
fi

if [ ${#missing[@]} -gt 0 ]; then
  for m in "${missing[@]}"; do echo "missing: $m" >&2; done
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  echo "(not under CI: the tests that need these will be skipped)" >&2
fi
exit 0
