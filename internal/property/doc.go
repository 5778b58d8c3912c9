// Package property is Dokku's file-per-key property store (runtime.md §7).
//
// On disk:
//
//	$DOKKU_LIB_ROOT/config/
//	  <plugin>/                 one directory per plugin (0755, dokku:dokku)
//	    <app>/                  one per app; "--global" holds global values
//	      <key>                 scalar: the raw value, no trailing newline (0600)
//	      <list-key>            list: one value per line, newline-terminated (0600)
//	      <map-key>             map: a JSON object (0600)
//
// Every write goes to a temp file in the same directory and is renamed over
// the key, so a crash never leaves a half-written value. Read-modify-write
// list and map operations hold an flock on the app directory.
// Names (plugin, app, key) are single path components: no "/", no NUL,
// never "." or "..".
package property
