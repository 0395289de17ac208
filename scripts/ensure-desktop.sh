# Sourced by ./run-tests and ./run-workstation: makes sure JavaFX can open windows here (GTK 3 for JavaFX's glass,
# CJK fonts for Chinese text, TrueType fonts for printed notices) and, for tests without a display, that Xvfb is there. Installs with apt-get when
# running as root on Debian/Ubuntu; otherwise says what to install.
crb_ensure_desktop() {
  local want_xvfb="$1" need=() print=()
  if [ "$(uname -s)" = Linux ]; then
    ldconfig -p 2>/dev/null | grep -q 'libgtk-3.so.0' || need+=(libgtk-3-0 libgl1 libxtst6)
    find /usr/share/fonts -iname 'NotoSansCJK*' -print -quit 2>/dev/null | grep -q . || fc-list 2>/dev/null | grep -qi 'Noto Sans CJK\|WenQuanYi\|Source Han' || need+=(fonts-noto-cjk)
    # printed notices (PDF) embed TrueType fonts; PDFBox cannot embed the CFF-based Noto CJK
    # (the workstation runs without them; only exporting a PDF then says what to install)
    [ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || print+=(fonts-droid-fallback)
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || print+=(fonts-dejavu-core)
    if [ "$want_xvfb" = yes ] && ! command -v xvfb-run >/dev/null 2>&1; then need+=(xvfb xauth); fi
  fi
  [ ${#need[@]} -eq 0 ] && [ ${#print[@]} -eq 0 ] && return 0
  if [ ${#need[@]} -eq 0 ] && { [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; }; then
    echo "Printed notices (PDF) need: ${print[*]}. Install them, e.g.: sudo apt-get install -y ${print[*]}" >&2
    return 0
  fi
  need+=("${print[@]}")
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what JavaFX and printing need on this machine: ${need[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q "${need[@]}" >/dev/null; }
  else
    echo "Missing packages for JavaFX and printing: ${need[*]}. Install them, e.g.: sudo apt-get install -y ${need[*]}" >&2
    return 2
  fi
}
