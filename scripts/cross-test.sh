#!/usr/bin/env bash
# Tests nsip for another target, under qemu-user where the target is not the host's:
#
#   scripts/cross-test.sh TRIPLE     e.g. armv7-unknown-linux-musleabihf
#
# 1. netlink-core's unit tests, nsip's unit tests (the 2038 timestamp test among them), the
#    proptests (encode/decode round trips: byte order without a kernel) and the fuzz-corpus
#    replay, built for TRIPLE and run by CARGO_TARGET_<TRIPLE>_RUNNER=qemu-<arch>-static.
#    On little-endian targets also the recorded-dump and golden-request tests; their fixtures
#    are little-endian recordings, so on big-endian targets they are reported as not run.
# 2. The static nsip (scripts/static-build.sh --target TRIPLE) against the seed scenarios
#    under qemu (root: each runs in its own sandbox), with the expected result per target
#    below: qemu-user's netlink translation cannot carry every request, and a run that differs
#    from the expectation in either direction fails.
# 3. Big-endian targets only: the dumps of a sandbox set up by iproute2, printed by nsip under
#    qemu, must equal ip's output (the decode path; qemu cannot carry the creates, see below).
#
# Needs qemu-user-static (Debian), `pip install ziglang cargo-zigbuild` and, for targets
# without a prebuilt std (armv7, mips, mipsel), rust-src (scripts/static-build.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
triple=${1:?usage: scripts/cross-test.sh TRIPLE}
target_dir=${CARGO_TARGET_DIR:-$repo/target}
sysroot=$(rustc --print sysroot)

# qemu-user's rtnetlink translation (qemu 7.2, Debian 12) converts the messages and attribute
# types it knows and refuses the rest: RTM_NEWNSID/RTM_GETNSID get EOPNOTSUPP from qemu itself,
# so 07-netns-housekeeping (`netns set NAME ID`) fails on every qemu target. On big-endian
# guests it does not byte-swap the attributes nested in IFLA_LINKINFO of a request, so the
# kernel cannot read the link kind and every `link add ... type veth` fails: all 7 scenarios.
nsid_reason="qemu-user does not translate RTM_NEWNSID (netns set)"
be_reason="qemu-user does not byte-swap nested IFLA_LINKINFO attributes (link add type veth)"
all_scenarios=$(cd tests/scenarios && ls [0-9]*.sh | sed 's/\.sh$//' | tr '\n' ' ')
all_scenarios=${all_scenarios% }
case "$triple" in
x86_64-*) qemu='' endian=little expect_fail='' reason='' ;;
i686-*) qemu='' endian=little expect_fail='' reason='' ;; # the x86_64 kernel runs it natively
aarch64-*) qemu=qemu-aarch64-static endian=little expect_fail=07-netns-housekeeping reason=$nsid_reason ;;
armv7-* | arm-*) qemu=qemu-arm-static endian=little expect_fail=07-netns-housekeeping reason=$nsid_reason ;;
mipsel-*) qemu=qemu-mipsel-static endian=little expect_fail=07-netns-housekeeping reason=$nsid_reason ;;
mips-*) qemu=qemu-mips-static endian=big expect_fail=$all_scenarios reason=$be_reason ;;
*)
  echo "cross-test: no qemu mapping for $triple" >&2
  exit 2
  ;;
esac
step() { printf '\n== cross-test %s: %s\n' "$triple" "$*"; }

# The prebuilt std when rustup has it, otherwise std from rust-src (as scripts/static-build.sh
# does). The tests are linked by zig, which also compiles the C in the test dependencies
# (criterion's alloca) for the target; the host's cc cannot.
flags="-C relocation-model=static"
cargo=(cargo-zigbuild)
build_std=()
if [ ! -d "$sysroot/lib/rustlib/$triple/lib" ]; then
  flags+=" -C link-self-contained=no"
  build_std=(-Zbuild-std)
  export RUSTC_BOOTSTRAP=1
