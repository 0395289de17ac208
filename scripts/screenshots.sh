#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png by driving the real application under Xvfb (the TestFX journeys write them).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
xvfb-run -a -s "-screen 0 1600x1000x24" mvn -B -ntp -q -pl app -am test -Dtest='*JourneyTest,DecisionNoticeTest,ArbitrationMinutesTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dcrb.screenshots.dir="$PWD/docs/screenshots"
ls -l docs/screenshots
