package registry

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
)

const pluginName = "registry"

// ImageRepo is the computed image repository of an app: the image-repo
// property, else the global image-repo-template rendered with .AppName,
// else dokku/<app>.
func ImageRepo(ctx *plugin.Context, appName string) (string, error) {
	props := ctx.Props()
	if v, _ := props.Get(pluginName, appName, "image-repo"); strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v), nil
	}
	repo, err := RepoFromTemplate(templateOf(ctx, appName), appName)
	if err != nil {
		return "", err
	}
	if repo != "" {
		return repo, nil
	}
	return app.ImageRepo(appName), nil
}

func templateOf(ctx *plugin.Context, appName string) string {
	return ctx.Props().Computed(pluginName, appName, "image-repo-template", "")
}

// RepoFromTemplate renders an image-repo-template (Go text/template with
// {{ .AppName }}); an empty template renders nothing.
func RepoFromTemplate(tmpl, appName string) (string, error) {
	if tmpl == "" {
		return "", nil
	}
	t, err := template.New("image-repo-template").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", fmt.Errorf("Unable to parse image-repo-template: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, struct{ AppName string }{appName}); err != nil {
		return "", fmt.Errorf("Unable to execute image-repo-template: %w", err)
	}
	return strings.TrimSpace(b.String()), nil
}

// Server is the registry server prefix of an app: the server property (app,
// then global) with one trailing slash, nothing for Docker Hub or unset.
func Server(ctx *plugin.Context, appName string) string {
	v := ctx.Props().Computed(pluginName, appName, "server", "")
	return NormalizeServer(v)
}

// NormalizeServer applies the server rules to a raw value.
func NormalizeServer(v string) string {
	v = strings.TrimSuffix(strings.TrimSpace(v), "/")
	if v == "hub.docker.com" || v == "docker.io" || v == "" {
		return ""
	}
	return v + "/"
}

// PushOnRelease reports the computed push-on-release (default false).
func PushOnRelease(ctx *plugin.Context, appName string) bool {
	return strings.TrimSpace(ctx.Props().Computed(pluginName, appName, "push-on-release", "false")) == "true"
}

// TagVersion is the app's tag-version property (default 1).
func TagVersion(ctx *plugin.Context, appName string) string {
	v, _ := ctx.Props().Get(pluginName, appName, "tag-version")
	if v = strings.TrimSpace(v); v == "" {
		return "1"
	}
	return v
}
