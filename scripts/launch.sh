# Sourced by ./crb, ./platform-sim and ./run-workstation: finds JDK 25, builds the jars when missing or older than
# the sources (one build at a time: launchers started together wait for each other), and sets CRB_CP.
CRB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$CRB_ROOT/scripts/find-jdk.sh"
crb_jar="$CRB_ROOT/app/target/app.jar"
crb_needs_build() {
  [ ! -f "$crb_jar" ] || [ -n "$(find "$CRB_ROOT" -path '*/src/main/*' -newer "$crb_jar" -print -quit 2>/dev/null)" ] \
    || [ "$CRB_ROOT/pom.xml" -nt "$crb_jar" ]
}
if crb_needs_build; then
  (
    flock 9
    if crb_needs_build; then
      echo "Building the workstation (first run takes a few minutes)…" >&2
      cd "$CRB_ROOT" && mvn -B -q -ntp -DskipTests package >&2 \
        || { echo "build failed; run: mvn -DskipTests package (with JAVA_HOME=$JAVA_HOME) to see why" >&2; exit 2; }
    fi
  ) 9>"$CRB_ROOT/.build.lock" || exit 2
fi
CRB_CP="$crb_jar:$CRB_ROOT/app/target/lib/*"
CRB_JAVA_OPTS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto)
