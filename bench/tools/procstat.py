#!/usr/bin/env python3
"""CPU snapshots from /proc, for where a scenario's CPU went.

  procstat.py snap OUT.json [PID...]   the machine's CPU counters (/proc/stat) and, per thread of each PID,
                                       utime+stime and the thread's name (/proc/PID/task/TID/{stat,comm})
  procstat.py diff A.json B.json       machine busy % over the interval, and the busiest threads (grouped by
                                       name with the trailing numbers blanked) as one JSON object
Standard library only. Thread names are cut to 15 characters by the kernel.
"""
import json
import os
import re
import sys
import time


def machine():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    v = [int(x) for x in parts]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return {"total": sum(v[:8]), "idle": idle}


def threads(pid):
    out = {}
    base = "/proc/%s/task" % pid
    try:
        tids = os.listdir(base)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("%s/%s/stat" % (base, tid)) as f:
                stat = f.read()
            with open("%s/%s/comm" % (base, tid)) as f:
                name = f.read().strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = [name, int(fields[11]) + int(fields[12])]
    return out


def snap(path, pids):
    data = {"time": time.time(), "machine": machine(), "threads": {p: threads(p) for p in pids}}
    with open(path, "w") as f:
        json.dump(data, f)


def diff(a_path, b_path):
    a, b = json.load(open(a_path)), json.load(open(b_path))
    tck = os.sysconf("SC_CLK_TCK")
    dt = b["machine"]["total"] - a["machine"]["total"]
    di = b["machine"]["idle"] - a["machine"]["idle"]
    busy = 100.0 * (dt - di) / dt if dt > 0 else None
    groups = {}
    for pid, ths in b["threads"].items():
        before = a["threads"].get(pid, {})
        for tid, (name, ticks) in ths.items():
            d = ticks - before.get(tid, [name, 0])[1]
            if d <= 0:
                continue
            key = re.sub(r"\d+", "N", name)
            g = groups.setdefault(key, [0, 0])
            g[0] += d
            g[1] += 1
    wall = b["time"] - a["time"]
    top = sorted(groups.items(), key=lambda kv: -kv[1][0])[:8]
    print(json.dumps({
        "machine_busy_pct": busy,
        "threads": [{"name": k, "cpu_s": v[0] / tck, "cores": v[0] / tck / wall if wall > 0 else None,
                     "count": v[1]} for k, v in top],
    }))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
