# Sourced by the launcher scripts: exports JAVA_HOME pointing at a JDK 25 or newer, or exits with advice.
jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
crb_find_jdk() {
  local c v
  for c in "${CRB_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /opt/jdk*25* "$HOME"/.sdkman/candidates/java/25*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(jdk_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(crb_find_jdk); then
  echo "No JDK 25 found. Install one (Debian/Ubuntu with the Adoptium repo: apt-get install temurin-25-jdk; or unpack https://adoptium.net/temurin/releases/?version=25 and set JAVA_HOME or CRB_JAVA_HOME to it)." >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
