#!/usr/bin/env bash
# Records the exact request bytes iproute2 (`ip`) sends for a set of commands, as golden
# fixtures for tests/golden.rs: nsip's builders must produce the same bytes from the same inputs.
#
# Usage: scripts/record-golden.sh [--tool BIN] [--out DIR] [CASE...]
#   (root; needs strace, unshare, python3, ip)
#   With no CASE, records every case below into tests/fixtures/golden/CASE.txt.
#   --cases FILE takes the cases from FILE instead (tests/fixtures/encap/cases.txt: requests
#   the kernel here may refuse, kept for decoders and printers, not for the golden tests).
#   --tool BIN runs each command with BIN in place of its leading `ip` (the setup still uses
#   ip), and keeps requests from every socket BIN opens: how tests/golden.rs records nsip's
#   bytes for the same commands. --out DIR writes the fixtures there instead. --jobs N
#   records N cases at a time (each has its own sandbox).
#
# Every case runs in its own throwaway sandbox (`unshare --net --mount`, tmpfs on /run, lo up),
# so interface indexes are the same on every run. The setup commands run first, then the
# command under `strace -xx -e trace=sendmsg,sendto -e write=all`; scripts/nltrace.py keeps
# only the request(s) that do the work (not ip's lookups and probes before it).
#
# Fixture format (one file per case, text):
#   # ip link add veth0 type veth peer name veth1      <- the exact command line
#   # setup: ip link add ...; ip link set ...          <- commands run before it, in the sandbox
#   # ifindex: lo=1 veth1=2 veth0=3                    <- interface indexes after the setup
#   # exit: 0                                          <- ip's exit status (the request is sent
#                                                         even when the kernel refuses it, e.g. dummy)
#   # mask: message=0 offset=84 len=4 field=VETH_INFO_PEER/IFLA_NET_NS_FD recorded=4
#                                                      <- a run-dependent value (fd, pid, IFA_CACHEINFO
#                                                         stamps), zeroed
#                                                         below; `recorded` is the fd ip sent
#   # message 0: RTM_NEWLINK len=92 flags=0x605        <- starts a message (a case may have several)
#   5c 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00    <- its bytes, 16 a line
# nlmsg_seq and nlmsg_pid (bytes 8..16 of every message) are always zeroed.
# The files are deterministic: re-running the script rewrites them byte for byte.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/tests/fixtures/golden"
NLTRACE="$ROOT/scripts/nltrace.py"
TOOL=ip
JOBS=1
while [ $# -gt 0 ]; do
    case $1 in
        --tool) TOOL=$2; export NLTRACE_ALL_SOCKETS=1; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --cases) CASES_FILE=$2; shift 2 ;;
        *) break ;;
    esac
done
mkdir -p "$OUT"

VETH="ip link add veth0 type veth peer name veth1"
VETH_UP="$VETH; ip link set veth0 up; ip link set veth1 up; ip addr add 192.0.2.2/24 dev veth0; ip -6 addr add 2001:db8::2/64 dev veth0 nodad"

