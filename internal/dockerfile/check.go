package dockerfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/release"
	"github.com/goforge/goforge/internal/textdiff"
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
	var out []string
	for _, e := range textdiff.Lines(splitLines(have), splitLines(want)) {
		what := "unexpected"
		if e.Op == '+' {
			what = "missing"
		}
		out = append(out, fmt.Sprintf("%s:%d: %s %q", name, e.Old, what, e.Text))
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
		if err := release.WriteFileAtomic(filepath.Join(dir, f.Name), []byte(f.Data), 0o644); err != nil {
			return err
		}
	}
	return nil
}
