package xbuild

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A protected directory is one a release directory must never be or
// hold: dist is replaced as a whole at every publish (and emptied by
// --clean), so a dist of "." or ".." would swap away, or delete, the
// project itself.
type protected struct{ dir, what string }

// checkDist refuses a dist that is, or holds, one of the protected
// directories, and a --clean of a directory that never held a goforge
// release (clean removes everything in it). Paths are compared after
// resolving symbolic links.
func checkDist(dist string, clean bool, guard []protected) error {
	d := realPath(dist)
	for _, p := range guard {
		if p.dir == "" {
			continue
		}
		if within(realPath(p.dir), d) {
			return &BadInputError{Msg: fmt.Sprintf("output directory %s is or holds %s (%s): a release directory is replaced as a whole at every build; choose one inside it, such as %s",
				dist, p.what, p.dir, filepath.Join(p.dir, "dist"))}
		}
	}
	if !clean {
		return nil
	}
	ents, err := os.ReadDir(d)
	if err != nil || len(ents) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(d, stateDir)); errors.Is(err, fs.ErrNotExist) {
		return &BadInputError{Msg: fmt.Sprintf("--clean would delete everything in %s, which holds no goforge release (no %s directory): empty or remove it yourself, or choose another output directory",
			dist, stateDir)}
	}
	return nil
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// realPath is p made absolute with its symbolic links resolved, as far
// as it exists (a dist that does not exist yet is resolved through its
// nearest existing parent).
func realPath(p string) string {
	p, _ = filepath.Abs(p)
	var rest []string
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(append([]string{p}, rest...)...)
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}
