#!/usr/bin/env bash
# Runs the benches (unless --no-run) and prints README's benchmark tables from criterion's
# medians. Every ratio compares figures of the same run.
#
#   benches/report.sh                 # run decode + kernel benches, then print the tables
#   benches/report.sh --no-run        # only print, from the last run's results
#
# Environment: CARGO_TARGET_DIR (criterion writes under it), BENCH_ARGS (criterion options,
# default "--warm-up-time 1 --measurement-time 3"), NSIP_BIN (adds `nsip route show` to the
# kernel bench; default: build the release nsip and use it).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
criterion="$target/criterion"
bench_args=${BENCH_ARGS:-"--warm-up-time 1 --measurement-time 3"}

if [[ "${1:-}" != "--no-run" ]]; then
    if [[ -z "${NSIP_BIN:-}" ]]; then
        cargo build --release -p netns-tool >&2
        NSIP_BIN="$(realpath "$target/release/nsip")"
    fi
    export NSIP_BIN
    # shellcheck disable=SC2086 # BENCH_ARGS is a list of options
    cargo bench --bench decode -- $bench_args >&2
    # shellcheck disable=SC2086
    cargo bench --bench kernel -- $bench_args >&2
fi

# Median in ns of one benchmark (criterion's directory names replace '/' with '_').
median() {
    jq -r '.median.point_estimate' "$criterion/$1/new/estimates.json"
}

# The message counts and sizes the decode bench prints (each dump ends with NLMSG_DONE).
declare -A messages=([link]=305 [addr]=403 [route]=1938 [route6]=815)
declare -A bytes=([link]=476848 [addr]=30216 [route]=164496 [route6]=97444)

echo "| dump | messages | memcpy | header walk | views, parse only | views, full decode | full decode per message | full decode bytes/s | parse / walk | full / walk | full / memcpy |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for dump in link addr route route6; do
    copy=$(median "decode_$dump/memcpy")
    walk=$(median "decode_$dump/header_walk")
    parse=$(median "decode_$dump/views_parse")
    views=$(median "decode_$dump/views")
    awk -v d="$dump" -v n="${messages[$dump]}" -v b="${bytes[$dump]}" \
        -v c="$copy" -v w="$walk" -v p="$parse" -v v="$views" 'BEGIN {
        printf "| %s | %d | %.2f us | %.2f us | %.2f us | %.2f us | %.1f ns | %.2f GB/s | %.2fx | %.2fx | %.1fx |\n",
            d, n, c / 1000, w / 1000, p / 1000, v / 1000, v / n, b / v, p / w, v / w, v / c
    }'
done
echo
echo "| builder | median | per request |"
echo "| --- | ---: | ---: |"
for n in 100 1000; do
    t=$(median "build/route_requests/$n")
    awk -v n="$n" -v t="$t" 'BEGIN { printf "| %d route requests into a reused Vec | %.2f us | %.1f ns |\n", n, t / 1000, t / n }'
done
echo
echo "| routes dumped | netlink-core socket (dump + decode) | ip route show | nsip route show | spawn of /bin/true | ip / socket | nsip / ip |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
spawn=$(median "kernel_spawn/true")
for n in 1000 10000; do
    socket=$(median "kernel_dump_routes/socket/$n")
    ip=$(median "kernel_dump_routes/ip_route_show/$n")
    nsip_file="$criterion/kernel_dump_routes/nsip_route_show/$n/new/estimates.json"
    nsip=$([[ -f "$nsip_file" ]] && median "kernel_dump_routes/nsip_route_show/$n" || echo 0)
    awk -v n="$n" -v s="$socket" -v i="$ip" -v x="$nsip" -v t="$spawn" 'BEGIN {
        nsip = x > 0 ? sprintf("%.2f ms", x / 1e6) : "-"
        ratio = x > 0 ? sprintf("%.2fx", x / i) : "-"
        printf "| %d | %.2f ms | %.2f ms | %s | %.2f ms | %.1fx | %s |\n",
            n, s / 1e6, i / 1e6, nsip, t / 1e6, i / s, ratio
    }'
done
