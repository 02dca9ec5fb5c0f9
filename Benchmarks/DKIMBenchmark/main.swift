// The DKIM signing benchmark (issue 10): written by the helper that owns Benchmarks/DKIMBenchmark.
print("kilpi-bench-dkim: not written yet")
