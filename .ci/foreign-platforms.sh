#!/usr/bin/env bash
# Prepares what the foreign-architecture tests run on, from Debian packages, installing none of
# the foreign ones: Debian's OpenJDK 17 for arm64 (the native helper's aarch64 path) and for
# ppc64el (the OpenHFT/JNA fallback), run under qemu-user-static, and musl for arm64 (its loader,
# headers and start files: the aarch64 helper must load and pin under musl). Each package is fetched with `apt-get download` and
# unpacked with `dpkg-deb -x` into a cache directory; nothing is installed for those
# architectures. Idempotent: a tree that is complete is left as it is.
#
#   .ci/foreign-platforms.sh [CACHE_DIR]     (default: ~/.cache/affinity-agent/foreign)
#
# Prints the Maven options that point the tests at what it made (one line, for .ci/run):
#   -Daffinity.test.foreign.aarch64=DIR/arm64/jdk -Daffinity.test.foreign.ppc64le=DIR/ppc64el/jdk
#   -Daffinity.test.musl.aarch64=DIR/musl-arm64/ld-musl
# Each of those is a directory or script that runs the foreign binary under qemu-user (qemu's
# -L, so no binfmt registration is needed). Runs as root (apt-get); needs the network to Debian.
set -euo pipefail

cache="${1:-${HOME}/.cache/affinity-agent/foreign}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

log() { echo "[foreign-platforms] $*" >&2; }

# The foreign architectures' package lists, once. A mirror mid-sync can fail one index
# (apt-get update exits 100): what the other indexes give is enough when it has our packages.
need_update=0
for arch in arm64 ppc64el; do
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    dpkg --add-architecture "$arch"
    need_update=1
  fi
done
# Host tools: the emulator, and musl with musl-gcc for this CPU (the x86-64 helper's musl check).
missing=()
command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=(qemu-user-static)
[[ "$(uname -m)" != x86_64 ]] || command -v musl-gcc >/dev/null 2>&1 || missing+=(musl-tools)
cached=1
for tree in arm64 ppc64el musl-arm64; do
  [[ -f "$cache/$tree/.complete" ]] || cached=0
done
if ((need_update)) || ((${#missing[@]})) || { ((!cached)) && ! apt-cache show openjdk-17-jre-headless:ppc64el \
    openjdk-17-jre-headless:arm64 musl:arm64 >/dev/null 2>&1; }; then
  log "apt-get update (with arm64, ppc64el)"
  apt-get update -qq >/dev/null 2>&1 || log "apt-get update reported a problem; going on with the indexes it got"
fi
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# unpack ARCH ROOT PACKAGE...: download and unpack into ROOT, then make every absolute symlink
# inside ROOT relative, so that it stays inside ROOT (the loader's link, /lib64/ld64.so.2 ->
# /lib/powerpc64le-linux-gnu/ld64.so.2, would otherwise point at the host's files).
unpack() {
  local arch="$1" root="$2"
  shift 2
  local debs="$root.debs"
  rm -rf "$root" "$debs"
  mkdir -p "$root" "$debs"
  local pkgs=()
  for p in "$@"; do pkgs+=("$p:$arch"); done
  log "downloading ${pkgs[*]}"
  # _apt cannot write into a directory under root's home; download as root, unsandboxed.
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${pkgs[@]}" >/dev/null)
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
  (cd "$debs" && ls -1 *.deb) > "$root/.packages"
  rm -rf "$debs"
  local link target
  while IFS= read -r -d '' link; do
    target="$(readlink "$link")"
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
  done < <(find "$root" -type l -lname '/*' -print0)
}

# jdk ARCH QEMU JVMDIR: the JDK tree, and DIR/ARCH/jdk/bin/java, a script that runs it under qemu.
jdk() {
  local arch="$1" qemu="$2" jvmdir="$3"
  local root="$cache/$arch/root" home="$cache/$arch/jdk"
  if [[ -f "$cache/$arch/.complete" && -x "$home/bin/java" ]]; then
    log "$arch JDK 17: cached in $cache/$arch"
    return
  fi
  rm -f "$cache/$arch/.complete"
  unpack "$arch" "$root" openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g
  local java="$root/usr/lib/jvm/$jvmdir/bin/java"
  [[ -x "$java" ]] || { log "no $java in the unpacked packages"; exit 1; }
  mkdir -p "$home/bin"
  # exec: the JVM keeps the script's pid, which the tests and the attach API address it by.
  cat > "$home/bin/java" <<EOF
#!/bin/sh
exec "$(command -v "$qemu")" -L "$root" "$java" "\$@"
EOF
  chmod 755 "$home/bin/java"
  "$home/bin/java" -Xshare:off -version >/dev/null 2>&1 || { log "$home/bin/java -version failed"; "$home/bin/java" -Xshare:off -version; exit 1; }
  touch "$cache/$arch/.complete"
  log "$arch JDK 17: ready in $cache/$arch"
}

jdk arm64 qemu-aarch64-static java-17-openjdk-arm64
jdk ppc64el qemu-ppc64le-static java-17-openjdk-ppc64el

# musl for arm64: DIR/musl-arm64/ld-musl runs its loader under qemu (`ld-musl --list LIB`),
# DIR/musl-arm64/run runs a program linked against it; root/ has its headers and start files too.
musl="$cache/musl-arm64"
if [[ ! -f "$musl/.complete" || ! -f "$musl/root/usr/lib/aarch64-linux-musl/crt1.o" ]]; then
  rm -f "$musl/.complete"
  unpack arm64 "$musl/root" musl musl-dev
  cat > "$musl/ld-musl" <<EOF
#!/bin/sh
exec "$(command -v qemu-aarch64-static)" "$musl/root/lib/ld-musl-aarch64.so.1" "\$@"
EOF
  cat > "$musl/run" <<EOF
#!/bin/sh
exec "$(command -v qemu-aarch64-static)" -L "$musl/root" "\$@"
EOF
  chmod 755 "$musl/ld-musl" "$musl/run"
  touch "$musl/.complete"
fi
log "musl arm64 loader: ready in $musl"

echo "-Daffinity.test.foreign.aarch64=$cache/arm64/jdk -Daffinity.test.foreign.ppc64le=$cache/ppc64el/jdk" \
  "-Daffinity.test.musl.aarch64=$musl/ld-musl"
