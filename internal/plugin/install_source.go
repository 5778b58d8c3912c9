package plugin

import "errors"

func installSource(ctx *Context, o InstallOptions) (string, error) {
	return "", errors.New("plugin installation from a source is not available yet")
}

func updateSource(ctx *Context, name, committish string) (string, error) {
	return "", errors.New("plugin update is not available yet")
}
