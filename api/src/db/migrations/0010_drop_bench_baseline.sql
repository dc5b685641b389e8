-- The benchmark's yardstick table left the API: scripts/benchmarks/baselineServer.ts keeps its own
-- (schema bench_baseline), so production databases carry nothing of the benchmark.
DROP TABLE IF EXISTS bench_baseline;
