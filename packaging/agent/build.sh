#!/usr/bin/env bash
# Builds the Raspberry Pi agent packages from a built tree (./mvnw package):
#   target/packages/rcdrive-agent_<version>_arm64.deb
#   target/packages/rcdrive-agent-<version>-linux-aarch64.tar.gz
# The jar and its dependencies minus what only the station needs (JavaFX, AtlantaFX, JInput,
# per-user folders), and native code for linux-aarch64 only (webrtc-java, JNA, Pi4J).
# Needs dpkg-deb (any Debian), zip and unzip; no root (dpkg-deb --root-owner-group).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${TARGET:-$repo/target}
lib_in=$target/dist/lib
natives=$target/pi-natives
out=$target/packages
[ -d "$lib_in" ] || { echo "build.sh: $lib_in missing: run ./mvnw package first" >&2; exit 1; }
aarch64_jar=$(ls "$natives"/webrtc-java-*-linux-aarch64.jar 2>/dev/null | head -n 1)
[ -n "$aarch64_jar" ] || { echo "build.sh: no linux-aarch64 webrtc-java jar in $natives" >&2; exit 1; }
main_jar=$(ls "$lib_in"/rcdrive-*.jar | head -n 1)
maven_version=$(basename "$main_jar" .jar | sed 's/^rcdrive-//')
# Debian orders "~" before anything: 0.1.0~snapshot < 0.1.0.
version=${VERSION:-${maven_version/-SNAPSHOT/~snapshot}}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
app=$work/app
mkdir -p "$app/bin" "$app/lib"
install -m 0755 "$repo/src/dist/bin/rcdrive" "$repo/src/dist/bin/rcdrive-cds" "$app/bin/"
# The class list for the class-data sharing archive, which postinst makes with the Pi's own JVM.
install -d "$app/cds"
install -m 0644 "$repo/src/dist/cds/rcdrive.classlist" "$app/cds/"
for jar in "$lib_in"/*.jar; do
  name=$(basename "$jar")
  case $name in
    javafx-*|atlantafx-*|jinput-*|directories-*) continue ;;   # the station's, not the car's
    webrtc-java-*-*.jar) continue ;;                           # the build machine's natives
  esac
  cp "$jar" "$app/lib/"
done
cp "$aarch64_jar" "$app/lib/"
# JNA and Pi4J ship several platforms' natives in one jar (JNA: all of them, Pi4J: armhf too):
# keep the aarch64 ones only, so the package holds no code it could never run.
for jar in "$app"/lib/*.jar; do
  others=$(unzip -Z1 "$jar" | grep -E '\.(so|dll|dylib|jnilib|a)$' | grep -v 'aarch64' || true)
  if [ -n "$others" ]; then
    # shellcheck disable=SC2086
    printf '%s\n' $others | zip -q -d "$jar" -@
  fi
done

mkdir -p "$out"
# --- plain tarball: bin/ lib/ and the system files beside them ---------------------------------
tarroot=$work/rcdrive-agent-$maven_version
mkdir -p "$tarroot"
cp -r "$app/bin" "$app/lib" "$app/cds" "$tarroot/"
install -m 0644 "$here/agent.example.json" "$here/rcdrive-agent.service" "$here/agent.env" "$tarroot/"
tarball=$out/rcdrive-agent-$maven_version-linux-aarch64.tar.gz
tar -C "$work" --owner=0 --group=0 -czf "$tarball" "rcdrive-agent-$maven_version"

# --- .deb ----------------------------------------------------------------------------------------
root=$work/deb
install -d "$root/DEBIAN" "$root/usr/share/rcdrive" "$root/usr/bin" "$root/etc/rcdrive" \
  "$root/lib/systemd/system" "$root/usr/share/doc/rcdrive-agent"
cp -r "$app/bin" "$app/lib" "$app/cds" "$root/usr/share/rcdrive/"
ln -s ../share/rcdrive/bin/rcdrive "$root/usr/bin/rcdrive"
install -m 0644 "$here/agent.example.json" "$root/etc/rcdrive/agent.json"
install -m 0640 "$here/agent.env" "$root/etc/rcdrive/agent.env"
install -m 0644 "$here/rcdrive-agent.service" "$root/lib/systemd/system/rcdrive-agent.service"
install -m 0644 "$here/agent.example.json" "$root/usr/share/doc/rcdrive-agent/agent.example.json"
install -m 0644 "$repo/README.md" "$root/usr/share/doc/rcdrive-agent/README.md"
install -m 0644 "$here/debian/conffiles" "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
done
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/debian/control" > "$root/DEBIAN/control"
deb=$out/rcdrive-agent_${version}_arm64.deb
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "$deb"
echo "$tarball"
