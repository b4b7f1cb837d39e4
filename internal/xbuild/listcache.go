package xbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/release"
)

// The listing cache. Which files a job's output depends on is what
// 'go list -deps' says, and asking costs a go command per target, as much
// as a warm build itself. The answer can only change when the module
// files, the toolchain, the target environment or flags change (all in
// the entry's key), or when a file in one of the listed local package
// directories is added, removed or edited (an edit can add an import):
// each entry records the names, sizes and modification times of those
// directories' source files and is used only while they are unchanged.
// The contents of the files are still hashed on every run (hashListed),
// so the cache decides what to hash, never whether something changed.

// listEntry is one cached listing.
type listEntry struct {
	// Listing is the go list -deps -json output.
	Listing []byte `json:"listing"`
	// Dirs maps each local package directory to its statListing.
	Dirs map[string]string `json:"dirs"`
	// EmbedDirs maps each directory of embedded files to its embedListing.
	EmbedDirs map[string]string `json:"embed_dirs,omitempty"`
}

// listInputs lists j's inputs with the run's go environment, from the
// listing cache when nothing structural changed.
func (b *Builder) listInputs(ctx context.Context, j *Job) (*Inputs, error) {
	env := b.goEnv(j)
	// Entries live in the user's cache directory, so a new dist
	// directory still finds them.
	if b.cacheDir == "" {
		return listInputs(ctx, b.TC, b.Dir, j, env)
	}
	cache := filepath.Join(b.cacheDir, "golist")
	path := filepath.Join(cache, b.listKey(j)+".json")
	if e := readListEntry(path); e != nil && e.fresh(&b.memo) {
		if in, err := hashListed(json.NewDecoder(bytes.NewReader(e.Listing)), b.TC); err == nil {
			return in, nil
		}
	}
	raw, err := goListDeps(ctx, b.TC, b.Dir, j, env)
	if err != nil {
		return nil, err
	}
	in, err := hashListed(json.NewDecoder(bytes.NewReader(raw)), b.TC)
	if err != nil {
		return nil, err
	}
	e := &listEntry{Listing: raw, Dirs: map[string]string{}, EmbedDirs: in.EmbedDirs}
	for d := range in.Dirs {
		if e.Dirs[d], err = b.memo.stat(d); err != nil {
			return in, nil // not cacheable; the listing itself is good
		}
	}
	if data, err := json.Marshal(e); err == nil && os.MkdirAll(cache, 0o755) == nil {
		release.WriteFileAtomic(path, data, 0o644)
	}
	return in, nil
}

func readListEntry(path string) *listEntry {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var e listEntry
	if json.Unmarshal(data, &e) != nil || len(e.Listing) == 0 || e.Dirs == nil {
		return nil
	}
	return &e
}

// fresh reports whether every recorded directory is as it was.
func (e *listEntry) fresh(memo *hashMemo) bool {
	for d, want := range e.Dirs {
		if got, err := memo.stat(d); err != nil || got != want {
			return false
		}
	}
	for d, want := range e.EmbedDirs {
		if got, err := memo.embedDir(d); err != nil || got != want {
			return false
		}
	}
	return true
}

// listKey hashes what the listing depends on besides the package
// directories: the toolchain and its settings, the directory the go
// command runs in, the module and workspace files' contents, the target
// environment and the flags go list sees.
func (b *Builder) listKey(j *Job) string {
	h := sha256.New()
	fmt.Fprintf(h, "goforge go list cache v1\n%s\n%s\n%s\n", b.TC.Go, b.Dir, j.Package)
	for _, k := range []string{"GOROOT", "GOVERSION", "GOFLAGS", "GOEXPERIMENT", "GOMOD", "GOWORK", "GOMODCACHE", "GOPROXY"} {
		fmt.Fprintf(h, "%s=%s\n", k, b.TC.Env[k])
	}
	fmt.Fprintf(h, "%q\n%q\n", j.Env, j.Args)
	for _, f := range moduleFiles(b.TC) {
		sum, _ := b.memo.file(f)
		fmt.Fprintf(h, "%s %s\n", f, sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// statListing hashes the names, sizes and modification times of the
// source files in dir.
func statListing(dir string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, e := range ents {
		if !sourceExts[filepath.Ext(e.Name())] {
			continue
		}
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprintf("%s %d %d", e.Name(), fi.Size(), fi.ModTime().UnixNano()))
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:]), nil
}
