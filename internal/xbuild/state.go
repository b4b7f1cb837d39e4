package xbuild

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"github.com/goforge/goforge/internal/release"
)

// stateDir holds goforge's bookkeeping inside the dist directory: the
// build state and the temporary outputs that are not yet verified.
const stateDir = ".goforge"

// state is dist/.goforge/state.json: for each job, what its outputs were
// built from and what verification found, so an unchanged matrix is not
// built, verified or packaged again.
type state struct {
	Schema int                  `json:"schema"`
	Jobs   map[string]*jobState `json:"jobs"`
}

type jobState struct {
	Key    string  `json:"key"`
	Inputs *Inputs `json:"inputs"`
	// Outputs are the binary and archive with their sizes, hashes and the
	// mtimes they had when goforge wrote them (a stat cache: a file whose
	// size or mtime differs is hashed again before it is trusted).
	Outputs []outputState `json:"outputs"`
	Result  *Result       `json:"result"`
}

type outputState struct {
	release.File
	MtimeNS int64 `json:"mtime_ns"`
}

const stateSchema = 1

func loadState(dist string) *state {
	st := &state{Schema: stateSchema, Jobs: map[string]*jobState{}}
	data, err := os.ReadFile(filepath.Join(dist, stateDir, "state.json"))
	if err != nil {
		return st
	}
	var old state
	if json.Unmarshal(data, &old) != nil || old.Schema != stateSchema || old.Jobs == nil {
		return st
	}
	return &old
}

func (st *state) save(dist string) error {
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	return release.WriteFileAtomic(filepath.Join(dist, stateDir, "state.json"), data, 0o644)
}

// intact reports whether the recorded outputs are still in dist as
// goforge wrote them.
func (js *jobState) intact(dist string) bool {
	for _, o := range js.Outputs {
		p := filepath.Join(dist, o.Name)
		fi, err := os.Stat(p)
		if err != nil || fi.Size() != o.Size {
			return false
		}
		if fi.ModTime().UnixNano() == o.MtimeNS {
			continue
		}
		f, err := release.Describe(p)
		if err != nil || f.SHA256 != o.SHA256 {
			return false
		}
	}
	return true
}

func recordOutput(dist string, f release.File) outputState {
	o := outputState{File: f}
	if fi, err := os.Stat(filepath.Join(dist, f.Name)); err == nil {
		o.MtimeNS = fi.ModTime().UnixNano()
	}
	return o
}

// hashMemo shares file and directory hashes between the jobs of one
// run: most targets of a matrix list the same local packages.
type hashMemo struct{ m sync.Map }

type memoEntry struct {
	sum string
	err error
}

func (h *hashMemo) get(key string, compute func() (string, error)) (string, error) {
	if h == nil {
		return compute()
	}
	if v, ok := h.m.Load(key); ok {
		e := v.(memoEntry)
		return e.sum, e.err
	}
	sum, err := compute()
	h.m.Store(key, memoEntry{sum, err})
	return sum, err
}

func (h *hashMemo) file(name string) (string, error) {
	return h.get("f\x00"+name, func() (string, error) { return hashInput(name) })
}

func (h *hashMemo) embedDir(name string) (string, error) {
	return h.get("e\x00"+name, func() (string, error) { return embedListing(name) })
}

func (h *hashMemo) dir(name string) (string, error) {
	return h.get("d\x00"+name, func() (string, error) {
		_, sum, err := dirListing(name)
		return sum, err
	})
}

func (h *hashMemo) stat(dir string) (string, error) {
	return h.get("s\x00"+dir, func() (string, error) { return statListing(dir) })
}
