#!/usr/bin/env bash
# Builds nsip as one fully static, size-tuned binary and copies it to target/static/nsip
# (printed as the last line of output).
#
# musl when its standard library is installed (rustup target add x86_64-unknown-linux-musl);
# otherwise glibc with +crt-static. The size tuning itself is [profile.release] in Cargo.toml
# and the musl rustflags in .cargo/config.toml.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
musl=x86_64-unknown-linux-musl
gnu=x86_64-unknown-linux-gnu

if [ -d "$(rustc --print sysroot)/lib/rustlib/$musl" ]; then
  triple=$musl
  cargo build --release -p netns-tool --target "$triple" >&2
else
  echo "static-build: $musl is not installed (rustup target add $musl); using glibc +crt-static" >&2
  triple=$gnu
  # An explicit --target keeps the flags off build scripts and proc macros.
  RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
    cargo build --release -p netns-tool --target "$triple" >&2
fi

built=$target_dir/$triple/release/nsip
if ldd "$built" 2>&1 | grep -q '=>'; then
  echo "static-build: $built is dynamically linked:" >&2
  ldd "$built" >&2
  exit 1
fi
mkdir -p "$repo/target/static"
cp "$built" "$repo/target/static/nsip"
echo "static-build: $triple, $(stat -c %s "$built") bytes" >&2
echo "$repo/target/static/nsip"
