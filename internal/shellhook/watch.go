package shellhook

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// A Watch is what the hook checks at each prompt: the files that existed
// (changed when newer than the stamp, or gone) and the paths that did not
// (changed when they appear).
type Watch struct {
	Files  []string
	Absent []string
	Newest time.Time // newest modification time among Files
}

// StatAll sorts paths into existing files and absent paths.
func StatAll(paths []string) Watch {
	var w Watch
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			w.Absent = append(w.Absent, p)
			continue
		}
		w.Files = append(w.Files, p)
		if fi.ModTime().After(w.Newest) {
			w.Newest = fi.ModTime()
		}
	}
	return w
}

// maxStamps bounds the stamp directory; past it, old stamps are removed
// (a shell whose stamp vanished re-evaluates once and makes a new one).
const maxStamps = 256

// Stamp returns a file in dir whose modification time is t, creating it
// if needed. Stamps are shared: the name is the time.
func Stamp(dir string, t time.Time) (string, error) {
	if t.IsZero() {
		t = time.Unix(1, 0)
	}
	p := filepath.Join(dir, strconv.FormatInt(t.UnixNano(), 10))
	if fi, err := os.Stat(p); err == nil && fi.ModTime().Equal(t) {
		return p, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the hook's stamp: %w", err)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > maxStamps {
		for _, e := range entries {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		return "", fmt.Errorf("creating the hook's stamp: %w", err)
	}
	if err := os.Chtimes(p, t, t); err != nil {
		return "", fmt.Errorf("creating the hook's stamp: %w", err)
	}
	return p, nil
}

// DotNetTicks converts t to .NET ticks (100 ns since 0001-01-01 UTC), the
// unit of PowerShell's LastWriteTimeUtc.Ticks.
func DotNetTicks(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()/100 + 621355968000000000
}
