package xbuild

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goforge/goforge/internal/cacheprog"
	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/release"
)

// The output cache. The go command caches compiled packages but links
// every binary again, so a release of ten targets into a new dist
// directory (a fresh CI checkout, a second worktree, a switch back to a
// branch built before) costs ten links even when nothing changed. goforge
// keeps the verified outputs of each job in the user's cache directory,
// keyed by everything that decides them: the job's build key (toolchain,
// go env, target, flags, output name, archive settings) and its inputs
// (the listing and the content hash of every local source file, embedded
// file and extra archive file, and the module versions). A job whose key
// and inputs match an entry takes its binary and archive from there
// ("reused") instead of running go build.
//
// Entries are JSON files under entries/, outputs are content-addressed
// files under blobs/ named by their SHA-256: a new output is hard-linked
// in, a reused one copied out, and hashed on the way, so a file changed in
// place (in the dist directory that shares its inode) is a miss, never a
// wrong release, and editing one dist directory never changes another. The cache is bounded: after a run that stored
// something, the entries used least recently are removed until the blobs
// fit in the limit (GOFORGE_OUTPUT_CACHE_MAX, a size such as 500MiB,
// default 2 GiB), and blobs no entry names go with them.
// GOFORGE_OUTPUT_CACHE=off (or a limit of 0) turns it off;
// --force and --reproducible do not use it.

// outputCacheSchema is written into every entry; others are ignored.
const outputCacheSchema = 1

// defaultOutputCacheMax bounds the blobs of the output cache.
const defaultOutputCacheMax = 2 << 30

type outputCache struct {
	dir string
	max int64
}

// outputEntry is one job's reusable outputs.
type outputEntry struct {
	Schema  int            `json:"schema"`
	Key     string         `json:"key"`
	Result  *Result        `json:"result"`
	Outputs []release.File `json:"outputs"`
}

// openOutputCache returns the output cache in goforge's cache directory
// root, or nil when the environment turns it off or there is no root. A limit that is not
// a size is an error.
func openOutputCache(getenv func(string) string, root string) (*outputCache, error) {
	if v := strings.ToLower(getenv("GOFORGE_OUTPUT_CACHE")); v == "off" || v == "0" || v == "false" {
		return nil, nil
	}
	if root == "" {
		return nil, nil
	}
	max := int64(defaultOutputCacheMax)
	if v := strings.TrimSpace(getenv("GOFORGE_OUTPUT_CACHE_MAX")); v == "0" {
		return nil, nil
	} else if v != "" {
		n, err := cacheprog.ParseSize(v)
		if err != nil {
			return nil, fmt.Errorf("GOFORGE_OUTPUT_CACHE_MAX: %w (0 turns the output cache off)", err)
		}
		max = n
	}
	return &outputCache{dir: filepath.Join(root, "outputs"), max: max}, nil
}

// goforgeCacheDir is $GOFORGE_CACHE, else goforge's directory in the
// user's cache directory, as getenv reports them, else "".
func goforgeCacheDir(getenv func(string) string) string {
	if d := getenv("GOFORGE_CACHE"); d != "" {
		return d
	}
	if d := goenv.UserCacheDir(getenv); d != "" {
		return filepath.Join(d, "goforge")
	}
	return ""
}

// outputKey names the entry of a job with build key key and inputs in.
func outputKey(key string, in *Inputs) string {
	h := sha256.New()
	fmt.Fprintf(h, "goforge outputs v1\n%s\n", key)
	// encoding/json writes map keys sorted: the same inputs hash the same.
	json.NewEncoder(h).Encode(in)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *outputCache) entryPath(key string) string {
	return filepath.Join(c.dir, "entries", key+".json")
}

func (c *outputCache) blobPath(sum string) string {
	return filepath.Join(c.dir, "blobs", sum)
}

// load links the outputs of entry key into dir and returns the recorded
// result, or nil on a miss. A blob that is missing or whose bytes no
// longer hash to its name is a miss, and the entry is dropped.
func (c *outputCache) load(key, dir string) *Result {
	if c == nil {
		return nil
	}
	path := c.entryPath(key)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var e outputEntry
	if json.Unmarshal(data, &e) != nil || e.Schema != outputCacheSchema || e.Key != key || e.Result == nil || len(e.Outputs) == 0 {
		os.Remove(path)
		return nil
	}
	var linked []string
	for _, o := range e.Outputs {
		if !validBlobName(o.SHA256) || filepath.Base(o.Name) != o.Name || o.Name == "." || o.Name == ".." {
			return c.miss(path, linked)
		}
		dst := filepath.Join(dir, o.Name)
		os.Remove(dst)
		linked = append(linked, dst)
		if err := copyVerified(c.blobPath(o.SHA256), dst, o); err != nil {
			if errors.Is(err, errBlobChanged) {
				os.Remove(c.blobPath(o.SHA256))
			}
			return c.miss(path, linked)
		}
	}
	now := time.Now()
	os.Chtimes(path, now, now) // most recently used
	return e.Result
}

