# Sourced by ./run-tests and ./run-workstation: makes sure JavaFX can open windows here (GTK 3 for JavaFX's glass,
# CJK fonts for Chinese text) and, for tests without a display, that Xvfb is there. Installs with apt-get when
# running as root on Debian/Ubuntu; otherwise says what to install.
crb_ensure_desktop() {
  local want_xvfb="$1" need=()
  if [ "$(uname -s)" = Linux ]; then
    ldconfig -p 2>/dev/null | grep -q 'libgtk-3.so.0' || need+=(libgtk-3-0 libgl1 libxtst6)
    find /usr/share/fonts -iname 'NotoSansCJK*' -print -quit 2>/dev/null | grep -q . || fc-list 2>/dev/null | grep -qi 'Noto Sans CJK\|WenQuanYi\|Source Han' || need+=(fonts-noto-cjk)
    if [ "$want_xvfb" = yes ] && ! command -v xvfb-run >/dev/null 2>&1; then need+=(xvfb xauth); fi
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what JavaFX needs on this machine: ${need[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q "${need[@]}" >/dev/null; }
  else
    echo "Missing packages for JavaFX: ${need[*]}. Install them, e.g.: sudo apt-get install -y ${need[*]}" >&2
    return 2
  fi
}
