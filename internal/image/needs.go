package image

import (
	"fmt"

	"github.com/goforge/goforge/internal/inspect"
)

// Needs is what a program needs from the file system at run time, read
// from its own function table rather than guessed.
type Needs struct {
	// CACerts is whether the program links crypto/x509, which reads the
	// system's CA bundle to verify certificates.
	CACerts bool `json:"ca_certs"`
	// Zoneinfo is whether the program loads time zones by name
	// (time.LoadLocation) without embedding time/tzdata.
	Zoneinfo bool `json:"zoneinfo"`
	// Modules are the program's main module and dependencies, from its
	// build information, for the SBOM.
	Modules []Module `json:"-"`
	// GoVersion is the toolchain that built the program.
	GoVersion string `json:"-"`
}

// Module is one Go module linked into a program.
type Module struct {
	Path    string
	Version string
	Sum     string
	Main    bool
}

// ReadNeeds opens the Go binary at path and reads what it needs.
func ReadNeeds(path string) (Needs, error) {
	b, err := inspect.Open(path)
	if err != nil {
		return Needs{}, err
	}
	defer b.Close()
	if b.Tab == nil {
		return Needs{}, fmt.Errorf("reading %s: no function table, cannot tell what the program needs", path)
	}
	fns, err := b.Funcs(inspect.FuncFilter{})
	if err != nil {
		return Needs{}, fmt.Errorf("reading the function table of %s: %w", path, err)
	}
	names := make([]string, len(fns))
	for i, f := range fns {
		names[i] = f.Name
	}
	n := NeedsFromFuncs(names)
	if bi := b.Build; bi != nil {
		n.GoVersion = bi.GoVersion
		n.Modules = append(n.Modules, Module{Path: bi.Main.Path, Version: bi.Main.Version, Sum: bi.Main.Sum, Main: true})
		for _, d := range bi.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			n.Modules = append(n.Modules, Module{Path: d.Path, Version: d.Version, Sum: d.Sum})
		}
	}
	return n, nil
}

// NeedsFromFuncs decides from a program's function names. Certificates
// are needed when any crypto/x509 function is linked; zoneinfo when
// time.LoadLocation is linked and no time/tzdata function is (the
// embedded database registers itself from that package's init).
func NeedsFromFuncs(names []string) Needs {
	var n Needs
	var loads, embeds bool
	for _, name := range names {
		switch pkg := inspect.PackageOf(name); {
		case pkg == "crypto/x509":
			n.CACerts = true
		case pkg == "time/tzdata":
			embeds = true
		case name == "time.LoadLocation":
			loads = true
		}
	}
	n.Zoneinfo = loads && !embeds
	return n
}
