-- wrk script for bench/load.sh: every request posts a new answer (unique
-- answer_id per thread and request) to the open question given in the
-- environment, and counts 201s so the shell can report acknowledged
-- answers per second rather than raw HTTP replies.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

local code = os.getenv("BENCH_CODE")
local question = os.getenv("BENCH_QUESTION")
local run = os.getenv("BENCH_RUN") or "r"
local headers = { ["Content-Type"] = "application/json" }
local texts = {
  "Kontinuitet.", "Läkarkontinuitet är viktigt", "Teamsamverkan", "Hemmonitorering",
  "Dokumentation (AI)", "Se över alla måsten vad det gäller administration.",
  "Digitalisering av det förebyggande arbetet, förhindra samsjukligheten",
}
local n = 0
created = 0
other = 0

function request()
  n = n + 1
  local body = string.format(
    '{"code":"%s","question_id":%s,"answer_id":"bench-%s-%d-%d","text":"%s","client_id":"bench%d-%d"}',
    code, question, run, tid, n, texts[(n % #texts) + 1], tid, n % 500)
  return wrk.format("POST", "/api/answers", headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("acknowledged: %d answers in %.2f s = %.0f answers/s (non-201 replies: %d)\n",
    c, secs, c / secs, o))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