fi
command -v cargo-zigbuild >/dev/null || {
  echo "cross-test: needs zig: pip install ziglang cargo-zigbuild" >&2
  exit 1
}
export RUSTFLAGS=$flags
if [ -n "$qemu" ]; then
  command -v "$qemu" >/dev/null || {
    echo "cross-test: $qemu is missing (Debian: apt-get install qemu-user-static)" >&2
    exit 1
  }
  runner_var=CARGO_TARGET_$(echo "$triple" | tr 'a-z-' 'A-Z_')_RUNNER
  export "$runner_var=$qemu"
fi
cargo_test() {
  "${cargo[@]}" test --no-fail-fast --target "$triple" --target-dir "$target_dir" "${build_std[@]}" "$@"
}

step "netlink-core unit tests"
cargo_test -p netlink-core
step "nsip unit tests"
cargo_test -p netns-tool --lib --bins
suite=(--test proptest_decode --test proptest_roundtrip --test fuzz_corpus)
if [ "$endian" = little ]; then
  suite+=(--test dumps --test golden)
  step "proptests, fuzz-corpus replay, recorded dumps, golden requests"
else
  step "proptests, fuzz-corpus replay (not run: dumps and golden, little-endian recordings)"
fi
cargo_test -p nsip-suite "${suite[@]}"

if [ "$(id -u)" != 0 ]; then
  if [ -n "${CI:-}" ]; then
    echo "cross-test: the scenarios need root, and CI must run them" >&2
    exit 1
  fi
  echo "SKIP scenarios on $triple: need root (unshare)"
  exit 0
fi

step "static build"
bin=$(scripts/static-build.sh --target "$triple" | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nsip=$work/nsip
if [ -n "$qemu" ]; then
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$qemu" "$bin" >"$nsip"
  chmod +x "$nsip"
else
  cp "$bin" "$nsip"
fi

step "seed scenarios${qemu:+ under $qemu}"
tests/scenarios/run "$nsip" | tee "$work/scenarios.log" || true
# A runner that stopped before the scenarios (no ping, say) lists no failure: count what ran.
ran=$(grep -cE '^(ok  |FAIL) ' "$work/scenarios.log" || true)
if [ "$ran" != "$(wc -w <<<"$all_scenarios")" ]; then
  echo "cross-test: $triple: $ran of the scenarios ($all_scenarios) ran" >&2
  exit 1
fi
failed=$(sed -n 's/^FAIL \([^ ]*\).*/\1/p' "$work/scenarios.log" | tr '\n' ' ')
if [ "${failed% }" != "${expect_fail% }" ]; then
  echo "cross-test: $triple: scenarios failed: '${failed% }', expected: '${expect_fail% }'" >&2
  exit 1
fi
echo "cross-test: $triple: scenarios as expected; failing: ${expect_fail:-none}${reason:+ ($reason)}"

if [ "$endian" = big ]; then
  step "big-endian decode: nsip's dumps equal ip's"
  NSIP=$nsip unshare --net --mount --fork -- bash -euc '
    mount -t tmpfs tmpfs /run
    ip link set lo up
    ip link add v0 type veth peer name v1
    ip link set v0 up
    ip addr add 198.51.100.1/24 dev v0
    ip addr add 2001:db8::1/64 dev v0
    ip route add 203.0.113.0/24 via 198.51.100.2 metric 5
    ip netns add blue
    # Not -d: qemu 7.2 leaves the attributes it does not know (IFLA_TSO_MAX_SIZE, ...) unswapped.
    for cmd in "link show" "-s link show" "addr show" "-j addr show" "route show" \
      "-6 route show" "-j route show table all" "netns list"; do
      if ! diff <(ip $cmd 2>&1) <("$NSIP" $cmd 2>&1); then
        echo "cross-test: big-endian: nsip $cmd differs from ip (above)" >&2
        exit 1
      fi
      echo "same as ip: $cmd"
    done'
fi
echo "cross-test: $triple: done"
