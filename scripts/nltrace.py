#!/usr/bin/env python3
"""Turns `strace -xx -e write=all -e read=all` output of iproute2 into test fixtures.

Used by scripts/record-golden.sh (subcommand `golden`) and scripts/record-dumps.sh
(subcommand `dumps`); see the top of those scripts for the fixture formats.

strace prints each syscall line, then for every buffer it transferred a hexdump:
    ` * 92 bytes in buffer 0` (sendmsg/recvmsg only)
    ` | 00000  5c 00 00 00 10 00 05 06  9a d5 02 6b 00 00 00 00  \\..........k.... |`
We rebuild each syscall's bytes from those lines.
"""

import os
import re
import struct
import sys

MESSAGE_TYPES = {
    2: "NLMSG_ERROR", 3: "NLMSG_DONE",
    16: "RTM_NEWLINK", 17: "RTM_DELLINK", 18: "RTM_GETLINK", 19: "RTM_SETLINK",
    20: "RTM_NEWADDR", 21: "RTM_DELADDR", 22: "RTM_GETADDR",
    24: "RTM_NEWROUTE", 25: "RTM_DELROUTE", 26: "RTM_GETROUTE",
    28: "RTM_NEWNEIGH", 29: "RTM_DELNEIGH", 30: "RTM_GETNEIGH",
    32: "RTM_NEWRULE", 33: "RTM_DELRULE", 34: "RTM_GETRULE",
    88: "RTM_NEWNSID", 89: "RTM_DELNSID", 90: "RTM_GETNSID",
}
TYPE_NUMBERS = {name: number for number, name in MESSAGE_TYPES.items()}

NLM_F_DUMP = 0x300
NLA_TYPE_MASK = 0x3FFF
IFINFOMSG_LEN = 16
IFLA_LINKINFO = 18
IFLA_NET_NS_PID = 19
IFLA_NET_NS_FD = 28
IFLA_INFO_DATA = 2
VETH_INFO_PEER = 1
NETNSA_FD = 3
NETNSA_PID = 2
IFA_CACHEINFO = 6

SYSCALL_RE = re.compile(r"^(?:\[pid\s+\d+\]\s+|\d+\s+)?(sendmsg|sendto|recvmsg|recvfrom)\((\d+),")
HEX_RE = re.compile(r"^(?:\[pid\s+\d+\]\s+|\d+\s+)? \| ([0-9a-f]{5})  (.{48})")


def parse_trace(path):
    """(syscall_name, fd, syscall_line, bytes) for every traced send/recv, in order."""
    calls = []
    current = None
    with open(path, encoding="latin-1") as trace:
        for line in trace:
            syscall = SYSCALL_RE.match(line)
            if syscall:
                current = [syscall.group(1), int(syscall.group(2)), line.rstrip("\n"), bytearray()]
                calls.append(current)
                continue
            hexline = HEX_RE.match(line)
            if hexline and current is not None:
                offset = int(hexline.group(1), 16)
                chunk = bytes.fromhex(hexline.group(2).replace(" ", ""))
                buffer = current[3]
                if offset < len(buffer):
                    # A second iovec restarts at 0: append, netlink iovecs are contiguous.
                    offset = len(buffer)
                buffer.extend(b"\0" * (offset - len(buffer)))
                buffer.extend(chunk)
    return [(name, fd, line, bytes(data)) for name, fd, line, data in calls]


def split_messages(data, trailing=None):
    """Splits one datagram into its netlink messages (each padded to 4 bytes).

    Some ip requests are sent as a whole C struct with zeroed room after the message (the
    kernel stops at a zero nlmsg_len); their count goes into `trailing` when it is a list.
    """
    messages = []
    offset = 0
    while offset + 16 <= len(data):
        length = struct.unpack_from("<I", data, offset)[0]
        if length == 0 and not any(data[offset:]):
            break
        if length < 16 or offset + length > len(data):
            raise ValueError(f"bad nlmsg_len {length} at {offset} of {len(data)}")
        messages.append(data[offset:offset + length])
        offset += (length + 3) & ~3
    if trailing is not None and offset < len(data):
        trailing.append(len(data) - offset)
    return messages


def header(message):
    length, kind, flags, seq, pid = struct.unpack_from("<IHHII", message, 0)
    return length, kind, flags, seq, pid


def walk_attrs(data, start, end):
    """Yields (type, value_offset, value_len) for the attributes in data[start:end]."""
    offset = start
    while offset + 4 <= end:
        length, kind = struct.unpack_from("<HH", data, offset)
        if length < 4 or offset + length > end:
            return
        yield kind & NLA_TYPE_MASK, offset + 4, length - 4
        offset += (length + 3) & ~3


def link_masks(message, start, path):
    """Finds namespace fd/pid attributes in an ifinfomsg payload, the veth peer's included."""
    masks = []
    for kind, value, size in walk_attrs(message, start + IFINFOMSG_LEN, len(message)):
        if kind == IFLA_NET_NS_FD:
            masks.append((value, size, path + "IFLA_NET_NS_FD"))
        elif kind == IFLA_NET_NS_PID:
            masks.append((value, size, path + "IFLA_NET_NS_PID"))
        elif kind == IFLA_LINKINFO:
            for info_kind, info_value, info_size in walk_attrs(message, value, value + size):
                if info_kind != IFLA_INFO_DATA:
                    continue
                for data_kind, data_value, _ in walk_attrs(message, info_value,
                                                           info_value + info_size):
                    if data_kind == VETH_INFO_PEER:
                        masks += link_masks(message, data_value, path + "VETH_INFO_PEER/")
    return masks


