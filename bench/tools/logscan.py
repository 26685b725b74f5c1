#!/usr/bin/env python3
"""Summarises what Tollgate logged during one scenario, as evidence next to the load tool's own counts.

  logscan.py FILE START END      bytes START..END of Tomcat's console output (Tollgate's access log is one JSON
                                 line per request there): access lines, statuses, "error" fields, and the
                                 WARN/ERROR/SEVERE/exception lines, with a few distinct samples
  logscan.py --container DIR     the same for Tomcat's own JULI logs (catalina.*.log, localhost.*.log) in DIR
Standard library only; prints one JSON object.
"""
import glob
import json
import os
import re
import sys
from collections import Counter

BAD = re.compile(r"\b(WARN|WARNING|ERROR|SEVERE)\b|Exception|Error:")


def shape(line):
    """A line with its numbers, ids and times blanked, so that repeats count as one kind."""
    line = re.sub(r"^\S+ \S+ ", "", line) if re.match(r"^\d\d-\w{3}-\d{4} ", line) else line
    line = re.sub(r"^\d\d:\d\d:\d\d\.\d+ ", "", line)
    line = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27,}", "<id>", line)
    line = re.sub(r"\breq_[0-9A-Za-z]+", "req_<id>", line)
    return re.sub(r"\d+", "N", line)[:300]


def scan(lines):
    status, errors, bad = Counter(), Counter(), Counter()
    access = 0
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("{") and '"status"' in line:
            try:
                rec = json.loads(line)
            except ValueError:
                rec = None
            if isinstance(rec, dict) and "status" in rec:
                access += 1
                status[str(rec.get("status"))] += 1
                if rec.get("error"):
                    errors[str(rec["error"])[:200]] += 1
                continue
        if BAD.search(line):
            bad[shape(line)] += 1
    return {
        "access_lines": access,
        "status": dict(status),
        "errors": dict(errors.most_common(10)),
        "warn_error_lines": sum(bad.values()),
        "samples": [{"line": k, "count": v} for k, v in bad.most_common(8)],
    }


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--container":
        lines = []
        for f in sorted(glob.glob(os.path.join(sys.argv[2], "*.log"))):
            with open(f, errors="replace") as fh:
                lines += fh.readlines()
        print(json.dumps(scan(lines)))
    elif len(sys.argv) == 4:
        start, end = int(sys.argv[2]), int(sys.argv[3])
        with open(sys.argv[1], "rb") as f:
            f.seek(start)
            data = f.read(max(0, end - start)).decode("utf-8", "replace")
        print(json.dumps(scan(data.splitlines())))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
