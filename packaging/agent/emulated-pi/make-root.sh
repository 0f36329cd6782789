#!/usr/bin/env bash
# Makes (once) a clean Debian bookworm root for a Raspberry Pi architecture, to be run under qemu
# user emulation, and prints its path. Used by the emulated-Pi test (EmulatedPiIT,
# ./mvnw -Ppi-emulated verify); see docs/emulated-pi.md.
#   make-root.sh arm64|armhf
# Needs root, debootstrap, qemu-user-static and binfmt-support (Debian packages); registers the
# qemu interpreters with the kernel when they are not.
#
# The root is cached outside target/ (a `mvn clean` must not redo minutes of emulated
# debootstrap): $RCDRIVE_PI_CACHE, default ~/.cache/rcdrive/pi-roots. It holds what debootstrap
# made (--variant=minbase: less than Raspberry Pi OS Lite has, so a missing dependency shows) and
# the apt package lists; no rcdrive dependency is installed in it, so each run installs the
# package into a copy of it as a user's fresh system would. Delete the folder to start over.
set -euo pipefail
arch=${1:?usage: make-root.sh arm64|armhf}
case $arch in
  arm64) qemu=aarch64 ;;
  armhf) qemu=arm ;;
  *) echo "make-root.sh: unknown architecture $arch (arm64 or armhf)" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "make-root.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
for tool in debootstrap qemu-$qemu-static update-binfmts; do
  command -v "$tool" >/dev/null || {
    echo "make-root.sh: $tool missing: apt-get install debootstrap qemu-user-static binfmt-support" >&2
    exit 1
  }
done

# The kernel must hand foreign binaries to qemu, with the interpreter opened at registration
# (flag F), so it works inside a chroot that has no qemu of its own.
binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/status" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
if ! grep -q '^enabled' "$binfmt/qemu-$qemu" 2>/dev/null; then
  update-binfmts --enable "qemu-$qemu" >/dev/null
fi
grep -q '^flags: .*F' "$binfmt/qemu-$qemu" || {
  echo "make-root.sh: qemu-$qemu is registered without flag F; chroots cannot use it" >&2
  exit 1
}

cache=${RCDRIVE_PI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rcdrive/pi-roots}
root=$cache/bookworm-$arch
if [ -f "$root/.rcdrive-root-complete" ]; then
  echo "$root"
  exit 0
fi

# The mirror this machine's apt uses (deb822 or one-line sources), else Debian's own.
mirror=$(grep -rhoE '^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/debian/?' \
  /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -oE 'https?://[^[:space:]]+' | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

rm -rf "$root"
mkdir -p "$cache/debootstrap-$arch"
echo "make-root.sh: debootstrap bookworm $arch from $mirror into $root (minutes, once)" >&2
debootstrap --arch="$arch" --variant=minbase --cache-dir="$cache/debootstrap-$arch" \
  bookworm "$root" "$mirror" >&2
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
# No services start inside the chroot (there is no init): maintainer scripts are told so.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
chroot "$root" apt-get update -qq >&2
touch "$root/.rcdrive-root-complete"
echo "$root"
