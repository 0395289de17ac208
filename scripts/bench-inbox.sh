#!/usr/bin/env bash
# Inbox at scale (harness app/src/test/java/cn/crb/app/cases/InboxBenchmark.java): N cached cases (default 50,000)
# applied as pulls, the inbox computed twice, search and filter in the view model. Usage: scripts/bench-inbox.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
mvn -B -ntp -q -o -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g \
  -cp "app/target/test-classes:app/target/classes:$(cat app/target/test-classpath.txt)" cn.crb.app.cases.InboxBenchmark "$@"
