#!/usr/bin/env python3
"""Turns one benchmark run's records into the Markdown report (ratios to direct and to nginx from the same run).

  report.py RESULTS.jsonl META.json COMMANDS.txt   the whole report on stdout
  report.py --one RECORD_JSON                      a one-line summary of one record (for the progress log)
Standard library only.
"""
import json
import os
import re
import sys

TARGETS = ["direct", "nginx", "tollgate", "tollgate-base", "tollgate-nolog", "tollgate-pg", "tollgate-pg-limited",
           "tollgate-unique", "tollgate-cache-miss", "portkey"]
GATEWAYS = [t for t in TARGETS if t.startswith("tollgate")]
LABEL = {
    "direct": "direct (upstream, no proxy)",
    "nginx": "nginx reverse proxy",
    "tollgate": "Tollgate (defaults)",
    "tollgate-base": "Tollgate (defaults), baseline WAR",
    "tollgate-nolog": "Tollgate, USAGE_LOG=false",
    "tollgate-pg": "Tollgate (defaults, PostgreSQL)",
    "tollgate-pg-limited": "Tollgate (PostgreSQL, key with limits, quota, allow-lists)",
    "tollgate-unique": "Tollgate (defaults, every question unique, none cacheable)",
    "tollgate-cache-miss": "Tollgate (defaults, CACHE_MODE=all, every request a cache miss)",
    "portkey": "Portkey's gateway (peer, npm)",
}
SCENARIO = {
    "ns1": "Non-stream, 1 connection",
    "hit1": "Cache hit, 1 connection",
    "ns64": "Non-stream, 64 connections",
    "sse64": "Fixed SSE stream (20 events), 64 connections",
    "msg64": "The same stream translated to /v1/messages events, 64 connections",
    "resp64": "The same stream translated to /v1/responses events (store false), 64 connections",
    "kept64": "The same as resp64 with store left true: each response kept in the database, 64 connections",
    "slow1000": "1,000 concurrent slow streams (20 events 25 ms apart)",
    "slow5000": "5,000 concurrent slow streams (20 events 25 ms apart)",
}


def fmt(v, digits=2):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.{digits}f}"


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def x(v):
    return "–" if v is None else f"{v:.2f}×"


def wrk_errors(r):
    e = r.get("errors", {})
    return sum(e.values())


def derived(rec):
    """The numbers the tables use, from one record."""
    r = rec.get("result") or {}
    d = {"ok": bool(r)}
    secs = rec.get("cpu_ticks", 0) / max(1, rec.get("clk_tck", 100))
    db_secs = rec.get("db_cpu_ticks", 0) / max(1, rec.get("clk_tck", 100)) if rec.get("target", "").startswith("tollgate-pg") else None
    has_pids = bool(rec.get("measured_pids"))
    d["busy"] = (rec.get("cpu") or {}).get("machine_busy_pct")
    h = rec.get("heap") or {}
    d["heap"] = f"{h['committed_kb'] / 1024:.0f} / {h['used_kb'] / 1024:.0f}" if h else None
    d["rss_mb"] = rec["peak_rss_kb"] / 1024 if has_pids and rec.get("peak_rss_kb") else None
    if rec.get("kind") == "wrk" and r:
        d["rps"] = r["rps"]
        d["p50"] = r["lat_us"]["p50"] / 1000
        d["p90"] = r["lat_us"]["p90"] / 1000
        d["p99"] = r["lat_us"]["p99"] / 1000
        d["errors"] = wrk_errors(r)
        d["requests"] = r["requests"]
        d["cpu_us"] = secs * 1e6 / r["requests"] if has_pids and r["requests"] else None
        d["db_cpu_us"] = db_secs * 1e6 / r["requests"] if db_secs is not None and r["requests"] else None
        d["cpu_pct"] = 100 * secs / rec["wall_s"] if has_pids and rec.get("wall_s") else None
    elif rec.get("kind") == "streams" and r:
        d["completed"] = r["completed"]
        d["failed"] = r["failed"]
        d["started"] = r["started"]
        d["sps"] = r["streams_per_s"]
        d["max_open"] = r["max_open"]
        t = r.get("ttfb_ms") or {}
        s = r.get("stream_ms") or {}
        d["ttfb50"], d["ttfb99"] = t.get("p50"), t.get("p99")
        d["dur50"], d["dur99"] = s.get("p50"), s.get("p99")
        d["cpu_ms"] = secs * 1e3 / r["completed"] if has_pids and r["completed"] else None
        d["db_cpu_ms"] = db_secs * 1e3 / r["completed"] if db_secs is not None and r["completed"] else None
        d["cpu_pct"] = 100 * secs / rec["wall_s"] if has_pids and rec.get("wall_s") else None
    return d


