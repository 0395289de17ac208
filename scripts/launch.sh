# Sourced by ./crb, ./platform-sim and ./run-workstation: finds JDK 25, builds the jars when missing or older than
# the sources, and sets CRB_CP to the runtime class path.
CRB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$CRB_ROOT/scripts/find-jdk.sh"
crb_jar="$CRB_ROOT/app/target/app.jar"
if [ ! -f "$crb_jar" ] || [ -n "$(find "$CRB_ROOT" -path '*/src/main/*' -newer "$crb_jar" -print -quit 2>/dev/null)" ] \
   || [ "$CRB_ROOT/pom.xml" -nt "$crb_jar" ]; then
  echo "Building the workstation (first run takes a few minutes)…" >&2
  (cd "$CRB_ROOT" && mvn -B -q -ntp -DskipTests package) >&2 || { echo "build failed; run: mvn -DskipTests package (with JAVA_HOME=$JAVA_HOME) to see why" >&2; exit 2; }
fi
CRB_CP="$crb_jar:$CRB_ROOT/app/target/lib/*"
CRB_JAVA_OPTS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto)
