#!/usr/bin/env bash
# Debian bookworm roots for the Raspberry Pi architectures, run under qemu user emulation, for the
# emulated-Pi test (EmulatedPiIT, ./mvnw -Ppi-emulated verify; docs/emulated-pi.md).
#   pi-root.sh base ARCH      makes the clean root once (cached) and prints its path
#   pi-root.sh fresh ARCH     a new copy of it on tmpfs with /proc mounted, for one run; prints its path
#   pi-root.sh release ARCH   unmounts that copy (and with it its files)
# ARCH: arm64 or armhf. Needs root, debootstrap, qemu-user-static and binfmt-support (Debian
# packages); registers the qemu interpreters with the kernel when they are not.
#
# Everything lives outside target/, in $RCDRIVE_PI_CACHE (default ~/.cache/rcdrive/pi-roots):
# `mvn clean` must neither redo minutes of emulated debootstrap nor walk into a mounted /proc.
# The base root holds what debootstrap made (--variant=minbase plus systemd: less than Raspberry
# Pi OS Lite has, so a missing dependency shows) and apt's package lists; no rcdrive dependency is installed
# in it, so each run installs the package into a fresh copy, as on a user's new system. Delete the
# folder to start over.
set -euo pipefail
usage="usage: pi-root.sh base|fresh|release arm64|armhf"
action=${1:?$usage}
arch=${2:?$usage}
case $arch in
  arm64) qemu=aarch64 ;;
  armhf) qemu=arm ;;
  *) echo "pi-root.sh: unknown architecture $arch (arm64 or armhf)" >&2; exit 2 ;;
esac
cache=${RCDRIVE_PI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rcdrive/pi-roots}
root=$cache/bookworm-$arch
run=$cache/run-$arch

# release: unmount the run copy and whatever is mounted inside it (deepest first).
release() {
  local mounts
  mounts=$(awk -v r="$run" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r)
  for m in $mounts; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}
if [ "$action" = release ]; then
  release
  exit 0
fi
[ "$action" = base ] || [ "$action" = fresh ] || { echo "$usage" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "pi-root.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
for tool in debootstrap qemu-$qemu-static update-binfmts; do
  command -v "$tool" >/dev/null || {
    echo "pi-root.sh: $tool missing: apt-get install debootstrap qemu-user-static binfmt-support" >&2
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
  echo "pi-root.sh: qemu-$qemu is registered without flag F; chroots cannot use it" >&2
  exit 1
}

# --- the base root, made once ------------------------------------------------------------------
if [ ! -f "$root/.rcdrive-root-complete" ]; then
  # The mirror this machine's apt uses (deb822 or one-line sources), else Debian's own.
  mirror=$(grep -rhoE '^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/debian/?' \
    /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -oE 'https?://[^[:space:]]+' | head -n 1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}

  rm -rf --one-file-system "$root"
  mkdir -p "$cache/debootstrap-$arch"
  echo "pi-root.sh: debootstrap bookworm $arch from $mirror into $root (minutes, once)" >&2
  # systemd: Raspberry Pi OS has it, and systemd-analyze verify --root needs its units
  debootstrap --arch="$arch" --variant=minbase --include=systemd \
    --cache-dir="$cache/debootstrap-$arch" bookworm "$root" "$mirror" >&2
  echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
  # No services start inside the chroot (there is no init): maintainer scripts are told so.
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  chroot "$root" apt-get update -qq >&2
  touch "$root/.rcdrive-root-complete"
fi
if [ "$action" = base ]; then
  echo "$root"
  exit 0
fi

# --- a fresh copy for one run ------------------------------------------------------------------
release
if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
  echo "pi-root.sh: something is mounted inside $root; unmount it first" >&2
  exit 1
fi
rm -rf --one-file-system "$run"
# On tmpfs: a 32-bit program under qemu-user on a 64-bit kernel cannot list an ext4 directory
# (the kernel hands qemu 64-bit directory offsets; glibc's 32-bit readdir fails with EOVERFLOW),
# and Java's class-path wildcard (lib/*) lists one. A real Pi's kernel gives 32-bit programs
# 32-bit offsets; tmpfs's are small everywhere.
mkdir -p "$run"
mount -t tmpfs -o mode=0755,size=4g rcdrive-pi-root "$run"
cp -a "$root/." "$run/"
mount -t proc proc "$run/proc"
# The host's /proc/cpuinfo describes the host. A Raspberry Pi 4's revision code in its place makes
# Pi4J recognise a Pi: on any other board it declines to load its GPIO library.
cat >"$run/.emulated-cpuinfo" <<'CPUINFO'
processor	: 0
BogoMIPS	: 108.00
Features	: fp asimd evtstrm crc32 cpuid
CPU implementer	: 0x41
CPU architecture: 8
CPU variant	: 0x0
CPU part	: 0xd08
CPU revision	: 3

Hardware	: BCM2835
Revision	: c03114
Serial		: 10000000emulated
Model		: Raspberry Pi 4 Model B Rev 1.4 (emulated by rcdrive's test)
CPUINFO
mount --bind "$run/.emulated-cpuinfo" "$run/proc/cpuinfo"
echo "$run"
