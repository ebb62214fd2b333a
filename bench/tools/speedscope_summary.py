#!/usr/bin/env python3
"""Summarises a speedscope file from `dotnet-trace convert --format speedscope`: inclusive and exclusive time per
frame over all threads, with waiting (blocked threads, idle pool threads) left out, so the figures are CPU time.

    python3 bench/tools/speedscope_summary.py trace.speedscope.json [--top 60] [--match Substring] [--exclude Substring]
"""
import json
import sys
from collections import defaultdict

# A stack whose leaf is unmanaged code under one of these frames is a thread waiting, not working.
WAITS = ("Read(", "WaitHandle", "Monitor.Wait", "LowLevelLifoSemaphore", "LowLevelMonitor", "Thread.Sleep", "WaitOne",
         "SocketAsyncEngine.EventLoop", "EventPipe", "WaitForSocketEvents", "Interop+Sys.WaitForSocketEvents",
         "ManualResetEventSlim.Wait", "SemaphoreSlim.Wait", "Thread.Join", "SpinWait", "TimerQueue.TimerThread",
         "PortableThreadPool+GateThread", "PortableThreadPool+WorkerThread.WorkerDoWork", "Console", "ReadFile",
         "System.Threading.Thread.StartCallback")


def main():
    args = sys.argv[1:]
    path = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 60
    match = args[args.index("--match") + 1] if "--match" in args else None
    exclude = args[args.index("--exclude") + 1] if "--exclude" in args else None
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    inclusive = defaultdict(float)
    exclusive = defaultdict(float)
    total = 0.0
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if last is not None and stack:
                add(stack, at - last, frames, inclusive, exclusive, match, exclude)
                total_add = at - last
                if counts(stack, frames, match, exclude):
                    total += total_add
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()
    print(f"CPU time counted: {total:.0f} ms (waits left out)")
    print(f"{'incl ms':>9} {'incl %':>7} {'excl ms':>9}  frame")
    for frame, ms in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{ms:9.0f} {100 * ms / total:6.1f}% {exclusive.get(frame, 0):9.0f}  {frame[:150]}")


def counts(stack, frames, match, exclude):
    names = [frames[i] for i in stack]
    leaf = names[-1]
    parent = names[-2] if len(names) > 1 else ""
    # Managed code running counts; native code counts only when called through interop (crypto, sockets), not waits.
    if leaf != "CPU_TIME" and not ("Interop" in parent and not any(w in parent for w in WAITS)):
        return False
    if match and not any(match in n for n in names):
        return False
    if exclude and any(exclude in n for n in names):
        return False
    return True


def add(stack, ms, frames, inclusive, exclusive, match, exclude):
    if not counts(stack, frames, match, exclude):
        return
    seen = set()
    for i in stack:
        name = frames[i]
        if name not in seen:
            seen.add(name)
            inclusive[name] += ms
    exclusive[frames[stack[-1]]] += ms


if __name__ == "__main__":
    main()
