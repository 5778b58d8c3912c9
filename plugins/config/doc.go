// Package config is Dokku's config core plugin: the app and global
// environment (runtime.md §8.3), the config:* commands, the config-* and
// docker-args-* triggers, the config_sub tool and the config/functions shell
// API community plugins source.
//
// Storage:
//
//	$DOKKU_LIB_ROOT/config/
//	  --global/ENV             the global environment
//	  <app>/ENV                one app's environment (dir 0755, file 0600,
//	                           dokku:dokku when written as root)
//	  config/<app>/env-migrated  property: the pre-0.38 file was migrated
//	  config/--global/env-migrated
//
// ENV files use the internal/envfile format. Every read-modify-write holds an
// flock on the ENV file's directory and replaces the file atomically, so
// concurrent config:set calls never lose a key and readers never see a torn
// file. Keys failing ^[a-zA-Z_][a-zA-Z0-9_]*$ found in a file are dropped
// (and the file rewritten) as Dokku does; a file that does not parse is an
// error, never silently truncated.
//
// Before 0.38 the files lived at $DOKKU_ROOT/ENV and $DOKKU_ROOT/<app>/ENV;
// the install and config-migrate-env triggers merge such a file into the new
// location once (recorded by the env-migrated property) and rename it to
// ENV.migrated.
//
// Export formats (config:export --format, config-export, config_sub export)
// are API. Keys are always sorted byte-wise; wherever a shell may read a
// value it is single-quoted, an embedded quote written as
//
//	'\''
//
// The formats:
//
//	exports           export K='v' lines, newline-terminated
//	envfile           the ENV file format, newline-terminated
//	docker-args       --env=K='v' separated by spaces, then a newline
//	docker-args-keys  --env=K separated by spaces, then a newline
//	pack-keys         --env K separated by spaces, then a newline
//	shell             K='v' separated by spaces, then a space (no newline)
//	pretty            columnised "K:  v" lines, then a newline
//	json              {"K":"v"} (Go's HTML-escaping encoder), then a newline
//	json-list         [{"name":"K","value":"v"}], "null" when empty, then a newline
//
// config:bundle writes a tar stream with one regular file per key (name =
// key, mode 0600, content = value).
package config
