package xbuild

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/release"
)

// storeOne builds a work directory with one output of content and stores
// it as entry key.
func storeOne(t *testing.T, c *outputCache, key, name, content string) *Result {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := release.Describe(p)
	if err != nil {
		t.Fatal(err)
	}
	r := &Result{Target: "linux/amd64", Status: StatusBuilt, Binary: &f, Verified: "ok"}
	if err := c.store(key, r, dir); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOutputCacheRoundTrip(t *testing.T) {
	c := &outputCache{dir: t.TempDir(), max: 1 << 20}
	key := outputKey("k", &Inputs{Files: map[string]string{"a.go": "1"}})
	storeOne(t, c, key, "app", "binary bytes")
	out := t.TempDir()
	r := c.load(key, out)
	if r == nil || r.Binary.Name != "app" {
		t.Fatalf("load = %+v, want the stored result", r)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "app")); string(data) != "binary bytes" {
		t.Fatalf("copied %q", data)
	}
	// The copy is not the blob: editing it leaves the cache whole.
	os.WriteFile(filepath.Join(out, "app"), []byte("edited"), 0o755)
	if c.load(key, t.TempDir()) == nil {
		t.Fatal("editing a reused copy damaged the cache")
	}
	if c.load(outputKey("k", &Inputs{Files: map[string]string{"a.go": "2"}}), t.TempDir()) != nil {
		t.Fatal("other inputs hit")
	}
}

func TestOutputCacheDamage(t *testing.T) {
	for name, damage := range map[string]func(c *outputCache, key string, r *Result){
		"blob edited in place": func(c *outputCache, _ string, r *Result) {
			os.WriteFile(c.blobPath(r.Binary.SHA256), []byte("binary byteX"), 0o755)
		},
		"blob truncated": func(c *outputCache, _ string, r *Result) {
			os.Truncate(c.blobPath(r.Binary.SHA256), 3)
		},
		"blob missing": func(c *outputCache, _ string, r *Result) { os.Remove(c.blobPath(r.Binary.SHA256)) },
		"entry garbage": func(c *outputCache, key string, _ *Result) {
			os.WriteFile(c.entryPath(key), []byte("{\"schema\":1,"), 0o644)
		},
		"entry of another key": func(c *outputCache, key string, _ *Result) {
			data, _ := os.ReadFile(c.entryPath(key))
			os.WriteFile(c.entryPath(key), []byte(string(data[:len(data)-1])+`,"key":"other"}`), 0o644)
		},
		"entry naming a path": func(c *outputCache, key string, r *Result) {
			rewriteEntry(t, c, key, func(e *outputEntry) { e.Outputs[0].Name = "../escape" })
		},
		"entry naming dot-dot": func(c *outputCache, key string, r *Result) {
			rewriteEntry(t, c, key, func(e *outputEntry) { e.Outputs[0].Name = ".." })
		},
		"entry with a bad hash": func(c *outputCache, key string, r *Result) {
			rewriteEntry(t, c, key, func(e *outputEntry) { e.Outputs[0].SHA256 = "../../etc/passwd" })
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := &outputCache{dir: t.TempDir(), max: 1 << 20}
			key := outputKey("k", &Inputs{})
			r := storeOne(t, c, key, "app", "binary bytes")
			damage(c, key, r)
			out := t.TempDir()
			if got := c.load(key, out); got != nil {
				t.Fatalf("load after damage = %+v, want a miss", got)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Fatalf("a miss left %d files in the work directory", len(ents))
			}
			if _, err := os.Stat(c.entryPath(key)); err == nil {
				t.Fatal("the damaged entry is still there")
			}
		})
	}
}

func rewriteEntry(t *testing.T, c *outputCache, key string, edit func(*outputEntry)) {
	t.Helper()
	data, err := os.ReadFile(c.entryPath(key))
	if err != nil {
		t.Fatal(err)
	}
	var e outputEntry
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	edit(&e)
	data, _ = json.Marshal(e)
	os.WriteFile(c.entryPath(key), data, 0o644)
}