func (c *outputCache) miss(entry string, linked []string) *Result {
	os.Remove(entry)
	for _, p := range linked {
		os.Remove(p)
	}
	return nil
}

// errBlobChanged says a blob's bytes are not those its name promises.
var errBlobChanged = errors.New("output cache file changed")

// copyVerified copies blob to dst, checking on the way that its bytes
// are want's. It copies rather than links: a release file edited in place
// must not change another dist directory or the cache.
func copyVerified(blob, dst string, want release.File) error {
	if fi, err := os.Stat(blob); err != nil {
		return err
	} else if fi.Size() != want.Size {
		return errBlobChanged
	}
	h := sha256.New()
	fi, err := copyFile(blob, dst, h)
	if err == nil && (fi.Size() != want.Size || hex.EncodeToString(h.Sum(nil)) != want.SHA256) {
		err = errBlobChanged
	}
	return err
}

func validBlobName(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// store records r and its outputs, which are in dir, as entry key. The
// cache is an optimisation: a failure to store is not the build's.
func (c *outputCache) store(key string, r *Result, dir string) error {
	if c == nil {
		return nil
	}
	e := outputEntry{Schema: outputCacheSchema, Key: key, Result: r}
	for _, f := range []*release.File{r.Binary, r.Archive} {
		if f == nil {
			continue
		}
		if err := c.putBlob(filepath.Join(dir, f.Name), f.SHA256); err != nil {
			return err
		}
		e.Outputs = append(e.Outputs, *f)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.entryPath(key)), 0o755); err != nil {
		return err
	}
	return release.WriteFileAtomic(c.entryPath(key), data, 0o644)
}

// putBlob makes src the blob sum unless it exists: a hard link under a
// temporary name renamed into place, so a concurrent reader sees the
// whole file or none.
func (c *outputCache) putBlob(src, sum string) error {
	if !validBlobName(sum) {
		return fmt.Errorf("bad output hash %q", sum)
	}
	dst := c.blobPath(sum)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp%d-%d", dst, os.Getpid(), blobSeq.Add(1))
	os.Remove(tmp)
	if err := linkOrCopy(src, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// blobSeq numbers the temporary names of one process's new blobs.
var blobSeq atomic.Int64

// trim removes the least recently used entries until the blobs they
// name fit in c.max, then every blob no entry names (older than a minute,
// so a concurrent run's new blob is not taken before its entry is
// written).
func (c *outputCache) trim() {
	if c == nil {
		return
	}
	type entry struct {
		path  string
		used  time.Time
		blobs []string
	}
	var entries []entry
	ents, _ := os.ReadDir(filepath.Join(c.dir, "entries"))
	for _, de := range ents {
		p := filepath.Join(c.dir, "entries", de.Name())
		fi, err := de.Info()
		if err != nil || !strings.HasSuffix(de.Name(), ".json") {
			continue
		}
		var e outputEntry
		if data, err := os.ReadFile(p); err != nil || json.Unmarshal(data, &e) != nil {
			os.Remove(p)
			continue
		}
		en := entry{path: p, used: fi.ModTime()}
		for _, o := range e.Outputs {
			en.blobs = append(en.blobs, o.SHA256)
		}
		entries = append(entries, en)
	}
	sizes := c.blobSizes()
	// Newest first: keep entries while their blobs fit.
	sort.Slice(entries, func(i, k int) bool { return entries[i].used.After(entries[k].used) })
	kept := map[string]bool{}
	var total int64
	for _, e := range entries {
		var add int64
		for _, b := range e.blobs {
			if !kept[b] {
				add += sizes[b]
			}
		}
		if total+add > c.max {
			os.Remove(e.path)
			continue
		}
		total += add
		for _, b := range e.blobs {
			kept[b] = true
		}
	}
	old := time.Now().Add(-time.Minute)
	filepath.WalkDir(filepath.Join(c.dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || kept[d.Name()] {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.ModTime().Before(old) || errors.Is(err, fs.ErrNotExist) {
			os.Remove(p)
		}
		return nil
	})
}

// blobSizes maps each blob to its size.
func (c *outputCache) blobSizes() map[string]int64 {
	sizes := map[string]int64{}
	ents, _ := os.ReadDir(filepath.Join(c.dir, "blobs"))
	for _, de := range ents {
		if fi, err := de.Info(); err == nil && validBlobName(de.Name()) {
			sizes[de.Name()] = fi.Size()
		}
	}
	return sizes
}