# name | setup | command | message types to keep | last (the final one) or all
CASES=$(cat <<EOF
link-add-veth||ip link add veth0 type veth peer name veth1|RTM_NEWLINK|last
link-add-veth-peer-netns|ip netns add blue|ip link add veth0 type veth peer name veth1 netns blue|RTM_NEWLINK|last
link-add-bridge||ip link add br0 type bridge|RTM_NEWLINK|last
link-add-dummy||ip link add d0 type dummy|RTM_NEWLINK|last
link-add-veth-mtu-address||ip link add veth0 mtu 1400 address 02:00:00:00:00:01 type veth peer name veth1|RTM_NEWLINK|last
link-add-veth-address-mtu||ip link add veth0 address 02:00:00:00:00:01 mtu 1400 type veth peer name veth1|RTM_NEWLINK|last
link-add-bridge-mtu-address||ip link add br0 mtu 1400 address 02:00:00:00:00:0b type bridge|RTM_NEWLINK|last
link-set-up|$VETH|ip link set dev veth0 up|RTM_NEWLINK|last
link-set-down|$VETH; ip link set veth0 up|ip link set dev veth0 down|RTM_NEWLINK|last
link-set-mtu|$VETH|ip link set dev veth0 mtu 1400|RTM_NEWLINK|last
link-set-name|$VETH|ip link set dev veth0 name veth9|RTM_NEWLINK|last
link-set-address|$VETH|ip link set dev veth0 address 02:00:00:00:00:02|RTM_NEWLINK|last
link-set-master|$VETH; ip link add br0 type bridge|ip link set dev veth0 master br0|RTM_NEWLINK|last
link-set-nomaster|$VETH; ip link add br0 type bridge; ip link set veth0 master br0|ip link set dev veth0 nomaster|RTM_NEWLINK|last
link-set-netns-name|$VETH; ip netns add blue|ip link set dev veth1 netns blue|RTM_NEWLINK|last
link-set-netns-pid|$VETH; unshare --net sleep 30 & echo \$! > \$work/pid; sleep 0.3|ip link set dev veth1 netns PID|RTM_NEWLINK|last
link-set-up-mtu|$VETH|ip link set dev veth0 up mtu 1400|RTM_NEWLINK|last
link-del|$VETH|ip link del veth0|RTM_DELLINK|last
link-del-dev|$VETH|ip link del dev veth0|RTM_DELLINK|last
link-set-group|$VETH|ip link set dev veth0 group 5 mtu 1400|RTM_NEWLINK|last
link-set-mtu-group|$VETH|ip link set dev veth0 mtu 1400 group 5 name veth9|RTM_NEWLINK|last
link-add-macvlan|$VETH|ip link add link veth0 name mv0 type macvlan mode bridge|RTM_NEWLINK|last
link-add-macvtap-bcqueuelen|$VETH|ip link add mv0 link veth0 mtu 1400 type macvtap mode private bcqueuelen 10|RTM_NEWLINK|last
link-add-vxlan|$VETH|ip link add vx0 type vxlan id 42 dstport 4789 remote 198.51.100.2 dev veth0|RTM_NEWLINK|last
link-add-vxlan-group|$VETH|ip link add vx1 type vxlan vni 44 local 198.51.100.1 group 239.1.1.1 dev veth0 ttl 64 tos 0x10 nolearning srcport 100 200 noudpcsum ageing 100 dstport 0|RTM_NEWLINK|last
link-add-bridge-options||ip link add br0 type bridge forward_delay 400 priority 100 mcast_snooping 0 mcast_query_interval 2000|RTM_NEWLINK|last
link-set-bridge-port|$VETH; ip link add br0 type bridge; ip link set veth0 master br0; ip link set veth1 master br0|ip link set dev veth0 type bridge_slave cost 50 guard on learning off backup_port veth1 fdb_flush|RTM_NEWLINK|last
link-set-alias|$VETH|ip link set dev veth0 mtu 1400 alias peer-of-veth1 group 5|RTM_NEWLINK|last
link-set-group-all|$VETH; ip link set veth0 group 5|ip link set group 5 up|RTM_NEWLINK|last
link-del-group|$VETH; ip link set veth0 group 5|ip link del group 5|RTM_DELLINK|last
link-add-vlan|$VETH|ip link add link veth0 name veth0.10 type vlan id 10|RTM_NEWLINK|last
link-add-vlan-options|$VETH|ip link add link veth0 name v20 type vlan protocol 802.1ad id 20 reorder_hdr off gvrp on mvrp off loose_binding on bridge_binding off ingress-qos-map 1:2 3:4 egress-qos-map 5:6|RTM_NEWLINK|last
link-add-ipvlan|$VETH|ip link add link veth0 name ipv0 type ipvlan mode l3 private|RTM_NEWLINK|last
link-add-ipvtap|$VETH|ip link add link veth0 name ipvt0 type ipvtap mode l2 vepa|RTM_NEWLINK|last
link-add-vrf||ip link add vrf0 type vrf table 10|RTM_NEWLINK|last
link-add-ifb||ip link add ifb0 type ifb|RTM_NEWLINK|last
link-add-ifb-words||ip link add ifb0 type ifb foo help|RTM_NEWLINK|last
link-show||ip link show|RTM_GETLINK|last
link-show-dev|$VETH|ip link show dev veth0|RTM_GETLINK|last
addr-add-v4|$VETH|ip addr add 192.0.2.1/24 dev veth0|RTM_NEWADDR|last
addr-add-v4-brd-plus|$VETH|ip addr add 192.0.2.1/24 brd + dev veth0|RTM_NEWADDR|last
addr-add-v4-brd-explicit|$VETH|ip addr add 192.0.2.1/24 broadcast 192.0.2.255 dev veth0|RTM_NEWADDR|last
addr-add-v4-label|$VETH|ip addr add 192.0.2.1/24 dev veth0 label veth0:1|RTM_NEWADDR|last
addr-add-v4-scope-link|$VETH|ip addr add 192.0.2.1/24 dev veth0 scope link|RTM_NEWADDR|last
addr-add-v4-scope-host|$VETH|ip addr add 192.0.2.1/32 dev veth0 scope host|RTM_NEWADDR|last
addr-add-v4-noprefixroute|$VETH|ip addr add 192.0.2.1/24 dev veth0 noprefixroute|RTM_NEWADDR|last
addr-add-v4-host|$VETH|ip addr add 192.0.2.1 dev veth0|RTM_NEWADDR|last
addr-add-v6|$VETH|ip addr add 2001:db8::1/64 dev veth0|RTM_NEWADDR|last
addr-add-v6-nodad|$VETH|ip addr add 2001:db8::1/64 dev veth0 nodad|RTM_NEWADDR|last
addr-del-v4|$VETH; ip addr add 192.0.2.1/24 dev veth0|ip addr del 192.0.2.1/24 dev veth0|RTM_DELADDR|last
addr-del-v6|$VETH; ip addr add 2001:db8::1/64 dev veth0 nodad|ip addr del 2001:db8::1/64 dev veth0|RTM_DELADDR|last
addr-add-v6-anycast|$VETH|ip addr add 2001:db8::1/64 anycast 2001:db8::5 dev veth0 nodad|RTM_NEWADDR|last
addr-add-v4-metric|$VETH|ip addr add 192.0.2.1/24 dev veth0 metric 100|RTM_NEWADDR|last
addr-add-v6-lifetimes|$VETH|ip addr add 2001:db8::1/64 dev veth0 valid_lft 100 preferred_lft 50 nodad|RTM_NEWADDR|last
addr-add-v4-label-first|$VETH|ip addr add label veth0:1 local 192.0.2.1/24 dev veth0|RTM_NEWADDR|last
addr-add-v4-peer|$VETH|ip addr add 192.0.2.1 peer 192.0.2.2/32 dev veth0|RTM_NEWADDR|last
addr-add-v4-brd-minus|$VETH|ip addr add 192.0.2.1/24 brd - dev veth0|RTM_NEWADDR|last
addr-add-v6-flags|$VETH|ip addr add 2001:db8::1/64 dev veth0 home nodad mngtmpaddr noprefixroute|RTM_NEWADDR|last
addr-add-v4-all|$VETH|ip addr add 192.0.2.1/24 broadcast 192.0.2.255 label veth0:x scope link metric 7 dev veth0 valid_lft 200 preferred_lft 100 noprefixroute|RTM_NEWADDR|last
addr-replace-v4|$VETH; ip addr add 192.0.2.1/24 dev veth0|ip addr replace 192.0.2.1/24 dev veth0 valid_lft 300 preferred_lft 300|RTM_NEWADDR|last
addr-change-v4|$VETH; ip addr add 192.0.2.1/24 dev veth0|ip addr change 192.0.2.1/24 dev veth0 metric 5|RTM_NEWADDR|last
addr-show||ip addr show|RTM_GETADDR|last
addr-show-4||ip -4 addr show|RTM_GETADDR|last
addr-show-6||ip -6 addr show|RTM_GETADDR|last
addr-flush|$VETH; ip addr add 192.0.2.1/24 dev veth0; ip addr add 198.51.100.1/24 dev veth0|ip addr flush dev veth0|RTM_GETADDR,RTM_DELADDR|all
route-add-default-via|$VETH_UP|ip route add default via 192.0.2.1|RTM_NEWROUTE|last
route-add-via|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1|RTM_NEWROUTE|last
route-add-dev|$VETH_UP|ip route add 198.51.100.0/24 dev veth0|RTM_NEWROUTE|last
route-add-via-dev|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 dev veth0|RTM_NEWROUTE|last
route-add-metric|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 metric 100|RTM_NEWROUTE|last
route-add-table-100|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 table 100|RTM_NEWROUTE|last
route-add-table-1000|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 table 1000|RTM_NEWROUTE|last
route-add-proto-static|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 proto static|RTM_NEWROUTE|last
route-add-scope-link|$VETH_UP|ip route add 198.51.100.0/24 dev veth0 scope link|RTM_NEWROUTE|last
route-add-src|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 src 192.0.2.2|RTM_NEWROUTE|last
route-add-blackhole|$VETH_UP|ip route add blackhole 198.51.100.0/24|RTM_NEWROUTE|last
route-add-unreachable|$VETH_UP|ip route add unreachable 198.51.100.0/24|RTM_NEWROUTE|last
route-add-prohibit|$VETH_UP|ip route add prohibit 198.51.100.0/24|RTM_NEWROUTE|last
route-add-local|$VETH_UP|ip route add local 198.51.100.1 dev veth0|RTM_NEWROUTE|last
route-add-v6-via|$VETH_UP|ip -6 route add 2001:db8:1::/64 via 2001:db8::1|RTM_NEWROUTE|last
route-add-v6-dev|$VETH_UP|ip route add 2001:db8:1::/64 dev veth0|RTM_NEWROUTE|last
route-add-v6-default|$VETH_UP|ip -6 route add default via 2001:db8::1 dev veth0 metric 1024|RTM_NEWROUTE|last
route-add-v6-blackhole|$VETH_UP|ip -6 route add blackhole 2001:db8:2::/48 table 1000|RTM_NEWROUTE|last
route-del|$VETH_UP; ip route add 198.51.100.0/24 via 192.0.2.1|ip route del 198.51.100.0/24 via 192.0.2.1|RTM_DELROUTE|last
route-del-v6|$VETH_UP; ip route add 2001:db8:1::/64 dev veth0|ip -6 route del 2001:db8:1::/64 dev veth0|RTM_DELROUTE|last
route-replace|$VETH_UP|ip route replace 198.51.100.0/24 via 192.0.2.1 metric 10|RTM_NEWROUTE|last
route-add-multipath|$VETH_UP|ip route add 198.51.100.0/24 nexthop via 192.0.2.1 dev veth0 weight 2 nexthop via 192.0.2.3 dev veth0|RTM_NEWROUTE|last
route-add-multipath-metric|$VETH_UP|ip route add 198.51.100.0/24 metric 9 nexthop via 192.0.2.1 weight 3 nexthop dev veth0|RTM_NEWROUTE|last
route-add-multipath-mtu-table|$VETH_UP|ip route add 198.51.100.0/24 mtu 1400 table 100 nexthop via 192.0.2.1 onlink nexthop via 192.0.2.3|RTM_NEWROUTE|last
route-add-v6-multipath|$VETH_UP|ip -6 route add 2001:db8:1::/64 nexthop via 2001:db8::1 dev veth0 nexthop via 2001:db8::3 dev veth0 weight 4|RTM_NEWROUTE|last
route-add-via-inet6|$VETH_UP|ip route add 198.51.100.0/24 via inet6 2001:db8::1 dev veth0|RTM_NEWROUTE|last
route-add-metrics|$VETH_UP|ip route add 198.51.100.0/24 dev veth0 mtu lock 1300 advmss 1200 hoplimit 64 initcwnd 10 initrwnd 20 window 3000 rtt 100ms rttvar 50ms reordering 5 features ecn quickack 1 congctl reno fastopen_no_cookie 1 ssthresh 7 cwnd 8|RTM_NEWROUTE|last
route-add-metrics-lock|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 congctl lock cubic rtt 2s rto_min 300ms hoplimit lock 255 rttvar 12|RTM_NEWROUTE|last
route-add-v6-metrics|$VETH_UP|ip -6 route add 2001:db8:1::/64 dev veth0 mtu lock 1300 hoplimit 5 congctl reno|RTM_NEWROUTE|last
route-add-realms|$VETH_UP|ip route add 198.51.100.0/24 via 192.0.2.1 realms 3/4|RTM_NEWROUTE|last
route-flush|$VETH_UP; ip route add 198.51.100.0/24 via 192.0.2.1; ip route add 203.0.113.0/24 dev veth0 metric 5|ip route flush dev veth0|RTM_GETROUTE,RTM_DELROUTE|all
route-get|$VETH_UP|ip route get 192.0.2.5|RTM_GETROUTE|last
route-show||ip route show|RTM_GETROUTE|last
route-show-table-all||ip route show table all|RTM_GETROUTE|last
route-show-v6-table-all||ip -6 route show table all|RTM_GETROUTE|last
neigh-add|$VETH_UP|ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0|RTM_NEWNEIGH|last
neigh-add-flags|$VETH_UP|ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0 nud stale router extern_learn protocol static|RTM_NEWNEIGH|last
neigh-add-managed|$VETH_UP|ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0 managed|RTM_NEWNEIGH|last
neigh-add-v6|$VETH_UP|ip neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev veth0 nud noarp|RTM_NEWNEIGH|last
neigh-add-proxy|$VETH_UP|ip neigh add proxy 192.0.2.9 dev veth0|RTM_NEWNEIGH|last
neigh-replace|$VETH_UP|ip neigh replace 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0 nud reachable|RTM_NEWNEIGH|last
neigh-change|$VETH_UP; ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0|ip neigh change 192.0.2.5 dev veth0 lladdr 02:00:00:00:00:06|RTM_NEWNEIGH|last
neigh-del|$VETH_UP; ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0|ip neigh del 192.0.2.5 dev veth0|RTM_DELNEIGH|last
neigh-show||ip neigh show|RTM_GETNEIGH|last
neigh-show-dev-proxy|$VETH_UP|ip -6 neigh show proxy dev veth0|RTM_GETNEIGH|last
neigh-show-nomaster|$VETH_UP|ip -4 neigh show nomaster|RTM_GETNEIGH|last
neigh-get|$VETH_UP; ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0|ip neigh get 192.0.2.5 dev veth0|RTM_GETNEIGH|last
neigh-flush|$VETH_UP; ip neigh add 192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0 nud stale; ip neigh add 192.0.2.6 lladdr 02:00:00:00:00:06 dev veth0 nud reachable|ip neigh flush dev veth0|RTM_GETNEIGH,RTM_DELNEIGH|all
rule-show||ip rule show|RTM_GETRULE|last
rule-show-v6||ip -6 rule show|RTM_GETRULE|last
rule-add-from-table|$VETH_UP|ip rule add from 198.51.100.0/24 table 100|RTM_NEWRULE|last
rule-add-all|$VETH_UP|ip rule add not from 198.51.100.0/24 to 203.0.113.0/24 iif veth0 oif veth1 fwmark 0x10/0xff tos 0x10 ipproto tcp sport 1000-2000 dport 80 uidrange 100-200 suppress_prefixlength 0 priority 50 lookup 1000|RTM_NEWRULE|last
rule-add-v6|$VETH_UP|ip -6 rule add from 2001:db8::/32 pref 60 table main|RTM_NEWRULE|last
rule-add-blackhole|$VETH_UP|ip rule add to 198.51.100.0/24 blackhole|RTM_NEWRULE|last
rule-add-goto|$VETH_UP|ip rule add pref 10 goto 100|RTM_NEWRULE|last
rule-add-nop|$VETH_UP|ip rule add pref 11 nop|RTM_NEWRULE|last
rule-add-from-all|$VETH_UP|ip rule add from all to 198.51.100.0/24 table 5|RTM_NEWRULE|last
rule-add-misc|$VETH_UP|ip rule add pref 14 realms 1/2 protocol static suppress_ifgroup 5 tun_id 9 dsfield 0x10 table 7|RTM_NEWRULE|last
rule-add-l3mdev|$VETH_UP|ip rule add pref 15 l3mdev|RTM_NEWRULE|last
rule-add-nat|$VETH_UP|ip rule add pref 16 nat 198.51.100.7|RTM_NEWRULE|last
rule-del|$VETH_UP; ip rule add from 198.51.100.0/24 table 100 pref 70|ip rule del pref 70|RTM_DELRULE|last
rule-flush|$VETH_UP; ip rule add from 198.51.100.0/24 table 100 pref 70|ip rule flush|RTM_GETRULE,RTM_DELRULE|all
netns-set|ip netns add blue|ip netns set blue 7|RTM_NEWNSID|last
netns-list-id|ip netns add blue; ip netns set blue 7|ip netns list-id|RTM_GETNSID|last
EOF
)

