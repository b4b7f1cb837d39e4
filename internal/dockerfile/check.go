package dockerfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File is one file to write or check.
type File struct {
	Name string // relative to the module root
	Data string
}

// Files returns the Dockerfile and .dockerignore for s.
func Files(s Spec) []File {
	return []File{{"Dockerfile", Dockerfile(s)}, {".dockerignore", Dockerignore()}}
}

// Diff compares the files in dir with want and names the differences,
// one line each: a missing file, or a line that differs ("Dockerfile:7:
// have ..., want ..."). Nothing means up to date.
func Diff(dir string, want []File) ([]string, error) {
	var out []string
	for _, f := range want {
		have, err := os.ReadFile(filepath.Join(dir, f.Name))
		if errors.Is(err, fs.ErrNotExist) {
			out = append(out, f.Name+": missing")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.Name, err)
		}
		out = append(out, diffLines(f.Name, string(have), f.Data)...)
	}
	return out, nil
}

// diffLines names differing lines, matching the two texts line by line
// through their longest common subsequence so that one inserted line is
// one difference, not every line after it.
func diffLines(name, have, want string) []string {
	a, b := splitLines(have), splitLines(want)
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, fmt.Sprintf("%s:%d: unexpected %q", name, i+1, a[i]))
			i++
		default:
			out = append(out, fmt.Sprintf("%s:%d: missing %q", name, i+1, b[j]))
			j++
		}
	}
	return out
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Write writes the files into dir, each through a temporary file and a
// rename. A file that exists without the Marker is the user's: it is
// left alone, and the error says so, unless force is set.
func Write(dir string, files []File, force bool) error {
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		have, err := os.ReadFile(p)
		if err == nil && !force && !strings.Contains(string(have), Marker) {
			return fmt.Errorf("%s exists and was not written by goforge: use --force to replace it, or --check to compare", f.Name)
		}
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.Name), f.Data); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name, data string) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(data)
	err = errors.Join(err, f.Chmod(0o644), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
