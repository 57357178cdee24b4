#!/bin/bash
# Alternates benchmark jars (e.g. two builds of benchmarks.jar) round by round and prints each one's SampleTime median.
# usage: cmp.sh rounds pattern jar...
rounds=$1; pat=$2; shift 2
for r in $(seq $rounds); do for j in "$@"; do
  m=$(java -jar $j "$pat" -f 1 -wi 3 -w 1s -i 5 -r 1s -bm sample -tu ns 2>&1 | grep -E ":p0.50 " | awk '{print $1, $(NF-1)}')
  echo "round $r $j: $m"
done; done
