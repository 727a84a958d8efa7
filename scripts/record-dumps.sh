#!/usr/bin/env bash
# Records real kernel dump replies, as iproute2 6.1 received them, for tests/dumps.rs.
#
# Usage: scripts/record-dumps.sh   (root; needs strace, unshare, python3, ip)
#
# In a throwaway sandbox (`unshare --net --mount`, tmpfs on /run) it builds:
#   - 3 bridges br0..br2;
#   - 150 veth pairs vN / vNp (N = 0..149), all up; v0..v59 enslaved to br(N mod 3);
#     v0..v9 with mtu 9000;
#   - IPv4: 198.18.N.1/24 on vN (150), 198.19.N.1/24 on vN for N < 100 (100; label vN:sec
#     for N < 10), plus lo's 127.0.0.1/8;
#   - IPv6: 2001:db8:N::1/64 on vN (150, nodad; N in hex), plus lo's ::1
#     (link-local addresses are turned off with addr_gen_mode=1, so the counts are exact);
#   - IPv4 routes: 200 in main (198.19.128.0/17 carved into /30s, via 198.18.(i mod 150).2,
#     metric i for even i), 100 in table 1000 (198.19.200.i/32 dev vi proto static), 50 in table
#     100 (203.0.113.4i/30 via 198.18.i.2), 10 blackhole, 5 unreachable, 5 prohibit in main
#     (198.19.201.0/24 /32s); plus the kernel's own prefix, local and broadcast routes;
#   - IPv6 routes: 150 in main (2001:db8:ffff:N::/64 via 2001:db8:N::2), 50 in table 2000
#     (2001:db8:fffe:N::/64 dev vN), 10 blackhole in main (2001:db8:fffd:N::/64); plus the
#     kernel's own prefix, local and multicast routes.
# Then it runs `ip -d -s link show`, `ip addr show`, `ip route show table all` and
# `ip -6 route show table all` under `strace -xx -e read=all -e write=all` and
# scripts/nltrace.py keeps the reply datagrams to the dump request (not the MSG_PEEK sizing
# reads, not replies to ip's other lookups) into tests/fixtures/dumps/{link,addr,route,route6}.bin:
# each datagram's bytes, back to back (every datagram holds whole 4-byte-aligned messages,
# the last one ends with NLMSG_DONE). tests/fixtures/dumps/README.md gets the counts.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/tests/fixtures/dumps"
NLTRACE="$ROOT/scripts/nltrace.py"
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'EOF'
import sys
work = sys.argv[1]
links, addrs, routes = [], [], []
for b in range(3):
    links.append(f"link add br{b} type bridge")
    links.append(f"link set br{b} up")
for n in range(150):
    links.append(f"link add v{n} type veth peer name v{n}p")
    if n < 10:
        links.append(f"link set v{n} mtu 9000")
    if n < 60:
        links.append(f"link set v{n} master br{n % 3}")
    links.append(f"link set v{n} up")
    links.append(f"link set v{n}p up")
for n in range(150):
    addrs.append(f"addr add 198.18.{n}.1/24 dev v{n}")
    if n < 100:
        label = f" label v{n}:sec" if n < 10 else ""
        addrs.append(f"addr add 198.19.{n}.1/24 dev v{n}{label}")
    addrs.append(f"addr add 2001:db8:{n:x}::1/64 dev v{n} nodad")
for i in range(200):
    metric = f" metric {i}" if i % 2 == 0 else ""
    routes.append(f"route add 198.19.{128 + i // 50}.{(i % 50) * 4}/30 via 198.18.{i % 150}.2{metric}")
# Runs of routes, in this order: how many, and the route for each i of the run.
for count, route in [
    (100, lambda i: f"route add 198.19.200.{i}/32 dev v{i} proto static table 1000"),
    (50, lambda i: f"route add 203.0.113.{4 * i}/30 via 198.18.{i}.2 table 100"),
    (10, lambda i: f"route add blackhole 198.19.201.{i}/32"),
    (5, lambda i: f"route add unreachable 198.19.201.{100 + i}/32\n"
                  f"route add prohibit 198.19.201.{200 + i}/32"),
    (150, lambda i: f"route add 2001:db8:ffff:{i:x}::/64 via 2001:db8:{i:x}::2"),
    (50, lambda i: f"route add 2001:db8:fffe:{i:x}::/64 dev v{i} table 2000"),
    (10, lambda i: f"route add blackhole 2001:db8:fffd:{i:x}::/64"),
]:
    routes += [route(i) for i in range(count)]
