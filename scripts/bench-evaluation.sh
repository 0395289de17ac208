#!/usr/bin/env bash
# Runs the evaluation benchmarks of the domain module (JMH, src/bench/java) on JDK 25.
# Builds with the Maven profile "bench" into domain/target/bench (the default build is untouched), then runs JMH.
# Extra arguments go to JMH, e.g.:  scripts/bench-evaluation.sh -f 1 -i 3   or   scripts/bench-evaluation.sh evaluateOutcomes
# The audit chain benchmark instead: scripts/bench-evaluation.sh AuditChainBenchmark -f 1 -wi 2 -i 5
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
out="$PWD/domain/target/bench"
mvn -B -ntp -q ${MVN_OPTS_EXTRA:-} -Pbench -pl domain test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
filter='cn.crb.domain.bench.EvaluationBenchmark'
if [ "${1:-}" = "AuditChainBenchmark" ]; then filter='cn.crb.domain.bench.AuditChainBenchmark'; shift; fi
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then filter="$filter.$1"; shift; fi
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
exec "$JAVA_HOME/bin/java" -cp "$out/test-classes:$out/classes:$(cat "$out/classpath.txt")" org.openjdk.jmh.Main "$filter" "$@"
