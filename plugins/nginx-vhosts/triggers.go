package nginxvhosts

import (
	"os"
	"path/filepath"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/property"
	"github.com/godokku/dokku/internal/report"
)

func isNginx(ctx *plugin.Context, name string) bool {
	return ctx.TriggerValue("proxy-type", name) == "nginx"
}

func proxyStopped(ctx *plugin.Context) bool {
	v, _ := ctx.Props().Get(pluginName, property.Global, "proxy-status")
	return v == "stopped"
}

func triggerBuildConfig(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return buildConfig(ctx, name, plugin.Arg(args, 1), plugin.Arg(args, 2))
}

// rebuild is the shared body of the triggers that refresh the config.
func rebuild(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if !app.Exists(ctx, name) || !isNginx(ctx, name) {
		return nil
	}
	return buildConfig(ctx, name, "", "")
}

func triggerClearConfig(ctx *plugin.Context, args []string) error {
	target := plugin.Arg(args, 0)
	if target == "" {
		return nil
	}
	if target != "--all" {
		if err := app.Verify(ctx, target); err != nil {
			return err
		}
	}
	return clearConfig(ctx, target)
}

func triggerProxyEnable(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if !isNginx(ctx, name) {
		return nil
	}
	if err := ctx.Trigger("domains-enable", name, "false"); err != nil {
		return err
	}
	if app.IsDeployed(ctx, name) {
		return ctx.Trigger("app-restart", name)
	}
	// domains-enable rebuilt the config when it switched vhosts back on.
	if fileExists(filepath.Join(ctx.Env.AppRoot(name), "nginx.conf")) {
		return nil
	}
	return buildConfig(ctx, name, "", "")
}

func triggerProxyDisable(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if !isNginx(ctx, name) {
		return nil
	}
	if err := ctx.Trigger("domains-disable", name, "--no-restart"); err != nil {
		return err
	}
	if fileExists(filepath.Join(ctx.Env.AppRoot(name), "nginx.conf")) {
		if err := disabledConfig(ctx, name); err != nil {
			return err
		}
	}
	if app.IsDeployed(ctx, name) {
		return ctx.Trigger("app-restart", name)
	}
	return nil
}

// triggerPortsReset clears the port maps when vhost routing is switched
// (pre-enable-vhost / pre-disable-vhost).
func triggerPortsReset(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if !isNginx(ctx, name) {
		return nil
	}
	return ctx.Trigger("ports-clear", name)
}

func triggerSchedulerPostDeployProcess(ctx *plugin.Context, args []string) error {
	name, proc := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if proc != "web" || !isNginx(ctx, name) {
		return nil
	}
	ctx.UI().Info2("Triggering early nginx proxy rebuild")
	return ctx.Trigger("proxy-build-config", name)
}

func triggerCorePostDeploy(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := promoteTemplate(ctx, name); err != nil {
		return err
	}
	if !isNginx(ctx, name) {
		return nil
	}
	return buildConfig(ctx, name, "", "")
}

func triggerPostCreate(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if err := ctx.Props().SetupApp(pluginName, name); err != nil {
		return err
	}
	if !isNginx(ctx, name) || proxyStopped(ctx) {
		return nil
	}
	return buildConfig(ctx, name, "", "")
}

func triggerPostDelete(ctx *plugin.Context, args []string) error {
	name := plugin.Arg(args, 0)
	if name == "" {
		return nil
	}
	if err := ctx.Props().Destroy(pluginName, name); err != nil {
		return err
	}
	os.RemoveAll(appDataDir(ctx, name))
	conf := filepath.Join(ctx.Env.AppRoot(name), "nginx.conf")
	if !fileExists(conf) {
		return nil
	}
	l, err := lockNginx(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	os.Remove(conf)
	os.RemoveAll(filepath.Join(ctx.Env.AppRoot(name), "nginx.conf.d"))
	if err := validateAndReload(ctx, ""); err != nil {
		ctx.UI().Warn("Unable to reload nginx after removing the configuration of " + name)
	}
	return nil
}

// copyTemplate copies the promoted app template between apps.
func copyTemplate(ctx *plugin.Context, oldApp, newApp string) error {
	src := filepath.Join(appDataDir(ctx, oldApp), "nginx.conf.sigil")
	data, err := os.ReadFile(src)
	if err != nil {
		return nil
	}
	dir := appDataDir(ctx, newApp)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "nginx.conf.sigil"), data, 0o644)
}

// dropCopiedConfig removes the old app's nginx.conf copied along with the
// app directory: its upstream names belong to the old app.
func dropCopiedConfig(ctx *plugin.Context, newApp string) {
	os.Remove(filepath.Join(ctx.Env.AppRoot(newApp), "nginx.conf"))
}

func triggerCloneSetup(ctx *plugin.Context, args []string) error {
	oldApp, newApp := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := ctx.Props().Clone(pluginName, oldApp, newApp); err != nil {
		return err
	}
	dropCopiedConfig(ctx, newApp)
	return copyTemplate(ctx, oldApp, newApp)
}

func triggerRenameSetup(ctx *plugin.Context, args []string) error {
	oldApp, newApp := plugin.Arg(args, 0), plugin.Arg(args, 1)
	if err := ctx.Props().Rename(pluginName, oldApp, newApp); err != nil {
		return err
	}
	dropCopiedConfig(ctx, newApp)
	if err := copyTemplate(ctx, oldApp, newApp); err != nil {
		return err
	}
	os.RemoveAll(appDataDir(ctx, oldApp))
	return nil
}

func triggerPreRestore(ctx *plugin.Context, args []string) error {
	v, _ := ctx.Props().Get(pluginName, property.Global, "proxy-status")
	legacy := fileExists(filepath.Join(ctx.Env.PluginDataRoot(dataName), "nginx.started"))
	if v != "started" && !legacy {
		return nil
	}
	if err := serviceAction(ctx, "start"); err != nil {
		ctx.UI().Warn("Failed to restore nginx proxy, requests may not route as expected")
	}
	return nil
}

func triggerReport(ctx *plugin.Context, args []string) error {
	if plugin.Arg(args, 0) == "" {
		return nil
	}
	return report.Run(ctx, reportSpec(), []string{plugin.Arg(args, 0)})
}
