#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: build the static nsip once, then every test of
# the workspace, with the seed scenarios (tests/scenarios.rs) run against that static binary.
# Kernel tests need root and skip (saying why) without it; with CI set they fail instead.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
nsip=$(scripts/static-build.sh | tail -n 1)
# --no-fail-fast: one failing test binary must not hide the results of the others.
NSIP_BIN=$nsip cargo test --workspace --no-fail-fast "$@"
