package pluginmgr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/godokku/dokku/internal/env"
	"github.com/godokku/dokku/internal/plugin"
)

// triggerSetPermissions is the plugin plugin's `install` and `update`
// trigger (Dokku's fn-plugin-set-permissions): the core and community
// plugin trees belong to the dokku user, so that commands running as dokku
// can read and run what root installed. Symlinks are changed themselves,
// never followed. Only root can give files away; for anyone else (a
// development root owned by its user) this is a no-op.
func triggerSetPermissions(ctx *plugin.Context, _ []string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	e := ctx.Env
	uid, gid, ok := env.LookupIDs(e.SystemUser(), e.SystemGroup())
	if !ok {
		// Without the user nothing can be handed over; say so and let the
		// other install steps run.
		ctx.UI().Warn(fmt.Sprintf("Unable to find user %s or group %s, plugin files keep their owners", e.SystemUser(), e.SystemGroup()))
		return nil
	}
	seen := map[string]bool{}
	for _, root := range []string{e.PluginCorePath(), e.PluginPath()} {
		if root == "" || seen[root] {
			continue
		}
		seen[root] = true
		if err := chownTree(root, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// chownTree lchowns every entry below root (root included) whose owner
// differs.
func chownTree(root string, uid, gid int) error {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking
			}
			return err
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) == uid && int(st.Gid) == gid {
			return nil
		}
		if err := os.Lchown(p, uid, gid); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
