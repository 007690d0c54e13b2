-- POSTs one JSON body over and over and, when done, appends one JSON line with the run's numbers to $BENCH_OUT.
-- Environment: BENCH_BODY (file with the body), BENCH_TIMEOUT_MS (Request-Timeout header, optional),
-- BENCH_LABEL (a JSON object of labels copied into the line, e.g. {"workload":"iris-predict"}).

local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

wrk.method = "POST"
wrk.body = read(os.getenv("BENCH_BODY"))
wrk.headers["Content-Type"] = "application/json"
local timeout = os.getenv("BENCH_TIMEOUT_MS")
if timeout and timeout ~= "" then
  wrk.headers["Request-Timeout"] = timeout
end

function done(summary, latency, requests)
  local errors = summary.errors
  local line = string.format(
    '{"labels":%s,"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,'
      .. '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    os.getenv("BENCH_LABEL") or "{}", summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max)
  local out = assert(io.open(os.getenv("BENCH_OUT"), "a"))
  out:write(line)
  out:close()
end
