#!/usr/bin/env bash
# ip (iproute2) against the static nsip, side by side in one run, each case in a fresh
# sandbox namespace of its own (unshare --net --mount --fork, a private tmpfs on /run, an
# `ifb` device d0 up for the routes and addresses). Needs root, util-linux unshare,
# /usr/bin/time (GNU time) and python3 (for the floor column).
#
#   benches/compare.sh                  # medians of 5 runs, a markdown table
#   benches/compare.sh --runs 9         # medians of 9
#   benches/compare.sh --quick          # smaller counts, 3 runs: a smoke run for CI
#   benches/compare.sh --json           # one JSON object per case instead of the table
#   benches/compare.sh --json-file F    # the table, and the JSON lines appended to F
#   benches/compare.sh --nsip PATH      # this nsip instead of building scripts/static-build.sh's
#   benches/compare.sh --ip PATH        # this ip instead of the one on PATH
#   benches/compare.sh --case NAME      # only this case (repeatable; names in the table)
#
# Only the command under test is timed: setup, resets between runs and output checks are
# not. Runs alternate (nsip, ip, nsip, ip...) so that drift on a shared machine hits both.
# Time is wall clock around `/usr/bin/time -f '%e %M %U %S' CMD` (bash's $EPOCHREALTIME, in
# microseconds: %e has only centiseconds); peak RSS is time's %M, the largest of the runs;
# --json also gives the median user and system CPU time (%U, %S: where the time went).
# The wrapper's own start-up (about 0.5 ms here) is in both tools' figures.
#
# The floor column is what the kernel and the library allow without a command line around
# them: `nsip bench` (pipelined requests, or dump + decode in one process, no printing), one
# run, in a namespace of its own; empty when the nsip under test has no `bench`.
set -euo pipefail
# The figures are read and written with a decimal point: under a locale whose decimal
# separator is a comma, bash's $EPOCHREALTIME reads "S,U" (usec_between would count only
# the microseconds) and awk prints "0,70" (not a number in the JSON).
export LC_ALL=C
repo=$(cd "$(dirname "$0")/.." && pwd)
self="$repo/benches/$(basename "$0")"

die() {
    echo "compare.sh: $*" >&2
    exit 1
}

# ---- the sandbox side: one case, called by the host side through unshare -------------------

