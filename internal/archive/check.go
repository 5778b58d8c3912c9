package archive

import "path"

// checkOrder is the precedence of Check's verdict.
var checkOrder = []Reason{TooManyEntries, InvalidName, AbsolutePath, Traversal, SymlinkTarget, SymlinkEscape, HardlinkEscape, ThroughSymlink}

// Check reads the whole archive file and returns the first rule
// it breaks by checkOrder (the first offending entry for that rule), or
// nil; it writes nothing. It applies the rules that need no file system:
// the entry count (Count is the total), the name rules, the symlink
// policy, hard link sources and, lexically, entries below a symlink of
// the archive. Strip, kinds, sizes and Visit are not considered.
func Check(file string, o Options) error {
	win := o.Names&WindowsPaths != 0
	found := map[Reason]*Error{}
	note := func(r Reason, e *Entry) {
		if r != 0 && found[r] == nil {
			found[r] = &Error{Reason: r, Name: e.Name, Path: clean(e.Name, win, 0), Kind: e.Kind, Type: e.Type, Link: e.Link}
		}
	}
	var (
		count    int64
		names    []string // cleaned names, at most MaxEntries of them
		symlinks = map[string]bool{}
	)
	err := walkFile(file, o.Format, o.MaxStream, func(e *Entry) error {
		if e.Kind == KindMeta && !o.CountMeta {
			return nil
		}
		count++
		rel := clean(e.Name, win, 0)
		if o.MaxEntries == 0 || count <= o.MaxEntries {
			names = append(names, rel)
		}
		note(o.nameRule(e.Name), e)
		switch e.Kind {
		case KindSymlink:
			symlinks[rel] = true
			link, err := e.target()
			if err != nil {
				return err
			}
			note(o.symlinkRule(rel, link), e)
		case KindHardlink:
			note(o.linkRule(e.Link), e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.MaxEntries > 0 && count > o.MaxEntries {
		return &Error{Reason: TooManyEntries, Count: count, Max: o.MaxEntries}
	}
	if len(symlinks) > 0 {
		for _, n := range names {
			for dir := path.Dir(n); dir != "." && dir != "/"; dir = path.Dir(dir) {
				if symlinks[dir] {
					note(ThroughSymlink, &Entry{Name: n})
					found[ThroughSymlink].Dir = dir
					break
				}
			}
			if found[ThroughSymlink] != nil {
				break
			}
		}
	}
	for _, r := range checkOrder {
		if found[r] != nil {
			return found[r]
		}
	}
	return nil
}
