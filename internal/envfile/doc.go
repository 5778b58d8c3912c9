// Package envfile owns the ENV file format of runtime.md §8.3 (godotenv
// v1.5.1): lines sorted, `KEY="value"` with `\`, newline, CR, `"`, `!`, `$`
// and backtick escaped, canonical integers written bare, a final newline,
// mode 0600. Parse follows godotenv's grammar so that any file Dokku wrote,
// or a user edited by hand, reads as it does in Dokku (see parse.go).
//
// One deliberate difference, marked compat: godotenv writes every value that
// strconv.Atoi accepts as a bare normalised integer, so "007" comes back as
// "7". We write only canonical integers bare ("7", "-3") and quote the rest
// ("007", "+5"); both forms read back identically in Dokku, and no value is
// altered.
package envfile
