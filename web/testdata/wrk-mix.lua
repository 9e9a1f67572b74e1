-- wrk script: the request mix of BenchmarkServe (web/bench_test.go), for
-- wrk -t2 -c16 -d15s --latency -s web/testdata/wrk-mix.lua http://127.0.0.1:8111/
local paths = {"/?q=abuela", "/?q=autobus", "/?q=licuadora", "/?q=blender", "/?q=%22puerta+azul%22", "/?q=constru*", "/?q=abeula", "/?q=mole+year:1990..2029", "/?q=bus&p=2", "/api/search?q=abuela", "/api/search?q=casa&flat=1&limit=20", "/api/search?q=grandmother", "/i/bench-0000", "/i/bench-0025", "/i/bench-0050", "/i/bench-0076"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
