package fromsource

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// Comparison statuses of one file in a reproducibility check.
const (
	Equal          = "equal"
	Different      = "different"
	MissingInBuild = "missing in source build"
	MissingInDist  = "missing in distribution"
)

// A FileComparison is the verdict on one file of a reproducibility check.
type FileComparison struct {
	Path      string `json:"path"` // slash path inside GOROOT: "bin/go", "pkg/tool/linux_amd64/compile"
	Status    string `json:"status"`
	BuildSize int64  `json:"build_size,omitempty"`
	DistSize  int64  `json:"dist_size,omitempty"`
	BuildHash string `json:"build_sha256,omitempty"`
	DistHash  string `json:"dist_sha256,omitempty"`
}

// A ReproFile is one file a reproducibility check compares.
type ReproFile struct {
	Path  string // slash path in the binary distribution: "bin/go"
	Build string // slash path in the source build (the same, once DistLayout ran)
}

// ReproFiles lists the files a reproducibility check compares: bin/go,
// bin/gofmt and every file in pkg/tool/<goos>_<goarch>, in either tree.
// A Windows target's carry ".exe".
func ReproFiles(build, dist, goos, goarch string) ([]ReproFile, error) {
	exe := ""
	if goos == "windows" {
		exe = ".exe"
	}
	files := []ReproFile{{"bin/go" + exe, "bin/go" + exe}, {"bin/gofmt" + exe, "bin/gofmt" + exe}}
	seen := map[string]bool{}
	toolDir := path.Join("pkg/tool", goos+"_"+goarch)
	for _, root := range []string{build, dist} {
		entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(toolDir)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("listing %s: %w", toolDir, err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() {
				seen[path.Join(toolDir, e.Name())] = true
			}
		}
	}
	tools := make([]string, 0, len(seen))
	for f := range seen {
		tools = append(tools, f)
	}
	sort.Strings(tools)
	for _, f := range tools {
		files = append(files, ReproFile{f, f})
	}
	return files, nil
}

// Compare compares the toolchain binaries of a source build with those of
// the binary distribution of the same version, byte for byte. A file absent
// from both trees is left out.
func Compare(build, dist string, files []ReproFile) ([]FileComparison, error) {
	var out []FileComparison
	for _, f := range files {
		c := FileComparison{Path: f.Path}
		bs, bh, berr := hashFile(filepath.Join(build, filepath.FromSlash(f.Build)))
		ds, dh, derr := hashFile(filepath.Join(dist, filepath.FromSlash(f.Path)))
		for _, err := range []error{berr, derr} {
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("comparing %s: %w", f.Path, err)
			}
		}
		c.BuildSize, c.BuildHash, c.DistSize, c.DistHash = bs, bh, ds, dh
		switch {
		case berr != nil && derr != nil:
			continue
		case berr != nil:
			c.Status = MissingInBuild
		case derr != nil:
			c.Status = MissingInDist
		case bh == dh:
			c.Status = Equal
		default:
			c.Status = Different
		}
		out = append(out, c)
	}
	return out, nil
}

// CountEqual returns how many files compared equal.
func CountEqual(cs []FileComparison) int {
	n := 0
	for _, c := range cs {
		if c.Status == Equal {
			n++
		}
	}
	return n
}

func hashFile(name string) (int64, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
