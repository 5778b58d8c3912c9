// Package gitrepo handles an app's bare git repository ($DOKKU_ROOT/<app>,
// runtime.md §8.1): creating it with Dokku's pre-receive hook, reading refs
// without running git, validating branch names as git check-ref-format
// does, and extracting a revision into a build directory.
package gitrepo

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/godokku/dokku/internal/atomicfile"
)

// DefaultBranch is the deploy branch when none is configured, and the
// branch HEAD of a new repository names.
const DefaultBranch = "master"

// IsRepo reports whether dir holds a repository (Dokku tests for refs/).
func IsRepo(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "refs"))
	return err == nil && fi.IsDir()
}

// InitBare lays out an empty bare repository in dir (what `git init
// --bare` writes, without the sample hooks). Files already present are
// kept; refs/ is made last, so a repository is only seen (IsRepo) once
// it is complete.
func InitBare(dir string, own *atomicfile.Owner) error {
	for _, d := range []string{"", "hooks", "info", "objects/info", "objects/pack", "branches"} {
		if err := atomicfile.MkdirAll(filepath.Join(dir, d), 0o755, own); err != nil {
			return err
		}
	}
	files := []struct{ name, content string }{
		{"config", "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n"},
		{"description", "Unnamed repository; edit this file 'description' to name the repository.\n"},
		{"info/exclude", "# git ls-files --others --exclude-from=.git/info/exclude\n# Lines that start with '#' are comments.\n"},
		{"HEAD", "ref: refs/heads/" + DefaultBranch + "\n"},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if err := writeFile(p, []byte(f.content), 0o644, own); err != nil {
			return err
		}
	}
	for _, d := range []string{"refs/heads", "refs/tags"} {
		if err := atomicfile.MkdirAll(filepath.Join(dir, d), 0o755, own); err != nil {
			return err
		}
	}
	return nil
}

// HookPath is the pre-receive hook of a repository.
func HookPath(dir string) string { return filepath.Join(dir, "hooks", "pre-receive") }

// HookScript is the pre-receive hook Dokku writes (runtime.md §5.5): the
// pushed ref lines go to `dokku git-hook <app>`; a failure rejects the push.
func HookScript(root, app string) string {
	return "#!/usr/bin/env bash\nset -e\nset -o pipefail\n\ncat | DOKKU_ROOT=\"" + root + "\" dokku git-hook " + app + "\n"
}

// WriteHook (re)writes the pre-receive hook, mode 0755.
func WriteHook(dir, root, app string, own *atomicfile.Owner) error {
	if err := atomicfile.MkdirAll(filepath.Join(dir, "hooks"), 0o755, own); err != nil {
		return err
	}
	return writeFile(HookPath(dir), []byte(HookScript(root, app)), 0o755, own)
}

// writeFile replaces path through a temp file and a rename (no fsync:
// these files are cheap to recreate and written on every app creation).
func writeFile(path string, data []byte, perm os.FileMode, own *atomicfile.Owner) error {
	tmp := filepath.Join(filepath.Dir(path), atomicfile.TempPrefix+filepath.Base(path)+"."+strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(tmp, data, perm); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		os.Remove(tmp)
		return err
	}
	if own != nil {
		if err := os.Chown(tmp, own.UID, own.GID); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

var shaRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`) })

// IsSHA reports whether s is a full object name.
func IsSHA(s string) bool { return shaRE().MatchString(s) }

// IsZeroSHA reports an all-zero object name (a deleted ref in a push).
func IsZeroSHA(s string) bool { return IsSHA(s) && strings.Trim(s, "0") == "" }

// ReadRef resolves a full ref name ("refs/heads/master", "HEAD") to an
// object name from the loose ref files or packed-refs, following symbolic
// refs; ok is false when it does not exist.
func ReadRef(dir, ref string) (sha string, ok bool) {
	for depth := 0; depth < 5; depth++ {
		if !safeRef(ref) {
			return "", false
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(ref)))
		if err == nil {
			v := strings.TrimSpace(string(b))
			if target, sym := strings.CutPrefix(v, "ref: "); sym {
				ref = strings.TrimSpace(target)
				continue
			}
			if IsSHA(v) {
				return v, true
			}
			return "", false
		}
		return packedRef(dir, ref)
	}
	return "", false
}

func safeRef(ref string) bool {
	if ref == "HEAD" {
		return true
	}
	return strings.HasPrefix(ref, "refs/") && !strings.Contains(ref, "..") && !strings.Contains(ref, "\x00")
}

func packedRef(dir, ref string) (string, bool) {
	f, err := os.Open(filepath.Join(dir, "packed-refs"))
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		sha, name, found := strings.Cut(line, " ")
		if found && name == ref && IsSHA(sha) {
			return sha, true
		}
	}
	return "", false
}

// BranchRef is refs/heads/<branch>.
func BranchRef(branch string) string { return "refs/heads/" + branch }

// ValidBranchName is `git check-ref-format --branch <name>`: the rules of
// git-check-ref-format(1) for refs/heads/<name>, plus no leading "-".
func ValidBranchName(name string) bool {
	if name == "" || name == "@" || strings.HasPrefix(name, "-") {
		return false
	}
	if strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") || strings.HasSuffix(name, ".") ||
		strings.Contains(name, "..") || strings.Contains(name, "@{") || strings.Contains(name, "//") {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) {
			return false
		}
	}
	for _, comp := range strings.Split(name, "/") {
		if strings.HasPrefix(comp, ".") || strings.HasSuffix(comp, ".lock") {
			return false
		}
	}
	return true
}

// HeadFile is the loose ref file of a branch (its mtime is the last push).
func HeadFile(dir, branch string) string {
	return filepath.Join(dir, "refs", "heads", filepath.FromSlash(branch))
}

// ErrNotRepo is returned for directories without a repository.
var ErrNotRepo = errors.New("not a git repository")

// HasObjects reports whether the repository stores any object (loose or
// packed): `git count-objects` saying something other than "0 objects".
func HasObjects(dir string) (bool, error) {
	if !IsRepo(dir) {
		return false, ErrNotRepo
	}
	objs := filepath.Join(dir, "objects")
	ents, err := os.ReadDir(objs)
	if err != nil {
		return false, err
	}
	for _, e := range ents {
		n := e.Name()
		switch {
		case len(n) == 2 && e.IsDir():
			if sub, _ := os.ReadDir(filepath.Join(objs, n)); len(sub) > 0 {
				return true, nil
			}
		case n == "pack":
			sub, _ := os.ReadDir(filepath.Join(objs, n))
			for _, p := range sub {
				if strings.HasSuffix(p.Name(), ".pack") {
					return true, nil
				}
			}
		}
	}
	return false, nil
}

// describe formats a git failure with its captured output.
func describe(what string, err error, out []byte) error {
	msg := strings.TrimSpace(string(out))
	if msg == "" {
		return fmt.Errorf("%s: %v", what, err)
	}
	return fmt.Errorf("%s: %v\n%s", what, err, msg)
}
