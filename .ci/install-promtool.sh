#!/usr/bin/env bash
# Installs promtool, which checks the alert rules, the dashboard's queries and a real scrape (MonitoringFilesTests),
# as /usr/local/bin/promtool, from the distribution's prometheus package (Debian 12, Ubuntu). Only the promtool binary
# is taken from the package: no Prometheus server is installed, configured or started. Run as root; does nothing when
# promtool is already on the PATH.
set -euo pipefail

if command -v promtool > /dev/null 2>&1; then
    exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod a+rwx "$dir"   # apt downloads as the user _apt
apt-get update -qq
(cd "$dir" && apt-get download -qq prometheus)
dpkg-deb -x "$dir"/prometheus_*.deb "$dir/package"
install -m 0755 "$dir/package/usr/bin/promtool" /usr/local/bin/promtool
echo "[ci] installed $(/usr/local/bin/promtool --version 2>&1 | head -1)"