# Microseconds between two $EPOCHREALTIME stamps.
usec_between() {
    local a=${1/./} b=${2/./}
    echo $((10#$b - 10#$a))
}

# measure RESULTS TOOL ARGS...: one timed run, its stdout discarded; appends "usec rss_kb".
measure() {
    local results=$1
    shift
    local t0 t1 rc=0
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%e %M %U %S' -o /run/time "$@" >/dev/null 2>/run/stderr || rc=$?
    t1=$EPOCHREALTIME
    if [ "$rc" != 0 ]; then
        echo "compare.sh: failed ($rc): $*" >&2
        head -5 /run/stderr >&2
        exit 1
    fi
    local secs rss user sys
    read -r secs rss user sys </run/time
    echo "$(usec_between "$t0" "$t1") $rss $user $sys" >>"$results"
}

reset_d0() {
    ip link del d0 2>/dev/null || true
    ip link add d0 type ifb
    ip link set d0 up
}

# Checks an end state, so a tool that does less work is not reported as faster.
expect_count() { # what, want, got
    [ "$2" = "$3" ] || {
        echo "compare.sh: $1: want $2, got $3" >&2
        exit 1
    }
}

routes_on_d0() { ip -4 route show dev d0 | wc -l; }
addresses_on_d0() { ip -4 -o addr show dev d0 | wc -l; }
veths() { ip -o link show type veth | wc -l; }

# Before timing a listing: both tools once, untimed, and their outputs compared.
same_output() { # args...
    "$NSIP" "$@" >/run/out.nsip 2>&1 || true
    "$IP" "$@" >/run/out.ip 2>&1 || true
    if cmp -s /run/out.nsip /run/out.ip; then
        echo same >"$OUT/same"
    else
        echo differs >"$OUT/same"
    fi
}

# time_listing RUNS ARGS...: both tools print the listing once (outputs compared), then
# RUNS timed runs of each, alternating.
time_listing() {
    local runs=$1
    shift
    same_output "$@"
    for ((r = 0; r < runs; r++)); do
        measure "$OUT/nsip" "$NSIP" "$@"
        measure "$OUT/ip" "$IP" "$@"
    done
}

# The case runner: `$OUT/nsip` and `$OUT/ip` get one "usec rss" line per run.
run_case() {
    local name=$1 runs=$2 n=$3 files=$4
    case "$name" in
    route-add | route-add-force)
        local force=()
        [ "$name" = route-add-force ] && force=(-force)
        for ((r = 0; r < runs; r++)); do
            for tool in nsip ip; do
                reset_d0
                local bin=$NSIP
                [ $tool = ip ] && bin=$IP
                measure "$OUT/$tool" "$bin" "${force[@]}" -batch "$files/route-add.$n"
                expect_count "$tool $name routes" "$n" "$(routes_on_d0)"
            done
        done
        ;;
    addr-add)
        for ((r = 0; r < runs; r++)); do
            for tool in nsip ip; do
                reset_d0
                local bin=$NSIP
                [ $tool = ip ] && bin=$IP
                measure "$OUT/$tool" "$bin" -batch "$files/addr-add.$n"
                expect_count "$tool $name addresses" "$n" "$(addresses_on_d0)"
            done
        done
        ;;
    route-show | route-show-json)
        ip -batch "$files/route-add.$n"
        expect_count "setup routes" "$n" "$(routes_on_d0)"
        if [ "$name" = route-show ]; then
            time_listing "$runs" route show
        else
            time_listing "$runs" -j route show
        fi
        ;;
    link-show | addr-show-json)
        ip -batch "$files/veth-add.$n"
        expect_count "setup veths" $((2 * n)) "$(veths)"
        if [ "$name" = link-show ]; then
            time_listing "$runs" link show
        else
            time_listing "$runs" -j addr show
        fi
        ;;
    veth-del)
        for ((r = 0; r < runs; r++)); do
            for tool in nsip ip; do
                ip -batch "$files/veth-add.$n"
                expect_count "setup veths" $((2 * n)) "$(veths)"
                local bin=$NSIP
                [ $tool = ip ] && bin=$IP
                measure "$OUT/$tool" "$bin" -batch "$files/veth-del.$n"
                expect_count "$tool $name veths left" 0 "$(veths)"
            done
        done
        ;;
    floor)
        # nsip bench makes its own namespace (a child of this sandbox's).
        local usage
        usage=$("$NSIP" bench help 2>&1 || true)
        if [[ "$usage" == "Usage: nsip bench"* ]]; then
            "$NSIP" -j bench $FLOOR_ARGS >"$OUT/floor" 2>"$OUT/floor.err" ||
                echo "compare.sh: nsip bench failed: $(head -3 "$OUT/floor.err")" >&2
        fi
        ;;
    *) die "unknown case $name" ;;
    esac
}

in_sandbox() { # host_netns name runs n files out
    [ "$(readlink /proc/self/ns/net)" != "$1" ] || die "not in a fresh network namespace"
    mount -t tmpfs tmpfs /run
    ip link set lo up
    ip link add d0 type ifb 2>/dev/null || die "no ifb device in this kernel (modprobe ifb)"
    ip link set d0 up
    OUT=$6
    run_case "$2" "$3" "$4" "$5"
}

if [ "${1:-}" = --in-sandbox ]; then
    shift
    in_sandbox "$@"
    exit 0
fi

# ---- the host side: options, input files, one sandbox per case, the table -----------------

runs=
quick=0
json=0
json_file=
NSIP=
IP=$(command -v ip || true)
only=()
while [ $# -gt 0 ]; do
    case "$1" in
    --runs)
        runs=${2:-}
        [[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number"
        shift 2
        ;;
    --quick) quick=1 && shift ;;
    --json) json=1 && shift ;;
    --json-file) json_file=$(realpath "${2:?--json-file PATH}") && shift 2 ;;
    --nsip) NSIP=$(realpath "${2:?--nsip PATH}") && shift 2 ;;
    --ip) IP=$(realpath "${2:?--ip PATH}") && shift 2 ;;
    --case) only+=("${2:?--case NAME}") && shift 2 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option $1 (--help)" ;;
    esac
