#!/usr/bin/env python3
"""Checks the shape of the source tree; exits 1 and says where when it is broken.

  scripts/layers.py

- netns-tool/src keeps its layers: the dispatcher (cli/) may use anything; an object
  (link/, addr/, route/, netns/, monitor/, ...) uses only show/, toolbox/ and itself;
  show/ uses only toolbox/ and show/; toolbox/ uses only toolbox/. An import that
  points up or sideways is reported (this also rules out every import circle between
  folders), and so is a circle between the files of one folder.
- No file in netlink-core/src or netns-tool/src over 600 lines.
- No function there over 80 lines (a function made of one data table is exempt when it
  says so with a `// data table` comment on its first line).

It reads `use crate::...`, `crate::...` paths and `super::` paths as text: an import hidden
in a macro is not seen.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "netns-tool", "src")
SOURCES = [os.path.join(ROOT, "netlink-core", "src"), CLI]
MAX_FILE, MAX_FN = 600, 80
LEAVES = {"toolbox": {"toolbox"}, "show": {"show", "toolbox"}}
TOP = {"cli", "lib.rs", "main.rs"}


def rust_files(top):
    for folder, _, names in os.walk(top):
        for name in sorted(names):
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def layer_of(path):
    return os.path.relpath(path, CLI).split(os.sep)[0]


def strip_tests(text):
    # Unit tests may reach anywhere in their own module; they are not part of the layers.
    # Comments name paths without using them.
    cut = text.find("#[cfg(test)]")
    code = text if cut < 0 else text[:cut]
    return re.sub(r"//.*", "", code)


def crate_targets(path, text):
    """The top-level modules a file reaches through crate:: and super:: paths."""
    targets = set(re.findall(r"\bcrate::([a-z_][a-z0-9_]*)", text))
    rel = os.path.relpath(path, CLI).split(os.sep)
    if len(rel) >= 2 and re.search(r"\bsuper::", text):
        # In a folder's mod.rs super:: is the crate root; elsewhere it is the folder.
        if rel[-1] == "mod.rs":
            targets.update(re.findall(r"\bsuper::([a-z_][a-z0-9_]*)", text))
        else:
            targets.add(rel[0])
    return targets


def check_layers(problems):
    for path in rust_files(CLI):
        layer = layer_of(path)
        if layer in TOP:
            continue
        text = strip_tests(open(path, encoding="utf-8").read())
        allowed = LEAVES.get(layer, {layer, "show", "toolbox"})
        for target in sorted(crate_targets(path, text) - allowed):
            problems.append(
                f"layer: {os.path.relpath(path, ROOT)} ({layer}) uses crate::{target}"
            )


def folder_circles(problems):
    """Circles among the files of one folder (super::/self:: imports between siblings)."""
    by_folder = {}
    for path in rust_files(CLI):
        folder = os.path.dirname(path)
        stem = os.path.splitext(os.path.basename(path))[0]
        text = strip_tests(open(path, encoding="utf-8").read())
        uses = set(re.findall(r"\bsuper::([a-z_][a-z0-9_]*)", text))
        uses |= set(re.findall(r"\bself::([a-z_][a-z0-9_]*)", text))
        if stem == "mod":
            uses = set()  # a folder's root declares its files; that is not a use
        by_folder.setdefault(folder, {})[stem] = uses
    for folder, graph in by_folder.items():
        for start in graph:
            stack, seen = [(start, [start])], set()
            while stack:
                node, trail = stack.pop()
                for nxt in graph.get(node, ()):
                    if nxt == start:
                        rel = os.path.relpath(folder, ROOT)
                        problems.append(f"circle: {rel}: {' -> '.join(trail + [start])}")
                        stack = []
                        break
                    if nxt in graph and nxt not in seen:
                        seen.add(nxt)
                        stack.append((nxt, trail + [nxt]))


FN_START = re.compile(r"^(\s*)(pub(\([a-z]+\))? )?(const )?(unsafe )?fn [a-z_0-9]+")


def long_functions(path, lines, problems):
    at = 0
    while at < len(lines):
        m = FN_START.match(lines[at])
        if not m or lines[at].rstrip().endswith(";"):
            at += 1
            continue
        indent, end = m.group(1), at
        while end < len(lines) and not re.match(rf"^{indent}\}}\s*$", lines[end]):
            if end > at and lines[end].rstrip() == f"{indent}}}":
                break
            end += 1
        length = end - at + 1
        exempt = "// data table" in "".join(lines[at : at + 2])
        if length > MAX_FN and not exempt:
            name = re.search(r"fn ([a-z_0-9]+)", lines[at]).group(1)
            problems.append(f"function over {MAX_FN}: {os.path.relpath(path, ROOT)}:{at + 1} {name} {length}")
        at = end + 1


def check_sizes(problems):
    for top in SOURCES:
        for path in rust_files(top):
            lines = open(path, encoding="utf-8").read().split("\n")
            if len(lines) - 1 > MAX_FILE:
                problems.append(f"file over {MAX_FILE}: {os.path.relpath(path, ROOT)} {len(lines) - 1}")
            test_at = next((i for i, l in enumerate(lines) if l.startswith("#[cfg(test)]")), len(lines))
            long_functions(path, lines[:test_at], problems)


def main():
    problems = []
    check_layers(problems)
    folder_circles(problems)
    check_sizes(problems)
    for p in problems:
        print(p)
    print(f"layers.py: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
