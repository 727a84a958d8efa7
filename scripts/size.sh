#!/usr/bin/env bash
# Prints the size of the static nsip beside iproute2's ip (binary + the shared libraries it
# loads) and busybox-static. Without arguments it builds both static variants first
# (scripts/static-build.sh and, when rust-src is installed, scripts/static-build.sh --min).
#   scripts/size.sh [NSIP_BINARY...]
#   scripts/size.sh --targets   # the --min build of every README target; fails over 400 KB
#   BUSYBOX=/path/to/busybox scripts/size.sh   # a busybox-static not on PATH
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bytes() { stat -L -c %s "$1"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1000 }'; }
row() { printf '%-46s %10s  %-8s  %s\n' "$1" "$2" "$3" "$4"; }

# Issue 8's limit for the size-rebuilt (--min) build, on every target.
min_limit=400000
if [ "${1:-}" = --targets ]; then
  row "scripts/static-build.sh --target T --min" "bytes" "" "limit $(kb $min_limit)"
  over=0
  for triple in x86_64-unknown-linux-musl i686-unknown-linux-musl aarch64-unknown-linux-musl \
    armv7-unknown-linux-musleabihf mipsel-unknown-linux-musl mips-unknown-linux-musl; do
    built=$("$repo/scripts/static-build.sh" --target "$triple" --min | tail -n 1)
    n=$(bytes "$built")
    verdict=ok
    if [ "$n" -gt "$min_limit" ]; then
      verdict="OVER by $((n - min_limit)) bytes"
      over=1
    fi
    row "$triple" "$n" "" "$(kb "$n"): $verdict"
  done
  exit "$over"
fi

if [ $# -eq 0 ]; then
  # Assigned first: a failed build then stops the script here (set -e sees an assignment's
  # command substitution, not one inside `set --`'s arguments).
  stable=$("$repo/scripts/static-build.sh" | tail -n 1)
  set -- "$stable"
  if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    min=$("$repo/scripts/static-build.sh" --min | tail -n 1)
    set -- "$@" "$min"
  else
    echo "size: rust-src is not installed, skipping static-build.sh --min" >&2
  fi
fi

linkage() {
  if ldd "$1" 2>&1 | grep -q '=>'; then echo dynamic; else echo static; fi
}

row "binary" "bytes" "linkage" "notes"
for nsip in "$@"; do
  n=$(bytes "$nsip")
  # The README's targets: the stable build no larger than 811,232 bytes, a --min build
  # (std rebuilt for size) at most 400 KB.
  case "$nsip" in
  *-min) limit=$min_limit ;;
  *) limit=811232 ;;
  esac
  row "nsip ($nsip)" "$n" "$(linkage "$nsip")" "$(kb "$n"); target <= $(kb "$limit")"
done

if ip=$(command -v ip); then
  ipb=$(bytes "$ip")
  libs=0
  count=0
  while read -r lib; do
    libs=$((libs + $(bytes "$lib")))
    count=$((count + 1))
  done < <(ldd "$ip" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }')
  row "ip ($(readlink -f "$ip"))" "$ipb" "$(linkage "$ip")" \
    "$(kb "$ipb") + $count shared libraries, $(kb "$libs") = $(kb $((ipb + libs)))"
  ip -V 2>/dev/null | sed 's/^/    /'
else
  row "ip" "-" "-" "iproute2 not installed"
fi

busybox=${BUSYBOX:-$(command -v busybox || true)}
if [ -n "$busybox" ]; then
  bb=$(bytes "$busybox")
  row "busybox ($busybox)" "$bb" "$(linkage "$busybox")" "$(kb "$bb"); its ip applet has no netns"
else
  row "busybox" "-" "-" "not installed (Debian: busybox-static, or BUSYBOX=path)"
fi
