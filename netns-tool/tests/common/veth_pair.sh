# lo and a veth pair, all up, with the MACs the kernel picks: for listings that show the
# pair's IPv6 link-local addresses, veth_settled.sh makes them the same in every sandbox.
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
