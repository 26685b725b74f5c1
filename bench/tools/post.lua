-- wrk script: POSTs the file $BENCH_BODY_FILE as JSON with "Authorization: $BENCH_AUTH" (and the "Name: value"
-- lines of $BENCH_HEADERS, if any) on every request, and at the end prints one machine-readable line
-- (BENCHJSON {...}) next to wrk's own report. Latencies in microseconds.
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then
    wrk.headers[name] = value
  end
end

-- BENCH_UNIQUE=1: every request asks a question of its own (the nonce of this wrk run, the thread, a counter), so
-- a response cache misses every time.
if os.getenv("BENCH_UNIQUE") == "1" then
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
  end
  local n = 0
  local nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
  function request()
    n = n + 1
    local body = wrk.body:gsub("Say something short%.", "Say something short. " .. nonce .. "-" .. (tid or 0) .. "-" .. n, 1)
    return wrk.format(nil, nil, nil, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"lat_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
