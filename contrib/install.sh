#!/usr/bin/env bash
# Sets up this host for Dokku (the Go reimplementation in this repository):
# Debian packages and daemons, the dokku user, Dokku's directories, the
# binary, ssh access and, last, `dokku plugin:install`, which writes every
# core plugin and fires every plugin's `install` trigger (those triggers
# write their own systemd/cron units, sudoers files and nginx config).
#
# Run as root, without stdin. Every step checks before it changes anything,
# so running it again is harmless. `make install` calls it; the Debian
# package's postinst calls it with --package.
#
# Usage: contrib/install.sh [--package] [--binary PATH]
#   --package      the package manager already placed /usr/bin/dokku and
#                  handled dependencies: skip apt-get, the build and the copy
#   --binary PATH  install this binary instead of building one with Go
set -euo pipefail

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

readonly SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly DOKKU_USER=dokku DOKKU_GROUP=dokku
readonly DOKKU_LIB_ROOT=/var/lib/dokku
readonly DOKKU_LOGS_DIR=/var/log/dokku
readonly DOKKU_BIN=/usr/bin/dokku
readonly DOKKU_ENGINE=/usr/bin/dokku-engine
readonly PLUGN_LINK=/usr/bin/plugn
readonly SSHD_DROPIN=/etc/ssh/sshd_config.d/dokku.conf
readonly DAEMON_LOG_DIR=/var/log

PACKAGE_MODE=false
BINARY=""
DOKKU_ROOT=""

log() { echo "-----> $*"; }
detail() { echo "       $*"; }
warn() { echo " !     $*" >&2; }
fail() {
  echo " !     $*" >&2
  exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      fail "$what did not become ready within ${seconds}s"
    fi
    sleep 0.2
  done
}

systemd_is_init() { [[ -d /run/systemd/system ]]; }

pid_alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

