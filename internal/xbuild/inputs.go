package xbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
)

// Inputs records what one job's output was built from, so a later run can
// tell, without invoking the go command, that nothing changed.
//
// It keys on what the go command's own action IDs hash, not on mtimes:
// the contents of every source file of every package outside GOROOT and
// the module cache (plus the names of all files in those package
// directories, so a new file with build tags is noticed), the go.mod,
// go.sum and go.work files, and, through Job.BuildKey, the Go version,
// GOROOT, the go env settings, the target environment and every flag.
// GOROOT and the module cache are keyed by version: module cache
// directories are read-only and checked against go.sum, and a Go release
// does not change under its version.
type Inputs struct {
	// Dirs maps a package directory to a hash of the sorted names of its
	// source files (.go, .s, .c, .syso, ...).
	Dirs map[string]string `json:"dirs"`
	// EmbedDirs maps a directory holding embedded files to a hash of all
	// the names in it.
	EmbedDirs map[string]string `json:"embed_dirs,omitempty"`
	// Files maps a file to the SHA-256 of its contents.
	Files map[string]string `json:"files"`
	// Modules lists the module cache modules used, as path@version.
	Modules []string `json:"modules"`
}

type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	EmbedFiles []string
	Module     *struct {
		Path, Version, Dir, GoMod string
		Main                      bool
	}
	Error *struct{ Err string }
}

// ListInputs runs 'go list -deps' for job with its environment and tags,
// and hashes the inputs found outside GOROOT and the module cache.
func ListInputs(ctx context.Context, tc *Toolchain, dir string, j *Job) (*Inputs, error) {
	return listInputs(ctx, tc, dir, j, j.Env)
}

// listInputs is ListInputs with env added to the runner's environment.
func listInputs(ctx context.Context, tc *Toolchain, dir string, j *Job, env []string) (*Inputs, error) {
	raw, err := goListDeps(ctx, tc, dir, j, env)
	if err != nil {
		return nil, err
	}
	return hashListed(json.NewDecoder(bytes.NewReader(raw)), tc)
}

// goListDeps returns the output of 'go list -deps -json' for j.
func goListDeps(ctx context.Context, tc *Toolchain, dir string, j *Job, env []string) ([]byte, error) {
	args := []string{"list", "-deps", "-json=ImportPath,Dir,Standard,EmbedFiles,Module,Error"}
	for _, a := range j.Args {
		if strings.HasPrefix(a, "-tags=") || strings.HasPrefix(a, "-mod=") {
			args = append(args, a)
		}
	}
	out, err := tc.Run(ctx, gocmd.Invocation{Args: append(args, j.Package), Dir: dir, Env: env})
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %w", j.Package, err)
	}
	return out, nil
}

func hashListed(dec *json.Decoder, tc *Toolchain) (*Inputs, error) {
	in := &Inputs{Dirs: map[string]string{}, EmbedDirs: map[string]string{}, Files: map[string]string{}}
	modcache := tc.Env["GOMODCACHE"]
	mods := map[string]bool{}
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("package %s: %s", p.ImportPath, p.Error.Err)
		}
		if p.Standard || p.Dir == "" {
			continue
		}
		if m := p.Module; m != nil && m.Version != "" && modcache != "" && isUnder(m.Dir, modcache) {
			mods[m.Path+"@"+m.Version] = true
			continue
		}
		if err := in.addPackage(p); err != nil {
			return nil, err
		}
	}
	// A go.work decides the build wherever it is (a parent directory
	// too): its use, replace and godebug lines.
	for _, f := range workFiles(tc) {
		sum, err := hashInput(f)
		if err != nil {
			return nil, err
		}
		in.Files[f] = sum
	}
	in.Modules = sortedKeys(mods)
	return in, nil
}

func (in *Inputs) addPackage(p listedPackage) error {
	names, h, err := dirListing(p.Dir)
	if err != nil {
		return err
	}
	in.Dirs[p.Dir] = h
	files := names
	for _, e := range p.EmbedFiles {
		files = append(files, filepath.FromSlash(e))
		// Every directory from the file's up to the package's (that one only
		// when it holds the file itself) is listed in full.
		d := filepath.Dir(filepath.Join(p.Dir, filepath.FromSlash(e)))
		for isUnder(d, p.Dir) {
			h, err := embedListing(d)
			if err != nil {
				return err
			}
			in.EmbedDirs[d] = h
			if d = filepath.Dir(d); d == p.Dir {
				break
			}
		}
	}
	if p.Module != nil && p.Module.GoMod != "" {
		root := filepath.Dir(p.Module.GoMod)
		files = append(files, p.Module.GoMod, filepath.Join(root, "go.sum"), filepath.Join(root, "go.work"), filepath.Join(root, "go.work.sum"))
	}
	for _, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(p.Dir, f)
		}
		if _, ok := in.Files[f]; ok {
			continue
		}
		sum, err := hashInput(f)
		if err != nil {
			return err
		}
		in.Files[f] = sum
	}
	return nil
}

