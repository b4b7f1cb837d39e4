package constraint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A Config is one build configuration: a target, cgo on or off, and the
// tags the go command would set for it.
type Config struct {
	GOOS   string
	GOARCH string
	Cgo    bool
	// BuildTags are the user's -tags.
	BuildTags []string
	// ToolTags are the toolchain's tags for this target: goexperiment.*
	// and architecture feature levels (amd64.v1, arm64.v8.0, ...).
	ToolTags []string
	// ReleaseTags are go1.1 ... go1.N.
	ReleaseTags []string

	tags map[string]bool
}

// NewConfig returns the configuration that the go command of version
// goVersion ("go1.26.8") uses for goos/goarch with default GOARM/GOAMD64/...
// levels, the given GOEXPERIMENT setting (may be "") and user tags.
func NewConfig(goVersion, goos, goarch string, cgo bool, goexperiment string, tags []string) (*Config, error) {
	tool, err := ToolTags(goVersion, goos, goarch, goexperiment)
	if err != nil {
		return nil, err
	}
	c := &Config{
		GOOS: goos, GOARCH: goarch, Cgo: cgo,
		BuildTags:   slices.Clone(tags),
		ToolTags:    tool,
		ReleaseTags: ReleaseTags(goVersion),
	}
	c.init()
	return c, nil
}

func (c *Config) init() {
	c.tags = make(map[string]bool)
	for _, list := range [][]string{c.BuildTags, c.ToolTags, c.ReleaseTags} {
		for _, t := range list {
			c.tags[t] = true
		}
	}
}

