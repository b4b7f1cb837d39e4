package platform

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/textdiff"
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

// LevelVar names the variable that sets goarch's level ("GOARM"), or "".
func LevelVar(goarch string) string { return variantVar[goarch] }

// VariantEnv returns the NAME=value setting for t's level, or "".
func (t Target) VariantEnv() string {
	if t.Variant == "" {
		return ""
	}
	return variantVar[t.GOARCH] + "=" + t.Variant
}

// DefaultTargets is the matrix built when neither flags nor a config file
// name one: the common release platforms plus both WebAssembly ports.
// Those the toolchain does not have (wasip1 before Go 1.21) are left out.
var DefaultTargets = []string{
	"linux/amd64", "linux/arm64", "linux/arm", "linux/386", "linux/riscv64",
	"darwin/arm64", "windows/amd64", "js/wasm", "wasip1/wasm",
}

// Grammar is the pattern language of Select, for help texts.
const Grammar = `os/arch[/level] (linux/arm/7), globs (linux/*, */arm64), a bare GOOS or GOARCH (windows, wasm), all, first-class, cgo, host, default`

// Select expands target patterns, separated by commas or spaces:
// "os/arch[/level]", a glob over "os/arch" ("linux/*", "*/arm64"), a bare
// GOOS or GOARCH or a glob over either ("windows", "mips*"), and the
// words "all", "first-class", "cgo" (ports with cgo), "host" and
// "default". Patterns other than an exact "os/arch" never select broken
// ports; an exact one naming a broken port is an error that says so,
// unless withBroken (listing, not building) is set. A pattern that
// matches nothing is an error. The result is sorted and free of
// duplicates.
func (tb *Table) Select(items []string, withBroken bool) ([]Target, error) {
	set := map[Target]bool{}
	for _, item := range SplitList(items) {
		ts, err := tb.expand(item, withBroken)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			set[t] = true
		}
	}
	out := make([]Target, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// pick returns the targets of the ports keep selects (broken ones only
// with withBroken).
func (tb *Table) pick(withBroken bool, keep func(Port) bool) []Target {
	var out []Target
	for _, p := range tb.Ports {
		if (withBroken || !p.Broken) && keep(p) {
			out = append(out, p.Target())
		}
	}
	return out
}

func (tb *Table) expand(item string, withBroken bool) ([]Target, error) {
	switch item {
	case "all":
		return tb.pick(withBroken, func(Port) bool { return true }), nil
	case "first-class", "firstclass":
		return tb.pick(withBroken, func(p Port) bool { return p.FirstClass }), nil
	case "cgo":
		return tb.pick(withBroken, func(p Port) bool { return p.CgoSupported }), nil
	case "host":
		if tb.Host.GOOS == "" {
			return nil, fmt.Errorf("target \"host\": the toolchain did not report its host")
		}
		return []Target{tb.Host}, nil
	case "default":
		known := slices.DeleteFunc(slices.Clone(DefaultTargets), func(s string) bool {
			p, ok := tb.Port(Target{GOOS: strings.Split(s, "/")[0], GOARCH: strings.Split(s, "/")[1]})
			return !ok || p.Broken
		})
		return tb.Select(known, withBroken)
	}
	if !strings.Contains(item, "/") || strings.ContainsAny(item, "*?[") {
		return tb.expandPattern(item, withBroken)
	}
	t, err := tb.parseExact(item, withBroken)
	if err != nil {
		return nil, err
	}
	return []Target{t}, nil
}

// expandPattern expands a glob over "os/arch", or a bare GOOS or GOARCH
// (itself possibly a glob).
func (tb *Table) expandPattern(item string, withBroken bool) ([]Target, error) {
	if _, err := path.Match(item, ""); err != nil {
		return nil, fmt.Errorf("bad target pattern %q: %w", item, err)
	}
	match := func(p Port) bool {
		if strings.Contains(item, "/") {
			ok, _ := path.Match(item, p.String())
			return ok
		}
		a, _ := path.Match(item, p.GOOS)
		b, _ := path.Match(item, p.GOARCH)
		return a || b
	}
	out := tb.pick(withBroken, match)
	if len(out) == 0 {
		if len(tb.pick(true, match)) > 0 {
			return nil, fmt.Errorf("target pattern %q matches only ports marked broken in %s", item, tb.version())
		}
		return nil, fmt.Errorf("target %q matches no target of %s%s", item, tb.version(), tb.suggest(item))
	}
	return out, nil
}

func (tb *Table) version() string {
	if tb.GoVersion == "" {
		return "this toolchain"
	}
	return tb.GoVersion
}

func (tb *Table) parseExact(item string, withBroken bool) (Target, error) {
	parts := strings.Split(item, "/")
	if len(parts) > 3 || parts[0] == "" || parts[1] == "" || len(parts) == 3 && parts[2] == "" {
		return Target{}, fmt.Errorf("bad target %q: want GOOS/GOARCH[/level]%s", item, tb.suggest(item))
	}
	t := Target{GOOS: parts[0], GOARCH: parts[1]}
	if len(parts) == 3 {
		if variantVar[t.GOARCH] == "" {
			return Target{}, fmt.Errorf("bad target %q: %s has no architecture levels", item, t.GOARCH)
		}
		t.Variant = parts[2]
	}
	p, ok := tb.Port(t)
	switch {
	case !ok:
		return Target{}, fmt.Errorf("unknown target %q%s", item, tb.suggest(t.GOOS+"/"+t.GOARCH))
	case p.Broken && !withBroken:
		return Target{}, fmt.Errorf("target %q is a broken port in %s (go tool dist list -broken marks it so); it cannot be built", item, tb.version())
	}
	return t, nil
}

// Exclude removes the targets matching any of the patterns in items:
// globs over "os/arch" (every level of it) or "os/arch/level" (that level
// only). Patterns need not name known ports.
func Exclude(ts []Target, items []string) ([]Target, error) {
	pats := SplitList(items)
	for _, p := range pats {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("bad exclude pattern %q: %w", p, err)
		}
	}
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

// SplitList splits items at commas and white space.
func SplitList(items []string) []string {
	var out []string
	for _, it := range items {
		out = append(out, strings.FieldsFunc(it, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })...)
	}
	return out
}

// suggest lists the known targets closest to s, for error messages.
func (tb *Table) suggest(s string) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, p := range tb.Ports {
		cs = append(cs, cand{p.String(), textdiff.EditDistance(s, p.String())})
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
		names = tb.samePart(s)
	}
	if len(names) == 0 {
		return " (run 'goforge targets' for the list)"
	}
	return " (close: " + strings.Join(names, ", ") + ")"
}

// samePart lists up to 4 ports sharing the GOOS or, failing that, the
// GOARCH of "os/arch" s (freebsd/x86_64: the freebsd ports), for when
// no whole name is close.
func (tb *Table) samePart(s string) []string {
	goos, goarch, _ := strings.Cut(s, "/")
	for _, same := range []func(Port) bool{
		func(p Port) bool { return p.GOOS == goos },
		func(p Port) bool { return p.GOARCH == goarch },
	} {
		var names []string
		for _, p := range tb.Ports {
			if same(p) && len(names) < 4 {
				names = append(names, p.String())
			}
		}
		if len(names) > 0 {
			return names
		}
	}
	return nil
}
