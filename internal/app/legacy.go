package app

// ValidateLegacy is the naming rule for apps that may already exist: the
// current rule, or the legacy one that also allows underscores
// (is-valid-app-name-old; verify_app_name checks names with it).
func ValidateLegacy(name string) error { return validExisting(name) }
