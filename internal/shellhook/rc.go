package shellhook

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// The markers around the block goforge writes into an rc file.
const (
	BeginMarker = "# >>> goforge shell hook >>>"
	EndMarker   = "# <<< goforge shell hook <<<"
)

// BackupSuffix is appended to an rc file's name for the copy kept before
// each change.
const BackupSuffix = ".goforge-backup"

// RCFile returns the rc file shell reads at start-up for an interactive
// session: ~/.bashrc, $ZDOTDIR/.zshrc, $XDG_CONFIG_HOME/fish/config.fish
// or PowerShell's profile.
func RCFile(shell string, getenv func(string) string) (string, error) {
	home := getenv("HOME")
	if home == "" && runtime.GOOS == "windows" {
		home = getenv("USERPROFILE")
	}
	if home == "" {
		return "", errors.New("locating the rc file: HOME is not set (name the file with --rc)")
	}
	config := getenv("XDG_CONFIG_HOME")
	if config == "" || !filepath.IsAbs(config) {
		config = filepath.Join(home, ".config")
	}
	switch shell {
	case "bash":
		return filepath.Join(home, ".bashrc"), nil
	case "zsh":
		if z := getenv("ZDOTDIR"); z != "" {
			return filepath.Join(z, ".zshrc"), nil
		}
		return filepath.Join(home, ".zshrc"), nil
	case "fish":
		return filepath.Join(config, "fish", "config.fish"), nil
	case "pwsh":
		if runtime.GOOS == "windows" {
			return filepath.Join(home, "Documents", "PowerShell", "Microsoft.PowerShell_profile.ps1"), nil
		}
		return filepath.Join(config, "powershell", "Microsoft.PowerShell_profile.ps1"), nil
	}
	return "", fmt.Errorf("unknown shell %q", shell)
}

// Block returns the marked block that loads the hook of shell from the
// goforge command at goforge.
func Block(shell, goforge string) string {
	var line string
	switch shell {
	case "fish":
		line = Quote(shell, goforge) + " shell-init fish | source"
	case "pwsh":
		line = "Invoke-Expression (& " + Quote(shell, goforge) + " shell-init pwsh | Out-String)"
	default:
		line = "eval \"$(" + Quote(shell, goforge) + " shell-init " + shell + ")\""
	}
	return BeginMarker + "\n# Added by 'goforge shell-init " + shell + " --install'; remove with --uninstall.\n" + line + "\n" + EndMarker + "\n"
}

// Install writes block into the rc file at path: appended after a blank
// line, or replacing an earlier goforge block in place. It reports whether
// the file changed; installing the same block again changes nothing. A
// missing or read-only file is an error and is left alone. Before a change
// the old contents are copied to path+BackupSuffix, and the new contents
// replace the file atomically (through a symlink, the file it names).
func Install(path, block string) (changed bool, err error) {
	target, data, mode, err := readRC(path)
	if err != nil {
		return false, err
	}
	var out []byte
	if i, j, ok := findBlock(data); ok {
		if string(data[i:j]) == block {
			return false, nil
		}
		out = append(append(append([]byte{}, data[:i]...), block...), data[j:]...)
	} else {
		out = append(append(append([]byte{}, data...), '\n'), block...)
	}
	return true, writeRC(target, data, out, mode)
}

// Uninstall removes goforge's block from the rc file at path, with the
// newline Install put before it, so that a file goforge only appended to
// is byte-identical to what it was. It reports whether there was a block.
func Uninstall(path string) (removed bool, err error) {
	target, data, mode, err := readRC(path)
	if err != nil {
		return false, err
	}
	i, j, ok := findBlock(data)
	if !ok {
		return false, nil
	}
	if i > 0 && data[i-1] == '\n' {
		i--
	}
	out := append(append([]byte{}, data[:i]...), data[j:]...)
	return true, writeRC(target, data, out, mode)
}

// findBlock returns the byte range of the goforge block: from the start
// of the begin marker's line to the end of the end marker's line.
func findBlock(data []byte) (i, j int, ok bool) {
	i = lineIndex(data, BeginMarker, 0)
	if i < 0 {
		return 0, 0, false
	}
	e := lineIndex(data, EndMarker, i)
	if e < 0 {
		return 0, 0, false
	}
	j = e + len(EndMarker)
	if j < len(data) && data[j] == '\n' {
		j++
	}
	return i, j, true
}

// lineIndex finds marker at the start of a line, at or after from.
func lineIndex(data []byte, marker string, from int) int {
	for off := from; off < len(data); {
		k := bytes.Index(data[off:], []byte(marker))
		if k < 0 {
			return -1
		}
		k += off
		if k == 0 || data[k-1] == '\n' {
			return k
		}
		off = k + 1
	}
	return -1
}

func readRC(path string) (target string, data []byte, mode fs.FileMode, err error) {
	target, err = filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, 0, fmt.Errorf("rc file %s does not exist: create it (touch %s) or name another with --rc", path, path)
	}
	if err != nil {
		return "", nil, 0, fmt.Errorf("reading rc file: %w", err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		return "", nil, 0, fmt.Errorf("reading rc file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", nil, 0, fmt.Errorf("rc file %s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o200 == 0 {
		return "", nil, 0, fmt.Errorf("rc file %s is read-only (mode %v): left unchanged", path, fi.Mode().Perm())
	}
	data, err = os.ReadFile(target)
	if err != nil {
		return "", nil, 0, fmt.Errorf("reading rc file: %w", err)
	}
	return target, data, fi.Mode().Perm(), nil
}

// writeRC keeps a backup of old and replaces target with data atomically.
func writeRC(target string, old, data []byte, mode fs.FileMode) error {
	if err := os.WriteFile(target+BackupSuffix, old, mode); err != nil {
		return fmt.Errorf("backing up %s: %w", target, err)
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".goforge-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), mode)
	}
	if err == nil {
		err = os.Rename(f.Name(), target)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", target, err)
	}
	return nil
}