// String is "goos/goarch cgo=on|off [tags=...]".
func (c *Config) String() string {
	s := c.GOOS + "/" + c.GOARCH + " cgo=" + onOff(c.Cgo)
	if len(c.BuildTags) > 0 {
		s += " tags=" + strings.Join(c.BuildTags, ",")
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// MatchTag reports whether the build tag name is satisfied, with
// go/build's special cases: cgo, GOOS aliases (android satisfies linux,
// illumos satisfies solaris, ios satisfies darwin), unix, the compiler
// name gc, and the old boringcrypto spelling.
func (c *Config) MatchTag(name string) bool {
	if c.tags == nil {
		c.init()
	}
	switch {
	case name == "cgo":
		return c.Cgo
	case name == c.GOOS || name == c.GOARCH || name == "gc":
		return true
	case c.GOOS == "android" && name == "linux",
		c.GOOS == "illumos" && name == "solaris",
		c.GOOS == "ios" && name == "darwin":
		return true
	case name == "unix" && unixOS[c.GOOS]:
		return true
	case name == "boringcrypto":
		name = "goexperiment.boringcrypto"
	}
	return c.tags[name]
}

// ReleaseTags returns go1.1 ... go1.N for goVersion "go1.N[.x]".
func ReleaseTags(goVersion string) []string {
	minor := goMinor(goVersion)
	tags := make([]string, 0, minor)
	for i := 1; i <= minor; i++ {
		tags = append(tags, "go1."+strconv.Itoa(i))
	}
	return tags
}

// goMinor returns N for "go1.N", "go1.N.x", "go1.NrcX"; 0 when unknown.
func goMinor(v string) int {
	v = strings.TrimPrefix(v, "go")
	rest, ok := strings.CutPrefix(v, "1.")
	if !ok {
		return 0
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(rest[:end])
	return n
}

// ToolTags returns the tool tags the go command of goVersion sets for
// goos/goarch at the default architecture levels: goexperiment.X for
// each experiment enabled by default on that target or by goexperiment
// (the GOEXPERIMENT syntax: "x,noy"), then the arch feature tags.
func ToolTags(goVersion, goos, goarch, goexperiment string) ([]string, error) {
	exps := baselineExperiments(goMinor(goVersion), goos, goarch)
	for _, f := range strings.Split(goexperiment, ",") {
		switch {
		case f == "":
		case f == "none":
			clear(exps)
		case f == "regabi" || f == "noregabi":
			on := f == "regabi"
			exps["regabiwrappers"], exps["regabiargs"] = on, on
		case strings.HasPrefix(f, "no"):
			exps[f[2:]] = false
		default:
			exps[f] = true
		}
	}
	var tags []string
	for name, on := range exps {
		if on {
			tags = append(tags, "goexperiment."+name)
		}
	}
	slices.Sort(tags)
	return append(tags, archTags(goos, goarch)...), nil
}

// baselineExperiments is internal/buildcfg's ParseGOEXPERIMENT baseline
// for the go command's minor version. Versions newer than the last one
// known here get the newest rules.
func baselineExperiments(minor int, goos, goarch string) map[string]bool {
	regabi := false
	switch goarch {
	case "amd64", "arm64", "loong64", "ppc64le", "ppc64", "riscv64", "s390x":
		regabi = true
	}
	if minor < 26 && goarch == "s390x" {
		regabi = false
	}
	e := map[string]bool{"regabiwrappers": regabi, "regabiargs": regabi}
	switch {
	case minor >= 26:
		e["dwarf5"] = goos != "darwin" && goos != "ios" && goos != "aix"
		e["randomizedheapbase64"] = true
		e["greenteagc"] = true
	case minor == 25:
		e["dwarf5"] = goos != "darwin" && goos != "ios" && goos != "aix"
		e["randomizedheapbase64"] = true
		e["aliastypeparams"] = true
	case minor == 24:
		e["aliastypeparams"] = true
		e["swissmap"] = true
		e["spinbitmutex"] = true
		e["synchashtriemap"] = true
	case minor == 23:
		e["aliastypeparams"] = false
		e["coverageredesign"] = true
		e["swissmap"] = false
	default:
		e["coverageredesign"] = minor >= 20
	}
	return e
}

// archTags is internal/buildcfg's gogoarchTags at the default levels
// (GOAMD64=v1, GOARM=7, GOARM64=v8.0, GO386=sse2, GOMIPS=hardfloat,
// GOPPC64=power8, GORISCV64=rva20u64).
func archTags(goos, goarch string) []string {
	return ArchTags(goarch, nil)
}

// ArchTags is internal/buildcfg's gogoarchTags: the feature-level tags
// of goarch at the levels in env (GOAMD64, GOARM, GOARM64, GO386,
// GOMIPS, GOMIPS64, GOPPC64, GORISCV64; missing or malformed ones take
// the go command's defaults). Each variable applies only to its own
// architecture, as in the go command.
func ArchTags(goarch string, env map[string]string) []string {
	get := func(k, def string) string {
		if v := env[k]; v != "" {
			return v
		}
		return def
	}
	switch goarch {
	case "386":
		return []string{"386." + get("GO386", "sse2")}
	case "amd64":
		return levelList(goarch+".v", 1, digitAfter(get("GOAMD64", "v1"), "v", 1))
	case "arm":
		v, _, _ := strings.Cut(get("GOARM", "7"), ",")
		return levelList(goarch+".", 5, digitAfter(v, "", 7))
	case "arm64":
		return arm64Tags(get("GOARM64", "v8.0"))
	case "mips", "mipsle":
		return []string{goarch + "." + get("GOMIPS", "hardfloat")}
	case "mips64", "mips64le":
		return []string{goarch + "." + get("GOMIPS64", "hardfloat")}
	case "ppc64", "ppc64le":
		return levelList(goarch+".power", 8, digitAfter(get("GOPPC64", "power8"), "power", 8))
	case "riscv64":
		tags := []string{"riscv64.rva20u64"}
		switch get("GORISCV64", "rva20u64") {
		case "rva23u64":
			tags = append(tags, "riscv64.rva22u64", "riscv64.rva23u64")
		case "rva22u64":
			tags = append(tags, "riscv64.rva22u64")
		}
		return tags
	case "wasm":
		return []string{"wasm.satconv", "wasm.signext"}
	}
	return nil
}

// digitAfter parses the number after prefix in v ("v3" → 3), or def.
func digitAfter(v, prefix string, def int) int {
	n, err := strconv.Atoi(strings.TrimPrefix(v, prefix))
	if err != nil || !strings.HasPrefix(v, prefix) {
		return def
	}
	return n
}

// levelList is prefix+from ... prefix+to.
func levelList(prefix string, from, to int) []string {
	var tags []string
	for i := from; i <= to; i++ {
		tags = append(tags, prefix+strconv.Itoa(i))
	}
	return tags
}

// arm64Tags: arm64.vM.0 ... arm64.vM.m, and for v9.m also v8.0 ... v8.(m+5).
func arm64Tags(level string) []string {
	major, minor, ok := strings.Cut(strings.TrimPrefix(strings.Split(level, ",")[0], "v"), ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if !ok || err1 != nil || err2 != nil || (ma != 8 && ma != 9) {
		ma, mi = 8, 0
	}
	tags := levelList(fmt.Sprintf("arm64.v%d.", ma), 0, mi)
	if ma == 9 {
		tags = append(tags, levelList("arm64.v8.", 0, min(mi+5, 9))...)
	}
	return tags
}

// WithArchLevels returns c with its architecture tags recomputed for
// the levels in env (see ArchTags), e.g. GOAMD64=v3 from 'go env'.
func (c *Config) WithArchLevels(env map[string]string) *Config {
	n := *c
	n.ToolTags = nil
	for _, t := range c.ToolTags {
		if strings.HasPrefix(t, "goexperiment.") {
			n.ToolTags = append(n.ToolTags, t)
		}
	}
	n.ToolTags = append(n.ToolTags, ArchTags(c.GOARCH, env)...)
	n.init()
	return &n
}

// ParseTarget splits "goos/goarch".
func ParseTarget(s string) (goos, goarch string, err error) {
	goos, goarch, ok := strings.Cut(s, "/")
	if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
		return "", "", fmt.Errorf("target %q is not GOOS/GOARCH", s)
	}
	return goos, goarch, nil
}
