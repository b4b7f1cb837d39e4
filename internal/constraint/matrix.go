package constraint

import (
	"runtime"
	"slices"
	"sync"
)

// A Package is a directory of Go files to evaluate.
type Package struct {
	ImportPath string
	Dir        string
	Files      []*File
}

// A PackageResult is what one configuration compiles of one package.
type PackageResult struct {
	ImportPath string `json:"import_path"`
	Dir        string `json:"dir"`
	// Included are the files the go command compiles (GoFiles+CgoFiles).
	Included []string `json:"included"`
	// Excluded are the other .go files, each with the reason.
	Excluded []Excluded `json:"excluded"`
}

// Empty reports whether the configuration compiles no file of the
// package ("build constraints exclude all Go files").
func (r *PackageResult) Empty() bool { return len(r.Included) == 0 }

// A Result is the outcome of one configuration over all packages.
type Result struct {
	GOOS   string   `json:"goos"`
	GOARCH string   `json:"goarch"`
	Cgo    bool     `json:"cgo"`
	Tags   []string `json:"tags"`
	// Packages lists the packages the go command's pattern matching
	// finds in this configuration (a directory whose files all fail the
	// constraints is not one), in the order given.
	Packages []PackageResult `json:"packages"`
	// Absent are the packages that are not packages in this
	// configuration (no file builds), with why each file is left out.
	Absent []PackageResult `json:"-"`

	config *Config
}

// Config returns the configuration r was computed for.
func (r *Result) Config() *Config { return r.config }

// Evaluate computes, for every configuration, which files of every
// package it compiles. Configurations are evaluated in parallel; the
// files were parsed once, before.
func Evaluate(pkgs []*Package, cfgs []*Config) []Result {
	out := make([]Result, len(cfgs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, c := range cfgs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = evaluate(pkgs, c)
		}()
	}
	wg.Wait()
	return out
}

func evaluate(pkgs []*Package, c *Config) Result {
	r := Result{GOOS: c.GOOS, GOARCH: c.GOARCH, Cgo: c.Cgo,
		Tags: slices.Clone(c.BuildTags), config: c}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	for _, p := range pkgs {
		absent := !c.HasPackage(p.Files) || p.ImportPath == "runtime/cgo" && !c.Cgo
		// (The go command's pattern walk skips runtime/cgo with cgo off.)
		incl, excl := c.Select(p.Files, false)
		pr := PackageResult{ImportPath: p.ImportPath, Dir: p.Dir,
			Included: make([]string, 0, len(incl)), Excluded: excl}
		for _, f := range incl {
			pr.Included = append(pr.Included, f.Name)
		}
		if pr.Excluded == nil {
			pr.Excluded = []Excluded{}
		}
		if absent {
			r.Absent = append(r.Absent, pr)
		} else {
			r.Packages = append(r.Packages, pr)
		}
	}
	return r
}

// A DeadFile is a non-test file that no evaluated configuration compiles.
type DeadFile struct {
	ImportPath string `json:"import_path"`
	File       string `json:"file"`
	// Reasons are the distinct reasons it was left out.
	Reasons []string `json:"reasons"`
}

// DeadFiles lists the non-test .go files of pkgs that no result compiles.
// Files whose names start with _ or . are ignored by design and not listed.
func DeadFiles(pkgs []*Package, results []Result) []DeadFile {
	built := make(map[[2]string]bool)
	reasons := make(map[[2]string][]string)
	for _, r := range results {
		for _, p := range slices.Concat(r.Packages, r.Absent) {
			for _, f := range p.Included {
				built[[2]string{p.ImportPath, f}] = true
			}
			for _, e := range p.Excluded {
				k := [2]string{p.ImportPath, e.File}
				if !slices.Contains(reasons[k], e.Reason) {
					reasons[k] = append(reasons[k], e.Reason)
				}
			}
		}
	}
	var dead []DeadFile
	for _, p := range pkgs {
		for _, f := range p.Files {
			k := [2]string{p.ImportPath, f.Name}
			if built[k] || f.IsTest() || f.Name[0] == '_' || f.Name[0] == '.' {
				continue
			}
			rs := reasons[k]
			if rs == nil {
				rs = []string{"package not built in any configuration"}
			}
			dead = append(dead, DeadFile{ImportPath: p.ImportPath, File: f.Name, Reasons: rs})
		}
	}
	return dead
}
