package shellapi

import (
	_ "embed"
	"fmt"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
)

// The bash library community plugins source (runtime.md §11). The files are
// written verbatim into $PLUGIN_CORE_AVAILABLE_PATH/common/.
var (
	//go:embed files/functions
	functionsSh string
	//go:embed files/property-functions
	propertyFunctionsSh string
	//go:embed files/archive-functions
	archiveFunctionsSh string
)

// addShellAPI registers the bash library files, the prop/common tools and
// the app-list trigger.
func addShellAPI(p *plugin.Plugin) {
	p.Files["functions"] = functionsSh
	p.Files["property-functions"] = propertyFunctionsSh
	p.Files["archive-functions"] = archiveFunctionsSh
	p.Tools["prop"] = runProp
	p.Tools["common"] = runCommon
	p.Triggers["app-list"] = appList
}

// appList is the app-list trigger: app names, one per line; the argument
// "false" lists every app, anything else (or nothing) filters the list
// through user-auth-app.
func appList(ctx *plugin.Context, args []string) error {
	var apps []string
	if len(args) > 0 && args[0] == "false" {
		apps = app.ListAll(ctx)
	} else {
		var err error
		if apps, err = app.List(ctx); err != nil {
			return err
		}
	}
	for _, a := range apps {
		fmt.Fprintln(ctx.Stdout, a)
	}
	return nil
}
