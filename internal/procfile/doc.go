// Package procfile reads Procfiles the way Dokku's procfile-util does.
//
// Format (one process type per line):
//
//	# comment            whole-line comments start with "#" or "//"
//	web: ./server $PORT  "<name>:<command>"; blanks around the command are trimmed
//	worker: ./work # x   an inline comment is " #..." or " //..." after the command
//
// Names match [A-Za-z0-9_-]+ (strict mode: lower-case letters, digits and
// inner dashes only), are at most 63 characters and unique. An empty command,
// a comment in place of the command, a line that is not an entry and a file
// without entries are errors (with procfile-util's messages). Entries are
// returned sorted by name.
//
// Commands may reference variables as $NAME or ${NAME} (Go os.Expand
// semantics). Expand resolves them from an environment, then PORT (the
// default port, 5000 in Dokku) and PS (the process type); anything else
// becomes empty.
package procfile
