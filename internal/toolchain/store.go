package toolchain

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrExists is returned (wrapped) by InstallDir when the version is
// already installed and replace was not asked for.
var ErrExists = errors.New("already installed")

// InstallDir moves the fully prepared GOROOT stagedDir (from StagingDir)
// into versions/<name> and records m as its meta (Name and InstalledAt
// are filled in). It holds the version's lock while it works and fails
// with ErrExists if the version is already installed. The version becomes
// visible by one rename, so nobody sees a half-installed GOROOT.
func (h *Home) InstallDir(name, stagedDir string, m Meta) error {
	return h.installDir(name, stagedDir, m, false)
}

// ReplaceDir is InstallDir that replaces an installed version of the same
// name without ever leaving it missing: the old and new directories are
// swapped in one step where the system can (see installDirLocked), and
// the old one is removed once the new one is in place.
func (h *Home) ReplaceDir(name, stagedDir string, m Meta) error {
	return h.installDir(name, stagedDir, m, true)
}

func (h *Home) installDir(name, stagedDir string, m Meta, replace bool) error {
	unlock, err := h.Lock(name)
	if err != nil {
		return err
	}
	defer unlock()
	return h.installDirLocked(name, stagedDir, m, replace)
}

// errNoExchange reports that exchange cannot swap two entries here.
var errNoExchange = errors.New("atomic exchange not supported")

// exchangeDirs is exchange; tests replace it to take the fallback path.
var exchangeDirs = exchange

// step is called at each point where a killed install leaves a distinct
// state on disk; the kill-anywhere test makes it kill the process.
var step = func(name string) {}

// installDirLocked is InstallDir for a caller that holds the lock.
//
// A new version gets its meta file first and then appears by one rename.
// A replaced version is swapped with the staged one by one exchange of
// directory entries where the system has it (Linux), so that at every
// instant, even after SIGKILL, versions/<name> is the complete old or the
// complete new tree and 'current' resolves; the old tree, now under tmp/,
// is removed last (or by CleanStale after a kill). Elsewhere the old tree
// is renamed aside into tmp/ first, and CleanStale puts it back if the
// process dies before the new one is in place.
func (h *Home) installDirLocked(name, stagedDir string, m Meta, replace bool) error {
	if _, err := ParseName(name); err != nil {
		return err
	}
	m.Name = name
	if m.InstalledAt.IsZero() {
		m.InstalledAt = time.Now().UTC().Truncate(time.Second)
	}
	if err := os.MkdirAll(h.VersionsDir(), 0o755); err != nil {
		return fmt.Errorf("installing %s: %w", name, err)
	}
	dest := h.VersionDir(name)
	step("staged")
	if _, err := os.Lstat(dest); err != nil {
		if err := h.writeMeta(m); err != nil {
			return err
		}
		step("meta-written")
		if err := os.Rename(stagedDir, dest); err != nil {
			return fmt.Errorf("installing %s: %w", name, err)
		}
		step("published")
		return nil
	}
	if !replace {
		return fmt.Errorf("installing %s: %w", name, ErrExists)
	}
	return h.replaceDir(name, stagedDir, m)
}

// replaceDir puts stagedDir in place of the installed version name.
func (h *Home) replaceDir(name, stagedDir string, m Meta) error {
	dest := h.VersionDir(name)
	err := exchangeDirs(stagedDir, dest)
	if errors.Is(err, errNoExchange) {
		return h.replaceByRenames(name, stagedDir, m)
	}
	if err != nil {
		return fmt.Errorf("replacing %s: %w", name, err)
	}
	step("exchanged")
	// stagedDir now holds the old tree, under tmp/ with this process's
	// id in its name: CleanStale removes it if this process dies.
	if err := h.writeMeta(m); err != nil {
		return err
	}
	step("meta-written")
	removeAll(stagedDir)
	step("old-removed")
	return nil
}

// replaceByRenames replaces name without an atomic exchange: the old tree
// is moved to tmp/aside-<pid>-<random>/<name>, where CleanStale finds it
// and moves it back if versions/<name> is missing.
func (h *Home) replaceByRenames(name, stagedDir string, m Meta) error {
	dest := h.VersionDir(name)
	aside, err := h.tempEntry("aside", true)
	if err != nil {
		return err
	}
	if err := os.Rename(dest, filepath.Join(aside, name)); err != nil {
		removeAll(aside)
		return fmt.Errorf("replacing %s: %w", name, err)
	}
	step("moved-aside")
	if err := os.Rename(stagedDir, dest); err != nil {
		if rerr := os.Rename(filepath.Join(aside, name), dest); rerr != nil {
			return fmt.Errorf("replacing %s: %w (and putting the old version back: %v; the next install repairs it)", name, err, rerr)
		}
		removeAll(aside)
		return fmt.Errorf("replacing %s: %w", name, err)
	}
	step("exchanged")
	if err := h.writeMeta(m); err != nil {
		return err
	}
	step("meta-written")
	removeAll(aside)
	step("old-removed")
	return nil
}

// Remove uninstalls name: the version directory is first renamed into
// tmp/ (so it disappears at once) and then deleted. For an adopted
// version only the link is removed, never the adopted GOROOT. If name is
// the current version the 'current' link is removed too.
func (h *Home) Remove(name string) error {
	unlock, err := h.Lock(name)
	if err != nil {
		return err
	}
	defer unlock()
	dest := h.VersionDir(name)
	fi, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing %q: %w", name, ErrNotInstalled)
	}
	if err != nil {
		return fmt.Errorf("removing %s: %w", name, err)
	}
	if cur, ok, _ := h.Current(); ok && cur.Name == name {
		os.Remove(h.CurrentLink())
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		err = os.Remove(dest)
	} else {
		var trash string
		if trash, err = h.tempEntry("old", false); err == nil {
			if err = os.Rename(dest, trash); err == nil {
				err = removeAll(trash)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("removing %s: %w", name, err)
	}
	os.Remove(h.metaPath(name))
	return nil
}
