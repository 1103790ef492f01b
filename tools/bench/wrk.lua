-- wrk.lua — the requests of one benchmark scenario, driven by environment variables (tools/bench/bench.sh sets them).
--
-- BENCH_MODE    get (default): GET a path of BENCH_PATHS (one per line, picked at random per request)
--               create: POST /contacts with a new contact (names, email, phone) and the CSRF token
--               update: POST /contacts/ID for the contacts of BENCH_ROWS (TSV: id, version, then the form
--                       fields named in its header line), each contact once, with its current version
-- BENCH_COOKIE  Cookie header (the staff session); BENCH_AUTH: Authorization header (API token)
-- BENCH_CSRF    the session's CSRF token for POSTs; BENCH_THREADS: wrk's -t (update spreads the rows)
-- done() prints one line: BENCH requests duration_us p50_us p99_us mean_us status_errors connect read write timeout

local mode = os.getenv("BENCH_MODE") or "get"
local paths_file = os.getenv("BENCH_PATHS")
local rows_file = os.getenv("BENCH_ROWS")
local cookie = os.getenv("BENCH_COOKIE")
local auth = os.getenv("BENCH_AUTH")
local csrf = os.getenv("BENCH_CSRF") or ""
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")

local counter = 0
function setup(thread)
	thread:set("tid", counter)
	counter = counter + 1
end

local function lines(path)
	local t = {}
	for l in io.lines(path) do
		if l ~= "" then t[#t + 1] = l end
	end
	return t
end

local function urlenc(s)
	return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function split(s)
	local t = {}
	for v in string.gmatch(s .. "\t", "([^\t]*)\t") do t[#t + 1] = v end
	return t
end

local paths, rows, header, next_row, seq
local first = { "Giulia", "Marco", "Oliver", "Amelia", "Chiara", "Niccolò", "Zoë", "Seán", "Francesca", "George" }
local last = { "Rossi", "Bianchi", "Smith", "Bowen-Jones", "De Luca", "D'Angelo", "Brontë", "O'Neill", "Ferrari Costa" }

function init(args)
	tid = tid or 0
	math.randomseed(os.time() * 1000 + tid * 7919)
	if paths_file then paths = lines(paths_file) end
	if rows_file then
		rows = lines(rows_file)
		header = split(table.remove(rows, 1))
	end
	next_row = tid + 1
	seq = 0
	if cookie then wrk.headers["Cookie"] = cookie end
	if auth then wrk.headers["Authorization"] = auth end
	if mode ~= "get" then wrk.headers["Content-Type"] = "application/x-www-form-urlencoded" end
end

local function create_body()
	seq = seq + 1
	local tag = string.format("%d%d%05d", tid, seq, math.random(0, 99999))
	return "csrf_token=" .. urlenc(csrf) ..
		"&first_name=" .. urlenc(first[math.random(#first)]) ..
		-- unique name and phone: the duplicate check runs (as for every create) and finds nothing
		"&last_name=" .. urlenc(last[math.random(#last)] .. " " .. tag) ..
		"&email=" .. urlenc("bench." .. tag .. "@example.com") ..
		"&mobile_phone=" .. urlenc(string.format("+39 38%d %d", tid % 10, seq * 100000 + math.random(0, 99999))) ..
		"&job_title=Buyer&language=it&timezone=Europe%2FRome&contact_type=customer_contact" ..
		"&contact_preference=any&active=1&action=save"
end

local function update_body()
	local r = split(rows[((next_row - 1) % #rows) + 1])
	next_row = next_row + nthreads
	local b = { "csrf_token=" .. urlenc(csrf), "version=" .. r[2], "action=save", "active=1",
		"contact_preference=any", "job_title=" .. urlenc("Updated by bench " .. math.random(0, 999)) }
	for i = 3, #header do
		if r[i] ~= nil and r[i] ~= "" and r[i] ~= "\\N" and header[i] ~= "job_title" then
			b[#b + 1] = header[i] .. "=" .. urlenc(r[i])
		end
	end
	return "/contacts/" .. r[1], table.concat(b, "&")
end

function request()
	if mode == "create" then
		return wrk.format("POST", "/contacts", nil, create_body())
	elseif mode == "update" then
		local path, body = update_body()
		return wrk.format("POST", path, nil, body)
	end
	return wrk.format("GET", paths[math.random(#paths)], nil, nil)
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("BENCH\t%d\t%d\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\t%d\t%d\n", summary.requests,
		summary.duration, latency:percentile(50), latency:percentile(99), latency.mean, e.status,
		e.connect, e.read, e.write, e.timeout))
end
