#!/usr/bin/env bash
# Runs every claim of benchmarks/README.md once, each beside its baseline, and keeps the output.
# Usage (from the repository root, after `mvn -B -pl benchmarks -am package -DskipTests`):
#   bash benchmarks/run.sh [output-dir]        # default: benchmarks/target/results
# JMH settings are modest on purpose (2 shared cores); override with JMH_OPTS.
set -euo pipefail
JAR="$(dirname "$0")/target/benchmarks.jar"
OUT="${1:-$(dirname "$0")/target/results}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
mkdir -p "$OUT"
{
  date -u; nproc; free -h; java -version 2>&1; uptime
} > "$OUT/machine.txt"
# shellcheck disable=SC2086
java -jar "$JAR" 'RequestPathBenchmark|ScopeCheckBenchmark|RejectionBenchmark|HashVerificationBenchmark|LifecycleDecisionBenchmark' \
  $JMH_OPTS -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt"
java -cp "$JAR" io.blnk.auth.benchmarks.SingleFlight 64 5 | tee "$OUT/single-flight.txt"
java -Xmx4g -XX:+UseSerialGC -cp "$JAR" io.blnk.auth.benchmarks.CachedKeyMemory 100000 \
  | tee "$OUT/memory.txt"
java -Xms1g -Xmx1g -cp "$JAR" io.blnk.auth.benchmarks.HttpLoadBenchmark 10 16 7 \
  | grep -v INFO | tee "$OUT/http.txt"
java -cp "$JAR" io.blnk.auth.benchmarks.HashWorkCounts 20 2 10000 | grep -v INFO | tee "$OUT/hash-work.txt"
java -Xmx1g -cp "$JAR" io.blnk.auth.benchmarks.FairnessLoadBenchmark 20 160 300 \
  | grep -v INFO | tee "$OUT/fairness.txt"
uptime >> "$OUT/machine.txt"