# --cases FILE: that file's cases (same format; $VETH and $VETH_UP expand) instead.
if [ -n "${CASES_FILE:-}" ]; then
    CASES=$(eval "cat <<EOF
$(cat "$CASES_FILE")
EOF
")
fi

record_case() {
    local name=$1 setup=$2 command=$3 select=$4 mode=$5
    local work
    work=$(mktemp -d)
    # The sandbox: nothing here reaches the machine's own network namespace.
    unshare --net --mount --fork -- bash -c '
        set -e
        mount -t tmpfs tmpfs /run
        sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 >/dev/null 2>&1 || true
        ip link set lo up
        work=$1 setup=$2 command=$3 tool=$4
        eval "$setup"
        if [ -s "$work/pid" ]; then
            command=${command/PID/$(cat "$work/pid")}
        fi
        command="$tool ${command#ip }"
        ip -o link show | awk -F": " "{ split(\$2, n, \"@\"); printf \"%s=%s\n\", n[1], \$1 }" > "$work/ifindex"
        set +e
        strace -f -o "$work/trace" -xx -e trace=sendmsg,sendto -e write=all $command >/dev/null 2>"$work/stderr"
        echo $? > "$work/exit"
        if [ -s "$work/pid" ]; then kill "$(cat "$work/pid")"; rm -f "$work/pid"; fi
    ' bash "$work" "$setup" "$command" "$TOOL"
    # ip rule flush deletes through a second socket of its own.
    local all_sockets=${NLTRACE_ALL_SOCKETS:-}
    case $name in rule-flush*) all_sockets=1 ;; esac
    NLTRACE_ALL_SOCKETS=$all_sockets python3 "$NLTRACE" golden "$work/trace" "$OUT/$name.txt" "$command" "$setup" \
        "$work/ifindex" "$(cat "$work/exit")" "$select" "$mode"
    printf '%-28s exit %s  %s\n' "$name" "$(cat "$work/exit")" "$command"
    rm -rf "$work"
}

while IFS='|' read -r name setup command select mode; do
    [ -n "$name" ] || continue
    if [ $# -gt 0 ]; then
        case " $* " in *" $name "*) ;; *) continue ;; esac
    fi
    if [ "$JOBS" -gt 1 ]; then
        while [ "$(jobs -pr | wc -l)" -ge "$JOBS" ]; do wait -n; done
        record_case "$name" "$setup" "$command" "$select" "$mode" &
    else
        record_case "$name" "$setup" "$command" "$select" "$mode"
    fi
done <<< "$CASES"
# Each background case's status: a failed recording fails the script.
for job in $(jobs -p); do wait "$job"; done
