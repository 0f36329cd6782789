#!/usr/bin/env bash
# Builds the signaling server packages from a built tree (./mvnw package):
#   target/packages/rcdrive-signal_<version>_amd64.deb   x86-64 VPS
#   target/packages/rcdrive-signal_<version>_arm64.deb   ARM VPS (Ampere, Graviton, a Pi at home)
# usage: build.sh [amd64] [arm64]   (default: both; prints each .deb path, in order)
#
# The server is plain Java on the distribution's JDK 17 (docs/decisions/0018): the jar and its
# dependencies minus the station's (JavaFX, AtlantaFX, JInput, per-user folders) and minus every
# webrtc-java native jar: signaling and init never touch WebRTC. So the two packages hold the same
# files; each is tagged with its architecture so apt on that machine takes it as its own.
# Needs dpkg-deb and gzip; no root (dpkg-deb --root-owner-group).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${TARGET:-$repo/target}
lib_in=$target/dist/lib
man_page=$target/man/rcdrive.1
out=$target/packages
[ -d "$lib_in" ] || { echo "build.sh: $lib_in missing: run ./mvnw package first" >&2; exit 1; }
[ -f "$man_page" ] || { echo "build.sh: $man_page missing: run ./mvnw package first" >&2; exit 1; }
main_jar=$(ls "$lib_in"/rcdrive-*.jar | head -n 1)
maven_version=$(basename "$main_jar" .jar | sed 's/^rcdrive-//')
version=${VERSION:-${maven_version/-SNAPSHOT/~snapshot}}
arches=("$@")
[ "${#arches[@]}" -gt 0 ] || arches=(amd64 arm64)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for arch in "${arches[@]}"; do
  case $arch in
    amd64|arm64) ;;
    *) echo "build.sh: unknown architecture $arch (amd64 or arm64)" >&2; exit 2 ;;
  esac
  root=$scratch/$arch
  app=$root/usr/share/rcdrive-signal
  install -d "$root/DEBIAN" "$app/bin" "$app/lib" "$root/usr/bin" "$root/etc/rcdrive" \
    "$root/lib/systemd/system" "$root/usr/share/doc/rcdrive-signal" "$root/usr/share/man/man1" \
    "$root/etc/letsencrypt/renewal-hooks/deploy"
  install -m 0755 "$repo/src/dist/bin/rcdrive" "$app/bin/rcdrive"
  for jar in "$lib_in"/*.jar; do
    name=$(basename "$jar")
    case $name in
      javafx-*|atlantafx-*|jinput-*|directories-*) continue ;;   # the station's
      webrtc-java-*-*.jar) continue ;;                           # natives: no WebRTC here
    esac
    install -m 0644 "$jar" "$app/lib/"
  done
  ln -s ../share/rcdrive-signal/bin/rcdrive "$root/usr/bin/rcdrive"
  install -m 0640 "$here/signal.env" "$root/etc/rcdrive/signal.env"
  install -m 0755 "$here/certbot-deploy-hook" "$root/etc/letsencrypt/renewal-hooks/deploy/rcdrive-signal"
  install -m 0644 "$here/rcdrive-signal.service" "$root/lib/systemd/system/rcdrive-signal.service"
  install -m 0644 "$here/signal.example.json" "$repo/docs/server.md" "$repo/README.md" \
    "$root/usr/share/doc/rcdrive-signal/"
  gzip -9n <"$man_page" >"$root/usr/share/man/man1/rcdrive.1.gz"
  chmod 0644 "$root/usr/share/man/man1/rcdrive.1.gz"
  install -m 0644 "$here/debian/conffiles" "$root/DEBIAN/conffiles"
  for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
  done
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@ARCH@/$arch/" \
    "$here/debian/control" >"$root/DEBIAN/control"
  mkdir -p "$out"
  deb=$out/rcdrive-signal_${version}_$arch.deb
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
  echo "$deb"
done
