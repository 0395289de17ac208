#!/usr/bin/env bash
# Inbox at scale (harness app/src/test/java/cn/crb/app/cases/InboxBenchmark.java): N cached cases (default 50,000)
# applied as pulls, the inbox computed twice, search and filter in the view model. Usage: scripts/bench-inbox.sh [N]
# INBOX_JAVA_OPTS="-Dinbox.home=DIR" keeps the workstation home in DIR (for scripts/measure-startup.sh --unlock);
# BENCH_NO_BUILD=1 skips the Maven build (scripts/bench-report.sh builds once).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  mvn -B -ntp -q -o -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g ${INBOX_JAVA_OPTS:-} \
  -cp "app/target/test-classes:app/target/classes:$(cat app/target/test-classpath.txt)" cn.crb.app.cases.InboxBenchmark "$@"
