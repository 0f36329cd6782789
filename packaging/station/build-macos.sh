#!/usr/bin/env bash
# Builds the driver station's macOS installer, on a Mac, from a tree built there (./mvnw package):
#   target/installer/rcdrive-station-<version>.dmg   (drag rcdrive station.app to Applications)
# The Maven build on a Mac picks that Mac's webrtc-java natives (macos-x86_64 or macos-aarch64)
# and JavaFX's mac jars; JInput's natives-all jar is trimmed to its macOS library here.
# Needs a JDK 17+ with jpackage (Xcode command line tools for hdiutil/codesign are part of macOS).
#
# Environment: VERSION (default: the project's without -SNAPSHOT; macOS wants 1-3 numbers, the
# first not 0, so 0.x versions are packaged as 1.x: set VERSION to override), TARGET, and for a
# signed app MAC_SIGN_IDENTITY ("Developer ID Application: …"; unsigned when empty: Gatekeeper
# then asks the user to allow it once, see README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
target=${TARGET:-$repo/target}
lib_in=$target/dist/lib
out=$target/installer
name="rcdrive station"

[ "$(uname -s)" = Darwin ] || { echo "build-macos.sh: run this on macOS" >&2; exit 1; }
[ -d "$lib_in" ] || { echo "build-macos.sh: $lib_in missing: run ./mvnw package first" >&2; exit 1; }
main_jar=$(basename "$(ls "$lib_in"/rcdrive-*.jar | head -n 1)")
maven_version=${main_jar#rcdrive-}
maven_version=${maven_version%.jar}
plain=${maven_version%-SNAPSHOT}
case $plain in 0.*) plain=1.${plain#0.} ;; esac
version=${VERSION:-$plain}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input=$work/input
mkdir -p "$input"
cp "$lib_in"/*.jar "$input/"
# Keep the Mac's native code only (JInput ships Windows and Linux libraries in one jar; JNA and
# Pi4J carry many platforms').
for jar in "$input"/*.jar; do
  others=$(unzip -Z1 "$jar" | grep -E '\.(so|dll|a)$' || true)
  # JNA keeps one library per platform under com/sun/jna/<platform>/: keep this Mac's.
  jna_others=$(unzip -Z1 "$jar" | grep -E '^com/sun/jna/.*\.jnilib$' \
    | grep -vE "darwin-$(uname -m | sed 's/x86_64/x86-64/;s/arm64/aarch64/')/" || true)
  all=$(printf '%s\n%s\n' "$others" "$jna_others" | grep -v '^$' || true)
  if [ -n "$all" ]; then
    # shellcheck disable=SC2086
    printf '%s\n' $all | zip -q -d "$jar" -@
  fi
done

modules=$(tr -d ' \n' < "$here/modules.txt") # the same runtime as on Linux and Windows
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$work/runtime"

mkdir -p "$out"
sign=()
if [ -n "${MAC_SIGN_IDENTITY:-}" ]; then
  sign=(--mac-sign --mac-signing-key-user-name "$MAC_SIGN_IDENTITY")
fi
jpackage --type dmg \
  --name "$name" \
  --app-version "$version" \
  --vendor "rcdrive" \
  --description "rcdrive driver station: drive a real RC car over the internet" \
  --dest "$out" \
  --input "$input" \
  --main-jar "$main_jar" \
  --main-class dev.rcdrive.cli.Main \
  --runtime-image "$work/runtime" \
  --icon "$repo/assets/icon.icns" \
  --mac-package-identifier dev.rcdrive.station \
  --mac-package-name "rcdrive station" \
  "${sign[@]}"
ls "$out"/*.dmg
