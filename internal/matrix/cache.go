package matrix

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/xbuild"
)

// A keyer computes result cache keys and loads and stores cached cells.
//
// A cell's result is reused only when it passed and nothing it could see
// changed: the same toolchain (name, version, GOROOT), target, runner,
// flags and packages, every GO* and CGO_* variable, and the same bytes in
// every file of the module tree. That is stricter than the go command's
// own test cache in one way (any file change invalidates) and looser in
// another: files outside the module and other environment variables that
// tests read are not tracked, so such tests want -count=1 (which turns
// the result cache off) or --no-cache.
type keyer struct {
	dir     string // results directory; "" disables the cache
	tree    string // hash of the module tree
	request string // hash of the request's flags and packages
}

func newKeyer(req Request) (*keyer, error) {
	k := &keyer{}
	if req.NoResultCache || req.CacheDir == "" || hasCountFlag(req.TestFlags) {
		return k, nil
	}
	tree, err := hashTree(req.Dir)
	if err != nil {
		return nil, fmt.Errorf("hashing the module tree for the result cache: %w", err)
	}
	k.dir, k.tree = filepath.Join(req.CacheDir, "results"), tree
	h := sha256.New()
	fmt.Fprintf(h, "flags %q\npackages %q\nrerun %d\n", req.TestFlags, req.Packages, req.RerunFails)
	k.request = hex.EncodeToString(h.Sum(nil))
	return k, nil
}

// hasCountFlag reports whether flags ask for -count, which is how users
// tell the go command not to reuse test results.
func hasCountFlag(flags []string) bool {
	for _, f := range flags {
		f = strings.TrimLeft(f, "-")
		if f == "count" || strings.HasPrefix(f, "count=") {
			return true
		}
	}
	return false
}

func (k *keyer) key(tc Toolchain, t Target, env, execArgs []string) string {
	if k.dir == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "goforge matrix result v1\n%s\n%s\n%s\n%s\n%s\n%q\n", k.tree, k.request, tc.Name, tc.Version, tc.GOROOT, execArgs)
	fmt.Fprintf(h, "%s\n", t)
	var vars []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_") {
			vars = append(vars, kv)
		}
	}
	sort.Strings(vars)
	fmt.Fprintf(h, "%q\n", vars)
	return hex.EncodeToString(h.Sum(nil))
}

func (k *keyer) load(key string) (Cell, bool) {
	if key == "" {
		return Cell{}, false
	}
	data, err := os.ReadFile(filepath.Join(k.dir, key+".json"))
	if err != nil {
		return Cell{}, false
	}
	var c Cell
	if json.Unmarshal(data, &c) != nil || c.Status != StatusPass {
		return Cell{}, false
	}
	return c, true
}

// store writes c under key; a cache that cannot be written only costs time.
func (k *keyer) store(key string, c Cell) {
	if key == "" {
		return
	}
	data, err := json.Marshal(c)
	if err != nil || os.MkdirAll(k.dir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(k.dir, "tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(k.dir, key+".json")) != nil {
		os.Remove(tmp.Name())
	}
}

// hashTree hashes the names, modes and contents of every file under dir
// except version control directories.
func hashTree(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if n := d.Name(); path != dir && (n == ".git" || n == ".hg" || n == ".svn") {
				return filepath.SkipDir
			}
			return nil
		}
		fmt.Fprintf(h, "%q %v\n", filepath.ToSlash(rel), d.Type())
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			fmt.Fprintf(h, "-> %q\n", target)
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := io.Copy(h, f)
		fmt.Fprintf(h, "\n%d\n", n)
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Jobs is how many cells run at once by default: one per core, but no
// more than one per 1.5 GB of available memory (a go test of a large
// module links several big test binaries), and at least one.
func Jobs() int {
	n := runtime.NumCPU()
	if avail := xbuild.AvailableMemory(); avail > 0 {
		if m := int(avail / (1536 << 20)); m < n {
			n = m
		}
	}
	return max(n, 1)
}
