#!/usr/bin/env bash
# Builds nsip as one fully static, size-tuned binary; prints its path as the last line.
#
#   scripts/static-build.sh                      -> target/static/nsip          (stable Rust)
#   scripts/static-build.sh --min                -> target/static/nsip-min      (std rebuilt for size)
#   scripts/static-build.sh --target T [--min]   -> target/static/T/nsip[-min]  (README, "Targets")
#
# Default target: x86_64 musl when its standard library is installed (rustup target add
# x86_64-unknown-linux-musl), otherwise glibc with +crt-static. The tuning is [profile.release]
# in Cargo.toml plus -C relocation-model=static (.cargo/config.toml).
#
# --target T: any *-linux-musl* triple. When rustup has T's standard library (x86_64, aarch64,
# i686 musl) it is used, linked as .cargo/config.toml says. Otherwise (armv7's is not
# downloadable here; mips and mipsel are tier 3 and have none) std is built from rust-src with
# -Zbuild-std and linked by zig against zig's musl: needs `pip install ziglang cargo-zigbuild`.
#
# Every build drops the unwind tables (.eh_frame, 84 KB of the stable x86_64 build; ARM's
# .ARM.exidx/.ARM.extab) at link time (scripts/drop-unwind-tables.ld): panic = "abort" never
# unwinds, and they only feed the backtrace a panic prints, which in the stripped binary is
# empty by default (no symbol names) and a list of bare addresses with RUST_BACKTRACE=full.
# The panic message is unchanged.
#
# --min leaves out `nsip bench` (the netns-tool feature `bench`: throughput measurements, not
# part of ip) and rebuilds std for size: -Zbuild-std with std's optimize_for_size feature,
# panic=immediate-abort (a panic stops the program without a message or backtrace, which drops
# std's backtrace printer), no unwind tables, and LLVM's machine outliner.
#
# -Zbuild-std and the --min options are unstable, enabled on the stable compiler with
# RUSTC_BOOTSTRAP=1; they need `rustup component add rust-src`. Tested with rustc 1.95.0.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
musl=x86_64-unknown-linux-musl
gnu=x86_64-unknown-linux-gnu
sysroot=$(rustc --print sysroot)
usage() {
  echo "usage: scripts/static-build.sh [--target TRIPLE] [--min]" >&2
  exit 2
}

triple= min=
while [ $# -gt 0 ]; do
  case "$1" in
  --min) min=1 ;;
  --target)
    [ $# -ge 2 ] || usage
    triple=$2
    shift
    ;;
  *) usage ;;
  esac
  shift
done

name=nsip${min:+-min}
out_dir=$repo/target/static${triple:+/$triple}
have_std() { [ -d "$sysroot/lib/rustlib/$1/lib" ]; }
need_rust_src() {
  [ -d "$sysroot/lib/rustlib/src/rust/library" ] || {
    echo "static-build: $1 needs rustup component add rust-src" >&2
    exit 1
  }
}

if [ -z "$triple" ] && [ -z "$min" ] && ! have_std "$musl"; then
  echo "static-build: $musl is not installed (rustup target add $musl); using glibc +crt-static" >&2
  triple=$gnu
  # An explicit --target keeps the flags off build scripts and proc macros.
  RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
    cargo build --release -p netns-tool --target "$triple" >&2
