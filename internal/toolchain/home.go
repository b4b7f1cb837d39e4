package toolchain

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A Home is a goforge home directory (see the package documentation for
// its layout).
type Home struct {
	dir string
}

// OpenHome opens the goforge home named by the environment:
// $GOFORGE_HOME, else $XDG_DATA_HOME/goforge, else ~/.local/share/goforge.
// The directory is created on first use by the methods that write.
func OpenHome() (*Home, error) {
	dir, err := HomeDir(os.Getenv)
	if err != nil {
		return nil, err
	}
	return OpenHomeAt(dir)
}

// HomeDir computes the goforge home directory from environment lookups.
func HomeDir(getenv func(string) string) (string, error) {
	if d := getenv("GOFORGE_HOME"); d != "" {
		return filepath.Abs(d)
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "goforge"), nil
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", fmt.Errorf("locating the goforge home: set GOFORGE_HOME: %w", err)
		}
	}
	return filepath.Join(home, ".local", "share", "goforge"), nil
}

// OpenHomeAt opens the goforge home at dir.
func OpenHomeAt(dir string) (*Home, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening goforge home %q: %w", dir, err)
	}
	return &Home{dir: abs}, nil
}

// Dir returns the home's absolute path.
func (h *Home) Dir() string { return h.dir }

// VersionsDir returns the directory holding one GOROOT per version.
func (h *Home) VersionsDir() string { return filepath.Join(h.dir, "versions") }

// BinDir returns the shared GOBIN.
func (h *Home) BinDir() string { return filepath.Join(h.dir, "bin") }

// CurrentLink returns the path of the 'current' symlink.
func (h *Home) CurrentLink() string { return filepath.Join(h.dir, "current") }

// VersionDir returns versions/<name> (which may not exist).
func (h *Home) VersionDir(name string) string { return filepath.Join(h.VersionsDir(), name) }

func (h *Home) tmpDir() string { return filepath.Join(h.dir, "tmp") }

func (h *Home) locksDir() string { return filepath.Join(h.dir, "locks") }

// StagingDir creates a fresh, empty directory under tmp/, on the same
// filesystem as versions/, for preparing a GOROOT. Its name records the
// creating process, so that CleanStale can remove it once that process
// is gone. The caller removes it if it does not hand it to InstallDir.
func (h *Home) StagingDir() (string, error) {
	return h.tempEntry("stage", true)
}

// tempEntry returns a fresh path tmp/<kind>-<pid>-<random>, created as a
// directory when mkdir is set.
func (h *Home) tempEntry(kind string, mkdir bool) (string, error) {
	if err := os.MkdirAll(h.tmpDir(), 0o755); err != nil {
		return "", fmt.Errorf("creating staging area: %w", err)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	p := filepath.Join(h.tmpDir(), fmt.Sprintf("%s-%d-%s", kind, os.Getpid(), hex.EncodeToString(b[:])))
	if mkdir {
		if err := os.Mkdir(p, 0o755); err != nil {
			return "", fmt.Errorf("creating staging area: %w", err)
		}
	}
	return p, nil
}

// CleanStale removes what dead processes left in tmp/ (a killed install's
// download and staging directory, a replaced version's old tree) after
// putting back a version that a killed replace had moved aside, and
// removes meta files without a version, temporary meta files older
// than an hour (left by earlier goforge releases) and lock files nobody
// holds. It returns the paths it removed.
func (h *Home) CleanStale() ([]string, error) {
	var removed []string
	entries, err := os.ReadDir(h.tmpDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if !h.staleEntry(e.Name()) {
			continue
		}
		p := filepath.Join(h.tmpDir(), e.Name())
		if strings.HasPrefix(e.Name(), "aside-") {
			h.restoreAside(p)
		}
		if err := removeAll(p); err != nil {
			return removed, err
		}
		removed = append(removed, p)
	}
	metas, _ := filepath.Glob(filepath.Join(h.dir, "meta", "*.json"))
	for _, m := range metas {
		name := strings.TrimSuffix(filepath.Base(m), ".json")
		if _, err := os.Lstat(h.VersionDir(name)); errors.Is(err, fs.ErrNotExist) {
			if os.Remove(m) == nil {
				removed = append(removed, m)
			}
		}
	}
	old, _ := filepath.Glob(filepath.Join(h.dir, "meta", ".tmp-*"))
	for _, m := range old {
		if fi, err := os.Lstat(m); err == nil && time.Since(fi.ModTime()) > time.Hour && os.Remove(m) == nil {
			removed = append(removed, m)
		}
	}
	locks, _ := filepath.Glob(filepath.Join(h.locksDir(), "*.lock"))
	for _, l := range locks {
		if removeStaleLock(l) {
			removed = append(removed, l)
		}
	}
	return removed, nil
}

// staleEntry reports whether the tmp/ entry name (kind-pid-random) was
// made by a process that is gone.
func (h *Home) staleEntry(name string) bool {
	parts := strings.SplitN(name, "-", 3)
	if len(parts) != 3 {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	return err == nil && pid != os.Getpid() && !processAlive(pid)
}

// restoreAside moves a version that a killed replace left in the
// directory aside (tmp/aside-<pid>-<random>/<name>) back into versions/,
// unless a version of that name is installed again.
func (h *Home) restoreAside(aside string) {
	entries, err := os.ReadDir(aside)
	if err != nil || len(entries) != 1 {
		return
	}
	name := entries[0].Name()
	if _, err := ParseName(name); err != nil {
		return
	}
	if _, err := os.Lstat(h.VersionDir(name)); errors.Is(err, fs.ErrNotExist) {
		os.Rename(filepath.Join(aside, name), h.VersionDir(name))
	}
}

// Lock takes the per-version lock for name (locks/<name>.lock) and returns
// the function that releases it. Installs, uninstalls and source builds
// of one version serialize on it, so two installs download only once.
// Releasing the lock removes the file (see lockFile); one left by a
// killed process is removed by CleanStale.
func (h *Home) Lock(name string) (unlock func(), err error) {
	dir := h.locksDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("locking %s: %w", name, err)
	}
	unlock, err = lockFile(filepath.Join(dir, name+".lock"))
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", name, err)
	}
	return unlock, nil
}

// removeAll is os.RemoveAll that first makes read-only directories
// writable (module-cache style trees are read-only).
func removeAll(p string) error {
	err := os.RemoveAll(p)
	if err == nil {
		return nil
	}
	filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o755)
		}
		return nil
	})
	return os.RemoveAll(p)
}
