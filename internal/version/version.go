// Package version holds the Dokku release whose behaviour this tree
// provides. Makefile and contrib/install.sh read the constant's line.
package version

// Dokku is written to $DOKKU_LIB_ROOT/VERSION and to every core plugin.toml.
const Dokku = "0.38.27"