def variable_fields(message):
    """(offset, len, name) of the fields whose value depends on the run: fds and pids."""
    _, kind, _, _, _ = header(message)
    if kind in (16, 17, 18, 19):
        return link_masks(message, 16, "")
    if kind in (20, 21, 22):
        # ip addr flush sends back what the dump gave, IFA_CACHEINFO's uptime stamps included.
        return [(value + 8, 8, "IFA_CACHEINFO.cstamp+tstamp")
                for attr, value, size in walk_attrs(message, 16 + 8, len(message))
                if attr == IFA_CACHEINFO and size == 16]
    if kind == 29:
        # ip neigh flush sends back what the dump gave, NDA_CACHEINFO's tick ages and
        # reference count (a probe in flight holds one) included.
        return [(value, 16, "NDA_CACHEINFO")
                for attr, value, size in walk_attrs(message, 16 + 12, len(message))
                if attr == 3 and size == 16]
    if kind in (88, 89, 90):
        # struct rtgenmsg, padded to 4 bytes, then the NETNSA_* attributes.
        return [(value, size, "NETNSA_FD" if attr == NETNSA_FD else "NETNSA_PID")
                for attr, value, size in walk_attrs(message, 20, len(message))
                if attr in (NETNSA_FD, NETNSA_PID)]
    return []


def hex_lines(data):
    return [" ".join(f"{byte:02x}" for byte in data[i:i + 16]) for i in range(0, len(data), 16)]


def golden(args):
    """golden TRACE OUT COMMAND SETUP IFINDEX_FILE EXIT_CODE SELECT MODE"""
    trace, out, command, setup, ifindex_file, exit_code, select, mode = args
    wanted = {TYPE_NUMBERS[name] for name in select.split(",")}
    calls = [call for call in parse_trace(trace) if call[0] in ("sendmsg", "sendto")]
    # ip's main socket is opened first; name-to-index lookups use a second, later socket.
    # Another tool (NLTRACE_ALL_SOCKETS set) may use any socket for the work: keep them all.
    main_socket = min((fd for _, fd, _, _ in calls), default=None)
    all_sockets = bool(os.environ.get("NLTRACE_ALL_SOCKETS"))
    sent = []
    for name, fd, line, data in calls:
        if all_sockets or fd == main_socket:
            trailing = []
            messages = split_messages(data, trailing)
            sent += [(m, trailing if m is messages[-1] else []) for m in messages]
    picked = [(m, t) for m, t in sent if header(m)[1] in wanted]
    if not picked and not all_sockets:
        sys.exit(f"{out}: no {select} request in {trace}")
    if mode == "last":
        picked = picked[-1:]
    with open(ifindex_file) as f:
        ifindex = f.read().split()
    lines = [f"# {command}", f"# setup: {setup or '(none)'}",
             f"# ifindex: {' '.join(ifindex)}", f"# exit: {exit_code}"]
    body = []
    for number, (message, trailing) in enumerate(picked):
        if trailing:
            lines.append(f"# trailing: ip sent {trailing[0]} zero bytes after message {number} "
                         "in the same datagram (the kernel ignores them)")
        masked = bytearray(message)
        masked[8:16] = b"\0" * 8
        for offset, size, field in variable_fields(message):
            recorded = int.from_bytes(message[offset:offset + size], "little")
            if field.endswith("_FD"):
                recorded = f" recorded={recorded}"  # fds are stable run to run; pids are not
            else:
                recorded = ""
            lines.append(f"# mask: message={number} offset={offset} len={size} "
                         f"field={field}{recorded}")
            masked[offset:offset + size] = b"\0" * size
        length, kind, flags, _, _ = header(message)
        body.append(f"# message {number}: {MESSAGE_TYPES.get(kind, kind)} "
                    f"len={length} flags=0x{flags:x}")
        body += hex_lines(masked)
    with open(out, "w") as f:
        f.write("\n".join(lines + body) + "\n")


def dumps(args):
    """dumps TRACE OUT REQUEST_TYPE: the reply datagrams to ip's dump request of that type."""
    trace, out, request_type = args
    wanted = TYPE_NUMBERS[request_type]
    # ip's name cache dumps links on its own socket, with a sequence number that can equal the
    # main socket's: a reply belongs to the dump when both its socket and its seq match.
    dump_requests = set()
    datagrams = []
    for name, fd, line, data in parse_trace(trace):
        if name in ("sendmsg", "sendto"):
            for message in split_messages(data):
                _, kind, flags, seq, _ = header(message)
                if kind == wanted and flags & NLM_F_DUMP == NLM_F_DUMP:
                    dump_requests.add((fd, seq))
        elif "MSG_PEEK" in line or not data:
            continue  # ip sizes its buffer with a peek first: the real read follows.
        else:
            messages = split_messages(data)
            if messages and (fd, header(messages[0])[3]) in dump_requests:
                datagrams.append(data)
    if not datagrams:
        sys.exit(f"{out}: no reply to a {request_type} dump in {trace}")
    with open(out, "wb") as f:
        for datagram in datagrams:
            f.write(datagram)
    counts = {}
    for datagram in datagrams:
        for message in split_messages(datagram):
            name = MESSAGE_TYPES.get(header(message)[1], str(header(message)[1]))
            counts[name] = counts.get(name, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    print(f"{out}: {len(datagrams)} datagrams, {sum(map(len, datagrams))} bytes: {summary}")


if __name__ == "__main__":
    {"golden": golden, "dumps": dumps}[sys.argv[1]](sys.argv[2:])
