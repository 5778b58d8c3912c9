// Package sigil renders templates the way the `sigil` tool (gliderlabs/sigil,
// the template processor Dokku uses for nginx.conf.sigil, CHECKS and plugin
// templates) renders them, so that templates written for Dokku render
// unchanged.
//
// The format is Go's text/template with sigil's conventions:
//
//   - Variables are passed as KEY=VALUE pairs. Each is the map entry .KEY of
//     the data, a template variable $KEY declared before the template text
//     (sigil prepends `{{ $KEY := .KEY }}` for every pair), and an
//     environment variable visible to the `var` and `sh` functions.
//   - The environment the template sees is the caller's environment with the
//     pairs on top (Dokku exports the app's config into it).
//   - A line ending in `\}}` followed by a line starting with `{{` is joined
//     (sigil's line continuation).
//   - SIGIL_DELIMS=left,right in the environment changes the delimiters.
//   - With Posix set, POSIX shell expansion ($VAR, ${VAR:-default},
//     ${VAR:?message} ...) runs over the text before it is parsed.
//   - Missing map keys render as "<no value>", as text/template does for
//     maps (sigil does not set missingkey).
//
// Functions are sigil's builtins: include, default, var, capitalize, lower,
// upper, replace, trim, indent, match, render, stdin, substr, file, exists,
// dir, dirs, files, text, sh, httpget, pointer, json, tojson, yaml, toyaml,
// yamltojson, uniq, drop, append, seq, join, joinkv, split, splitkv, plus
// base64enc and base64dec. Paths given to include, file, exists, json and
// yaml are looked up as sigil does: absolute paths as they are, relative
// ones in the working directory and then the template search path (the
// directory of the template file and of every included file).
//
// Errors carry the template name and line ("template: nginx.conf.sigil:12:
// ..."), as text/template reports them.
//
// Deliberate differences from sigil, all supersets: json and yaml also
// accept the document text itself when the string is not a file path;
// uniq keeps first-seen order instead of Go map order; seq accepts every
// integer type; the YAML reader implements the commonly used subset of YAML
// 1.1 (block and flow collections, scalars, block scalars) and rejects
// anchors, aliases and tags with an error.
package sigil
