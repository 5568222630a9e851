-- wrk script: each request takes the next of a list of different searches (text + two filters +
-- a place), so the benchmark does not measure one cached plan and one hot set of pages only.
-- With BENCH_WRITE_PATHS=FILE it writes the list to FILE, one path a line, and wrk exits at once:
-- scripts/bench asks the same list through scripts/lib/bench-wrk.lua and counts its statements.
-- Percent-encoded where not ASCII (gåtur, læse, samvær).
local words = {"sang", "strik", "kaffe", "g%C3%A5tur", "motion", "spis", "dans", "kor", "bridge", "have", "l%C3%A6se", "samv%C3%A6r"}
local filters = {
  "target_group=dementia&language=da",
  "accessibility=step_free_access&free=true",
  "target_group=newly_widowed&mode=in_person",
  "first_visit_support=bring_a_friend&language=da",
  "activity_type=singing_music&free=true",
  "target_group=everyone&accessibility=hearing_loop",
}
local places = {
  "lat=55.6867&lon=12.5700", "lat=55.6980&lon=12.5400", "lat=55.6700&lon=12.5500",
  "lat=55.7100&lon=12.5600", "lat=55.6600&lon=12.6000", "lat=55.6900&lon=12.5200",
}
local paths = {}
for i, w in ipairs(words) do
  for j, f in ipairs(filters) do
    local p = places[((i + j) % #places) + 1]
    paths[#paths + 1] = "/api/v1/activities?q=" .. w .. "&" .. f .. "&" .. p .. "&radius_m=2000"
  end
end
local out = os.getenv("BENCH_WRITE_PATHS")
if out then
  local file = assert(io.open(out, "w"))
  file:write(table.concat(paths, "\n"), "\n")
  file:close()
  os.exit(0)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
