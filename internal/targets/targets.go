// Package targets lists the GOOS/GOARCH pairs a Go toolchain supports, as
// that toolchain's own 'go tool dist list -json -broken' reports them, so
// the list is never hard-coded for one Go version.
package targets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path"
	"slices"
	"strings"
)

// A Target is one port of the toolchain.
type Target struct {
	GOOS         string `json:"goos"`
	GOARCH       string `json:"goarch"`
	CgoSupported bool   `json:"cgo_supported"`
	FirstClass   bool   `json:"first_class"`
	Broken       bool   `json:"broken"`
}

// String is "goos/goarch".
func (t Target) String() string { return t.GOOS + "/" + t.GOARCH }

// Load runs the go command gobin ("go" or a path) once and returns its
// targets, broken ports included, sorted by GOOS then GOARCH.
func Load(ctx context.Context, gobin string) ([]Target, error) {
	cmd := exec.CommandContext(ctx, gobin, "tool", "dist", "list", "-json", "-broken")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running go tool dist list: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return Parse(out)
}

// Parse decodes the output of 'go tool dist list -json'.
func Parse(data []byte) ([]Target, error) {
	var raw []struct {
		GOOS, GOARCH string
		CgoSupported bool
		FirstClass   bool
		Broken       bool
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decoding go tool dist list output: %w", err)
	}
	ts := make([]Target, 0, len(raw))
	for _, r := range raw {
		ts = append(ts, Target{r.GOOS, r.GOARCH, r.CgoSupported, r.FirstClass, r.Broken})
	}
	slices.SortFunc(ts, func(a, b Target) int {
		return strings.Compare(a.String(), b.String())
	})
	return ts, nil
}

// A Filter selects targets. Zero fields select everything.
type Filter struct {
	// Patterns are "goos/goarch" globs ("linux/*", "*/arm64"), a bare
	// GOOS or GOARCH, or the words "all" and "first-class".
	Patterns   []string
	FirstClass bool
	Cgo        bool
	NoBroken   bool
}

// Apply returns the targets f selects, in order. It is an error for a
// pattern to match nothing.
func (f Filter) Apply(ts []Target) ([]Target, error) {
	var out []Target
	for _, t := range ts {
		if f.FirstClass && !t.FirstClass || f.Cgo && !t.CgoSupported || f.NoBroken && t.Broken {
			continue
		}
		if len(f.Patterns) == 0 || slices.ContainsFunc(f.Patterns, func(p string) bool { return match(p, t) }) {
			out = append(out, t)
		}
	}
	for _, p := range f.Patterns {
		if !slices.ContainsFunc(ts, func(t Target) bool { return match(p, t) }) {
			return nil, fmt.Errorf("target %q matches no target of this toolchain", p)
		}
	}
	return out, nil
}

func match(pat string, t Target) bool {
	switch pat {
	case "all":
		return true
	case "first-class", "firstclass":
		return t.FirstClass
	}
	if !strings.Contains(pat, "/") {
		return globMatch(pat, t.GOOS) || globMatch(pat, t.GOARCH)
	}
	ok, _ := path.Match(pat, t.String())
	return ok
}

func globMatch(pat, s string) bool {
	ok, _ := path.Match(pat, s)
	return ok
}
