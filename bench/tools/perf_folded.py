#!/usr/bin/env python3
"""Inclusive CPU per frame from `perf script -F comm,ip,sym` (run with DOTNET_PerfMapEnabled=1 so JIT frames have names).

    perf record -p PID -F 999 -g -- sleep 15 && perf script -F comm,ip,sym > out.script
    python3 bench/tools/perf_folded.py out.script [--top 60] [--match Substring]
"""
import sys
from collections import defaultdict

args = sys.argv[1:]
top = int(args[args.index("--top") + 1]) if "--top" in args else 60
match = args[args.index("--match") + 1] if "--match" in args else None
inclusive, samples = defaultdict(int), 0
stack = []


def flush():
    global samples
    if not stack:
        return
    if match and not any(match in f for f in stack):
        stack.clear()
        return
    samples += 1
    for f in set(stack):
        inclusive[f] += 1
    stack.clear()


for line in open(args[0], errors="replace"):
    if not line.strip():
        flush()
    elif line.startswith(("\t", " ")):
        parts = line.strip().split(" ", 1)
        name = parts[1] if len(parts) > 1 else "?"
        if name != "[unknown]":
            stack.append(name[:160])
flush()
print(f"{samples} samples")
for frame, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
    print(f"{100 * n / samples:6.1f}%  {frame}")
