package fromsource

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// A Tree is a Go source tree: a checkout of the Go repository or the
// GOROOT of a distribution that ships src/.
type Tree struct {
	Root    string      `json:"root"`              // absolute path of the tree (GOROOT)
	Version string      `json:"version,omitempty"` // first line of VERSION; "" in a checkout
	Git     bool        `json:"git"`               // whether the tree has a .git
	Need    Requirement `json:"bootstrap_requirement"`
	// UsesGOROOTFinal reports whether this version's cmd/dist reads
	// GOROOT_FINAL (Go 1.20 and earlier); later versions trim paths.
	UsesGOROOTFinal bool `json:"uses_goroot_final"`
}

// NotSourceTreeError reports a directory that is not a Go source tree.
type NotSourceTreeError struct {
	Dir    string
	Reason string
}

func (e *NotSourceTreeError) Error() string {
	return fmt.Sprintf("%q is not a Go source tree: %s (want a checkout of go.googlesource.com/go or a GOROOT with src/make.bash and src/cmd/dist)", e.Dir, e.Reason)
}

// maxSourceFile bounds how much of a tree's file goforge reads to find
// versions; the real files are a few kilobytes.
const maxSourceFile = 1 << 20

// OpenTree inspects dir as a Go source tree. dir may also be the tree's
// src directory.
func OpenTree(dir string) (*Tree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving %q: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, &NotSourceTreeError{Dir: dir, Reason: "it does not exist"}
	} else if !fi.IsDir() {
		return nil, &NotSourceTreeError{Dir: dir, Reason: "it is not a directory"}
	}
	if filepath.Base(abs) == "src" && isFile(filepath.Join(abs, "make.bash")) {
		abs = filepath.Dir(abs)
	}
	if !isFile(filepath.Join(abs, "src", "make.bash")) {
		return nil, &NotSourceTreeError{Dir: dir, Reason: "no src/make.bash"}
	}
	if !isDir(filepath.Join(abs, "src", "cmd", "dist")) {
		return nil, &NotSourceTreeError{Dir: dir, Reason: "no src/cmd/dist"}
	}
	t := &Tree{Root: abs, Git: exists(filepath.Join(abs, ".git"))}
	if t.Version, err = readVersionFile(filepath.Join(abs, "VERSION")); err != nil {
		return nil, err
	}
	src, err := readDistSources(abs)
	if err != nil {
		return nil, err
	}
	if t.Need, err = ParseRequirement(src); err != nil {
		return nil, fmt.Errorf("reading the bootstrap requirement of %q: %w", dir, err)
	}
	t.UsesGOROOTFinal = bytes.Contains(src["src/cmd/dist/build.go"], []byte(`"GOROOT_FINAL"`))
	return t, nil
}

// readVersionFile returns the first line of a VERSION file, or "" if there
// is none (a git checkout).
func readVersionFile(name string) (string, error) {
	data, err := readLimited(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSpace(first), nil
}

// readDistSources reads the files ParseRequirement and OpenTree look at.
func readDistSources(root string) (DistSources, error) {
	names := []string{"src/make.bash", "src/cmd/dist/buildtool.go", "src/cmd/dist/build.go"}
	notgo, _ := filepath.Glob(filepath.Join(root, "src", "cmd", "dist", "notgo*.go"))
	for _, n := range notgo {
		names = append(names, "src/cmd/dist/"+filepath.Base(n))
	}
	src := DistSources{}
	for _, name := range names {
		data, err := readLimited(filepath.Join(root, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		src[name] = data
	}
	return src, nil
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSourceFile))
}

func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

func isDir(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}

var (
	releaseNameRE = regexp.MustCompile(`^go1(\.[0-9]+){0,2}((rc|beta)[0-9]+)?$`)
	hashRE        = regexp.MustCompile(`^[0-9a-f]{7,64}$`)
)

// InstallName is the managed version name for a build of a tree whose
// VERSION says versionLine ("" for a checkout) at git commit hash:
// "go1.26.8-src" for a release, "devel-<first 10 hex digits>" otherwise.
func InstallName(versionLine, hash string) (string, error) {
	if releaseNameRE.MatchString(versionLine) {
		return versionLine + "-src", nil
	}
	if hashRE.MatchString(hash) {
		return "devel-" + hash[:min(10, len(hash))], nil
	}
	if versionLine != "" {
		return "", fmt.Errorf("cannot name the build: VERSION %q is not a release and the tree is not a git checkout", versionLine)
	}
	return "", errors.New("cannot name the build: the tree has no VERSION file and no git commit")
}
