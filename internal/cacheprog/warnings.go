package cacheprog

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// oneLine keeps a warning on one line of the warnings file.
func oneLine(msg string) string {
	return strings.Join(strings.Fields(msg), " ")
}

// ReadWarnings returns the distinct warnings the cache programs of a run
// appended to file (Config.WarningsFile), in the order they first
// appeared: one go command per target each starts its own program, and
// a dead remote is one problem, not one per target. A missing file holds
// none.
func ReadWarnings(file string) ([]string, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the cache program's warnings: %w", err)
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("reading the cache program's warnings: %w", err)
	}
	return out, nil
}

// CheckDir opens the local tier in dir the way the cache program will
// and writes a scratch file in it, so that a goforge run finds an
// unusable directory once, before it starts a go command per target.
func CheckDir(dir string) error {
	l, err := OpenLocal(dir, DefaultMaxSize)
	if err != nil {
		return err
	}
	defer l.Close()
	f, err := os.CreateTemp(filepath.Join(l.Dir(), "tmp"), "check-*")
	if err != nil {
		return fmt.Errorf("cache directory %s is not writable: %w", l.Dir(), err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}