parse_args() {
  while (($#)); do
    case "$1" in
      --package) PACKAGE_MODE=true ;;
      --binary)
        [[ $# -ge 2 ]] || fail "--binary needs a path"
        BINARY="$2"
        shift
        ;;
      *) fail "unknown option: $1" ;;
    esac
    shift
  done
}

ensure_packages() {
  $PACKAGE_MODE && return 0
  local missing=()
  command -v dockerd >/dev/null || have_pkg docker.io || have_pkg docker-ce || missing+=(docker.io)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v sshd >/dev/null || missing+=(openssh-server)
  local pkg
  for pkg in git sudo curl cron; do
    have_pkg "$pkg" || command -v "$pkg" >/dev/null || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "Debian packages already present"
    return 0
  fi
  log "Installing Debian packages: ${missing[*]}"
  apt-get update -qq </dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

start_docker() {
  if docker info >/dev/null 2>&1; then
    return 0
  fi
  log "Starting dockerd"
  if [[ -x /etc/init.d/docker ]]; then
    /etc/init.d/docker start </dev/null >/dev/null || true
  fi
  if ! docker info >/dev/null 2>&1 && ! pgrep -x dockerd >/dev/null; then
    setsid dockerd </dev/null >>"$DAEMON_LOG_DIR/dockerd.log" 2>&1 &
  fi
  wait_for 60 "dockerd (docker info)" docker info
}

sshd_port() {
  local port
  port="$(sshd -T 2>/dev/null | awk '$1 == "port" { print $2; exit }')"
  echo "${port:-22}"
}

sshd_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_sshd() {
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
  if pid_alive /run/sshd.pid; then
    return 0
  fi
  log "Starting sshd"
  sshd -t || fail "sshd configuration is invalid (sshd -t)"
  if [[ -x /etc/init.d/ssh ]]; then
    /etc/init.d/ssh start </dev/null >/dev/null || true
  fi
  pid_alive /run/sshd.pid || "$(command -v sshd)" </dev/null
  wait_for 30 "sshd (port $(sshd_port))" sshd_listening "$(sshd_port)"
}

start_nginx() {
  if pid_alive /run/nginx.pid; then
    return 0
  fi
  log "Starting nginx"
  nginx -t -q || fail "nginx configuration is invalid (nginx -t)"
  if [[ -x /etc/init.d/nginx ]]; then
    /etc/init.d/nginx start </dev/null >/dev/null || true
  fi
  pid_alive /run/nginx.pid || nginx </dev/null
  wait_for 30 "nginx (/run/nginx.pid)" pid_alive /run/nginx.pid
}

start_cron() {
  if pgrep -x cron >/dev/null; then
    return 0
  fi
  log "Starting cron"
  if [[ -x /etc/init.d/cron ]]; then
    /etc/init.d/cron start </dev/null >/dev/null || true
  fi
  pgrep -x cron >/dev/null || cron </dev/null
  wait_for 10 "cron" pgrep -x cron
}

ensure_services() {
  if systemd_is_init; then
    local unit
    for unit in docker ssh nginx cron; do
      if systemctl cat "$unit.service" >/dev/null 2>&1; then
        systemctl is-enabled --quiet "$unit" 2>/dev/null || systemctl enable --quiet "$unit"
        systemctl is-active --quiet "$unit" || {
          log "Starting $unit"
          systemctl start "$unit"
        }
      fi
    done
    wait_for 60 "dockerd (docker info)" docker info
    return 0
  fi
  start_docker
  start_sshd
  start_nginx
  start_cron
}

find_go() {
  local go
  go="$(command -v go 2>/dev/null || true)"
  [[ -n "$go" ]] || [[ ! -x /usr/local/go/bin/go ]] || go=/usr/local/go/bin/go
  [[ -n "$go" ]] || fail "Go was not found (PATH or /usr/local/go/bin/go); install Go $(awk '$1 == "go" { print $2 }' "$SRC_DIR/go.mod") or newer"
  echo "$go"
}

build_binary() {
  $PACKAGE_MODE && return 0
  if [[ -n "$BINARY" ]]; then
    [[ -x "$BINARY" ]] || fail "$BINARY is not an executable file"
    return 0
  fi
  log "Building the dokku binary"
  make --no-print-directory -C "$SRC_DIR" build GO="$(find_go)"
  BINARY="$SRC_DIR/bin/dokku"
}

ensure_user() {
  if ! getent group "$DOKKU_GROUP" >/dev/null; then
    log "Creating group $DOKKU_GROUP"
    groupadd "$DOKKU_GROUP"
  fi
  if ! getent passwd "$DOKKU_USER" >/dev/null; then
    log "Creating user $DOKKU_USER"
    # '*' rather than useradd's locking '!': no password can match, but
    # sshd (with UsePAM no) still accepts the user's keys.
    useradd --create-home --home-dir "/home/$DOKKU_USER" --shell /bin/bash \
      --gid "$DOKKU_GROUP" --password '*' "$DOKKU_USER"
  fi
  local shadow
  shadow="$(getent shadow "$DOKKU_USER" | cut -d: -f2)"
  if [[ "$shadow" == "!" || "$shadow" == "!!" ]]; then
    usermod --password '*' "$DOKKU_USER"
  fi
  if [[ "$(getent passwd "$DOKKU_USER" | cut -d: -f7)" != /bin/bash ]]; then
    usermod --shell /bin/bash "$DOKKU_USER"
  fi
  getent group docker >/dev/null || groupadd --system docker
  if ! id -nG "$DOKKU_USER" | tr ' ' '\n' | grep -qx docker; then
    usermod --append --groups docker "$DOKKU_USER"
  fi
  DOKKU_ROOT="$(getent passwd "$DOKKU_USER" | cut -d: -f6)"
  mkdir -p "$DOKKU_ROOT"
  chown "$DOKKU_USER:$DOKKU_GROUP" "$DOKKU_ROOT"
}

# ensure_dir MODE OWNER:GROUP DIR: create DIR or fix its mode and owner.
ensure_dir() {
  local mode="$1" owner="$2" dir="$3"
  if [[ ! -d "$dir" ]]; then
    log "Creating $dir"
    mkdir -p "$dir"
  fi
  if [[ "$(stat -c '%a %U:%G' "$dir")" != "${mode#0} $owner" ]]; then
    chmod "$mode" "$dir"
    chown "$owner" "$dir"
  fi
}

ensure_dirs() {
  ensure_dir 0755 root:root "$DOKKU_LIB_ROOT"
  local owner="$DOKKU_USER:$DOKKU_GROUP" tree
  for tree in core-plugins plugins; do
    ensure_dir 0755 "$owner" "$DOKKU_LIB_ROOT/$tree"
    ensure_dir 0755 "$owner" "$DOKKU_LIB_ROOT/$tree/available"
    ensure_dir 0755 "$owner" "$DOKKU_LIB_ROOT/$tree/enabled"
    [[ -e "$DOKKU_LIB_ROOT/$tree/config.toml" ]] || : >"$DOKKU_LIB_ROOT/$tree/config.toml"
    chown "$owner" "$DOKKU_LIB_ROOT/$tree/config.toml"
  done
  ensure_dir 0755 "$owner" "$DOKKU_LIB_ROOT/config"
  ensure_dir 0755 "$owner" "$DOKKU_LIB_ROOT/data"
  ensure_dir 0755 "$owner" "$DOKKU_LIB_ROOT/data/storage"
  # As Dokku's events plugin leaves it on Debian: group-writable for dokku.
  ensure_dir 0775 "root:$DOKKU_GROUP" "$DOKKU_LOGS_DIR"
}

# install_file SRC DEST: copy then rename, so running processes keep the
# binary they started with.
install_file() {
  cmp -s "$1" "$2" && return 0
  log "Installing $2"
  install -m 0755 -o root -g root "$1" "$2.new.$$"
  mv -f "$2.new.$$" "$2"
}

# Two binaries: dokku (the front) hands most commands to dokku-engine beside
# it; the engine goes first so a new front never misses it. plugn is the
# engine's face (it links every core plugin's triggers).
install_binary() {
  if $PACKAGE_MODE; then
    [[ -x "$DOKKU_BIN" ]] || fail "$DOKKU_BIN is missing"
    [[ -x "$DOKKU_ENGINE" ]] || fail "$DOKKU_ENGINE is missing"
  else
    local engine
    engine="$(dirname "$BINARY")/dokku-engine"
    [[ -x "$engine" ]] || fail "$engine is missing (make build writes it beside bin/dokku)"
    install_file "$engine" "$DOKKU_ENGINE"
    install_file "$BINARY" "$DOKKU_BIN"
  fi
  if [[ "$(readlink "$PLUGN_LINK" 2>/dev/null)" != "$DOKKU_ENGINE" ]]; then
    log "Linking $PLUGN_LINK to $DOKKU_ENGINE"
    ln -sfn "$DOKKU_ENGINE" "$PLUGN_LINK"
  fi
}

# The Dokku release this tree implements: internal/version/version.go in a source
# tree, the VERSION file shipped beside contrib/ in the Debian package.
dokku_version() {
  local v=""
  if [[ -f "$SRC_DIR/internal/version/version.go" ]]; then
    v="$(sed -n 's/^const Dokku = "\(.*\)"$/\1/p' "$SRC_DIR/internal/version/version.go")"
  elif [[ -f "$SRC_DIR/VERSION" ]]; then
    v="$(cat "$SRC_DIR/VERSION")"
  fi
  [[ -n "$v" ]] || fail "cannot determine the Dokku version (internal/version/version.go or VERSION in $SRC_DIR)"
  echo "$v"
}

write_version() {
  local version f
  version="$(dokku_version)"
  for f in VERSION STABLE_VERSION; do
    # STABLE_VERSION wins over VERSION when present (a former Dokku install
    # left one): keep it in step rather than let it report an old release.
    [[ "$f" == VERSION || -e "$DOKKU_LIB_ROOT/$f" ]] || continue
    if [[ "$(cat "$DOKKU_LIB_ROOT/$f" 2>/dev/null)" != "$version" ]]; then
      log "Writing $DOKKU_LIB_ROOT/$f ($version)"
      printf '%s\n' "$version" >"$DOKKU_LIB_ROOT/$f"
    fi
    chmod 0644 "$DOKKU_LIB_ROOT/$f"
  done
}

write_sshd_dropin() {
  local tmp
  tmp="$(mktemp)"
  cat >"$tmp" <<EOF
# Written by Dokku's installer; removed by its uninstaller.
# The $DOKKU_USER user gets in with keys only, and each key line in
# ~$DOKKU_USER/.ssh/authorized_keys carries the forced command= that runs
# $DOKKU_BIN (ssh-keys:add writes them): no shell, no forwarding.
Match User $DOKKU_USER
    PubkeyAuthentication yes
    AuthorizedKeysFile .ssh/authorized_keys
    PasswordAuthentication no
    KbdInteractiveAuthentication no
    DisableForwarding yes
    PermitTunnel no
    PermitUserRC no
EOF
  if cmp -s "$tmp" "$SSHD_DROPIN"; then
    rm -f "$tmp"
    return 1
  fi
  local backup=""
  if [[ -e "$SSHD_DROPIN" ]]; then
    backup="$(mktemp)"
    cp -p "$SSHD_DROPIN" "$backup"
  fi
  mkdir -p "$(dirname "$SSHD_DROPIN")"
  install -m 0644 -o root -g root "$tmp" "$SSHD_DROPIN"
  rm -f "$tmp"
  if ! sshd -t; then
    if [[ -n "$backup" ]]; then mv -f "$backup" "$SSHD_DROPIN"; else rm -f "$SSHD_DROPIN"; fi
    fail "sshd rejected $SSHD_DROPIN; left the previous sshd configuration in place"
  fi
  [[ -z "$backup" ]] || rm -f "$backup"
  return 0
}

reload_sshd() {
  if systemd_is_init; then
    systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || true
  elif pid_alive /run/sshd.pid; then
    kill -HUP "$(cat /run/sshd.pid)"
  fi
}

ensure_ssh() {
  local home="$DOKKU_ROOT" owner="$DOKKU_USER:$DOKKU_GROUP"
  if [[ "$(cat "$home/.sshcommand" 2>/dev/null)" != "$DOKKU_BIN" ]]; then
    log "Writing $home/.sshcommand"
    printf '%s\n' "$DOKKU_BIN" >"$home/.sshcommand"
  fi
  chown "$owner" "$home/.sshcommand"
  chmod 0644 "$home/.sshcommand"
  ensure_dir 0700 "$owner" "$home/.ssh"
  [[ -e "$home/.ssh/authorized_keys" ]] || : >"$home/.ssh/authorized_keys"
  chown "$owner" "$home/.ssh/authorized_keys"
  chmod 0600 "$home/.ssh/authorized_keys"

  if write_sshd_dropin; then
    log "Configured sshd for key-only, forced-command access as $DOKKU_USER ($SSHD_DROPIN)"
    reload_sshd
  fi
  local cfg
  cfg="$(sshd -T -C "user=$DOKKU_USER,host=localhost,addr=127.0.0.1" 2>/dev/null || true)"
  if ! grep -qx 'pubkeyauthentication yes' <<<"$cfg"; then
    warn "sshd does not accept public keys for $DOKKU_USER; check /etc/ssh/sshd_config"
  fi
  if grep -Eq '^(allowusers|allowgroups) ' <<<"$cfg" && ! grep -Eq "^allow(users|groups) .*\\b$DOKKU_USER\\b" <<<"$cfg"; then
    warn "sshd AllowUsers/AllowGroups do not include $DOKKU_USER; git push over ssh will be refused"
  fi
}

# Dokku names the host's apps after `hostname -f` only when that name
# resolves; a bare name or localhost is never used.
ensure_vhost() {
  [[ -e "$DOKKU_ROOT/VHOST" ]] && return 0
  local fqdn
  fqdn="$(hostname -f 2>/dev/null || true)"
  if [[ "$fqdn" == *.* && "$fqdn" != localhost* ]] && timeout 10 getent hosts "$fqdn" >/dev/null 2>&1; then
    log "Setting the global domain to $fqdn ($DOKKU_ROOT/VHOST)"
    printf '%s\n' "$fqdn" >"$DOKKU_ROOT/VHOST"
    chown "$DOKKU_USER:$DOKKU_GROUP" "$DOKKU_ROOT/VHOST"
  else
    detail "hostname -f ($fqdn) does not resolve to a domain; set one later with dokku domains:set-global"
  fi
}

run_plugin_install() {
  log "Installing plugins (dokku plugin:install)"
  # A clean environment: a developer's DOKKU_ROOT/DOKKU_LIB_PATH pointing at
  # a scratch root must not redirect the real installation.
  env -i PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    HOME=/root USER=root LOGNAME=root LANG=C.UTF-8 \
    "$DOKKU_BIN" plugin:install </dev/null
  # -h: the core plugin entries are symlinks to the binary, which stays root's.
  chown -R -h "$DOKKU_USER:$DOKKU_GROUP" "$DOKKU_LIB_ROOT/core-plugins" "$DOKKU_LIB_ROOT/plugins"
}

main() {
  parse_args "$@"
  [[ "$(id -u)" == 0 ]] || fail "contrib/install.sh must run as root (sudo make install)"
  ensure_packages
  ensure_services
  build_binary
  ensure_user
  ensure_dirs
  install_binary
  write_version
  ensure_ssh
  ensure_vhost
  run_plugin_install
  log "Dokku $(dokku_version) is installed: $DOKKU_BIN"
  detail "Add your ssh key with: dokku ssh-keys:add <name> <path-to-public-key>"
}

# Sourcing (the tests do) defines the steps without running them.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
