#!/usr/bin/env bash
# Builds the Raspberry Pi agent packages from a built tree (./mvnw package):
#   target/packages/rcdrive-agent_<version>_arm64.deb    64-bit Raspberry Pi OS (Pi 3, 4, 5, Zero 2 W)
#   target/packages/rcdrive-agent_<version>_armhf.deb    32-bit Raspberry Pi OS (ARMv7: Pi 2, 3, 4, Zero 2 W)
#   target/packages/rcdrive-agent-<version>-linux-<aarch64|armhf>.tar.gz   the same for a manual install
# usage: build.sh [arm64] [armhf]     (default: both; prints each .deb and tarball path, in order)
#
# The jar and its dependencies minus what only the station needs (JavaFX, AtlantaFX, JInput,
# per-user folders), and native code for the target only: every jar is searched for native
# libraries, whatever it is, and only ELF shared objects for the target's machine and ABI (and
# not for another OS) stay in it. So a new dependency with natives is covered without a change
# here; AgentPackageIT then checks the libraries those natives need against the Depends line.
# ARMv6 (Pi Zero/1) is not a target: webrtc-java publishes no native code for it.
# Needs dpkg-deb (any Debian), zip, unzip, od and gzip; no root (dpkg-deb --root-owner-group).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${TARGET:-$repo/target}
lib_in=$target/dist/lib
natives=$target/pi-natives
man_page=$target/man/rcdrive.1
out=$target/packages
[ -d "$lib_in" ] || { echo "build.sh: $lib_in missing: run ./mvnw package first" >&2; exit 1; }
[ -f "$man_page" ] || { echo "build.sh: $man_page missing: run ./mvnw package first" >&2; exit 1; }
main_jar=$(ls "$lib_in"/rcdrive-*.jar | head -n 1)
maven_version=$(basename "$main_jar" .jar | sed 's/^rcdrive-//')
# Debian orders "~" before anything: 0.1.0~snapshot < 0.1.0.
version=${VERSION:-${maven_version/-SNAPSHOT/~snapshot}}
arches=("$@")
[ "${#arches[@]}" -gt 0 ] || arches=(arm64 armhf)

# elf_target FILE: "arm64" or "armhf" when FILE is an ELF object for that Debian architecture
# (little-endian; AArch64; or 32-bit ARM EABI with the hard-float flag), else "other".
elf_target() {
  local -a b
  read -r -a b <<<"$(od -An -v -tu1 -N52 "$1" | tr '\n' ' ')"
  if [ "${#b[@]}" -lt 52 ] || [ "${b[0]}" != 127 ] || [ "${b[1]}" != 69 ] \
    || [ "${b[2]}" != 76 ] || [ "${b[3]}" != 70 ] || [ "${b[5]}" != 1 ]; then
    echo other; return
  fi
  local class=${b[4]} machine=$((b[18] + 256 * b[19]))
  if [ "$class" = 2 ] && [ "$machine" = 183 ]; then
    echo arm64
  elif [ "$class" = 1 ] && [ "$machine" = 40 ] && [ $((b[37] & 4)) != 0 ]; then
    echo armhf   # e_flags & EF_ARM_ABI_FLOAT_HARD (0x400)
  else
    echo other
  fi
}

# A native entry built for another OS, by its path (BSD and Linux objects look alike in the ELF
# header: JNA ships freebsd-aarch64 beside linux-aarch64).
other_os='(^|[/_.-])(freebsd|openbsd|netbsd|dragonflybsd|dragonfly|sunos|solaris|aix|darwin|macos|osx|mac|win32|win64|windows|android|musl)([/_.-]|$)'
native_entry='\.(so(\.[0-9]+)*|dll|dylib|jnilib|a)$'

# strip_natives JAR ARCH: deletes every native library in JAR that is not for ARCH on Linux.
strip_natives() {
  local jar=$1 arch=$2 entry drop=() head
  head=$(mktemp)
  while IFS= read -r entry; do
    [ -n "$entry" ] || continue
    if printf '%s\n' "$entry" | grep -qiE "$other_os"; then
      drop+=("$entry"); continue
    fi
    unzip -p "$jar" "$entry" | head -c 64 >"$head" || true
    [ "$(elf_target "$head")" = "$arch" ] || drop+=("$entry")
  done < <(unzip -Z1 "$jar" | grep -E "$native_entry" || true)
  rm -f "$head"
  if [ "${#drop[@]}" -gt 0 ]; then
    printf '%s\n' "${drop[@]}" | zip -q -d "$jar" -@
  fi
}