def one(rec):
    d = derived(rec)
    if rec.get("kind") == "wrk" and d["ok"]:
        s = f"{d['rps']:,.0f} req/s, p50 {d['p50']:.3f} ms, p99 {d['p99']:.3f} ms, errors {d['errors']}"
    elif rec.get("kind") == "streams" and d["ok"]:
        s = (f"{d['completed']} completed, {d['failed']} failed, {d['sps']:.0f} streams/s, max open {d['max_open']}, "
             f"TTFB p50 {fmt(d['ttfb50'])} ms p99 {fmt(d['ttfb99'])} ms")
    else:
        s = "no result"
    if d.get("cpu_us") is not None:
        s += f", CPU {d['cpu_us']:.0f} µs/req"
    if d.get("db_cpu_us") is not None:
        s += f" (+ PostgreSQL {d['db_cpu_us']:.0f})"
    if d.get("cpu_ms") is not None:
        s += f", CPU {d['cpu_ms']:.2f} ms/stream"
    if d.get("db_cpu_ms") is not None:
        s += f" (+ PostgreSQL {d['db_cpu_ms']:.2f})"
    if d.get("rss_mb") is not None:
        s += f", peak RSS {d['rss_mb']:.0f} MB"
    return s


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def main(results, meta_file, commands):
    recs = [json.loads(line) for line in open(results) if line.strip()]
    meta = json.load(open(meta_file))
    by = {(r["target"], r["scenario"]): r for r in recs}
    D = {k: derived(v) for k, v in by.items() if v.get("scenario") != "smoke"}
    targets = [t for t in TARGETS if any(k[0] == t for k in by)]
    scenarios = [s for s in SCENARIO if any(k[1] == s for k in by)]

    def g(t, s, key):
        return D.get((t, s), {}).get(key)

    def cpu(t, s, key, digits):
        """The proxy's CPU cell; with PostgreSQL, the database server's share is added after it."""
        db = g(t, s, "db_" + key)
        return fmt(g(t, s, key), digits) + ("" if db is None else f" + {fmt(db, digits)} PostgreSQL")

    out = []
    quick = " (--quick)" if meta.get("quick") else ""
    out.append(f"# Tollgate overhead benchmark: {meta['stamp']}, gateway on Java {meta['java_major']}{quick}\n")
    out.append("Produced by `bench/run.sh`; every number below comes from this one run on this one machine. "
               "Ratios are Tollgate's value divided by the reference's value in the same run (req/s: higher is "
               "better; latency, TTFB: lower is better). See BENCHMARKS.md for how to read them.\n")
    out.append("## Machine and setup\n")
    gj = meta["gateway_java"].splitlines()
    out.append(f"- CPU: {meta['nproc']} × {meta['cpu'] or '?'}; {meta['os']}; {meta['kernel']}")
    mem = [line for line in meta["free"].splitlines() if line.startswith("Mem:")]
    out.append(f"- Memory (`free -m`): {' '.join(mem[0].split()[1:3]) + ' MB total/used' if mem else '?'}")
    out.append(f"- Gateway JVM: {gj[1] if len(gj) > 1 else gj[0]} (`{gj[0]}`), options `{meta['jvm_opts']}`")
    out.append(f"- Tomcat {meta['tomcat']}, NIO connector: `{meta['connector']}`")
    out.append(f"- Load tools: {meta['wrk']}; stream client and slow upstream on "
               f"{meta['tools_java'].splitlines()[0]}; {meta['nginx']}")
    if "portkey" in targets:
        out.append(f"- Peer: Portkey's gateway `@portkey-ai/gateway@{meta.get('portkey', '?')}` from npm on Node "
                   f"{meta.get('node', '?')}, one process, headless, `NODE_ENV=production`")
    out.append(f"- Tollgate WAR built from commit: `{meta['git'] or '?'}`")
    if meta.get("baseline_war"):
        out.append(f"- Baseline WAR (target tollgate-base): `{os.path.basename(meta['baseline_war'])}`")
    out.append(f"- Each target first warmed up ({meta['target_warm_s']} s non-stream + {meta['target_warm_s']} s SSE at "
               f"16 connections, 3 s of 200 slow streams); wrk runs: {meta['dur_s']} s measured after a "
               f"{meta['warm_s']} s warm-up; slow streams: {meta['stream_dur_s']} s after a 2 s (1,000) or 3 s "
               f"(5,000) ramp; whole run {meta['elapsed_s']} s")
    out.append("- Everything (load generators, upstreams, proxy, gateway) shares these cores, so absolute numbers "
               "are low and only the ratios travel.\n")

    smoke = [r for r in recs if r.get("scenario") == "smoke"]
    for r in smoke:
        what = "its stream scenarios were" if r.get("skipped") == "streams" else "its scenarios were"
        error = " ".join(str(r["error"]).split())
        out.append(f"**Smoke check failed for {LABEL[r['target']]}; {what} skipped:** `{error}`\n")

    out.append("## Results\n")
    if "ns1" in scenarios:
        out.append(f"### {SCENARIO['ns1']}: added latency\n")
        rows = []
        for t in targets:
            if (t, "ns1") not in D:
                continue
            add50 = None if g("direct", "ns1", "p50") is None else g(t, "ns1", "p50") - g("direct", "ns1", "p50")
            add99 = None if g("direct", "ns1", "p99") is None else g(t, "ns1", "p99") - g("direct", "ns1", "p99")
            rows.append([LABEL[t], fmt(g(t, "ns1", "rps")), fmt(g(t, "ns1", "p50"), 3), fmt(g(t, "ns1", "p99"), 3),
                         "–" if t == "direct" else fmt(add50, 3), "–" if t == "direct" else fmt(add99, 3),
                         cpu(t, "ns1", "cpu_us", 0), g(t, "ns1", "errors")])
        out.append(table(["target", "req/s", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms",
                          "proxy CPU µs/req", "errors"], rows) + "\n")
    if "hit1" in scenarios:
        out.append(f"### {SCENARIO['hit1']}: the same temperature-0 question, answered from the response cache\n")
        out.append("Compared with nginx in front of the zero-cost upstream at one connection (ns1, same run).\n")
        rows = []
        for t in targets:
            if (t, "hit1") not in D:
                continue
            rows.append([LABEL[t], fmt(g(t, "hit1", "rps")), x(ratio(g(t, "hit1", "rps"), g("nginx", "ns1", "rps"))),
                         fmt(g(t, "hit1", "p50"), 3), fmt(g(t, "hit1", "p99"), 3),
                         x(ratio(g(t, "hit1", "p50"), g("nginx", "ns1", "p50"))), cpu(t, "hit1", "cpu_us", 0),
                         g(t, "hit1", "errors")])
        out.append(table(["target", "req/s", "req/s × nginx ns1", "p50 ms", "p99 ms", "p50 × nginx ns1",
                          "proxy CPU µs/req", "errors"], rows) + "\n")
    for s in ("ns64", "sse64"):
        if s not in scenarios:
            continue
        out.append(f"### {SCENARIO[s]}\n")
        rows = []
        for t in targets:
            if (t, s) not in D:
                continue
            rows.append([LABEL[t], fmt(g(t, s, "rps")),
                         "–" if t == "direct" else x(ratio(g(t, s, "rps"), g("direct", s, "rps"))),
                         "–" if t in ("direct", "nginx") else x(ratio(g(t, s, "rps"), g("nginx", s, "rps"))),
                         fmt(g(t, s, "p50"), 3), fmt(g(t, s, "p99"), 3), cpu(t, s, "cpu_us", 0),
                         fmt(g(t, s, "cpu_pct"), 0), fmt(g(t, s, "busy"), 0), fmt(g(t, s, "rss_mb"), 0),
                         g(t, s, "heap") or "–", g(t, s, "errors")])
        out.append(table(["target", "req/s", "× direct", "× nginx", "p50 ms", "p99 ms", "proxy CPU µs/req",
                          "proxy CPU % of a core", "machine CPU busy %", "peak RSS MB",
                          "heap committed / used MB", "errors"], rows) + "\n")
    if "msg64" in scenarios and "resp64" in scenarios:
        # All translate the same 20 upstream chunks; CPU per upstream event is CPU per request / 20.
        out.append("### Translated streams: the fixed SSE stream as Anthropic events and as Responses API events, "
                   "64 connections\n")
        kept = "kept64" in scenarios
        rows = []
        for t in targets:
            if (t, "msg64") not in D or (t, "resp64") not in D:
                continue
            m, r = g(t, "msg64", "cpu_us"), g(t, "resp64", "cpu_us")
            row = [LABEL[t], fmt(g(t, "msg64", "rps")), fmt(g(t, "resp64", "rps")),
                   fmt(m / 20 if m else None, 1), fmt(r / 20 if r else None, 1), x(ratio(r, m))]
            errors = [g(t, "msg64", "errors"), g(t, "resp64", "errors")]
            if kept:
                k = g(t, "kept64", "cpu_us")
                row += [fmt(g(t, "kept64", "rps")), fmt(k / 20 if k else None, 1), x(ratio(k, m))]
                errors.append(g(t, "kept64", "errors"))
            rows.append(row + errors)
        head = ["target", "/v1/messages req/s", "/v1/responses req/s", "/v1/messages CPU µs per upstream event",
                "/v1/responses CPU µs per upstream event", "responses / messages CPU"]
        if kept:
            head += ["kept responses req/s", "kept responses CPU µs per upstream event", "kept / messages CPU"]
        head += ["errors (messages)", "errors (responses)"] + (["errors (kept)"] if kept else [])
        out.append(table(head, rows) + "\n")
    for s in ("slow1000", "slow5000"):
        if s not in scenarios:
            continue
        out.append(f"### {SCENARIO[s]}\n")
        rows = []
        for t in targets:
            if (t, s) not in D:
                continue
            rows.append([LABEL[t], g(t, s, "completed"), g(t, s, "failed"), fmt(g(t, s, "sps"), 0),
                         g(t, s, "max_open"), fmt(g(t, s, "ttfb50")), fmt(g(t, s, "ttfb99")),
                         "–" if t in ("direct", "nginx") else x(ratio(g(t, s, "ttfb50"), g("nginx", s, "ttfb50"))),
                         "–" if t in ("direct", "nginx") else x(ratio(g(t, s, "ttfb99"), g("nginx", s, "ttfb99"))),
                         fmt(g(t, s, "dur50"), 0), fmt(g(t, s, "dur99"), 0),
                         cpu(t, s, "cpu_ms", 2), fmt(g(t, s, "cpu_pct"), 0), fmt(g(t, s, "busy"), 0),
                         fmt(g(t, s, "rss_mb"), 0), g(t, s, "heap") or "–"])
        out.append(table(["target", "completed", "failed", "streams/s", "max open", "TTFB p50 ms", "TTFB p99 ms",
                          "TTFB p50 × nginx", "TTFB p99 × nginx", "stream p50 ms", "stream p99 ms",
                          "proxy CPU ms/stream", "proxy CPU % of a core", "machine CPU busy %", "peak RSS MB",
                          "heap committed / used MB"], rows) + "\n")
        fails = [(t, by[(t, s)]["result"]) for t in targets if (t, s) in by and (by[(t, s)].get("result") or {})
                 .get("failed")]
        for t, r in fails:
            out.append(f"- {LABEL[t]} failures: " + ", ".join(f"{k}: {v}" for k, v in r["failures"].items()))
            for sample in r.get("failure_samples", [])[:3]:
                out.append(f"  - e.g. `{sample[:240]}`")
        if fails:
            out.append("")

    def v(t, s, key):
        value = g(t, s, key)
        if value is None:
            raise KeyError((t, s, key))
        return value

    out.append("### Targets from issue 3\n")
    gw = [t for t in GATEWAYS if t in targets]
    checks = []

    def check(name, target_text, fn):
        row = [name, target_text]
        for t in gw:
            try:
                value, ok = fn(t)
            except (TypeError, KeyError, ZeroDivisionError):
                value, ok = "not measured", None
            row.append(f"{value} {'✅' if ok else '❌' if ok is not None else ''}".strip())
        checks.append(row)

    if "ns64" in scenarios:
        check("non-stream, 64 connections: req/s", "≥ 0.2 × nginx", lambda t: (
            f'{v(t, "ns64", "rps") / v("nginx", "ns64", "rps"):.3f}×',
            v(t, "ns64", "rps") / v("nginx", "ns64", "rps") >= 0.2))
    if "ns1" in scenarios:
        check("non-stream, 1 connection: added p50 latency", "≤ 0.3 ms over direct", lambda t: (
            f"{v(t, 'ns1', 'p50') - v('direct', 'ns1', 'p50'):.3f} ms",
            v(t, "ns1", "p50") - v("direct", "ns1", "p50") <= 0.3))
    if "sse64" in scenarios:
        check("fixed SSE, 64 connections: req/s", "≥ 0.2 × nginx", lambda t: (
            f'{v(t, "sse64", "rps") / v("nginx", "sse64", "rps"):.3f}×',
            v(t, "sse64", "rps") / v("nginx", "sse64", "rps") >= 0.2))
    if "slow1000" in scenarios:
        check("1,000 slow streams: failed", "0", lambda t: (str(v(t, "slow1000", "failed")),
                                                             v(t, "slow1000", "failed") == 0))
        check("1,000 slow streams: TTFB p50 / p99", "≤ 5 × nginx's", lambda t: (
            f"{x(v(t, 'slow1000', 'ttfb50') / v('nginx', 'slow1000', 'ttfb50'))} / "
            f"{x(v(t, 'slow1000', 'ttfb99') / v('nginx', 'slow1000', 'ttfb99'))}",
            v(t, "slow1000", "ttfb50") <= 5 * v("nginx", "slow1000", "ttfb50")
            and v(t, "slow1000", "ttfb99") <= 5 * v("nginx", "slow1000", "ttfb99")))
        check("1,000 slow streams: peak RSS", "< 768 MB", lambda t: (
            f"{v(t, 'slow1000', 'rss_mb'):.0f} MB", v(t, "slow1000", "rss_mb") < 768))
    if "slow5000" in scenarios:
        check("5,000 slow streams held: failed", "0", lambda t: (
            f"{v(t, 'slow5000', 'failed')} (max open {v(t, 'slow5000', 'max_open')})",
            v(t, "slow5000", "failed") == 0))
        check("5,000 slow streams: peak RSS", "< 1.5 GB", lambda t: (
            f"{v(t, 'slow5000', 'rss_mb'):.0f} MB", v(t, "slow5000", "rss_mb") < 1536))
    if gw and checks:
        out.append(table(["check", "target"] + [LABEL[t] for t in gw], checks) + "\n")
    if "tollgate-base" in targets:
        out.append("### This build against the baseline WAR (same run)\n")
        rows = []
        for s in ("ns1", "ns64", "sse64"):
            if ("tollgate", s) in D and ("tollgate-base", s) in D:
                rows.append([SCENARIO[s], x(ratio(g("tollgate", s, "rps"), g("tollgate-base", s, "rps"))),
                             f'{fmt(g("tollgate", s, "cpu_us"), 0)} / {fmt(g("tollgate-base", s, "cpu_us"), 0)}'])
        for s in ("slow1000", "slow5000"):
            if ("tollgate", s) in D and ("tollgate-base", s) in D:
                rows.append([SCENARIO[s] + ": peak RSS", x(ratio(g("tollgate", s, "rss_mb"), g("tollgate-base", s, "rss_mb"))),
                             f'{fmt(g("tollgate", s, "cpu_ms"), 2)} / {fmt(g("tollgate-base", s, "cpu_ms"), 2)} ms/stream'])
        out.append(table(["scenario", "req/s (RSS) × baseline", "proxy CPU per request: this / baseline"], rows) + "\n")

    if "tollgate-cache-miss" in targets and "tollgate-unique" in targets:
        out.append("### Every request a cache miss against the same unique questions uncached (same run)\n")
        rows = []
        for s in ("ns1", "ns64", "sse64"):
            if ("tollgate-cache-miss", s) in D and ("tollgate-unique", s) in D:
                rows.append([SCENARIO[s], x(ratio(g("tollgate-cache-miss", s, "rps"), g("tollgate-unique", s, "rps"))),
                             f'{fmt(g("tollgate-cache-miss", s, "cpu_us"), 0)} / {fmt(g("tollgate-unique", s, "cpu_us"), 0)}'])
        out.append(table(["scenario", "req/s × uncached", "proxy CPU per request: cache miss / uncached"], rows) + "\n")

    out.append("## Where the gateway's CPU went\n")
    out.append("Busiest threads of the gateway's JVM during each measured run (from /proc/PID/task; names cut "
               "to 15 characters by the kernel, numbers blanked to N and grouped). \"cores\" is CPU seconds per "
               "second of the run: 1.0 is one whole core of the machine's "
               f"{meta['nproc']}.\n")
    rows = []
    for t in gw:
        for s in scenarios:
            rec = by.get((t, s))
            if not rec or not rec.get("cpu"):
                continue
            ths = rec["cpu"].get("threads") or []
            rows.append([LABEL[t], s, fmt(rec["cpu"].get("machine_busy_pct"), 0),
                         "; ".join(f"{th['name']} ×{th['count']}: {th['cores']:.2f}" for th in ths[:6])])
    if rows:
        out.append(table(["target", "scenario", "machine CPU busy %", "threads: cores used"], rows) + "\n")

    out.append("## What the gateway logged\n")
    out.append("Tollgate's access log (one JSON line per request on the console) and its warnings/errors, per "
               "scenario; the access log is written off the request path from a bounded queue (USAGE_QUEUE_SIZE) and "
               "drops lines rather than block when it is full, so fewer lines than requests means dropped log lines, "
               "not lost requests; a line goes out up to one USAGE_LINGER after its response, so lines of the warm-up just before a run can make the count slightly larger.\n")
    rows = []
    for t in gw:
        for s in scenarios:
            rec = by.get((t, s))
            if not rec or not rec.get("log"):
                continue
            lg, d = rec["log"], D[(t, s)]
            n = d.get("requests", d.get("started"))
            rows.append([LABEL[t], s, fmt(n), fmt(lg["access_lines"]),
                         ", ".join(f"{k}: {v}" for k, v in sorted(lg["status"].items())) or "–",
                         "; ".join(f"{k} ({v})" for k, v in lg["errors"].items()) or "–",
                         lg["warn_error_lines"]])
    if rows:
        out.append(table(["target", "scenario", "requests (client)", "access-log lines", "statuses logged",
                          "error fields", "WARN/ERROR lines"], rows) + "\n")
    for t in gw:
        for s in scenarios:
            rec = by.get((t, s))
            if rec and rec.get("log") and rec["log"]["samples"]:
                merged = {}
                for smp in rec["log"]["samples"]:
                    key = re.sub(r"\breq_[0-9A-Za-z<>]+", "req_<id>", smp["line"])
                    merged[key] = merged.get(key, 0) + smp["count"]
                out.append(f"- {LABEL[t]}, {s} ({rec['log']['warn_error_lines']} lines; the most frequent kinds):")
                for line, count in sorted(merged.items(), key=lambda kv: -kv[1])[:5]:
                    out.append(f"  - {count} × `{line[:250]}`")
    for t, c in (meta.get("container_logs") or {}).items():
        if c.get("warn_error_lines"):
            out.append(f"- Tomcat's own logs for {LABEL[t]}: {c['warn_error_lines']} WARNING/SEVERE lines, e.g.:")
            for smp in c["samples"][:5]:
                out.append(f"  - {smp['count']} × `{smp['line'][:250]}`")
    out.append("")

    out.append("## Exact commands\n")
    out.append("Started by `bench/run.sh` (see its source for the servers' command lines); the measured load "
               "commands, in order:\n")
    out.append("```")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    repo = os.path.dirname(root)
    for line in open(commands):
        out.append(line.rstrip("\n").replace(repo + "/", ""))
    out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(one(json.loads(sys.argv[2])))
    elif len(sys.argv) == 4:
        main(*sys.argv[1:])
    else:
        sys.exit(__doc__)
