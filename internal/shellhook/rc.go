package shellhook

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
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

// Install writes block into the rc file at path: appended after a newline,
// or replacing an earlier goforge block in place. It returns the path of
// the backup it made of the old contents, or "" when the file did not
// change (installing the same block again changes nothing). A missing or
// read-only file is an error and is left alone, and so is a file whose
// markers do not form one well-ordered block (see MarkerError). A backup
// never overwrites an earlier one: the first is path+BackupSuffix, later
// ones add .1, .2, ... The new contents replace the file atomically
// (through a symlink, the file it names).
func Install(path, block string) (backup string, err error) {
	target, data, mode, err := readRC(path)
	if err != nil {
		return "", err
	}
	i, j, ok, err := findBlock(path, data)
	if err != nil {
		return "", err
	}
	var out []byte
	if ok {
		if string(data[i:j]) == block {
			return "", nil
		}
		out = append(append(append([]byte{}, data[:i]...), block...), data[j:]...)
	} else {
		out = append(append(append([]byte{}, data...), '\n'), block...)
	}
	return writeRC(target, data, out, mode)
}

// Uninstall removes goforge's block from the rc file at path and returns
// the path of the backup it made ("" when there was no block). At the end
// of the file the block goes with the newline Install put before it, so a
// file goforge only appended to is byte-identical to what it was; inside
// the file only the block's own lines go (with one blank line before
// them), so no two lines are ever joined.
func Uninstall(path string) (backup string, err error) {
	target, data, mode, err := readRC(path)
	if err != nil {
		return "", err
	}
	out, ok, err := withoutBlock(path, data)
	if err != nil || !ok {
		return "", err
	}
	return writeRC(target, data, out, mode)
}

// withoutBlock returns data with the goforge block removed, as Uninstall
// writes it; ok is false when there is no block.
func withoutBlock(path string, data []byte) (out []byte, ok bool, err error) {
	i, j, ok, err := findBlock(path, data)
	if err != nil || !ok {
		return nil, false, err
	}
	if i > 0 && data[i-1] == '\n' && (j == len(data) || i == 1 || data[i-2] == '\n') {
		i--
	}
	return append(append([]byte{}, data[:i]...), data[j:]...), true, nil
}

// A MarkerError reports an rc file whose goforge markers do not form one
// block (a start marker, later an end marker, each once): goforge cannot
// tell which lines are its own and changes nothing.
type MarkerError struct {
	Path string
	Line int    // the offending marker's line
	What string // what is wrong with it
	Fix  string // how to repair the file
}

func (e *MarkerError) Error() string {
	return fmt.Sprintf("%s:%d: %s; left unchanged: %s, then run again", e.Path, e.Line, e.What, e.Fix)
}

// findBlock returns the byte range of the goforge block: from the start
// of the begin marker's line to the end of the end marker's line. A file
// with markers that are unbalanced, repeated or out of order is a
// *MarkerError.
func findBlock(path string, data []byte) (i, j int, ok bool, err error) {
	begin, end := -1, -1
	var beginLine int
	line := 0
	for off := 0; off < len(data); {
		line++
		next := len(data)
		if k := bytes.IndexByte(data[off:], '\n'); k >= 0 {
			next = off + k + 1
		}
		text := string(bytes.TrimRight(data[off:next], "\r\n"))
		switch {
		case strings.HasPrefix(text, BeginMarker):
			if begin >= 0 {
				return 0, 0, false, &MarkerError{path, line, fmt.Sprintf("a second goforge start marker (the first is on line %d)", beginLine),
					"keep one goforge block: delete the other from its start marker to its end marker"}
			}
			begin, beginLine = off, line
		case strings.HasPrefix(text, EndMarker):
			if begin < 0 {
				return 0, 0, false, &MarkerError{path, line, "a goforge end marker with no start marker before it",
					fmt.Sprintf("delete line %d or put %q before the block", line, BeginMarker)}
			}
			if end >= 0 {
				return 0, 0, false, &MarkerError{path, line, "a second goforge end marker",
					fmt.Sprintf("delete line %d", line)}
			}
			end = next
		}
		off = next
	}
	if begin >= 0 && end < 0 {
		return 0, 0, false, &MarkerError{path, beginLine, "a goforge start marker with no end marker after it",
			fmt.Sprintf("delete line %d or put %q after the block", beginLine, EndMarker)}
	}
	return begin, end, begin >= 0, nil
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

// maxBackups bounds the numbered backups kept beside an rc file.
const maxBackups = 1000

// backupRC copies old to the first free name of target+BackupSuffix,
// target+BackupSuffix+".1", ..., never replacing an existing file.
func backupRC(target string, old []byte, mode fs.FileMode) (string, error) {
	for n := 0; n < maxBackups; n++ {
		p := target + BackupSuffix
		if n > 0 {
			p += "." + strconv.Itoa(n)
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("backing up %s: %w", target, err)
		}
		_, err = f.Write(old)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(p)
			return "", fmt.Errorf("backing up %s to %s: %w", target, p, err)
		}
		return p, nil
	}
	return "", fmt.Errorf("backing up %s: %d backups exist already (%s*); remove old ones", target, maxBackups, target+BackupSuffix)
}

// writeRC keeps a backup of old and replaces target with data atomically.
// It returns the backup's path. The new contents are written first and
// the backup is made just before the rename, and removed again if the
// rename fails (an immutable file, a read-only directory), so a failed
// write leaves target as it was and nothing new beside it.
func writeRC(target string, old, data []byte, mode fs.FileMode) (string, error) {
	tmp, err := stageRC(target, data, mode)
	if err != nil {
		return "", err
	}
	backup, err := backupRC(target, old, mode)
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := rename(tmp, target); err != nil {
		os.Remove(tmp)
		os.Remove(backup)
		return "", fmt.Errorf("writing %s: %w (left unchanged)", target, err)
	}
	return backup, nil
}

// rename is os.Rename; tests replace it to make the last step fail.
var rename = os.Rename

// stageRC writes data with mode to a new temporary file beside target
// and returns its name.
func stageRC(target string, data []byte, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".goforge-*")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", target, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), mode)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing %s: %w", target, err)
	}
	return f.Name(), nil
}
