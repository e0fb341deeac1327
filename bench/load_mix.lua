-- The request mix of bench/load.py for wrk 4 (LuaJIT); see that file for the why.
--
--   wrk -t2 -c50 -d30s -s bench/load_mix.lua http://127.0.0.1:PORT -- DATA.lua THINK_MS N
--
-- DATA.lua (written by bench/load.py) returns the signed-in sessions, the CSRF token, the
-- lessons and the quiz questions. THINK_MS is a connection's mean pause between a response
-- and its next request (exponential, capped at 4 x the mean); 0 means no pause at all.
-- N is the number of connections per wrk thread.
--
-- With a pause, each connection first fetches the stylesheet at once, as a first visit does.
-- wrk would otherwise connect and pause before the first request, and gunicorn's gthread
-- worker holds a thread on a new connection until its first request arrives (up to 5 s),
-- which stalls the others; once a connection has been answered it waits for the next
-- request in the worker's poller, holding no thread.
--
-- Every request picks its kind by the mix weights and a random person of the right role:
-- GET a lesson, GET the learner home, POST "lesson done", POST a quiz (fresh idempotency
-- key, 3 in 4 questions answered right), GET the mentor home. The X-Bench-User header
-- lets bench/load.py match the server's access log to the database afterwards.
--
-- wrk cannot tell which request a response belongs to, so responses are classified by
-- what they are: 200, a 302 to a quiz result (/attempts/), a 302 to a lesson or course
-- (lesson done), a 302 to the sign-in page (session lost: an error), other statuses.
-- done() prints "BENCH key value" lines for bench/load.py to parse.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local data, think, kinds, weights, total_weight
local cookie_tail
local first_delays, first_requests = 0, 0

counts = {
  sent_lesson = 0, sent_home = 0, sent_complete = 0, sent_quiz = 0, sent_mentor = 0,
  sent_stylesheet = 0,
  ok = 0, quiz_ack = 0, complete_ack = 0, login = 0, other_redirect = 0,
  client_error = 0, server_error = 0,
}

function init(args)
  data = dofile(args[1])
  think = tonumber(args[2]) or 0
  if think > 0 then
    first_delays = tonumber(args[3]) or 0
    first_requests = first_delays
  end
  math.randomseed(os.time() * 1000 + id * 7919)
  kinds, weights, total_weight = {}, {}, 0
  for _, entry in ipairs(data.mix) do
    table.insert(kinds, entry[1])
    total_weight = total_weight + entry[2]
    table.insert(weights, total_weight)
  end
  cookie_tail = "; csrftoken=" .. data.csrf
end

local function pick(list)
  return list[math.random(#list)]
end

local function uuid4()
  local function hex(n)
    local s = ""
    for _ = 1, n do
      s = s .. string.format("%x", math.random(0, 15))
    end
    return s
  end
  return hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-"
    .. string.format("%x", math.random(8, 11)) .. hex(3) .. "-" .. hex(12)
end

local function headers(role, index, key, form)
  local h = {
    ["Cookie"] = "sessionid=" .. key .. cookie_tail,
    ["Accept-Encoding"] = "gzip, deflate, br",
    ["X-Bench-User"] = role .. index,
  }
  if form then
    h["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return h
end

local function quiz_body(quiz)
  local parts = {
    "csrfmiddlewaretoken=" .. data.csrf,
    "idempotency_key=" .. uuid4(),
  }
  for _, q in ipairs(quiz.questions) do
    local chosen
    if math.random() < 0.75 then
      chosen = q.correct
    else
      chosen = { pick(q.options) }
    end
    for _, option in ipairs(chosen) do
      table.insert(parts, "q" .. q.id .. "=" .. option)
    end
  end
  return table.concat(parts, "&")
end

function request()
  if first_requests > 0 then
    first_requests = first_requests - 1
    counts.sent_stylesheet = counts.sent_stylesheet + 1
    return wrk.format("GET", data.stylesheet, { ["Accept-Encoding"] = "gzip, deflate, br" })
  end
  local r = math.random() * total_weight
  local kind = kinds[#kinds]
  for i, limit in ipairs(weights) do
    if r < limit then
      kind = kinds[i]
      break
    end
  end
  counts["sent_" .. kind] = counts["sent_" .. kind] + 1
  local base = "/courses/" .. data.slug .. "/lessons/"
  if kind == "mentor" then
    local i = math.random(#data.mentors)
    return wrk.format("GET", "/mentor/", headers("M", i, data.mentors[i]))
  end
  local i = math.random(#data.learners)
  local key = data.learners[i]
  if kind == "home" then
    return wrk.format("GET", "/", headers("L", i, key))
  elseif kind == "lesson" then
    return wrk.format("GET", base .. pick(data.lessons) .. "/", headers("L", i, key))
  elseif kind == "complete" then
    return wrk.format(
      "POST", base .. pick(data.readings) .. "/complete/", headers("L", i, key, true),
      "csrfmiddlewaretoken=" .. data.csrf
    )
  else
    local quiz = pick(data.quizzes)
    return wrk.format(
      "POST", base .. quiz.id .. "/quiz/", headers("L", i, key, true), quiz_body(quiz)
    )
  end
end

function delay()
  if think <= 0 then
    return 0
  end
  if first_delays > 0 then
    first_delays = first_delays - 1
    return 0
  end
  local pause = -think * math.log(1 - math.random())
  return math.floor(math.min(pause, 4 * think))
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    counts.ok = counts.ok + 1
  elseif status >= 300 and status < 400 then
    local location = headers["Location"] or headers["location"] or ""
    if location:find("/accounts/login/", 1, true) then
      counts.login = counts.login + 1
    elseif location:find("/attempts/", 1, true) then
      counts.quiz_ack = counts.quiz_ack + 1
    elseif location:find("/courses/", 1, true) then
      counts.complete_ack = counts.complete_ack + 1
    else
      counts.other_redirect = counts.other_redirect + 1
    end
  elseif status < 500 then
    counts.client_error = counts.client_error + 1
  else
    counts.server_error = counts.server_error + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for name, value in pairs(thread:get("counts")) do
      total[name] = (total[name] or 0) + value
    end
  end
  local out = {
    duration_us = summary.duration,
    requests = summary.requests,
    bytes = summary.bytes,
    errors_connect = summary.errors.connect,
    errors_read = summary.errors.read,
    errors_write = summary.errors.write,
    errors_status = summary.errors.status,
    errors_timeout = summary.errors.timeout,
    latency_mean_us = latency.mean,
    latency_max_us = latency.max,
    latency_p50_us = latency:percentile(50),
    latency_p90_us = latency:percentile(90),
    latency_p95_us = latency:percentile(95),
    latency_p99_us = latency:percentile(99),
  }
  for name, value in pairs(total) do
    out[name] = value
  end
  for name, value in pairs(out) do
    io.write(string.format("BENCH %s %d\n", name, value))
  end
end
