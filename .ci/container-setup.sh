#!/usr/bin/env bash
# Makes this Debian 12 machine able to build and run the service's container image without a Docker engine and
# without a reachable image registry:
#   1. installs rootful podman and configures it for a host without systemd and with limited capabilities;
#   2. builds local stand-ins for the base images the Dockerfile's FROM lines name (a Debian minbase root file
#      system plus this machine's Temurin JDK at /opt/java/openjdk, where the eclipse-temurin images keep theirs)
#      and tags them with exactly those names, so podman never tries to pull them.
# Idempotent: packages already installed and stand-ins already present are left alone. Needs root.
# Exits non-zero when anything fails; .ci/run then runs the tests without a container runtime.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKERFILE="$ROOT/Dockerfile"
SUITE=bookworm

log() { printf '[container-setup] %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "needs root (rootful podman, debootstrap)"
    exit 1
fi

install_packages() {
    local wanted=(podman buildah runc debootstrap fuse-overlayfs slirp4netns uidmap curl)
    local missing=()
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        log "packages already installed"
        return
    fi
    log "installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -q
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
}

configure_podman() {
    local nofile
    nofile=$(ulimit -Hn)
    [ "$nofile" = unlimited ] && nofile=1048576
    mkdir -p /etc/containers
    # runc: crun refuses hybrid cgroups here; ulimits within the hard limits this sandbox allows;
    # no systemd, so cgroupfs and a file events logger.
    cat > /etc/containers/containers.conf <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
}

# The FROM image of the build stage (the first FROM) and of the runtime stage (the last FROM).
from_images() {
    awk 'toupper($1) == "FROM" { print $2 }' "$DOCKERFILE"
}

find_jdk() {
    local major=$1 candidate
    for candidate in /usr/lib/jvm/temurin-"$major"-jdk* /usr/lib/jvm/java-"$major"-openjdk*; do
        if [ -x "$candidate/bin/jlink" ] && "$candidate/bin/java" -version 2>&1 | grep -q "version \"$major"; then
            echo "$candidate"
            return
        fi
    done
    return 1
}

# Java major version an eclipse-temurin style tag asks for: eclipse-temurin:25-jre -> 25.
java_major() {
    local tag=${1##*:}
    echo "${tag%%[!0-9]*}"
}

make_rootfs() {
    local target=$1 mirror
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    log "debootstrap $SUITE (minbase) from $mirror"
    debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$target" "$mirror" > "$target.log" 2>&1 \
        || { tail -20 "$target.log" >&2; return 1; }
    rm -rf "$target"/var/cache/apt/archives/*.deb "$target"/var/lib/apt/lists/*
}

# Copies a Java runtime into a root file system at /opt/java/openjdk. A JDK stays whole (the build stage compiles);
# a JRE is linked from the JDK with the modules a Temurin JRE has.
add_java() {
    local rootfs=$1 jdk=$2 kind=$3
    mkdir -p "$rootfs/opt/java"
    if [ "$kind" = jdk ]; then
        cp -a "$jdk" "$rootfs/opt/java/openjdk"
    else
        local modules
        modules=$("$jdk/bin/java" --list-modules | sed 's/@.*//' \
            | grep -Ev '^jdk\.(internal|jcmd|jconsole|jdeps|jdi|jdwp|jlink|jpackage|jshell|javadoc|compiler|hotspot\.agent|editpad|jartool|jstatd|jsobject|random|graal)' \
            | paste -sd,)
        "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
            --output "$rootfs/opt/java/openjdk" >/dev/null 2>&1
    fi
    # The JDK on this host links its trust store to the host's; give the image its own file with the host's
    # CA certificates in it, so Maven inside the build stage reaches Maven Central through this network.
    local cacerts="$rootfs/opt/java/openjdk/lib/security/cacerts"
    cp --remove-destination "$(readlink -f "$jdk/lib/security/cacerts")" "$cacerts"
    local certificate alias
    for certificate in /usr/local/share/ca-certificates/*.crt; do
        [ -e "$certificate" ] || continue
        alias="host-$(basename "$certificate" .crt)"
        "$jdk/bin/keytool" -list -keystore "$cacerts" -storepass changeit -alias "$alias" >/dev/null 2>&1 \
            || "$jdk/bin/keytool" -importcert -noprompt -keystore "$cacerts" -storepass changeit \
                -alias "$alias" -file "$certificate" >/dev/null 2>&1
        cp "$certificate" "$rootfs/usr/local/share/ca-certificates/"
    done
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 || true
}

# The fully qualified name a Docker client means by an image reference: eclipse-temurin:25-jre is
# docker.io/library/eclipse-temurin:25-jre. Tagging the stand-in with it makes every client resolve it locally.
qualified() {
    local name=$1 first=${1%%/*}
    if [[ $name != */* ]]; then
        echo "docker.io/library/$name"
    elif [[ $first != *.* && $first != *:* && $first != localhost ]]; then
        echo "docker.io/$name"
    else
        echo "$name"
    fi
}

make_standin() {
    local image major jdk rootfs kind=$2 base=$3
    image=$(qualified "$1")
    if podman image exists "$image"; then
        log "stand-in $image already exists"
        return
    fi
    major=$(java_major "$image")
    jdk=$(find_jdk "$major") || { log "no JDK $major under /usr/lib/jvm for the stand-in $image"; return 1; }
    log "building stand-in $image ($kind from $jdk)"
    rootfs=$(mktemp -d /var/tmp/standin.XXXXXX)
    cp -a "$base/." "$rootfs/"
    add_java "$rootfs" "$jdk" "$kind"
    tar --numeric-owner -C "$rootfs" -c . | podman import \
        --change 'ENV JAVA_HOME=/opt/java/openjdk' \
        --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["jshell"]' \
        --quiet - "$image" >/dev/null
    rm -rf "$rootfs"
}

install_packages
configure_podman

mapfile -t images < <(from_images)
if [ ${#images[@]} -lt 2 ]; then
    log "expected a build stage and a runtime stage in $DOCKERFILE, found FROM: ${images[*]:-none}"
    exit 1
fi
build_image=${images[0]}
runtime_image=${images[${#images[@]} - 1]}

if ! podman image exists "$(qualified "$build_image")" || ! podman image exists "$(qualified "$runtime_image")"; then
    base=$(mktemp -d /var/tmp/rootfs.XXXXXX)
    trap 'rm -rf "$base" "$base.log"' EXIT
    make_rootfs "$base"
    make_standin "$build_image" jdk "$base"
    make_standin "$runtime_image" jre "$base"
fi

# Proves the runtime works here (runtime, ulimits, cgroups) before any test relies on it.
java_version=$(podman run --rm --network none "$(qualified "$runtime_image")" java -version 2>&1)
log "a container runs: ${java_version%%$'\n'*}"
log "ready: build stage $build_image, runtime $runtime_image"
