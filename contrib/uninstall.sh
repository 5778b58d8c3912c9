#!/usr/bin/env bash
# Reverses contrib/install.sh: removes the dokku binary and plugn link, the
# plugin trees and what plugins' install triggers wrote on the host
# (nginx's dokku.conf, sudoers files, systemd units, cron files, rsyslog and
# logrotate rules, the motd snippet) and the sshd drop-in.
#
# Apps, their config and data stay: $DOKKU_ROOT (~dokku), /var/lib/dokku/config
# and /var/lib/dokku/data are kept, as is the dokku user, so a later install
# picks them up again. PURGE=1 (or --purge) destroys every app first and
# then removes those too, with the user and group.
#
# Usage: contrib/uninstall.sh [--purge] [--package]
#   --package  the package manager removes /usr/bin/dokku and /usr/bin/plugn itself
set -euo pipefail

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
export LC_ALL=C

readonly DOKKU_USER=dokku DOKKU_GROUP=dokku
readonly DOKKU_LIB_ROOT=/var/lib/dokku
readonly DOKKU_LOGS_DIR=/var/log/dokku
readonly DOKKU_BIN=/usr/bin/dokku
readonly DOKKU_ENGINE=/usr/bin/dokku-engine
readonly PLUGN_LINK=/usr/bin/plugn
readonly SSHD_DROPIN=/etc/ssh/sshd_config.d/dokku.conf

PURGE="${PURGE:-0}"
PACKAGE_MODE=false

log() { echo "-----> $*"; }
detail() { echo "       $*"; }
warn() { echo " !     $*" >&2; }
fail() {
  echo " !     $*" >&2
  exit 1
}

systemd_is_init() { [[ -d /run/systemd/system ]]; }

pid_alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

parse_args() {
  while (($#)); do
    case "$1" in
      --purge) PURGE=1 ;;
      --package) PACKAGE_MODE=true ;;
      *) fail "unknown option: $1" ;;
    esac
    shift
  done
  [[ "$PURGE" == 1 || "$PURGE" == 0 || -z "$PURGE" ]] || fail "PURGE must be 1 or 0"
}

dokku_clean() {
  env -i PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    HOME=/root USER=root LOGNAME=root LANG=C.UTF-8 DOKKU_QUIET_OUTPUT=1 \
    "$DOKKU_BIN" "$@" </dev/null
}

have_dokku() { [[ -x "$DOKKU_BIN" ]]; }

destroy_apps() {
  [[ "$PURGE" == 1 ]] && have_dokku || return 0
  local app apps
  apps="$(dokku_clean apps:list 2>/dev/null | grep -v -e '^=====> ' -e '^ !' || true)"
  for app in $apps; do
    log "Destroying app $app"
    dokku_clean --force apps:destroy "$app" || warn "could not destroy $app; its containers may remain"
  done
}

remove_units() {
  local unit changed=false
  shopt -s nullglob
  for unit in /etc/systemd/system/dokku-*.service /etc/systemd/system/dokku-*.timer; do
    if systemd_is_init; then
      systemctl disable --now "$(basename "$unit")" 2>/dev/null || true
    fi
    log "Removing $unit"
    rm -f "$unit"
    changed=true
  done
  # Links left by `systemctl enable` when systemd was not running.
  find /etc/systemd/system -name 'dokku-*' -type l -delete 2>/dev/null || true
  if $changed && systemd_is_init; then
    systemctl daemon-reload
  fi
  shopt -u nullglob
}

remove_system_files() {
  local f
  shopt -s nullglob
  for f in /etc/cron.d/dokku-* /etc/sudoers.d/dokku-* /etc/sudoers.d/dokku \
    /etc/nginx/conf.d/dokku.conf /etc/nginx/conf.d/dokku-installer.conf \
    /etc/nginx/conf.d/server_names_hash_bucket_size.conf \
    /etc/rsyslog.d/99-dokku.conf /etc/logrotate.d/dokku /etc/update-motd.d/99-dokku \
    /var/cache/dokku-completion \
    "$SSHD_DROPIN"; do
    [[ -e "$f" ]] || continue
    log "Removing $f"
    rm -f "$f"
  done
  shopt -u nullglob
}

reload_daemons() {
  if systemd_is_init; then
    systemctl reload ssh 2>/dev/null || true
    if nginx -t -q 2>/dev/null; then systemctl reload nginx 2>/dev/null || true; fi
    return 0
  fi
  if pid_alive /run/sshd.pid; then kill -HUP "$(cat /run/sshd.pid)"; fi
  if pid_alive /run/nginx.pid; then
    if nginx -t -q 2>/dev/null; then
      local out
      out="$(nginx -s reload 2>&1)" || fail "nginx -s reload failed: $out"
    else
      warn "nginx -t fails after removing dokku's config; nginx was not reloaded"
    fi
  fi
}

remove_install() {
  local d
  for d in core-plugins plugins; do
    if [[ -e "$DOKKU_LIB_ROOT/$d" ]]; then
      log "Removing $DOKKU_LIB_ROOT/$d"
      rm -rf "${DOKKU_LIB_ROOT:?}/$d"
    fi
  done
  rm -f "$DOKKU_LIB_ROOT/VERSION" "$DOKKU_LIB_ROOT/STABLE_VERSION"
  # In package mode dpkg owns (and removes) the binary and the plugn link.
  $PACKAGE_MODE && return 0
  case "$(readlink "$PLUGN_LINK" 2>/dev/null)" in
    "$DOKKU_BIN" | "$DOKKU_ENGINE") rm -f "$PLUGN_LINK" ;;
  esac
  local f
  for f in "$DOKKU_BIN" "$DOKKU_ENGINE"; do
    if [[ -e "$f" ]]; then
      log "Removing $f"
      rm -f "$f"
    fi
  done
}

purge() {
  local home
  home="$(getent passwd "$DOKKU_USER" | cut -d: -f6 || true)"
  if [[ "$PURGE" != 1 ]]; then
    local how="PURGE=1"
    if $PACKAGE_MODE; then how="dpkg --purge"; fi
    log "Kept apps and settings: ${home:-/home/$DOKKU_USER}, $DOKKU_LIB_ROOT/config, $DOKKU_LIB_ROOT/data, $DOKKU_LOGS_DIR ($how removes them)"
    return 0
  fi
  log "Purging $DOKKU_LIB_ROOT and $DOKKU_LOGS_DIR"
  rm -rf "$DOKKU_LIB_ROOT" "$DOKKU_LOGS_DIR"
  if getent passwd "$DOKKU_USER" >/dev/null; then
    log "Removing user $DOKKU_USER and ${home:-its home}"
    userdel --remove "$DOKKU_USER" 2>/dev/null || userdel --force --remove "$DOKKU_USER" ||
      warn "could not remove user $DOKKU_USER"
  fi
  if getent group "$DOKKU_GROUP" >/dev/null; then
    groupdel "$DOKKU_GROUP" || warn "could not remove group $DOKKU_GROUP"
  fi
  if [[ -n "$home" && "$home" != / && -d "$home" ]]; then rm -rf "$home"; fi
}

main() {
  parse_args "$@"
  [[ "$(id -u)" == 0 ]] || fail "contrib/uninstall.sh must run as root (sudo make uninstall)"
  destroy_apps
  remove_units
  remove_system_files
  reload_daemons
  remove_install
  purge
  log "Dokku is uninstalled"
}

# Sourcing (the tests do) defines the steps without running them.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
