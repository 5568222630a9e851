-- wrk script of scripts/bench: what to ask for, and one line of results for the script to read.
--
-- BENCH_PATHS unset: the URL on wrk's command line, as a static request (no Lua per request, so
-- wrk's own CPU stays low for the cheap endpoints). Set: a file of paths, one a line, asked in
-- turn, the threads starting half the list apart.
--
-- At the end wrk prints one line (latencies in microseconds):
--   bench requests=N seconds=S p50_us=U p99_us=U non2xx=N socket_errors=N

local list = os.getenv("BENCH_PATHS")
if list and list ~= "" then
  local paths = {}
  for line in io.lines(list) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  assert(#paths > 0, "no paths in " .. list)
  local n = 0
  function init(args)
    n = (first or 0) * math.floor(#paths / 2) -- `first`: set by setup() below
  end
  function request()
    n = n + 1
    return wrk.format("GET", paths[(n % #paths) + 1])
  end
end

local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("bench requests=%d seconds=%.3f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
