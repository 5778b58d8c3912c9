#!/usr/bin/env bash
# Builds the Debian package from a built binary with dpkg-deb (`make deb`).
#
# Usage: contrib/build-deb.sh BINARY DOKKU_VERSION ARCH
#   -> bin/dokku_<DOKKU_VERSION>+go_<ARCH>.deb (or in $DEB_OUT_DIR)
set -euo pipefail

readonly SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() {
  echo " !     $*" >&2
  exit 1
}

[[ $# -eq 3 ]] || fail "usage: $0 BINARY DOKKU_VERSION ARCH"
binary="$1" dokku_version="$2" arch="$3"
[[ -x "$binary" ]] || fail "$binary is not an executable file (make build)"
[[ "$dokku_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "bad Dokku version: '$dokku_version'"
command -v dpkg-deb >/dev/null || fail "dpkg-deb is required"

version="${dokku_version}+go"
stage="$(mktemp -d)"
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT

install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/dokku/contrib" "$stage/usr/share/doc/dokku"
[[ -x "$(dirname "$binary")/dokku-engine" ]] || fail "$(dirname "$binary")/dokku-engine is missing (make build)"
install -m 0755 "$binary" "$stage/usr/bin/dokku"
install -m 0755 "$(dirname "$binary")/dokku-engine" "$stage/usr/bin/dokku-engine"
ln -s /usr/bin/dokku-engine "$stage/usr/bin/plugn"
install -m 0755 "$SRC_DIR/contrib/install.sh" "$SRC_DIR/contrib/uninstall.sh" "$stage/usr/share/dokku/contrib/"
printf '%s\n' "$dokku_version" >"$stage/usr/share/dokku/VERSION"
chmod 0644 "$stage/usr/share/dokku/VERSION"
install -m 0644 "$SRC_DIR/README.md" "$stage/usr/share/doc/dokku/README.md"

for script in postinst prerm postrm; do
  install -m 0755 "$SRC_DIR/debian/$script" "$stage/DEBIAN/$script"
done
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  "$SRC_DIR/debian/control" >"$stage/DEBIAN/control"
chmod 0644 "$stage/DEBIAN/control"

out_dir="${DEB_OUT_DIR:-$SRC_DIR/bin}"
mkdir -p "$out_dir"
out="$out_dir/dokku_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out" >/dev/null
echo "-----> Built $out"
