-- wrk prints no p95 of its own: report requests/s and latency percentiles as JSON.
done = function(summary, latency, requests)
   local seconds = summary.duration / 1000000
   io.write(string.format(
      '{"requests": %d, "errors": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
      summary.requests,
      summary.errors.status + summary.errors.connect + summary.errors.read
         + summary.errors.write + summary.errors.timeout,
      summary.requests / seconds,
      latency:percentile(50) / 1000,
      latency:percentile(95) / 1000,
      latency:percentile(99) / 1000))
end