done

[ "$(id -u)" = 0 ] || die "needs root (it makes network namespaces)"
[ -x /usr/bin/time ] || die "needs GNU time as /usr/bin/time (Debian: apt-get install time)"
command -v unshare >/dev/null || die "needs util-linux unshare"
[ -n "$IP" ] || die "no ip on PATH (--ip PATH)"
if [ -z "$NSIP" ]; then
    NSIP=$("$repo/scripts/static-build.sh" | tail -n 1)
fi
[ -x "$NSIP" ] || die "no nsip at $NSIP"
export NSIP IP

if [ $quick = 1 ]; then
    routes=1000 addrs=1000 show_small=1000 show_large=10000 veth=100
    runs=${runs:-3}
else
    routes=10000 addrs=10000 show_small=10000 show_large=100000 veth=1000
    runs=${runs:-5}
fi

work=$(mktemp -d /tmp/nsip-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
files=$work/files
mkdir -p "$files"

# Address number i (from 1) inside 198.18.0.0/15.
host_lines() { # count, printf format with one %s for the address
    awk -v n="$1" -v f="$2" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf f "\n", sprintf("198.%d.%d.%d", 18 + int(i / 65536), int(i / 256) % 256, i % 256)
    }'
}
for n in $routes $show_small $show_large; do
    [ -e "$files/route-add.$n" ] || host_lines "$n" "route add %s/32 dev d0" >"$files/route-add.$n"
done
host_lines "$addrs" "addr add %s/32 dev d0" >"$files/addr-add.$addrs"
awk -v n="$veth" 'BEGIN { for (i = 1; i <= n; i++) printf "link add veth%d type veth peer name vpeer%d\n", i, i }' \
    >"$files/veth-add.$veth"
awk -v n="$veth" 'BEGIN { for (i = 1; i <= n; i++) printf "link del veth%d\n", i }' \
    >"$files/veth-del.$veth"

# name | count | what is timed | floor: nsip bench selection and the row it reads
cases=(
    "route-add|$routes|-batch of $routes \`route add\`|route-add pipelined"
    "route-add-force|$routes|-force -batch of $routes \`route add\`|route-add pipelined"
    "addr-add|$addrs|-batch of $addrs \`addr add\`|addr-add pipelined"
    "route-show|$show_small|\`route show\`, $show_small routes|route-dump dump"
    "route-show-json|$show_small|\`-j route show\`, $show_small routes|route-dump dump"
    "route-show|$show_large|\`route show\`, $show_large routes|route-dump dump"
    "route-show-json|$show_large|\`-j route show\`, $show_large routes|route-dump dump"
    "link-show|$veth|\`link show\`, $veth veth pairs|link-dump dump"
    "addr-show-json|$veth|\`-j addr show\`, $veth veth pairs|link-dump dump"
    "veth-del|$veth|-batch of $veth \`link del\` (veth)|link-del bulk"
)

host_netns=$(readlink /proc/self/ns/net)
sandbox() { # name runs n out [FLOOR_ARGS]
    mkdir -p "$4"
    FLOOR_ARGS=${5:-} unshare --net --mount --fork -- \
        bash "$self" --in-sandbox "$host_netns" "$1" "$2" "$3" "$files" "$4"
}

