package toolchain

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
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
// name: the old directory is renamed aside, the new one renamed in, and
// the old one removed.
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

// installDirLocked is InstallDir for a caller that holds the lock.
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
	var old string
	if _, err := os.Lstat(dest); err == nil {
		if !replace {
			return fmt.Errorf("installing %s: %w", name, ErrExists)
		}
		if old, err = h.tempEntry("old", false); err != nil {
			return err
		}
		if err := os.Rename(dest, old); err != nil {
			return fmt.Errorf("replacing %s: %w", name, err)
		}
	}
	if err := h.writeMeta(m); err != nil {
		return err
	}
	if err := os.Rename(stagedDir, dest); err != nil {
		if old != "" {
			os.Rename(old, dest)
		}
		return fmt.Errorf("installing %s: %w", name, err)
	}
	if old != "" {
		removeAll(old)
	}
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
