#!/usr/bin/env bash
# Fuzzes every target of this module in turn, each for the time its @FuzzTest gives (5 minutes), on the default JDK,
# and prints the executions of each and in all (docs/reliability.md). Run from the repository root after
# `mvn -B install -DskipTests`; pass target names (Class or Class#method) to fuzz only those.
# The corpus grows in fuzz/.cifuzz-corpus (not committed); findings land in fuzz/src/test/resources/**/*Inputs/
# and are replayed by `mvn verify` from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(GeneratedCodecsFuzzTest FrameFuzzTest CallHeaderFuzzTest HandshakeFuzzTest RegistryFuzzTest IdlParserFuzzTest)
fi
mkdir -p fuzz/target/fuzz-logs
echo "commit $(git rev-parse --short HEAD)"
mvn -B -q -pl fuzz test-compile -Dstyle.color=never
total=0
for target in "${targets[@]}"; do
  log="fuzz/target/fuzz-logs/${target//#/-}.log"
  status=0
  JAZZER_FUZZ=1 mvn -B -pl fuzz surefire:test -Dtest="$target" -Dstyle.color=never >"$log" 2>&1 || status=$?
  # no "Done" line when a finding stopped the fuzzer or the build failed: 0 runs counted, and the next target goes on
  runs=$({ grep -aoE '^Done [0-9]+ runs' "$log" || true; } | awk '{s += $2} END {print s + 0}')
  total=$((total + runs))
  if [ "$status" -ne 0 ]; then
    echo "$target: FAILED after $runs executions (see $log)"
  else
    echo "$target: $runs executions"
  fi
done
echo "total: $total executions"
