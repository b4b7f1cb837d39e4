package xbuild

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/goforge/goforge/internal/cacheprog"
)

// ConfigName is the file goforge build reads from the current directory
// or the main module's root when no --config is given.
const ConfigName = "goforge.toml"

// Config is the [build] part of goforge.toml. Every field is optional;
// command-line flags override it.
type Config struct {
	// Name is the base name of the outputs (default: the package's last
	// path element).
	Name string `toml:"name"`
	// Packages are the main packages to build (default ".").
	Packages []string `toml:"packages"`
	// Targets and Exclude follow --targets and --exclude.
	Targets []string `toml:"targets"`
	Exclude []string `toml:"exclude"`
	// Dist is the output directory (default "dist").
	Dist string `toml:"dist"`
	// Ldflags replaces the default "-s -w" (version stamping is added).
	Ldflags *string `toml:"ldflags"`
	// Flags are more go build flags (default ["-trimpath"]).
	Flags []string `toml:"flags"`
	// Tags are build tags.
	Tags []string `toml:"tags"`
	// Env holds extra NAME=value settings for every build.
	Env []string `toml:"env"`
	// Cgo turns cgo on for every target (default off: static builds).
	Cgo bool `toml:"cgo"`
	// Musl builds linux targets with cgo against musl, statically.
	Musl bool `toml:"musl"`
	// Stamp names the variables -X sets; empty strings turn one off.
	Stamp *StampVars `toml:"stamp"`
	// Archives turns packaging off when false.
	Archives *bool `toml:"archives"`
	// Extra lists more files to put in every archive (default: README*,
	// LICENSE*, COPYING*, NOTICE* found in the package or module root).
	Extra []string `toml:"extra_files"`
	// Cache is the URL of a team build cache (an HTTP cache server):
	// builds run with GOCACHEPROG pointing at 'goforge cacheprog'.
	Cache string `toml:"cache"`
	// Run configures --run.
	Run RunConfig `toml:"run"`
	// Target holds per-target overrides keyed by "os/arch" or
	// "os/arch/level".
	Target map[string]TargetConfig `toml:"target"`

	// dir is the directory of the file; extraAt is where extra_files is
	// written ("goforge.toml:7"), for errors.
	dir, extraAt string
}

// StampVars names the package variables set with -X.
type StampVars struct {
	Version string `toml:"version"`
	Commit  string `toml:"commit"`
	Date    string `toml:"date"`
}

// RunConfig says how --run executes outputs.
type RunConfig struct {
	// Args are the program's arguments (default ["--version"]).
	Args []string `toml:"args"`
	// Expect is a regular expression the output must match (default:
	// the stamped version, when Args is the default).
	Expect string `toml:"expect"`
}

// TargetConfig overrides settings for one target.
type TargetConfig struct {
	// Level sets GOARM, GOAMD64, GOARM64, ... for this target.
	Level   string   `toml:"level"`
	Tags    []string `toml:"tags"`
	Ldflags *string  `toml:"ldflags"`
	Flags   []string `toml:"flags"`
	Env     []string `toml:"env"`
	Cgo     *bool    `toml:"cgo"`
	// CC is the C compiler for cgo builds of this target.
	CC string `toml:"cc"`
}

type configFile struct {
	Build Config `toml:"build"`
}

// LoadConfig reads a goforge.toml. Unknown keys are errors that name the
// file and line, so a typo never silently changes nothing.
func LoadConfig(name string) (*Config, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return ParseConfig(name, data)
}

// ParseConfig parses goforge.toml contents; name is used in errors.
func ParseConfig(name string, data []byte) (*Config, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err == nil {
		// (A syntax error is reported by the decoding below.)
		if err := checkTypes(name, data, raw, reflect.TypeFor[configFile](), nil); err != nil {
			return nil, err
		}
	}
	var f configFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s:%d: %s", name, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		var errs []error
		for _, k := range und {
			errs = append(errs, fmt.Errorf("%s:%d: unknown key %q", name, keyLine(data, k), k.String()))
		}
		return nil, errors.Join(errs...)
	}
	if err := checkConfigPaths(name, data, &f.Build); err != nil {
		return nil, err
	}
	if f.Build.Cache != "" {
		if err := cacheprog.CheckURL(f.Build.Cache); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, keyLine(data, toml.Key{"build", "cache"}), err)
		}
	}
	for k := range f.Build.Target {
		if strings.Count(k, "/") < 1 || strings.Count(k, "/") > 2 {
			return nil, fmt.Errorf("%s:%d: bad target %q in [build.target]: want GOOS/GOARCH[/level]", name, keyLine(data, toml.Key{"build", "target", k}), k)
		}
	}
	return &f.Build, nil
}

