-- wrk script for `newsworker-dev bench --serve`: POSTs the envelopes of the corpus named by
-- NEWSWORKER_CORPUS (JSON Lines) to /v1/extract, one per request, in turn; each wrk thread
-- starts at its own offset so the threads do not ask for the same articles at once.
local bodies = {}
local next_body = 0

function init(args)
  local corpus = os.getenv("NEWSWORKER_CORPUS")
  for line in io.lines(corpus) do
    if line:match("%S") then
      bodies[#bodies + 1] = line
    end
  end
  assert(#bodies > 0, "no envelope in " .. corpus)
  next_body = math.random(#bodies)
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/extract", { ["Content-Type"] = "application/json" }, bodies[next_body])
end