// sourceExts are the file name extensions the go command reads from a
// package directory (see 'go help buildconstraint' and cmd/go's
// goodOSArchFile callers): a new file with one of them can change a build,
// any other new file (a README, a config file, dist/) cannot.
var sourceExts = map[string]bool{
	".go": true, ".s": true, ".S": true, ".sx": true, ".c": true, ".h": true,
	".cc": true, ".cpp": true, ".cxx": true, ".hh": true, ".hpp": true, ".hxx": true,
	".m": true, ".f": true, ".F": true, ".for": true, ".f90": true,
	".swig": true, ".swigcxx": true, ".syso": true,
}

// dirListing returns the source files in dir and a hash of their names.
func dirListing(dir string) ([]string, string, error) {
	return listDir(dir, func(e os.DirEntry) bool {
		return (e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0) && sourceExts[filepath.Ext(e.Name())]
	})
}

// embedListing hashes every name in a directory that holds embedded files:
// a new file there may be picked up by a //go:embed pattern.
func embedListing(dir string) (string, error) {
	_, h, err := listDir(dir, func(os.DirEntry) bool { return true })
	return h, err
}

func listDir(dir string, keep func(os.DirEntry) bool) ([]string, string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, "", err
	}
	var names []string
	for _, e := range ents {
		if keep(e) {
			name := e.Name()
			if e.IsDir() {
				name += "/"
			}
			names = append(names, name)
		}
	}
	sort.Strings(names)
	h := sha256.Sum256([]byte(strings.Join(names, "\x00")))
	return names, hex.EncodeToString(h[:]), nil
}

// hashInput is an input file's hash, or "absent" for a file that is not
// there (so its appearing is a change).
func hashInput(name string) (string, error) {
	sum, err := hashFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return "absent", nil
	}
	return sum, err
}

// workFiles are the go.work in use, wherever it is, and its go.work.sum.
func workFiles(tc *Toolchain) []string {
	if w := tc.Env["GOWORK"]; w != "" && w != "off" {
		return []string{w, w + ".sum"}
	}
	return nil
}

// moduleFiles are the files that map import paths to directories and
// modules to versions: the go.work in use and the main module's go.mod,
// go.sum and vendor/modules.txt.
func moduleFiles(tc *Toolchain) []string {
	files := workFiles(tc)
	if gomod := tc.Env["GOMOD"]; gomod != "" && gomod != os.DevNull {
		root := filepath.Dir(gomod)
		files = append(files, gomod, filepath.Join(root, "go.sum"), filepath.Join(root, "vendor", "modules.txt"))
	}
	sort.Strings(files)
	return files
}

func hashFile(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "dir", nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Changed returns the first recorded input that differs now, or "" when
// every directory listing and file hash is as recorded. memo may be nil.
func (in *Inputs) Changed(memo *hashMemo) string {
	for _, d := range sortedKeys(boolKeys(in.Dirs)) {
		if h, err := memo.dir(d); err != nil || h != in.Dirs[d] {
			return d
		}
	}
	for _, d := range sortedKeys(boolKeys(in.EmbedDirs)) {
		if h, err := memo.embedDir(d); err != nil || h != in.EmbedDirs[d] {
			return d
		}
	}
	for _, f := range sortedKeys(boolKeys(in.Files)) {
		if sum, err := memo.file(f); err != nil || sum != in.Files[f] {
			return f
		}
	}
	return ""
}

func isUnder(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func boolKeys(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// BuildKey hashes everything about a job that is not a source file: the
// toolchain, the go env settings that change outputs, the target
// environment and flags, and the output name.
func BuildKey(tc *Toolchain, j *Job, extra ...string) string {
	h := sha256.New()
	fmt.Fprintf(h, "goforge build key v1\n%s\n%s\n", tc.Go, j.Package)
	for _, k := range keyEnvKeys {
		fmt.Fprintf(h, "%s=%s\n", k, tc.Env[k])
	}
	for _, part := range [][]string{j.Env, j.Args, {j.File}, extra} {
		fmt.Fprintf(h, "%q\n", part)
	}
	return hex.EncodeToString(h.Sum(nil))
}