build() {
  local arch=$1 webrtc_classifier tar_arch
  case $arch in
    arm64) webrtc_classifier=linux-aarch64 tar_arch=linux-aarch64 ;;
    armhf) webrtc_classifier=linux-aarch32 tar_arch=linux-armhf ;;
    *) echo "build.sh: unknown architecture $arch (arm64 or armhf)" >&2; exit 2 ;;
  esac
  local webrtc_jar
  webrtc_jar=$(ls "$natives"/webrtc-java-*-"$webrtc_classifier".jar 2>/dev/null | head -n 1)
  [ -n "$webrtc_jar" ] || { echo "build.sh: no $webrtc_classifier webrtc-java jar in $natives" >&2; exit 1; }

  local work app jar name
  work=$scratch/$arch
  mkdir -p "$work"
  app=$work/app
  mkdir -p "$app/bin" "$app/lib"
  install -m 0755 "$repo/src/dist/bin/rcdrive" "$repo/src/dist/bin/rcdrive-cds" "$app/bin/"
  # The class list for the class-data sharing archive, which postinst makes with the Pi's own JVM.
  install -d "$app/cds"
  install -m 0644 "$repo/src/dist/cds/rcdrive.classlist" "$repo/src/dist/cds/agent.classlist" "$app/cds/"
  for jar in "$lib_in"/*.jar; do
    name=$(basename "$jar")
    case $name in
      javafx-*|atlantafx-*|jinput-*|directories-*) continue ;;   # the station's, not the car's
      webrtc-java-*-*.jar) continue ;;                           # the build machine's natives
    esac
    cp "$jar" "$app/lib/"
  done
  cp "$webrtc_jar" "$app/lib/"
  for jar in "$app"/lib/*.jar; do
    strip_natives "$jar" "$arch"
  done

  mkdir -p "$out"
  # --- plain tarball: bin/ lib/ and the system files beside them -------------------------------
  local tarroot=$work/rcdrive-agent-$maven_version
  mkdir -p "$tarroot"
  cp -r "$app/bin" "$app/lib" "$app/cds" "$tarroot/"
  install -m 0644 "$here/agent.example.json" "$here/rcdrive-agent.service" "$here/agent.env" \
    "$man_page" "$tarroot/"
  local tarball=$out/rcdrive-agent-$maven_version-$tar_arch.tar.gz
  tar -C "$work" --owner=0 --group=0 -czf "$tarball" "rcdrive-agent-$maven_version"

  # --- .deb --------------------------------------------------------------------------------------
  local root=$work/deb
  install -d "$root/DEBIAN" "$root/usr/share/rcdrive" "$root/usr/bin" "$root/etc/rcdrive" \
    "$root/lib/systemd/system" "$root/usr/share/doc/rcdrive-agent" "$root/usr/share/man/man1"
  cp -r "$app/bin" "$app/lib" "$app/cds" "$root/usr/share/rcdrive/"
  ln -s ../share/rcdrive/bin/rcdrive "$root/usr/bin/rcdrive"
  install -m 0644 "$here/agent.example.json" "$root/etc/rcdrive/agent.json"
  install -m 0640 "$here/agent.env" "$root/etc/rcdrive/agent.env"
  install -m 0644 "$here/rcdrive-agent.service" "$root/lib/systemd/system/rcdrive-agent.service"
  install -m 0644 "$here/agent.example.json" "$root/usr/share/doc/rcdrive-agent/agent.example.json"
  install -m 0644 "$repo/README.md" "$root/usr/share/doc/rcdrive-agent/README.md"
  gzip -9n <"$man_page" >"$root/usr/share/man/man1/rcdrive.1.gz"
  chmod 0644 "$root/usr/share/man/man1/rcdrive.1.gz"
  install -m 0644 "$here/debian/conffiles" "$root/DEBIAN/conffiles"
  local script
  for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
  done
  local size
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@ARCH@/$arch/" \
    "$here/debian/control" >"$root/DEBIAN/control"
  local deb=$out/rcdrive-agent_${version}_$arch.deb
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
  echo "$deb"
  echo "$tarball"
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for arch in "${arches[@]}"; do
  build "$arch"
done
