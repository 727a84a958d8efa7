#!/usr/bin/env bash
# The main job: build the static nsip and run the seven seed scenarios against it, each in
# its own sandbox and each compared with iproute2's result (tests/scenarios/README.md).
#   scripts/scenarios.sh [SCENARIO...]     e.g. scripts/scenarios.sh 07-netns-housekeeping
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
nsip=$("$repo/scripts/static-build.sh" | tail -n 1)
exec "$repo/tests/scenarios/run" "$nsip" "$@"