// TestOutputCacheTrim: the least recently used entries go first until the
// blobs fit; unreferenced blobs older than a minute go too.
func TestOutputCacheTrim(t *testing.T) {
	c := &outputCache{dir: t.TempDir(), max: 25}
	old := time.Now().Add(-time.Hour)
	for i, k := range []string{"a", "b", "c"} {
		storeOne(t, c, outputKey(k, &Inputs{}), "app", k+"-ten-bytes"[:10])
		at := old.Add(time.Duration(i) * time.Minute)
		os.Chtimes(c.entryPath(outputKey(k, &Inputs{})), at, at)
		filepath.Walk(filepath.Join(c.dir, "blobs"), func(p string, _ os.FileInfo, _ error) error {
			os.Chtimes(p, old, old)
			return nil
		})
	}
	// "a" was used last.
	now := time.Now()
	os.Chtimes(c.entryPath(outputKey("a", &Inputs{})), now, now)
	c.trim()
	for k, want := range map[string]bool{"a": true, "c": true, "b": false} {
		_, err := os.Stat(c.entryPath(outputKey(k, &Inputs{})))
		if (err == nil) != want {
			t.Errorf("entry %s kept = %v, want %v", k, err == nil, want)
		}
	}
	blobs, _ := os.ReadDir(filepath.Join(c.dir, "blobs"))
	if len(blobs) != 2 {
		t.Errorf("%d blobs after trim, want 2", len(blobs))
	}
	if c.load(outputKey("a", &Inputs{}), t.TempDir()) == nil || c.load(outputKey("c", &Inputs{}), t.TempDir()) == nil {
		t.Error("a kept entry does not load")
	}
}

func TestOpenOutputCache(t *testing.T) {
	env := map[string]string{"GOFORGE_CACHE": "/x"}
	getenv := func(k string) string { return env[k] }
	if c, err := openOutputCache(getenv, goforgeCacheDir(getenv)); err != nil || c == nil || c.dir != "/x/outputs" || c.max != defaultOutputCacheMax {
		t.Fatalf("openOutputCache = %+v, %v", c, err)
	}
	env["GOFORGE_OUTPUT_CACHE_MAX"] = "5MiB"
	if c, _ := openOutputCache(getenv, goforgeCacheDir(getenv)); c.max != 5<<20 {
		t.Fatalf("max = %d, want 5 MiB", c.max)
	}
	env["GOFORGE_OUTPUT_CACHE_MAX"] = "lots"
	if _, err := openOutputCache(getenv, goforgeCacheDir(getenv)); err == nil || !strings.Contains(err.Error(), "GOFORGE_OUTPUT_CACHE_MAX") {
		t.Fatalf("a bad limit gives %v", err)
	}
	for _, off := range [][2]string{{"GOFORGE_OUTPUT_CACHE_MAX", "0"}, {"GOFORGE_OUTPUT_CACHE", "off"}} {
		env = map[string]string{"GOFORGE_CACHE": "/x", off[0]: off[1]}
		if c, err := openOutputCache(getenv, goforgeCacheDir(getenv)); c != nil || err != nil {
			t.Fatalf("%s=%s: %+v, %v; want off", off[0], off[1], c, err)
		}
	}
}

// FuzzOutputCacheEntry: whatever bytes an entry file holds, load answers
// a miss or copies exactly the outputs it names, verified, into the work
// directory and nowhere else.
func FuzzOutputCacheEntry(f *testing.F) {
	f.Add([]byte(`{"schema":1,"key":"k","result":{"target":"linux/amd64"},"outputs":[{"name":"app","size":12,"sha256":"x"}]}`))
	f.Add([]byte(`{"schema":1,"key":"k","result":{},"outputs":[{"name":"..","size":0,"sha256":""}]}`))
	f.Add([]byte("{"))
	f.Add([]byte(`{"schema":1,"key":"KEY","result":{"target":"linux/amd64"},"outputs":[{"name":"app","size":12,"sha256":"GOODSUM"}]}`))
	f.Add([]byte(`{"schema":1,"key":"KEY","result":{},"outputs":[{"name":"app","size":12,"sha256":"GOODSUM"},{"name":"app","size":12,"sha256":"GOODSUM"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		c := &outputCache{dir: filepath.Join(root, "cache"), max: 1 << 20}
		key := outputKey("k", &Inputs{})
		good := storeOne(t, c, key, "app", "binary bytes")
		// The fuzzed entry may name the good blob (by its hash) or anything.
		data = []byte(strings.NewReplacer("GOODSUM", good.Binary.SHA256, "KEY", key).Replace(string(data)))
		if err := os.WriteFile(c.entryPath(key), data, 0o644); err != nil {
			t.Fatal(err)
		}
		work := filepath.Join(root, "work")
		os.MkdirAll(work, 0o755)
		r := c.load(key, work)
		ents, _ := os.ReadDir(work)
		if r == nil && len(ents) != 0 {
			t.Fatalf("a miss left %d files", len(ents))
		}
		for _, e := range ents {
			if !e.Type().IsRegular() {
				t.Fatalf("load made %s, not a regular file", e.Name())
			}
		}
		top, _ := os.ReadDir(root)
		if len(top) != 2 {
			t.Fatalf("load wrote outside the work directory: %v", top)
		}
	})
}
