#!/usr/bin/env bash
# Debian packages that tests drive for real (no service is started):
#   nginx:     test/e2e/modules-real-nginx.test.ts and test/e2e/tail-nginx.test.ts run the real binary on 127.0.0.1.
#   logrotate: test/e2e/tail-nginx.test.ts rotates nginx's log with it (create and copytruncate).
#   openssl:   the Logstash TLS tests make a throwaway CA and certificates with the openssl CLI.
#   script (util-linux): test/integration/progress-cli.test.ts runs the CLI on a pseudo-terminal.
#   mariadb-server: test/e2e/modules-e2e-mariadb.test.ts runs its own mariadbd (no service) for the mysql module.
#   redis-server: test/integration/redis*.test.ts run their own redis-server (no service) for the redis output.
#   apache2-bin: test/e2e/modules-log-format-apache.test.ts runs /usr/sbin/apache2 in the foreground (the binary and its modules only: no service, no site config).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v logrotate >/dev/null 2>&1 || [ -x /usr/sbin/logrotate ] || missing+=(logrotate)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
[ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/apache2 ] || missing+=(apache2-bin)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
