package scheduler

import (
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
)

// appsWithConfig lists the apps that have an ENV file (the only ones a
// legacy DOKKU_SCHEDULER variable can live in), so install does not fire a
// config-get per app on hosts without config.
func appsWithConfig(ctx *plugin.Context) []string {
	var out []string
	for _, a := range app.ListAll(ctx) {
		if _, err := os.Stat(filepath.Join(ctx.Env.ConfigRoot(), a, "ENV")); err == nil {
			out = append(out, a)
		}
	}
	return out
}
