// Package plugin is Dokku's plugin system: plugin.toml, discovery of core and
// community plugins on disk, enable/disable/install, the materialisation of
// core plugins from their Go registrations, and the plugn-compatible trigger
// runner.
//
// Layout (runtime.md §6):
//
//	$PLUGIN_CORE_PATH/available/<p>/     core plugin written by install
//	  plugin.toml                        [plugin] description, version; [plugin.config]
//	  commands                           -> /usr/bin/dokku (help + fallback dispatch)
//	  subcommands/<sub>                  -> /usr/bin/dokku (one per command)
//	  <trigger>                          -> /usr/bin/dokku (one per trigger)
//	  functions, templates ...           regular files (shell API, templates)
//	$PLUGIN_CORE_PATH/enabled/<p>        -> ../available/<p>
//	$PLUGIN_PATH/available/<p>           -> $PLUGIN_CORE_PATH/available/<p> (core)
//	                                        or a real directory (community)
//	$PLUGIN_PATH/enabled/<p>             -> $PLUGIN_PATH/available/<p>
//
// Entry points of core plugins are symlinks to the dokku binary; started
// through one, the binary finds the plugin and entry from its argv[0] path
// (see Entry). The runner recognises such a symlink and calls the Go handler
// in-process with the same argv, stdin, stdout, stderr and environment
// instead of exec'ing it (the fast path; DOKKU_CORE_FASTPATH=0 turns it off).
//
// Trigger semantics (plugn): enabled plugins in byte order of their names;
// each one with an executable file named after the trigger runs with the
// trigger's arguments, sharing stdin, stdout and stderr; the first non-zero
// exit stops the walk and is the result; a non-executable file is skipped
// with a warning; no handler at all is success with no output.
package plugin
