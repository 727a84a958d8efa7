//! `nsip route` with iproute2's name databases (`/etc/iproute2/rt_tables`, `rt_tables.d`,
//! `rt_protos`, `rt_protos.d`, `rt_scopes`, `rt_realms`), checked against ip itself.
//!
//! Each sandbox bind-mounts a private directory over /etc/iproute2 (its mount namespace is
//! its own, so the machine's files are never touched) and fills it; ip and nsip then run
//! the same commands on the same state, and stdout, stderr and status must agree.

mod common;

use common::assert_side_by_side_showing;

/// A private, empty /etc/iproute2, a veth, and routes whose table, protocol, scope and
/// realms have no built-in names.
const BASE: &str = "
mkdir /run/etc-iproute2
mount --bind /run/etc-iproute2 /etc/iproute2
ip link set lo up
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip route add 198.51.100.0/24 dev veth0 table 100 proto 77 scope 7
ip route add 198.51.101.0/24 dev veth0 table 2000 proto 17 realms 3/4
ip route add 198.51.102.0/24 dev veth0 proto 99 scope 200 realm 9
";

/// Databases with comments, hex ids, a drop-in that renames table 100, files that are not
/// drop-ins, and names that replace built-in ones.
const FILES: &str = r"
d=/etc/iproute2
printf '# tables\n100\tvpn\n  0x7d0 big # comment\n255 local\n' > $d/rt_tables
mkdir $d/rt_tables.d
printf '100 vpn2\n' > $d/rt_tables.d/a.conf
printf '101 x\n' > $d/rt_tables.d/b.txt
printf '101 y\n' > $d/rt_tables.d/.hidden.conf
printf '77 myproto\n17 mr2\n' > $d/rt_protos
mkdir $d/rt_protos.d
printf '99 fromd\n' > $d/rt_protos.d/z.conf
printf '7 seven\n200 notsite\n' > $d/rt_scopes
printf '3 three\n4 four\n9 nine\n0 zero\n' > $d/rt_realms
";

#[test]
fn without_databases_ids_print_as_numbers() {
    assert_side_by_side_showing(
        "without_databases_ids_print_as_numbers",
        BASE,
        &[
            "route show table all",
            "-j route show table all",
            "route show table 100",
            "route show table vpn",
            "route show table unspec",
            "route show proto mr2",
            "route add 198.51.110.0/24 dev veth0 table vpn",
            "route add 198.51.110.0/24 dev veth0 proto openr",
            "addr show dev lo",
        ],
        &["table 100 proto 77 scope 7", "realms 3/4"],
    );
}

#[test]
fn databases_name_tables_protocols_scopes_and_realms() {
    let setup = format!("{BASE}{FILES}");
    assert_side_by_side_showing(
        "databases_name_tables_protocols_scopes_and_realms",
        &setup,
        &[
            "route show table all",
            "-j route show table all",
            "-d route show table all",
            "route show table vpn",
            "route show table vpn2",
            "route show table big",
            "-j route show table big",
            "route show table y",
            "route show table x",
            "route show proto myproto table all",
            "route show proto fromd table all",
            "route show scope seven table all",
            "route show scope notsite",
            "route replace 198.51.103.0/24 dev veth0 table vpn proto myproto scope seven",
            "route show table 100",
            "route replace 198.51.104.0/24 dev veth0 table big proto fromd",
            "-j route show table 2000",
            "route get 198.51.102.1",
            "route replace 198.51.106.0/24 dev veth0 realms three/four",
            "route replace 198.51.107.0/24 dev veth0 realm nine",
            "route replace 198.51.108.0/24 dev veth0 realms zero/0x10",
            "route add 198.51.109.0/24 dev veth0 realms five",
            "route show 198.51.106.0/23",
            "-j route show 198.51.108.0/24",
            "addr show dev lo",
        ],
        // The private databases are the ones read: the drop-in's name for table 100 wins.
        &[
            "table vpn2 proto myproto scope seven",
            "table big proto mr2",
            "realms three/four",
        ],
    );
}

#[test]
fn corrupted_databases_complain_as_ip_does() {
    // ip stops reading a file at its first bad line (keeping what it read), says so on
    // stderr, and still reads the drop-ins.
    let setup = format!(
        "{BASE}{FILES}
printf '100 vpn\\nbogus line\\n101 after\\n' > /etc/iproute2/rt_tables
printf '77 p\\nbad' > /etc/iproute2/rt_protos
"
    );
    assert_side_by_side_showing(
        "corrupted_databases_complain_as_ip_does",
        &setup,
        &[
            "route show table all",
            "route show table after",
            "route show table vpn",
            "route show table all proto 17",
            "route show proto p table all",
        ],
        &["stderr: Database /etc/iproute2/rt_tables is corrupted at bogus line"],
    );
}
