#!/usr/bin/env bash
# Runs the evaluation benchmarks of the domain module (JMH, src/bench/java) on JDK 25.
# Builds with the Maven profile "bench" into domain/target/bench (the default build is untouched), then runs JMH.
# Extra arguments go to JMH, e.g.:  scripts/bench-evaluation.sh -f 1 -i 3   or   scripts/bench-evaluation.sh evaluateOutcomes
# The audit chain benchmark instead: scripts/bench-evaluation.sh AuditChainBenchmark -f 1 -wi 2 -i 5
# The SM2/SM3/SM4 benchmarks (anchors beside openssl speed): scripts/bench-evaluation.sh CryptoBenchmark
# BENCH_NO_BUILD=1 skips the Maven build (scripts/bench-report.sh builds once).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
out="$PWD/domain/target/bench"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  mvn -B -ntp -q -o ${MVN_OPTS_EXTRA:-} -Pbench -pl domain test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
fi
filter='cn.crb.domain.bench.EvaluationBenchmark'
case "${1:-}" in
  *Benchmark) filter="cn.crb.domain.bench.$1"; shift ;;
esac
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then filter="$filter.$1"; shift; fi
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
exec "$JAVA_HOME/bin/java" -cp "$out/test-classes:$out/classes:$(cat "$out/classpath.txt")" org.openjdk.jmh.Main "$filter" "$@"
