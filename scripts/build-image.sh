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
# Classes of signed jars are never put in an AOT/CDS archive. The BouncyCastle jars are signed and the provider
# loads about 900 classes at start, so their signatures are removed here (the JDK does not require signed JCE
# providers; only Oracle's JDK does). Without zip the jars stay signed and those classes load from the jars.
if command -v zip >/dev/null 2>&1; then
  for j in "$IMAGE"/lib/app/*.jar; do
    if grep -qiE '^META-INF/[^/]+\.(SF|RSA|DSA|EC)$' <<<"$(unzip -Z1 "$j" 2>/dev/null)"; then
      zip -q -d "$j" 'META-INF/*.SF' 'META-INF/*.RSA' 'META-INF/*.DSA' 'META-INF/*.EC' >/dev/null 2>&1 || true
    fi
  done
else
  echo "zip missing: signed jars (BouncyCastle) stay signed, their classes are not in the AOT cache" >&2
fi
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
exec "\$BIN/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \$AOT $3 \${CRB_JAVA_OPTS:-} \\
  -cp "$CP_REL" $2 "\$@"
EOF
  chmod 755 "$IMAGE/bin/$1"
}
launcher crb-workstation cn.crb.app.ui.Launcher "-Dprism.lcdtext=false"
launcher crb cn.crb.app.cli.CrbMain ""

train_gui() { # aot-file command...: a training run of the GUI under Xvfb; the JVM writes the cache at its orderly exit
  local aot=$1 t url code simpid i; shift
  t=$(mktemp -d)
  if command -v xdotool >/dev/null 2>&1; then
    # the path of every working day: a profile exists, the unlock screen, unlock, the shell, the inbox. A reference
    # platform with its demo world runs beside it (from the image's own jars); crb makes the profile.
    "$IMAGE/bin/java" -cp "$(cd "$IMAGE/lib/app" && ls *.jar | sed "s|^|$IMAGE/lib/app/|" | paste -sd:)" \
      cn.crb.sim.PlatformSimMain serve --data "$t/sim" --seed demo >"$t/sim.txt" 2>&1 &
    simpid=$!
    for i in $(seq 1 240); do grep -qs '^http' "$t/sim.txt" && break; sleep 0.5; done
    url=$(grep -m1 '^http' "$t/sim.txt"); code=$(awk '$1 == "REVIEWER" { print $NF; exit }' "$t/sim.txt")
    if [ -n "$url" ] && [ -n "$code" ] && CRB_PASSPHRASE=aot-training-2026 "$IMAGE/bin/crb" profile create --home "$t/home" \
         --platform "$url" --enrol "$code" >"$t/create.txt" 2>&1; then
      mkdir -p "$t/w"
      CRB_PLATFORM="$url" xvfb-run -a -s "-screen 0 1600x1000x24" sh "$ROOT/scripts/gui-unlock.sh" "$t/w" "$t/home" \
        aot-training-2026 3 "$@" >"$t/out.txt" 2>&1 || { echo "GUI unlock training run failed:" >&2; cat "$t/out.txt" >&2; }
    else
      echo "no profile for the GUI training run (platform $url, code $code):" >&2; cat "$t/sim.txt" "$t/create.txt" >&2
    fi
    kill -TERM "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null || true
  else
    echo "xdotool missing: the GUI's AOT cache is trained on the first start (onboarding) only (apt-get install xdotool)" >&2
    (xvfb-run -a -s "-screen 0 1600x1000x24" sh -c 'd=$1; shift; echo $$ > "$d/pid"; exec "$@" --home "$d/home"' sh "$t" "$@" \
      >"$t/out.txt" 2>&1 &)
    for _ in $(seq 1 240); do
      grep -qs 'milestone: first screen shown' "$t/home/logs/workstation.log" && break
      sleep 0.5
    done
    sleep 3   # let the first screen settle (demo platform answers, screen's first loads)
    kill -TERM "$(cat "$t/pid")"   # an orderly JVM exit (shutdown hooks) writes the cache
    for _ in $(seq 1 240); do kill -0 "$(cat "$t/pid")" 2>/dev/null || break; sleep 0.5; done
  fi
  [ -f "$aot" ] || { echo "GUI training run wrote no AOT cache $aot:" >&2; cat "$t/out.txt" >&2; }
  rm -rf "$t"
}
have_xvfb() { command -v xvfb-run >/dev/null 2>&1 || { echo "xvfb-run missing: no AOT cache for the GUI (apt-get install xvfb)" >&2; return 1; }; }

if [ "$want_aot" = yes ]; then
  # one AOT cache per launcher, each recorded by a short training run and used by the launcher when present
  echo "AOT training run: crb --help" >&2
  CRB_JAVA_OPTS="-XX:AOTCacheOutput=$IMAGE/lib/crb.aot" "$IMAGE/bin/crb" --help >/dev/null 2>"$OUT/aot-crb.log"
  if have_xvfb; then
    echo "AOT training run: crb-workstation under Xvfb (unlock a profile, open the inbox)" >&2
    train_gui "$IMAGE/lib/crb-workstation.aot" env CRB_JAVA_OPTS="-XX:AOTCacheOutput=$IMAGE/lib/crb-workstation.aot" \
      "$IMAGE/bin/crb-workstation"
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
  JOPTS="--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC"
  aot_opt() { if [ "$want_aot" = yes ]; then echo " -XX:AOTCache=\$APPDIR/$1.aot"; fi; }
  cat > "$OUT/crb.properties" <<EOF
main-class=cn.crb.app.cli.CrbMain
java-options=$JOPTS$(aot_opt crb)
description=crb command line of the credit-bank reviewer workstation
linux-shortcut=false
EOF
  # an app image first, so that the AOT training runs use the installed layout (lib/app, lib/runtime)
  "$JAVA_HOME/bin/jpackage" --type app-image --dest "$OUT/app-image" \
    --name crb-workstation --app-version "$APP_VERSION" --vendor "crb" \
    --description "Credit-bank reviewer workstation" \
    --icon "$ROOT/ui-resources/src/main/resources/cn/crb/ui/icon.png" \
    --runtime-image "$OUT/runtime" \
    --input "$OUT/jpackage-input" --main-jar app.jar --main-class cn.crb.app.ui.Launcher \
    --java-options "$JOPTS -Dprism.lcdtext=false$(aot_opt crb-workstation)" \
    --add-launcher crb="$OUT/crb.properties"
  APPIMG="$OUT/app-image/crb-workstation"
  if [ "$want_aot" = yes ]; then
    cp_app=$(sed -n 's/^app\.classpath=\$APPDIR\///p' "$APPIMG/lib/app/crb-workstation.cfg" | sed "s|^|$APPIMG/lib/app/|" | paste -sd:)
    japp=("$APPIMG/lib/runtime/bin/java" $JOPTS "-Djpackage.app-version=$APP_VERSION" -cp "$cp_app")
    echo "AOT training runs for the .deb (crb --help, GUI)" >&2
    "${japp[@]}" "-XX:AOTCacheOutput=$APPIMG/lib/app/crb.aot" cn.crb.app.cli.CrbMain --help >/dev/null 2>"$OUT/aot-crb-deb.log"
    if have_xvfb; then
      train_gui "$APPIMG/lib/app/crb-workstation.aot" "${japp[@]}" -Dprism.lcdtext=false \
        "-XX:AOTCacheOutput=$APPIMG/lib/app/crb-workstation.aot" cn.crb.app.ui.Launcher
    fi
  fi
  rm -f "$OUT"/*.deb
  "$JAVA_HOME/bin/jpackage" --type deb --dest "$OUT" --app-image "$APPIMG" \
    --name crb-workstation --app-version "$APP_VERSION" --vendor "crb" \
    --description "Credit-bank reviewer workstation" \
    --linux-package-deps "libgtk-3-0 | libgtk-3-0t64, libgl1, libxtst6" \
    --linux-shortcut --linux-menu-group Office --linux-app-category misc \
    --linux-deb-maintainer "crb@localhost"
  ls -l "$OUT"/*.deb >&2
fi
