#!/usr/bin/env bash
# Builds the driver station's Linux installer from a built tree (./mvnw package):
#   target/installer/rcdrive-station_<version>_<arch>.deb   (Debian, Ubuntu, …)
#   target/installer/rcdrive-station/                       (the app image inside it)
# A jlinked Java runtime with only the modules the station uses, the station's jars with native
# code for this OS and architecture only, a desktop entry and the icon. Nobody needs a JDK or
# Maven to install it. Needs a JDK 17+ (jlink, jpackage), dpkg-deb and fakeroot; no root.
#
# Environment: VERSION (default: the project's, without -SNAPSHOT: jpackage and Debian want a
# plain version), TARGET (default: ./target), TYPES (default "app-image deb").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${TARGET:-$repo/target}
lib_in=$target/dist/lib
out=$target/installer
types=${TYPES:-app-image deb}
name=rcdrive-station

[ -d "$lib_in" ] || { echo "build-linux.sh: $lib_in missing: run ./mvnw package first" >&2; exit 1; }
for tool in jlink jpackage; do
  command -v "$tool" >/dev/null || { echo "build-linux.sh: $tool not found (a JDK 17+ has it)" >&2; exit 1; }
done
main_jar=$(basename "$(ls "$lib_in"/rcdrive-*.jar | head -n 1)")
maven_version=${main_jar#rcdrive-}
maven_version=${maven_version%.jar}
version=${VERSION:-${maven_version%-SNAPSHOT}}

# The architecture's names: Debian's (amd64, arm64) and the ones native paths use in jars.
case $(uname -m) in
  x86_64) deb_arch=amd64; keep='linux-x86-64|linux-x86_64|linux64|x86_64|amd64' ;;
  aarch64) deb_arch=arm64; keep='linux-aarch64|aarch64|arm64' ;;
  *) echo "build-linux.sh: no installer for $(uname -m)" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input=$work/input
mkdir -p "$input"
cp "$lib_in"/*.jar "$input/"
# Native code for other systems is dead weight, and JInput's natives-all jar holds Windows and
# macOS libraries too: keep this OS's and architecture's only (JavaFX's and webrtc-java's jars
# are per-platform already).
for jar in "$input"/*.jar; do
  others=$(unzip -Z1 "$jar" | grep -E '\.(so|dll|dylib|jnilib|a)$' | grep -vE "$keep" || true)
  # A jar for many systems (junixsocket's, the agent's) names the OS beside the architecture
  # (amd64-Windows10-clang, x86_64-MacOSX-clang): only Linux's stays.
  foreign=$(unzip -Z1 "$jar" | grep -E '\.(so|dll|dylib|jnilib|a)$' \
    | grep -iE 'macosx|darwin|windows|freebsd|openbsd|netbsd|dragonfly|sunos|solaris|aix' || true)
  others=$(printf '%s\n%s\n' "$others" "$foreign" | sed '/^$/d' | sort -u)
  # JavaFX's linux jars keep their libraries at the top level without an architecture in the name.
  case $(basename "$jar") in
    javafx-*-linux.jar | javafx-*-linux-aarch64.jar) others= ;;
  esac
  if [ -n "$others" ]; then
    # shellcheck disable=SC2086
    printf '%s\n' $others | zip -q -d "$jar" -@
  fi
done

# The runtime: the modules the station and its libraries use, one list for every system's
# installer (modules.txt: what jdeps finds in the jars, plus the TLS elliptic curves for wss:// and
# jdk.unsupported for JavaFX).
modules=$(tr -d ' \n' < "$here/modules.txt")
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$work/runtime"

mkdir -p "$out"
rm -rf "${out:?}/$name" "$out"/*.deb
common=(
  --name "$name"
  --app-version "$version"
  --vendor "rcdrive"
  --description "rcdrive driver station: drive a real RC car over the internet"
  --copyright "rcdrive contributors"
)
jpackage --type app-image "${common[@]}" \
  --dest "$out" \
  --input "$input" \
  --main-jar "$main_jar" \
  --main-class dev.rcdrive.cli.Main \
  --runtime-image "$work/runtime" \
  --icon "$repo/assets/icon.png" \
  --java-options "-Xss1m"
echo "$out/$name"

if [[ " $types " == *" deb "* ]]; then
  command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null \
    || { echo "build-linux.sh: the .deb needs dpkg-deb and fakeroot" >&2; exit 1; }
  # jpackage works out the libraries the runtime links (libc, zlib, …); the window needs GTK 3
  # and the WebRTC library PulseAudio's client library, which it cannot see: name them.
  jpackage --type deb "${common[@]}" \
    --dest "$out" \
    --app-image "$out/$name" \
    --linux-package-name "$name" \
    --linux-deb-maintainer "rcdrive@users.noreply.github.com" \
    --linux-menu-group "Game" \
    --linux-app-category games \
    --linux-shortcut \
    --linux-package-deps "libgtk-3-0, libpulse0, libgl1, libxtst6" \
    --icon "$repo/assets/icon.png" \
    --about-url "https://github.com/rcdrive/rcdrive"
  ls "$out/${name}_${version}"*"_${deb_arch}.deb"
fi