// keyLine finds the line on which key is written. The TOML decoder keeps
// key positions to itself, so this walks the file the way TOML nests it:
// a table header sets the prefix, a "name = value" line adds a key.
func keyLine(data []byte, key toml.Key) int {
	want := key.String()
	prefix := ""
	first := 0
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.HasPrefix(line, "[") {
			h := strings.Trim(strings.SplitN(line, "]", 3)[0], "[ ")
			if h2 := strings.SplitN(line, "]]", 2); strings.HasPrefix(line, "[[") {
				h = strings.Trim(h2[0], "[ ")
			}
			prefix = normKey(h)
			if prefix == want || strings.HasPrefix(prefix, want+".") {
				return i + 1
			}
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		full := normKey(k)
		if prefix != "" {
			full = prefix + "." + full
		}
		if full == want {
			return i + 1
		}
		if first == 0 && strings.HasPrefix(want, full+".") {
			first = i + 1
		}
	}
	return first
}

// normKey rewrites a dotted TOML key the way toml.Key.String prints it:
// bare parts as they are, quoted parts quoted only when they need it.
func normKey(k string) string {
	var parts toml.Key
	for _, p := range splitDotted(strings.TrimSpace(k)) {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') {
			p = p[1 : len(p)-1]
		}
		parts = append(parts, p)
	}
	return parts.String()
}

func splitDotted(k string) []string {
	var parts []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	return append(parts, cur.String())
}

// TargetOverride returns the overrides for t: those for "os/arch" merged
// with, and overridden by, those for "os/arch/level".
func (c *Config) TargetOverride(t Target) TargetConfig {
	keys := []string{t.GOOS + "/" + t.GOARCH}
	if t.Variant != "" {
		keys = append(keys, t.String())
	}
	var out TargetConfig
	for _, k := range keys {
		o, ok := c.Target[k]
		if !ok {
			continue
		}
		out.Tags = append(out.Tags, o.Tags...)
		out.Flags = append(out.Flags, o.Flags...)
		out.Env = append(out.Env, o.Env...)
		if o.Level != "" {
			out.Level = o.Level
		}
		if o.Ldflags != nil {
			out.Ldflags = o.Ldflags
		}
		if o.Cgo != nil {
			out.Cgo = o.Cgo
		}
		if o.CC != "" {
			out.CC = o.CC
		}
	}
	return out
}

// OverrideKeys lists the configured per-target keys, sorted, so callers can
// report overrides for targets that are not being built.
func (c *Config) OverrideKeys() []string {
	var ks []string
	for k := range c.Target {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// checkConfigPaths refuses values that would reach outside the project:
// a name that is not one file name, extra_files that are absolute or
// climb out with "..".
func checkConfigPaths(name string, data []byte, c *Config) error {
	if c.Name != "" {
		if err := checkName(c.Name); err != nil {
			return fmt.Errorf("%s:%d: name: %w", name, keyLine(data, toml.Key{"build", "name"}), err)
		}
	}
	c.extraAt = fmt.Sprintf("%s:%d", name, keyLine(data, toml.Key{"build", "extra_files"}))
	for _, e := range c.Extra {
		clean := filepath.Clean(filepath.FromSlash(e))
		if e == "" || filepath.IsAbs(e) || filepath.VolumeName(e) != "" || strings.HasPrefix(e, "/") ||
			clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || strings.ContainsRune(e, 0) {
			return fmt.Errorf("%s: extra_files entry %q is outside the project (name files inside the module, or pass --extra on the command line)", c.extraAt, e)
		}
	}
	return nil
}

// checkName reports whether name can be an output's base name: one file
// name, so the outputs stay inside the dist directory.
func checkName(name string) error {
	switch {
	case name == "." || name == "..":
		return fmt.Errorf("%q is not a file name", name)
	case strings.ContainsAny(name, "/\\\x00") || filepath.Base(name) != name || filepath.VolumeName(name) != "":
		return fmt.Errorf("%q must be a single file name, without a directory", name)
	}
	return nil
}

// checkExtraInside checks that every extra file, with symbolic links
// followed, lies inside root.
func (c *Config) checkExtraInside(root string) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fmt.Errorf("resolving %s: %w", root, err)
	}
	for _, e := range c.Extra {
		p, err := filepath.EvalSymlinks(filepath.Join(c.dir, e))
		if err != nil {
			return fmt.Errorf("%s: extra file %q: %w", c.extraAt, e, err)
		}
		if rel, err := filepath.Rel(realRoot, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return &BadInputError{Msg: fmt.Sprintf("%s: extra_files entry %q resolves to %s, outside the project %s", c.extraAt, e, p, root)}
		}
	}
	return nil
}
