// Package stage is the staging convention of runtime.md §8.4: during a
// build an extracted file is written beside <file> as <file>.<DOKKU_PID>,
// or as an empty <file>.<DOKKU_PID>.missing marker when the build's source
// has none, and core-post-deploy promotes it to <file>, so a failed deploy
// keeps the previous version.
package stage

import "os"

// Current is the file a process of the build pid sees: its staged copy,
// else <file>; "" when the build staged the marker or there is neither.
func Current(file, pid string) string {
	staged := file + "." + pid
	switch {
	case exists(staged + ".missing"):
		return ""
	case exists(staged):
		return staged
	case exists(file):
		return file
	}
	return ""
}

// Promote makes the staged copy of the build pid <file>; its marker
// removes <file>. Nothing staged leaves <file> as it is.
func Promote(file, pid string) error {
	staged := file + "." + pid
	if exists(staged + ".missing") {
		os.Remove(file)
		return os.Remove(staged + ".missing")
	}
	if exists(staged) {
		return os.Rename(staged, file)
	}
	return nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
