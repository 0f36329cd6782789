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
# --generate-cds-archive: the runtime's own class-data sharing archive (lib/server/classes.jsa),
# made at build time: the JDK's classes. The station's own classes go into lib/rcdrive.jsa, which
# lib/rcdrive-cds makes where the jars lie (an archive of application classes is bound to their
# absolute paths): for the app image below at build time, and by the .deb's postinst once installed.
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --generate-cds-archive --output "$work/runtime"

mkdir -p "$out"
rm -rf "${out:?}/$name" "$out"/*.deb
common=(
  --name "$name"
  --app-version "$version"
  --vendor "rcdrive"
  --description "rcdrive driver station: drive a real RC car over the internet"
  --copyright "rcdrive contributors"
)
# C2 compiles later than by default, and the heap takes huge pages where the kernel offers them,
# as bin/rcdrive does for the station (the reasons are there).
start_flags=()
for option in -XX:Tier4InvocationThreshold=80000 -XX:Tier4MinInvocationThreshold=9600 \
  -XX:Tier4CompileThreshold=240000 -XX:Tier4BackEdgeThreshold=640000 \
  -XX:+UseTransparentHugePages -Xlog:pagesize=off; do
  start_flags+=(--java-options "$option")
done
jpackage --type app-image "${common[@]}" \
  --dest "$out" \
  --input "$input" \
  --main-jar "$main_jar" \
  --main-class dev.rcdrive.cli.Main \
  --runtime-image "$work/runtime" \
  --icon "$repo/assets/icon.png" \
  --java-options "-Xss1m" \
  --java-options '-XX:SharedArchiveFile=$APPDIR/../rcdrive.jsa' \
  --java-options "-Xshare:auto" \
  "${start_flags[@]}"
# The launcher: a script that starts the runtime's java as the .cfg says, instead of jpackage's
# native launcher, which asks rpm and dpkg which package owns it at every start (0.3–0.5 s; the
# script's own comment says more). Its library goes with it.
install -m 0755 "$here/$name" "$out/$name/bin/$name"
rm -f "$out/$name/lib/libapplauncher.so"
install -m 0755 "$here/rcdrive-cds" "$out/$name/lib/rcdrive-cds"
install -m 0644 "$repo/src/dist/cds/rcdrive.classlist" "$out/$name/lib/rcdrive.classlist"
# The app image's own archive, for its path here; a failure only leaves it to start without one.
"$out/$name/lib/rcdrive-cds" || echo "build-linux.sh: the app image has no CDS archive" >&2
echo "$out/$name"

if [[ " $types " == *" deb "* ]]; then
  # The .deb is put together here with dpkg-deb, not with jpackage --type deb: jpackage's package
  # registers its menu entry with xdg-desktop-menu in postinst/prerm, which exits 3 on a desktop
  # without /usr/share/desktop-directories (a bare window manager) and leaves the package
  # half-installed and impossible to remove. Here every file is dpkg's own (the menu entry in
  # /usr/share/applications, the icon in the hicolor theme; the desktop-file-utils and
  # hicolor-icon-theme triggers refresh their caches). The only maintainer scripts make and remove
  # the class-data sharing archive (postinst: lib/rcdrive-cds, whose failure only prints a line;
  # prerm: the archive, which is not dpkg's file), so remove and purge leave nothing behind.
  for tool in dpkg-deb fakeroot dpkg-shlibdeps; do
    command -v "$tool" >/dev/null \
      || { echo "build-linux.sh: the .deb needs $tool (apt-get install dpkg-dev fakeroot)" >&2; exit 1; }
  done
  deb_version=$version-1
  root=$work/deb
  install -d "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/doc/$name"
  cp -a "$out/$name" "$root/opt/$name"
  rm -f "$root/opt/$name/lib/rcdrive.jsa" # made for the build's path: postinst makes the real one
  install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$root/DEBIAN/"
  ln -s "/opt/$name/bin/$name" "$root/usr/bin/$name"
  install -m 0644 "$here/$name.desktop" "$root/usr/share/applications/$name.desktop"
  install -m 0644 "$repo/assets/icon.png" "$root/usr/share/icons/hicolor/256x256/apps/$name.png"
  install -m 0644 "$here/copyright" "$root/usr/share/doc/$name/copyright"

  # Depends: what the package's ELF files link, found by dpkg-shlibdeps as Debian's own packages
  # do, including the native libraries inside the jars (webrtc-java's, JavaFX's, JInput's), which
  # are unpacked for the scan only. Libraries the package carries itself (the Java runtime's) are
  # looked up in its own folders. GTK 3 and OpenGL are opened by JavaFX at run time (dlopen), so
  # no ELF names them: they are added by hand.
  scan=$work/scan
  mkdir -p "$scan/jars" "$scan/debian"
  for jar in "$root/opt/$name/lib/app"/*.jar; do
    if unzip -Z1 "$jar" | grep -qE '\.so$'; then
      unzip -q -o "$jar" '*.so' -d "$scan/jars/$(basename "$jar" .jar)"
    fi
  done
  mapfile -t elves < <(find "$root/opt/$name" "$scan/jars" -type f \( -name '*.so' -o -perm -u+x \) \
    -exec sh -c 'head -c 4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
  printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$name" "$name" > "$scan/debian/control"
  private_dirs=()
  while IFS= read -r dir; do private_dirs+=("-l$dir"); done \
    < <(find "$root/opt/$name" "$scan/jars" -name '*.so' -printf '%h\n' | sort -u)
  # (It warns about every runtime library without a version in its name: noise, kept out of sight
  # unless the scan fails.)
  shlibs=$(cd "$scan" && dpkg-shlibdeps -O "${private_dirs[@]}" "${elves[@]}" 2>"$scan/warnings" \
    | sed -n 's/^shlibs:Depends=//p') || true
  [ -n "$shlibs" ] || { cat "$scan/warnings" >&2; echo "build-linux.sh: dpkg-shlibdeps failed" >&2; exit 1; }
  depends="$shlibs, libgtk-3-0, libgl1"

  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  cat > "$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $deb_version
Architecture: $deb_arch
Maintainer: rcdrive <rcdrive@users.noreply.github.com>
Section: games
Priority: optional
Installed-Size: $size
Depends: $depends
Homepage: https://github.com/rcdrive/rcdrive
Description: rcdrive driver station: drive a real RC car over the internet
 Shows the car's camera with very little delay and sends the driver's keyboard or
 game-controller input to the car over WebRTC. With no car configured it starts a
 simulated demo car to drive at once.
CONTROL
  deb=$out/${name}_${deb_version}_${deb_arch}.deb
  # gzip: 6 s and 56 MB here; xz: 80 s for 53 MB (the jars and the jlinked runtime are compressed
  # already).
  fakeroot dpkg-deb -Zgzip --build "$root" "$deb" >/dev/null
  echo "$deb"
fi
