#!/usr/bin/env bash
# Builds the self-contained runtime image of the workstation (jlink) with launchers bin/crb-workstation and bin/crb,
# AOT caches for start-up (JDK 25 -XX:AOTCacheOutput training runs) and, unless --no-deb, a .deb with jpackage.
# Not part of ./run-tests or mvn verify. Output: jlink-config/target/image, jlink-config/target/*.deb.
# Usage: scripts/build-image.sh [--no-deb] [--no-aot]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
want_deb=yes want_aot=yes
for a in "$@"; do
  case "$a" in
    --no-deb) want_deb=no ;;
    --no-aot) want_aot=no ;;
    *) echo "usage: $0 [--no-deb] [--no-aot]" >&2; exit 2 ;;
  esac
done
# finds JDK 25 (JAVA_HOME, PATH) and builds app/target/app.jar + app/target/lib when missing or stale
. "$ROOT/scripts/launch.sh"
OUT="$ROOT/jlink-config/target"
IMAGE="$OUT/image"
VERSION=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")
APP_VERSION=${VERSION%%-*}   # jpackage wants digits and dots: 0.1.0-SNAPSHOT -> 0.1.0

# JDK modules: jdeps --print-module-deps --ignore-missing-deps --multi-release 25 -cp 'app/target/lib/*' app/target/app.jar
# gives java.base..jdk.net below; added by hand: jdk.unsupported (sun.misc.Unsafe for JavaFX and others), java.logging
# and java.xml (named so the list is complete), jdk.charsets (GBK/GB18030 import files), jdk.localedata (zh locale
# data; trimmed with --include-locales), jdk.crypto.ec (empty since JDK 22, kept for TLS providers looked up by name).
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http
MODULES=$MODULES,java.scripting,java.sql,java.xml,jdk.httpserver,jdk.jfr,jdk.net,jdk.unsupported,jdk.charsets
MODULES=$MODULES,jdk.localedata,jdk.crypto.ec

rm -rf "$IMAGE" "$OUT/runtime" "$OUT/jpackage-input" "$OUT/app-image"
mkdir -p "$OUT"
echo "jlink: $MODULES" >&2
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --include-locales=en,zh \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$OUT/runtime"
cp -a "$OUT/runtime" "$IMAGE"

# the application's jars on the class path (JavaFX jars included: the -linux classifier jars carry the native
# libraries, which JavaFX unpacks into ~/.openjfx/cache/<version> on first start)
mkdir -p "$IMAGE/lib/app"
cp -p "$ROOT/app/target/app.jar" "$ROOT"/app/target/lib/*.jar "$IMAGE/lib/app/"
# a fixed class path (an AOT cache is only used with the class path it was trained with; a * wildcard expands in
# directory order)
CP_REL=$(cd "$IMAGE/lib/app" && ls app.jar; cd "$IMAGE/lib/app" && ls *.jar | grep -vx app.jar | sort)
CP_REL=$(printf '$APP_LIB/%s:' $CP_REL); CP_REL=${CP_REL%:}

launcher() { # name main-class extra-java-options
  cat > "$IMAGE/bin/$1" <<EOF
#!/bin/sh
# $1 $VERSION: runs $2 with this image's own java (no JDK needed on the machine).
# Options for the JVM: \$CRB_JAVA_OPTS. JavaFX unpacks its native libraries into ~/.openjfx/cache on first start.
BIN=\$(dirname "\$(readlink -f "\$0")")
APP_LIB="\$BIN/../lib/app"
AOT=""
[ -f "\$BIN/../lib/$1.aot" ] && [ -z "\${CRB_NO_AOT:-}" ] && AOT="-XX:AOTCache=\$BIN/../lib/$1.aot"
exec "\$BIN/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto \$AOT $3 \${CRB_JAVA_OPTS:-} \\
  -cp "$CP_REL" $2 "\$@"
EOF
  chmod 755 "$IMAGE/bin/$1"
}
launcher crb-workstation cn.crb.app.ui.Launcher "-Dprism.lcdtext=false"
launcher crb cn.crb.app.cli.CrbMain ""

if [ "$want_aot" = yes ]; then
  # one AOT cache per launcher, each recorded by a short training run and used by the launcher when present
  echo "AOT training run: crb --help" >&2
  CRB_JAVA_OPTS="-XX:AOTCacheOutput=$IMAGE/lib/crb.aot" "$IMAGE/bin/crb" --help >/dev/null
  if command -v xvfb-run >/dev/null 2>&1; then
    echo "AOT training run: crb-workstation under Xvfb until its first screen" >&2
    train_home=$(mktemp -d)
    (CRB_JAVA_OPTS="-XX:AOTCacheOutput=$IMAGE/lib/crb-workstation.aot" xvfb-run -a -s "-screen 0 1600x1000x24" \
      sh -c 'echo $$ > "$1/pid"; exec "$2" --home "$1/home"' sh "$train_home" "$IMAGE/bin/crb-workstation" \
      >"$train_home/out.txt" 2>&1 &)
    for _ in $(seq 1 240); do
      grep -qs 'milestone: first screen shown' "$train_home/home/logs/workstation.log" && break
      sleep 0.5
    done
    sleep 3   # let the first screen settle (demo platform, unlock screen's loads)
    kill -TERM "$(cat "$train_home/pid")"   # a normal JVM exit writes the cache
    for _ in $(seq 1 240); do kill -0 "$(cat "$train_home/pid")" 2>/dev/null || break; sleep 0.5; done
    [ -f "$IMAGE/lib/crb-workstation.aot" ] || { echo "GUI training run wrote no AOT cache:" >&2; cat "$train_home/out.txt" >&2; }
    rm -rf "$train_home"
  else
    echo "xvfb-run missing: no AOT cache for the GUI (apt-get install xvfb)" >&2
  fi
fi

echo "image: $(du -sh "$IMAGE" | cut -f1) $IMAGE" >&2

if [ "$want_deb" = yes ]; then
  if ! command -v fakeroot >/dev/null || ! command -v dpkg-deb >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q fakeroot dpkg >/dev/null
    else
      echo "jpackage --type deb needs fakeroot and dpkg-deb: sudo apt-get install -y fakeroot" >&2; exit 2
    fi
  fi
  mkdir -p "$OUT/jpackage-input"
  cp -p "$IMAGE"/lib/app/*.jar "$OUT/jpackage-input/"
  JOPTS="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto"
  cat > "$OUT/crb.properties" <<EOF
main-class=cn.crb.app.cli.CrbMain
java-options=$JOPTS
description=crb command line of the credit-bank reviewer workstation
EOF
  rm -f "$OUT"/*.deb
  "$JAVA_HOME/bin/jpackage" --type deb --dest "$OUT" \
    --name crb-workstation --app-version "$APP_VERSION" --vendor "crb" \
    --description "Credit-bank reviewer workstation" \
    --icon "$ROOT/ui-resources/src/main/resources/cn/crb/ui/icon.png" \
    --runtime-image "$OUT/runtime" \
    --input "$OUT/jpackage-input" --main-jar app.jar --main-class cn.crb.app.ui.Launcher \
    --java-options "$JOPTS -Dprism.lcdtext=false" \
    --add-launcher crb="$OUT/crb.properties" \
    --linux-shortcut --linux-menu-group Office --linux-app-category misc \
    --linux-deb-maintainer "crb@localhost"
  ls -l "$OUT"/*.deb >&2
fi
