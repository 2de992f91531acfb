-- wrk script for bench/server/handlers.sh: one request type, with random ids.
--   wrk ... -s handlers.lua URL -- TOKEN PODCASTS EPISODES PATH
-- PATH may hold {podcast} (1..PODCASTS) and {episode} (1..EPISODES), replaced per request.
local token, podcasts, episodes, path

function init(args)
  token = args[1]
  podcasts = tonumber(args[2]) or 100
  episodes = tonumber(args[3]) or 100000
  path = args[4] or "/api/status"
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local p = path:gsub("{podcast}", tostring(math.random(podcasts)))
  p = p:gsub("{episode}", tostring(math.random(episodes)))
  return wrk.format("GET", p, { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout + summary.errors.status, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
