// Package platform is goforge's one table of targets: the ports a Go
// toolchain supports, read from that toolchain's own 'go tool dist list
// -json -broken' (once per toolchain and process), the Target type every
// command uses, and the one pattern grammar that selects targets from the
// table for 'goforge targets', 'goforge build', constraints and
// everything built on them.
package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/goforge/goforge/internal/gocmd"
)

// A Port is one GOOS/GOARCH pair of a toolchain, as dist list reports it.
type Port struct {
	GOOS         string `json:"goos"`
	GOARCH       string `json:"goarch"`
	CgoSupported bool   `json:"cgo_supported"`
	FirstClass   bool   `json:"first_class"`
	Broken       bool   `json:"broken"`
}

// String is "goos/goarch".
func (p Port) String() string { return p.GOOS + "/" + p.GOARCH }

// Target is what the port is built as.
func (p Port) Target() Target { return Target{GOOS: p.GOOS, GOARCH: p.GOARCH} }

// A Table is the ports of one toolchain, sorted by GOOS then GOARCH, and
// the toolchain's host target.
type Table struct {
	Ports     []Port
	Host      Target
	GoVersion string // "go1.26.8"
}

// Port returns the port of t's GOOS/GOARCH.
func (tb *Table) Port(t Target) (Port, bool) {
	for _, p := range tb.Ports {
		if p.GOOS == t.GOOS && p.GOARCH == t.GOARCH {
			return p, true
		}
	}
	return Port{}, false
}

var cache sync.Map // toolchain key → *Table

// Load returns the table of r's toolchain: one 'go env' and one 'go tool
// dist list -json -broken' per toolchain and process. Toolchains older
// than the -broken flag (before Go 1.21) list without it: they leave
// broken ports out.
func Load(ctx context.Context, r *gocmd.Runner) (*Table, error) {
	env, err := r.GoEnv(ctx, "", "GOROOT", "GOVERSION", "GOHOSTOS", "GOHOSTARCH")
	if err != nil {
		return nil, fmt.Errorf("listing targets: %w", err)
	}
	key := r.Go + "\x00" + env["GOROOT"] + "\x00" + env["GOVERSION"]
	if v, ok := cache.Load(key); ok {
		return v.(*Table), nil
	}
	out, err := r.Run(ctx, gocmd.Invocation{Args: []string{"tool", "dist", "list", "-json", "-broken"}})
	var gerr *gocmd.Error
	if errors.As(err, &gerr) && strings.Contains(gerr.Stderr, "-broken") {
		out, err = r.Run(ctx, gocmd.Invocation{Args: []string{"tool", "dist", "list", "-json"}})
	}
	if err != nil {
		return nil, fmt.Errorf("listing targets: %w", err)
	}
	ports, err := Parse(out)
	if err != nil {
		return nil, err
	}
	tb := &Table{Ports: ports, Host: Target{GOOS: env["GOHOSTOS"], GOARCH: env["GOHOSTARCH"]}, GoVersion: env["GOVERSION"]}
	cache.Store(key, tb)
	return tb, nil
}

// Parse decodes the output of 'go tool dist list -json [-broken]'.
func Parse(data []byte) ([]Port, error) {
	var raw []struct {
		GOOS, GOARCH string
		CgoSupported bool
		FirstClass   bool
		Broken       bool
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decoding go tool dist list output: %w", err)
	}
	ps := make([]Port, 0, len(raw))
	for _, r := range raw {
		if r.GOOS == "" || r.GOARCH == "" || strings.ContainsAny(r.GOOS+r.GOARCH, "/ \t\n") {
			return nil, fmt.Errorf("decoding go tool dist list output: bad port %q/%q", r.GOOS, r.GOARCH)
		}
		ps = append(ps, Port{r.GOOS, r.GOARCH, r.CgoSupported, r.FirstClass, r.Broken})
	}
	slices.SortFunc(ps, func(a, b Port) int { return strings.Compare(a.String(), b.String()) })
	return ps, nil
}

// LoadCached is Load with the table kept on disk in dir between runs, so a
// command that only needs the table (a no-op rebuild) starts no go
// command for it. An entry is keyed on the go binary (its resolved path,
// size and modification time) and the GOROOT the runner sets: a new
// toolchain, installed or rebuilt in place, is a new binary. dir "" is
// Load.
func LoadCached(ctx context.Context, r *gocmd.Runner, dir string) (*Table, error) {
	key := diskKey(r)
	if dir == "" || key == "" {
		return Load(ctx, r)
	}
	path := filepath.Join(dir, "platform", key+".json")
	if data, err := os.ReadFile(path); err == nil {
		var tb Table
		if json.Unmarshal(data, &tb) == nil && len(tb.Ports) > 0 && tb.GoVersion != "" && tb.Host.GOOS != "" {
			return &tb, nil
		}
	}
	tb, err := Load(ctx, r)
	if err != nil {
		return nil, err
	}
	if data, err := json.Marshal(tb); err == nil && os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		if f, err := os.CreateTemp(filepath.Dir(path), ".platform*"); err == nil {
			_, werr := f.Write(data)
			if cerr := f.Close(); werr == nil && cerr == nil {
				os.Rename(f.Name(), path)
			}
			os.Remove(f.Name())
		}
	}
	return tb, nil
}

// diskKey names r's go binary for LoadCached, or "" when it cannot be
// read.
func diskKey(r *gocmd.Runner) string {
	p, err := filepath.EvalSymlinks(r.Go)
	if err != nil {
		return ""
	}
	if p, err = filepath.Abs(p); err != nil {
		return ""
	}
	fi, err := os.Stat(p)
	if err != nil {
		return ""
	}
	goroot := os.Getenv("GOROOT")
	if r.Env != nil {
		goroot = gocmd.Getenv(r.Env, "GOROOT")
	}
	h := sha256.Sum256(fmt.Appendf(nil, "goforge platform v1\n%s\n%d %d\n%s\n", p, fi.Size(), fi.ModTime().UnixNano(), goroot))
	return hex.EncodeToString(h[:16])
}
