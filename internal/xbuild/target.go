package xbuild

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// Target is one GOOS/GOARCH pair, optionally with a micro-architecture
// level (GOARM=7, GOAMD64=v3, GOARM64=v8.2, ...), written
// "linux/arm/7" or "linux/amd64/v3".
type Target struct {
	GOOS    string `json:"goos"`
	GOARCH  string `json:"goarch"`
	Variant string `json:"variant,omitempty"`
}

// String is the target as typed: "linux/amd64" or "linux/arm/7".
func (t Target) String() string {
	s := t.GOOS + "/" + t.GOARCH
	if t.Variant != "" {
		s += "/" + t.Variant
	}
	return s
}

// Slug is the target in file names: "linux_amd64" or "linux_arm_7".
func (t Target) Slug() string { return strings.ReplaceAll(t.String(), "/", "_") }

// variantVar names the environment variable that selects an architecture
// level for each GOARCH that has one.
var variantVar = map[string]string{
	"arm": "GOARM", "amd64": "GOAMD64", "arm64": "GOARM64", "386": "GO386",
	"mips": "GOMIPS", "mipsle": "GOMIPS", "mips64": "GOMIPS64", "mips64le": "GOMIPS64",
	"ppc64": "GOPPC64", "ppc64le": "GOPPC64", "riscv64": "GORISCV64", "wasm": "GOWASM",
}

// VariantEnv returns the NAME=value setting for t's level, or "".
func (t Target) VariantEnv() string {
	if t.Variant == "" {
		return ""
	}
	return variantVar[t.GOARCH] + "=" + t.Variant
}

// DefaultTargets is the matrix built when neither flags nor a config file
// name one: the common release platforms plus both WebAssembly ports, so
// one run shows native, emulated and WebAssembly verification.
var DefaultTargets = []string{
	"linux/amd64", "linux/arm64", "linux/arm", "linux/386", "linux/riscv64",
	"darwin/arm64", "windows/amd64", "js/wasm", "wasip1/wasm",
}

// ParseTargets expands a target list. Items are separated by commas or
// spaces and are "all" (every non-broken port), "first-class",
// "default", "host", "cgo" (ports with cgo), an exact "os/arch[/level]",
// or a pattern with * ("linux/*", "*/arm64"). The result is sorted and
// free of duplicates.
func ParseTargets(items []string, ps []Platform, host Target) ([]Target, error) {
	set := map[Target]bool{}
	for _, item := range splitList(items) {
		ts, err := expandItem(item, ps, host)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			set[t] = true
		}
	}
	return sortedTargets(set), nil
}

// Exclude removes the targets matching any of the patterns in items.
// Patterns follow ParseTargets, except that they need not name known ports.
func Exclude(ts []Target, items []string) ([]Target, error) {
	pats := splitList(items)
	for _, p := range pats {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("bad exclude pattern %q: %w", p, err)
		}
	}
	// A pattern with a level matches that level only; one without matches
	// every level of its GOOS/GOARCH.
	return slices.DeleteFunc(slices.Clone(ts), func(t Target) bool {
		for _, p := range pats {
			name := t.GOOS + "/" + t.GOARCH
			if strings.Count(p, "/") == 2 {
				name = t.String()
			}
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
		return false
	}), nil
}

func splitList(items []string) []string {
	var out []string
	for _, it := range items {
		out = append(out, strings.FieldsFunc(it, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })...)
	}
	return out
}

func sortedTargets(set map[Target]bool) []Target {
	out := make([]Target, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func expandItem(item string, ps []Platform, host Target) ([]Target, error) {
	var out []Target
	pick := func(keep func(Platform) bool) []Target {
		for _, p := range ps {
			if !p.Broken && keep(p) {
				out = append(out, Target{GOOS: p.GOOS, GOARCH: p.GOARCH})
			}
		}
		return out
	}
	switch item {
	case "all":
		return pick(func(Platform) bool { return true }), nil
	case "first-class":
		return pick(func(p Platform) bool { return p.FirstClass }), nil
	case "cgo":
		return pick(func(p Platform) bool { return p.CgoSupported }), nil
	case "host":
		return []Target{host}, nil
	case "default":
		return ParseTargets(DefaultTargets, ps, host)
	}
	if strings.ContainsAny(item, "*?[") {
		if _, err := path.Match(item, ""); err != nil {
			return nil, fmt.Errorf("bad target pattern %q: %w", item, err)
		}
		out = pick(func(p Platform) bool { ok, _ := path.Match(item, p.GOOS+"/"+p.GOARCH); return ok })
		if len(out) == 0 {
			return nil, fmt.Errorf("target pattern %q matches no target", item)
		}
		return out, nil
	}
	t, err := parseExact(item, ps)
	if err != nil {
		return nil, err
	}
	return []Target{t}, nil
}

func parseExact(item string, ps []Platform) (Target, error) {
	parts := strings.Split(item, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return Target{}, fmt.Errorf("bad target %q: want GOOS/GOARCH[/level]%s", item, suggest(item, ps))
	}
	t := Target{GOOS: parts[0], GOARCH: parts[1]}
	if len(parts) == 3 {
		if variantVar[t.GOARCH] == "" {
			return Target{}, fmt.Errorf("bad target %q: %s has no architecture levels", item, t.GOARCH)
		}
		t.Variant = parts[2]
	}
	for _, p := range ps {
		if p.GOOS == t.GOOS && p.GOARCH == t.GOARCH {
			if p.Broken {
				return Target{}, fmt.Errorf("target %q is marked broken in this Go release", item)
			}
			return t, nil
		}
	}
	return Target{}, fmt.Errorf("unknown target %q%s", item, suggest(t.GOOS+"/"+t.GOARCH, ps))
}

// suggest lists the known targets closest to s, for error messages.
func suggest(s string, ps []Platform) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, p := range ps {
		n := p.GOOS + "/" + p.GOARCH
		cs = append(cs, cand{n, editDistance(s, n)})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var names []string
	for _, c := range cs {
		if len(names) == 4 || c.d > max(3, len(s)/3) {
			break
		}
		names = append(names, c.name)
	}
	if len(names) == 0 {
		return " (run 'goforge targets' or 'go tool dist list' for the list)"
	}
	return " (close: " + strings.Join(names, ", ") + ")"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