wanted() {
    [ ${#only[@]} = 0 ] && return 0
    local c
    for c in "${only[@]}"; do [ "$c" = "$1" ] && return 0; done
    return 1
}

# Floors: one nsip bench per count, before the cases (its rows are read per case below).
declare -A floor_file
for spec in "${cases[@]}"; do
    IFS='|' read -r name n what floor <<<"$spec"
    wanted "$name" || continue
    read -r op mode <<<"$floor"
    key="$n-$op-$mode"
    [ -n "${floor_file[$key]:-}" ] && continue
    out=$work/floor.$key
    sandbox floor 1 "$n" "$out" "count $n op $op mode $mode"
    floor_file[$key]=$out/floor
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; m = int((NR + 1) / 2); if (NR % 2) print v[m]; else print int((v[m] + v[m + 1]) / 2) }'; }
max_rss() { awk 'BEGIN { m = 0 } { if ($2 > m) m = $2 } END { print m }' "$1"; }

# The floor figure in microseconds: total time of a pipelined run, one dump, or the bulk delete.
floor_usec() { # file op mode
    [ -s "$1" ] || return 0
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
path, op, mode = sys.argv[1:]
for row in json.load(open(path)):
    if row["op"] == op and row["mode"] == mode:
        ns = row["latency_ns"]["p50"] if mode == "dump" else row["elapsed_ns"]
        print(ns // 1000)
PY
}

# Median of one column of a results file, in seconds (time's %U or %S).
cpu_seconds() { # file column
    cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'
}

seconds() { # usec -> seconds with 4 decimals (or empty)
    [ -n "$1" ] && awk -v u="$1" 'BEGIN { printf "%.4f", u / 1e6 }'
}

if [ $json = 0 ]; then
    echo "| case | ip median | nsip median | nsip/ip | floor (nsip bench) | nsip/floor | ip RSS | nsip RSS | output |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
fi
for spec in "${cases[@]}"; do
    IFS='|' read -r name n what floor <<<"$spec"
    wanted "$name" || continue
    out=$work/case.$name.$n
    sandbox "$name" "$runs" "$n" "$out"
    ip_us=$(median <"$out/ip")
    nsip_us=$(median <"$out/nsip")
    ip_rss=$(max_rss "$out/ip")
    nsip_rss=$(max_rss "$out/nsip")
    read -r op mode <<<"$floor"
    floor_us=$(floor_usec "${floor_file[$n-$op-$mode]:-}" "$op" "$mode")
    same=$(cat "$out/same" 2>/dev/null || echo "-")
    ratio=$(awk -v a="$nsip_us" -v b="$ip_us" 'BEGIN { r = a / b; printf (r < 0.1 ? "%.3f" : "%.2f"), r }')
    json_line=$(printf '{"case":"%s","count":%d,"what":"%s","runs":%d,"ip_median_us":%d,"nsip_median_us":%d,"ratio":%s,"floor_us":%s,"ip_rss_kb":%d,"nsip_rss_kb":%d,"ip_user_s":%s,"ip_sys_s":%s,"nsip_user_s":%s,"nsip_sys_s":%s,"output":"%s","ip_runs_us":[%s],"nsip_runs_us":[%s]}\n' \
            "$name" "$n" "${what//\`/}" "$runs" "$ip_us" "$nsip_us" "$ratio" "${floor_us:-null}" \
            "$ip_rss" "$nsip_rss" "$(cpu_seconds "$out/ip" 3)" "$(cpu_seconds "$out/ip" 4)" \
            "$(cpu_seconds "$out/nsip" 3)" "$(cpu_seconds "$out/nsip" 4)" "$same" \
            "$(cut -d' ' -f1 "$out/ip" | paste -sd,)" "$(cut -d' ' -f1 "$out/nsip" | paste -sd,)")
    [ -n "$json_file" ] && echo "$json_line" >>"$json_file"
    if [ $json = 1 ]; then
        echo "$json_line"
    else
        floor_text=— floor_ratio=—
        if [ -n "$floor_us" ]; then
            floor_text="$(seconds "$floor_us") s"
            floor_ratio=$(awk -v a="$nsip_us" -v b="$floor_us" 'BEGIN { printf "%.1f×", a / (b > 0 ? b : 1) }')
        fi
        printf '| %s | %s s | %s s | %s× | %s | %s | %s KB | %s KB | %s |\n' \
            "$what" "$(seconds "$ip_us")" "$(seconds "$nsip_us")" "$ratio" \
            "$floor_text" "$floor_ratio" "$ip_rss" "$nsip_rss" "$same"
    fi
done
