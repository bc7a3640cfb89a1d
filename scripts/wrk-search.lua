-- wrk script for `council-search serve`: /api/search with snippets, rotating
-- the queries of a file (one a line, `#` comments) through a mix of filters.
-- Usage: wrk -t1 -c32 -d30s --latency -s scripts/wrk-search.lua http://127.0.0.1:8080 -- QUERIES_FILE
-- Prints requests/s, latency percentiles and errors (any answer but 200).

local paths = {}
local filters = { "", "&type=report", "&from=2016&to=2018", "&type=minutes", "&sort=date", "&type=appendix&from=2017" }

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local file = args[1] or "bench/queries.txt"
  for line in io.lines(file) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      for _, f in ipairs(filters) do
        paths[#paths + 1] = "/api/search?limit=10&q=" .. encode(line) .. f
      end
    end
  end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

local failures = 0
function response(status)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("requests: %d in %.1f s = %.0f searches/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, status %d\n", errors.connect, errors.read,
    errors.write, errors.timeout, errors.status))
end
