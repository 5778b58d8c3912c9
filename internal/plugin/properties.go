package plugin

import "fmt"

// Handlers of the app lifecycle triggers for a plugin whose per-app state
// is its properties (ctx.Props()) alone.

// SetupProperties creates the property tree of the plugin name, as its
// install trigger does.
func SetupProperties(ctx *Context, name string) error {
	if err := ctx.Props().Setup(name); err != nil {
		return fmt.Errorf("Unable to install the %s plugin: %s", name, err)
	}
	return nil
}

// InstallProperties is an install trigger doing SetupProperties.
func InstallProperties(name string) Handler {
	return func(ctx *Context, _ []string) error { return SetupProperties(ctx, name) }
}

// CloneProperties is a post-app-clone-setup <old> <new> trigger copying the
// plugin's properties of old to new; nothing without both.
func CloneProperties(name string) Handler {
	return func(ctx *Context, args []string) error {
		if len(args) < 2 {
			return nil
		}
		return ctx.Props().Clone(name, args[0], args[1])
	}
}

// RenameProperties is a post-app-rename-setup <old> <new> trigger moving
// the plugin's properties of old to new; nothing without both.
func RenameProperties(name string) Handler {
	return func(ctx *Context, args []string) error {
		if len(args) < 2 {
			return nil
		}
		return ctx.Props().Rename(name, args[0], args[1])
	}
}

// DestroyProperties is a post-delete <app> trigger removing the plugin's
// properties of app; nothing without an app.
func DestroyProperties(name string) Handler {
	return func(ctx *Context, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return ctx.Props().Destroy(name, args[0])
	}
}
