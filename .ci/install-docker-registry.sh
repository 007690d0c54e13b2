#!/usr/bin/env bash
# The OCI registry tests start Debian's docker-registry (distribution 2.8) themselves, as a child process on a
# loopback port: install the package without starting its system service (a policy-rc.d that denies starts, only
# for this install, unless the machine has one already) and keep that service from starting at boot.
[ -x /usr/bin/docker-registry ] && exit 0
policy=/usr/sbin/policy-rc.d own_policy= status=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=1
fi
apt-get -o DPkg::Lock::Timeout=600 update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
        docker-registry || status=$?
[ -n "$own_policy" ] && rm -f "$policy"
if command -v systemctl > /dev/null; then systemctl disable docker-registry.service > /dev/null 2>&1 || true; fi
exit $status
