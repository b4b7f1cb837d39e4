package insight

import (
	"fmt"
	"github.com/goforge/goforge/internal/units"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/goforge/goforge/internal/constraint"
	"github.com/goforge/goforge/internal/platform"
)

// A MatrixRequest is the configurations 'goforge constraints' crosses.
type MatrixRequest struct {
	Targets []platform.Target
	// Cgo is off, on, both or default (the go command's choice per target).
	Cgo string
	// TagSets are the tag sets; none means one set without tags.
	TagSets [][]string
	// Patterns are the packages.
	Patterns []string
}

// Constraints evaluates every configuration of req over the packages.
func (e *Env) Constraints(req MatrixRequest, warn func(string)) (*Matrix, error) {
	cfgs, err := e.configs(req)
	if err != nil {
		return nil, err
	}
	pkgs, err := e.Loader(nil, false, warn).Packages(req.Patterns)
	if err != nil {
		return nil, err
	}
	return newMatrix(pkgs, constraint.Evaluate(pkgs, cfgs)), nil
}

// configs crosses targets, cgo settings and tag sets.
func (env *Env) configs(req MatrixRequest) ([]*constraint.Config, error) {
	sets := req.TagSets
	if len(sets) == 0 {
		sets = [][]string{nil}
	}
	var cfgs []*constraint.Config
	levels := env.ArchLevels()
	for _, t := range req.Targets {
		for _, cgo := range cgoSettings(env, t, req.Cgo) {
			for _, tags := range sets {
				c, err := constraint.NewConfig(env.GOVERSION, t.GOOS, t.GOARCH, cgo, env.GOEXPERIMENT, tags)
				if err != nil {
					return nil, err
				}
				cfgs = append(cfgs, c.WithArchLevels(levels))
			}
		}
	}
	return cfgs, nil
}

// cgoSettings: "default" is the go command's choice for the target: an
// explicit CGO_ENABLED wins, else cgo is on only for the host target when
// 'go env' says it is on (a C compiler was found).
func cgoSettings(env *Env, t platform.Target, mode string) []bool {
	switch mode {
	case "on":
		return []bool{true}
	case "off":
		return []bool{false}
	case "both":
		return []bool{false, true}
	}
	if v := env.Runner.Getenv("CGO_ENABLED"); v == "0" || v == "1" {
		return []bool{v == "1"}
	}
	host := t.GOOS == env.GOHOSTOS && t.GOARCH == env.GOHOSTARCH
	return []bool{host && env.CGO_ENABLED == "1"}
}

// Matrix is the JSON schema of 'goforge constraints --json'.
type Matrix struct {
	Configurations []constraint.Result   `json:"configurations"`
	Empty          []emptyPackage        `json:"empty"`
	DeadFiles      []constraint.DeadFile `json:"dead_files"`

	pkgs []*constraint.Package
}

// emptyPackage is a package that some configurations compile nothing of.
type emptyPackage struct {
	ImportPath     string   `json:"import_path"`
	Configurations []string `json:"configurations"`
}

func newMatrix(pkgs []*constraint.Package, results []constraint.Result) *Matrix {
	m := &Matrix{Configurations: results, pkgs: pkgs, Empty: []emptyPackage{},
		DeadFiles: nonNil(constraint.DeadFiles(pkgs, results))}
	empty := make(map[string][]string)
	for _, r := range results {
		name := r.Config().String()
		got := make(map[string]bool)
		for _, p := range r.Packages {
			got[p.ImportPath] = true
			if p.Empty() {
				empty[p.ImportPath] = append(empty[p.ImportPath], name)
			}
		}
		for _, p := range pkgs {
			if !got[p.ImportPath] {
				empty[p.ImportPath] = append(empty[p.ImportPath], name)
			}
		}
	}
	for _, p := range pkgs {
		if cs := empty[p.ImportPath]; len(cs) > 0 {
			m.Empty = append(m.Empty, emptyPackage{p.ImportPath, cs})
		}
	}
	for i := range m.Configurations {
		m.Configurations[i].Packages = nonNil(m.Configurations[i].Packages)
	}
	return m
}

// Write prints, per package and non-test file, on how many
// configurations the file is compiled and why it is left out elsewhere;
// then the empty packages and dead files.
func (m *Matrix) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	n := len(m.Configurations)
	fmt.Fprintf(tw, "%s: %s\n", units.Count(n, "configuration"), configNames(m.Configurations, 6))
	sums := m.fileSummaries()
	for _, p := range m.pkgs {
		fmt.Fprintf(tw, "\n%s\t(%s)\n", p.ImportPath, p.Dir)
		for _, f := range p.Files {
			if f.IsTest() {
				continue
			}
			s := sums[[2]string{p.ImportPath, f.Name}]
			if s == nil {
				s = &fileSummary{}
			}
			line := fmt.Sprintf("  %s\t%d/%d", f.Name, s.built, n)
			if len(s.order) > 0 {
				var why []string
				for _, r := range s.order {
					why = append(why, exclusion(s.where[r], n, r))
				}
				line += "\t" + strings.Join(why, "; ")
			}
			fmt.Fprintln(tw, line)
		}
	}
	if len(m.Empty) > 0 {
		fmt.Fprintf(tw, "\nEmpty packages (no file compiled):\n")
		for _, e := range m.Empty {
			fmt.Fprintf(tw, "  %s\t%d/%d\t%s\n", e.ImportPath, len(e.Configurations), n, shortList(e.Configurations, 4))
		}
	}
	if len(m.DeadFiles) > 0 {
		fmt.Fprintf(tw, "\nDead files (compiled by no configuration):\n")
		for _, d := range m.DeadFiles {
			fmt.Fprintf(tw, "  %s/%s\t%s\n", d.ImportPath, d.File, strings.Join(d.Reasons, "; "))
		}
	}
	return tw.Flush()
}

// exclusion says which configurations left a file out and why:
// "excluded on windows/amd64 cgo=off by //go:build unix".
func exclusion(where []string, n int, reason string) string {
	if len(where) == n && n > 1 {
		return fmt.Sprintf("excluded on all %d configurations by %s", n, reason)
	}
	return fmt.Sprintf("excluded on %s by %s", shortList(where, 3), reason)
}

// fileSummary is how one file fares over all configurations.
type fileSummary struct {
	built int
	// where names, per reason, the configurations excluding the file
	// for it; order is the reasons in first-seen order.
	where map[string][]string
	order []string
}

// fileSummaries counts, per file, the configurations compiling it and
// the distinct reasons it is excluded elsewhere.
func (m *Matrix) fileSummaries() map[[2]string]*fileSummary {
	sums := make(map[[2]string]*fileSummary)
	get := func(k [2]string) *fileSummary {
		s := sums[k]
		if s == nil {
			s = &fileSummary{where: map[string][]string{}}
			sums[k] = s
		}
		return s
	}
	for _, r := range m.Configurations {
		name := r.Config().String()
		for _, p := range slices.Concat(r.Packages, r.Absent) {
			for _, f := range p.Included {
				get([2]string{p.ImportPath, f}).built++
			}
			for _, e := range p.Excluded {
				s := get([2]string{p.ImportPath, e.File})
				if len(s.where[e.Reason]) == 0 {
					s.order = append(s.order, e.Reason)
				}
				s.where[e.Reason] = append(s.where[e.Reason], name)
			}
		}
	}
	return sums
}

func configNames(rs []constraint.Result, limit int) string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Config().String())
	}
	return shortList(names, limit)
}

func shortList(s []string, limit int) string {
	if len(s) <= limit {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:limit], ", ") + fmt.Sprintf(", ... (%d more)", len(s)-limit)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