with open(f"{work}/batch", "w") as batch:
    batch.write("\n".join(links + addrs + routes) + "\n")
EOF

# The sandbox: nothing here reaches the machine's own network namespace.
unshare --net --mount --fork -- bash -c '
    set -e
    work=$1
    mount -t tmpfs tmpfs /run
    sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
    ip link set lo up
    ip -batch "$work/batch"
    sleep 2  # let linkwatch settle carriers and operstates, so the dump shows them up
    capture() {
        local name=$1; shift
        strace -o "$work/$name.trace" -xx -e trace=sendmsg,sendto,recvmsg \
            -e write=all -e read=all "$@" > "$work/$name.txt"
    }
    capture link ip -d -s link show
    capture addr ip addr show
    capture route ip route show table all
    capture route6 ip -6 route show table all
' bash "$WORK"

{
    echo "# Recorded kernel dumps"
    echo
    echo "Recorded by \`scripts/record-dumps.sh\` (iproute2 $(ip -V | sed 's/.*iproute2-//'), kernel $(uname -r));"
    echo "the script's header says what it builds. Each \`.bin\` is the reply datagrams to one dump"
    echo "request, back to back, exactly as \`ip\` received them (each datagram holds whole 4-byte-aligned"
    echo "messages; the last ends with NLMSG_DONE)."
    echo
    echo "| file | ip command | datagrams, bytes, messages | ip printed |"
    echo "| --- | --- | --- | --- |"
} > "$OUT/README.md"
for spec in "link|RTM_GETLINK|ip -d -s link show|^[0-9]+:" \
            "addr|RTM_GETADDR|ip addr show|^ +inet" \
            "route|RTM_GETROUTE|ip route show table all|^" \
            "route6|RTM_GETROUTE|ip -6 route show table all|^"; do
    IFS='|' read -r name request command printed <<< "$spec"
    summary=$(python3 "$NLTRACE" dumps "$WORK/$name.trace" "$OUT/$name.bin" "$request")
    echo "$summary"
    lines=$(grep -cE "$printed" "$WORK/$name.txt")
    echo "| $name.bin | \`$command\` | ${summary#*: } | $lines lines matching \`$printed\` |" >> "$OUT/README.md"
done
{
    echo
    echo "Created: 3 bridges, 150 veth pairs (300 veth links; 60 enslaved, 20 per bridge; 10 with mtu 9000),"
    echo "251 IPv4 addresses (150 + 100 + lo; 10 labelled vN:sec), 151 IPv6 addresses (150 + lo ::1),"
    echo "IPv4 routes 200 main + 100 table 1000 + 50 table 100 + 10 blackhole + 5 unreachable + 5 prohibit,"
    echo "IPv6 routes 150 main via + 50 table 2000 + 10 blackhole; the kernel adds its own prefix/local routes."
    echo "\`ip route show table all\` asks for every family (rtm_family AF_UNSPEC), so route.bin holds the IPv6"
    echo "routes too; route6.bin is IPv6 only. Route types: 1 unicast, 2 local, 3 broadcast, 5 multicast,"
    echo "6 blackhole, 7 unreachable, 8 prohibit; table 254 main, 255 local (tables above 255 only in RTA_TABLE)."
    echo
    echo "Per table, as dumped:"
    echo
    echo '```'
    python3 - "$OUT" <<'EOF'
import collections, struct, sys
for name in ("route", "route6"):
    data = open(f"{sys.argv[1]}/{name}.bin", "rb").read()
    tables = collections.Counter()
    offset = 0
    while offset < len(data):
        length = struct.unpack_from("<I", data, offset)[0]
        kind = struct.unpack_from("<H", data, offset + 4)[0]
        if kind == 24:
            table, _, _, rtype = struct.unpack_from("<BBBB", data, offset + 16 + 4)
            # RTA_TABLE (15) carries tables above 255.
            pos = offset + 28
            while pos + 4 <= offset + length:
                alen, atype = struct.unpack_from("<HH", data, pos)
                if alen < 4:
                    break
                if atype == 15:
                    table = struct.unpack_from("<I", data, pos + 4)[0]
                pos += (alen + 3) & ~3
            tables[(table, rtype)] += 1
        offset += (length + 3) & ~3
    print(f"{name}.bin: " + ", ".join(f"table {t} type {r}: {n}" for (t, r), n in sorted(tables.items())))
EOF
    echo '```'
} >> "$OUT/README.md"
ls -l "$OUT"
