# lo and a veth pair, both up, whose IPv6 link-local addresses and their `local fe80::...`
# routes are in place before any tool runs. Fixed MACs make those addresses the same in
# every sandbox (a random MAC gave each sandbox its own), and the wait makes them present
# in every listing: the kernel adds them asynchronously (carrier, then DAD), so a listing
# taken early or under load used to differ from one taken later by those lines. With
# duplicate detection off for the new links the wait is short; nothing here is about DAD.
echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad
ip link set lo up
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
ip link set veth0 up
ip link set veth1 up
# (A setup that turned address generation off first expects no link-locals.)
want=2
[ "$(cat /proc/sys/net/ipv6/conf/default/addr_gen_mode)" = 1 ] && want=0
settled=0
for _ in $(seq 600); do
  if [ "$(ip -6 route show table local | grep -c '^local fe80::')" -ge "$want" ] &&
     [ -z "$(ip -6 addr show tentative)" ]; then
    settled=1
    break
  fi
  sleep 0.05
done
if [ "$settled" != 1 ]; then
  echo "the veths' IPv6 link-local addresses did not settle" >&2
  exit 1
fi
