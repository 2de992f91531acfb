-- wrk script for bench/server/run.sh: a mix of API reads (and, in "mixed" mode, audio range
-- requests) over a generated library, authenticated with a personal API token.
--   wrk ... -s mix.lua URL -- MODE TOKEN PODCASTS EPISODES AUDIO_IDS
-- MODE: "api" (API reads only) or "mixed" (70 % API reads, 30 % audio ranges).
-- PODCASTS/EPISODES: how many ids exist (1..N); AUDIO_IDS: comma-separated downloaded episodes.
local mode, token, podcasts, episodes, audio
local audio_size = 0

function init(args)
  mode = args[1] or "api"
  token = args[2]
  podcasts = tonumber(args[3]) or 100
  episodes = tonumber(args[4]) or 100000
  audio = {}
  for id in string.gmatch(args[5] or "", "[^,]+") do audio[#audio + 1] = id end
  audio_size = tonumber(args[6]) or 1000000
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

local function get(path, extra)
  local headers = { ["Authorization"] = "Bearer " .. token }
  if extra then for k, v in pairs(extra) do headers[k] = v end end
  return wrk.format("GET", path, headers)
end

function request()
  local r = math.random(100)
  if mode == "mixed" and #audio > 0 and r <= 30 then
    local id = audio[math.random(#audio)]
    local from = math.random(0, audio_size - 65536)
    return get("/api/episodes/" .. id .. "/audio", { ["Range"] = "bytes=" .. from .. "-" .. (from + 65535) })
  end
  r = math.random(100)
  local p = math.random(podcasts)
  if r <= 10 then return get("/api/podcasts") end
  if r <= 20 then return get("/api/podcasts/" .. p) end
  if r <= 50 then
    return get("/api/podcasts/" .. p .. "/episodes?limit=50&offset=" .. (math.random(0, 19) * 50))
  end
  if r <= 80 then return get("/api/episodes/" .. math.random(episodes)) end
  if r <= 90 then return get("/api/episodes?limit=50&offset=" .. (math.random(0, 99) * 50)) end
  return get("/api/episodes/in-progress")
end

function done(summary, latency, requests)
  local l = latency
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    l:percentile(50) / 1000, l:percentile(90) / 1000, l:percentile(99) / 1000, l.max / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status))
end
