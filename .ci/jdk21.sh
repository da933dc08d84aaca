#!/usr/bin/env bash
# Provides JDK 21 for the integration tests without installing anything: Debian 13 (trixie)'s
# openjdk-21-jdk-headless is fetched with `apt-get download` through a private sources list
# (the system's apt configuration and package state are not touched), extracted with
# `dpkg-deb -x` together with trixie's own libc6 and the few libraries the JVM links, and run
# through that libc's loader by a small wrapper. Prints the JDK home to use as
# -Daffinity.test.jdk21=HOME on stdout; everything else goes to stderr.
#
# Idempotent and cached: a second run with the wrapper in place prints the home at once.
# Cache: $AFFINITY_CACHE/jdk21, by default /var/cache/affinity-agent/jdk21 for root (readable by
# the other uid some tests run a JVM as; root's home is not) and ~/.cache/affinity-agent/jdk21
# for anyone else. Delete it to start over. integration-tests' Jdk.java looks in the same places.
set -euo pipefail

if [[ -z "${AFFINITY_CACHE:-}" ]]; then
  if [[ "$(id -u)" == 0 ]]; then
    AFFINITY_CACHE=/var/cache/affinity-agent
  else
    AFFINITY_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/affinity-agent"
  fi
fi
cache="$AFFINITY_CACHE/jdk21"
home="$cache/home"          # what the tests get: bin/java is the wrapper
root="$cache/root"          # the extracted packages
jvm="$root/usr/lib/jvm/java-21-openjdk-amd64"
layout=2  # bump when what this script lays out changes: a cache of another layout is redone

if [[ "$(cat "$home/layout" 2>/dev/null)" == "$layout" ]] && "$home/bin/java" -version >/dev/null 2>&1; then
  echo "$home"
  exit 0
fi

if [[ "$(uname -m)" != x86_64 ]]; then
  echo "jdk21.sh: fetches the amd64 packages only; this machine is $(uname -m)" >&2
  exit 1
fi

# Trixie's JDK and what its launcher and libjvm.so link: its own libc (glibc 2.41, newer than
# the system's), the C++ runtime and zlib. Nothing else is needed by a headless JVM that runs no
# AWT, sound or smart-card code.
packages=(openjdk-21-jdk-headless openjdk-21-jre-headless libc6 libstdc++6 libgcc-s1 zlib1g)

apt="$cache/apt"
rm -rf "$root" "$home" "$apt/debs"
umask 022  # the JDK must be readable and runnable by other users
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sourceparts" "$apt/preferencesparts" \
  "$apt/debs" "$root" "$home/bin"
cat >"$apt/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
apt_opts=(
  -o "Dir::Etc::sourcelist=$apt/sources.list"
  -o "Dir::Etc::sourceparts=$apt/sourceparts"
  -o "Dir::Etc::preferences=$apt/preferences"
  -o "Dir::Etc::preferencesparts=$apt/preferencesparts"
  -o "Dir::State::Lists=$apt/lists"
  -o "Dir::Cache=$apt/cache"
  -o "Dir::State::status=$apt/status"
  -o "APT::Get::List-Cleanup=0"
  -o "APT::Sandbox::User=root"  # root downloads into its own cache; no _apt hand-over
)
: >"$apt/status"  # an empty package state: nothing of the system's is looked at
echo "jdk21.sh: fetching Debian trixie's openjdk-21-jdk-headless into $cache" >&2
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$apt/debs" && apt-get "${apt_opts[@]}" -qq download "${packages[@]}" >&2)

for deb in "$apt/debs"/*.deb; do
  dpkg-deb -x "$deb" "$root"
done

# Debian's JDK points at its configuration in /etc with absolute links (lib/jvm.cfg,
# conf/security/java.security ...), and libc6 lays out the loader through /lib64: make every
# absolute link point into the extracted tree instead of this machine's /.
while IFS= read -r -d '' link; do
  target="$(readlink "$link")"
  if [[ "$target" == /* ]]; then
    ln -sfn "$root$target" "$link"
  fi
done < <(find "$root" -type l -print0)

loader="$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
libs="$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu:$jvm/lib:$jvm/lib/server"
[[ -e "$loader" ]] || { echo "jdk21.sh: no loader at $loader" >&2; exit 1; }
[[ -x "$jvm/bin/java" ]] || { echo "jdk21.sh: no java at $jvm/bin/java" >&2; exit 1; }

# The wrapper runs trixie's java through trixie's loader. The launcher finds the JDK home from
# libjli.so's own path (the executable it sees is the loader), so the JDK needs no other help.
cat >"$home/bin/java" <<EOF
#!/bin/sh
# JDK 21 from Debian trixie, run through trixie's own loader (written by .ci/jdk21.sh).
exec "$loader" --library-path "$libs" --argv0 "$jvm/bin/java" "$jvm/bin/java" "\$@"
EOF
chmod 0755 "$home/bin/java"
echo "$jvm" >"$home/real-home"

# The JVM starts child processes through lib/jspawnhelper, which the kernel would run with this
# machine's loader and libc (too old for it): it goes through trixie's loader as well. It talks
# to the JVM over inherited file descriptors, which the exec chain keeps.
mv "$jvm/lib/jspawnhelper" "$jvm/lib/jspawnhelper.trixie"
cat >"$jvm/lib/jspawnhelper" <<EOF
#!/bin/sh
exec "$loader" --library-path "$libs" "$jvm/lib/jspawnhelper.trixie" "\$@"
EOF
chmod 0755 "$jvm/lib/jspawnhelper"

if ! version="$("$home/bin/java" -version 2>&1)"; then
  echo "jdk21.sh: the extracted JDK 21 does not start:" >&2
  echo "$version" >&2
  exit 1
fi
# A child process started from Java (through jspawnhelper) must run as well.
cat >"$cache/SpawnCheck.java" <<'EOF'
public class SpawnCheck {
    public static void main(String[] args) throws Exception {
        Process p = new ProcessBuilder("true").start();
        System.out.print(p.waitFor() == 0 ? "spawned" : "exit " + p.exitValue());
    }
}
EOF
if ! spawned="$("$home/bin/java" "$cache/SpawnCheck.java" 2>&1)" || [[ "$spawned" != spawned ]]; then
  echo "jdk21.sh: the extracted JDK 21 cannot start a child process: $spawned" >&2
  exit 1
fi
echo "$layout" >"$home/layout"
echo "jdk21.sh: $(echo "$version" | head -1)" >&2
echo "$home"