else
  triple=${triple:-$musl}
  case "$triple" in
  *-linux-musl*) ;;
  *)
    echo "static-build: $triple: only *-linux-musl* targets build static" >&2
    exit 2
    ;;
  esac
  # RUSTFLAGS replaces .cargo/config.toml's target rustflags, so it repeats them.
  flags="-C relocation-model=static"
  build=(cargo build)
  build_std=()
  features=()
  # rust-lld as the linker (.cargo/config.toml) takes linker options as they are; a C
  # compiler driver (cc, zig cc) takes them after -Wl.
  wl=-Wl,
  if sed -n "/^\[target\.$triple\]/,/^\[/p" .cargo/config.toml | grep -q '^linker = "rust-lld"'; then wl=; fi
  flags+=" -C link-arg=${wl}--no-eh-frame-hdr -C link-arg=${wl}--script=$repo/scripts/drop-unwind-tables.ld"
  # A static musl executable has no dynamic linker to make RELRO read-only, so RELRO
  # protects nothing there, and both linkers pay for it: GNU ld (the host's cc links x86_64
  # and i686) pads the end of RELRO to a page, and lld (zig's, for armv7 and mips; rust-lld
  # for aarch64) starts the writable data on a fresh max-page-size page of the file, which
  # is 64 KB on ARM and MIPS: whether that padding appears depends on where the code ends
  # (armv7 --min went 327,940 -> 390,324 bytes on a commit that made its code 3 KB smaller).
  # (-z noseparate-code would save a few KB more with GNU ld, but maps the read-only data
  # executable along with the code: not taken.)
  if [ -n "$wl" ]; then
    flags+=" -C link-arg=-Wl,-z,norelro"
  else
    flags+=" -C link-arg=-znorelro"
  fi
  case "$triple" in
  mips*)
    # LLVM's MIPS back end makes no tail calls unless asked: a call in tail position stays a
    # jal, its delay slot, and the caller's own return. With the static relocation model
    # there is no $gp to restore after a call, so `j` to the callee is the whole tail call
    # (2.9 KB less in the mips and mipsel --min builds; the seed scenarios under qemu-mipsel
    # as before: 6/7).
    flags+=" -C llvm-args=-mips-tail-calls=1"
    ;;
  esac
  if [ -n "$min" ]; then
    need_rust_src --min
    flags+=" -C force-unwind-tables=no -Zunstable-options -Cpanic=immediate-abort"
    # LLVM's machine outliner: repeated instruction sequences become one shared function
    # (x86_64, ARM, AArch64; a no-op where LLVM has no outliner, e.g. MIPS).
    flags+=" -C llvm-args=-enable-machine-outliner=always"
    build_std=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
    features=(--no-default-features)
    # Its own target directory: a rebuilt std must not evict the ordinary build's artifacts.
    target_dir=$target_dir/min
  fi
  if [ -z "$min" ] && ! have_std "$triple"; then
    need_rust_src "$triple (no prebuilt std)"
    build_std=(-Zbuild-std=std,panic_abort)
  fi
  if ! have_std "$triple"; then
    command -v cargo-zigbuild >/dev/null || {
      echo "static-build: $triple has no prebuilt std; linking it needs zig: pip install ziglang cargo-zigbuild" >&2
      exit 1
    }
    # zig brings the crt objects and musl; Rust's self-contained ones are not installed.
    flags+=" -C link-self-contained=no"
    build=(cargo-zigbuild zigbuild)
  fi
  if [ ${#build_std[@]} -gt 0 ]; then export RUSTC_BOOTSTRAP=1; fi
  RUSTFLAGS="$flags" "${build[@]}" --release -p netns-tool --target "$triple" \
    --target-dir "$target_dir" "${build_std[@]}" "${features[@]}" >&2
fi

built=$target_dir/$triple/release/nsip
# Not ldd: it cannot read another architecture's binary. A static executable has no
# program interpreter and no dynamic section.
if readelf -l "$built" | grep -qiE 'interpreter|DYNAMIC'; then
  echo "static-build: $built is dynamically linked:" >&2
  readelf -l "$built" | grep -iE 'interpreter|DYNAMIC' >&2
  exit 1
fi
mkdir -p "$out_dir"
cp "$built" "$out_dir/$name"
case "$triple" in
mips*)
  # LLVM writes a .pdr section (MIPS procedure descriptors, for debuggers) for every
  # function, and --strip-all keeps it: 88 KB of the mips nsip that nothing loads. The
  # objcopy rustc ships reads every architecture; it needs rustc's libLLVM.
  host=$(rustc -vV | sed -n 's/^host: //p')
  LD_LIBRARY_PATH=$sysroot/lib "$sysroot/lib/rustlib/$host/bin/rust-objcopy" \
    --remove-section=.pdr "$out_dir/$name"
  ;;
esac
echo "static-build: $name, $triple, $(stat -c %s "$out_dir/$name") bytes" >&2
echo "$out_dir/$name"
