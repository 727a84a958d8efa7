#!/usr/bin/env bash
# Builds nsip as one fully static, size-tuned binary; prints its path as the last line.
#
#   scripts/static-build.sh         -> target/static/nsip       (stable Rust)
#   scripts/static-build.sh --min   -> target/static/nsip-min   (std rebuilt for size)
#
# Default: musl when its standard library is installed (rustup target add
# x86_64-unknown-linux-musl), otherwise glibc with +crt-static. The tuning is
# [profile.release] in Cargo.toml plus -C relocation-model=static (.cargo/config.toml).
#
# --min also rebuilds std for size: -Zbuild-std with std's optimize_for_size feature,
# panic=immediate-abort (a panic stops the program without a message or backtrace, which drops
# std's backtrace printer) and no unwind tables. Those are unstable options, enabled on the
# stable compiler with RUSTC_BOOTSTRAP=1; needs `rustup component add rust-src` and the musl
# target. Tested with rustc 1.95.0.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
musl=x86_64-unknown-linux-musl
gnu=x86_64-unknown-linux-gnu
sysroot=$(rustc --print sysroot)
mode=${1:-default}

case "$mode" in
default)
  name=nsip
  if [ -d "$sysroot/lib/rustlib/$musl" ]; then
    triple=$musl
    cargo build --release -p netns-tool --target "$triple" >&2
  else
    echo "static-build: $musl is not installed (rustup target add $musl); using glibc +crt-static" >&2
    triple=$gnu
    # An explicit --target keeps the flags off build scripts and proc macros.
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
      cargo build --release -p netns-tool --target "$triple" >&2
  fi
  ;;
--min)
  name=nsip-min
  triple=$musl
  [ -d "$sysroot/lib/rustlib/$musl" ] || {
    echo "static-build --min: needs rustup target add $musl" >&2
    exit 1
  }
  [ -d "$sysroot/lib/rustlib/src/rust/library" ] || {
    echo "static-build --min: needs rustup component add rust-src" >&2
    exit 1
  }
  # Its own target directory: a rebuilt std must not evict the ordinary build's artifacts.
  target_dir=$target_dir/min
  RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-C relocation-model=static -C force-unwind-tables=no -Zunstable-options -Cpanic=immediate-abort" \
    cargo build --release -p netns-tool --target "$triple" --target-dir "$target_dir" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size >&2
  ;;
*)
  echo "usage: scripts/static-build.sh [--min]" >&2
  exit 2
  ;;
esac

built=$target_dir/$triple/release/nsip
if ldd "$built" 2>&1 | grep -q '=>'; then
  echo "static-build: $built is dynamically linked:" >&2
  ldd "$built" >&2
  exit 1
fi
mkdir -p "$repo/target/static"
cp "$built" "$repo/target/static/$name"
echo "static-build: $name, $triple, $(stat -c %s "$built") bytes" >&2
echo "$repo/target/static/$name"
