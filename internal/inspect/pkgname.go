package inspect

import "strings"

// PackageOf returns the import path of the package a symbol belongs to:
// "github.com/a/b.(*T).M" gives "github.com/a/b". Linker-generated symbols
// give their prefix ("type:", "go:"); the linker's escaping of dots in the
// last path element ("yaml%2ev3") is undone.
func PackageOf(sym string) string {
	if rest, ok := strings.CutPrefix(sym, "type:"); ok {
		return typePackage(rest)
	}
	for _, p := range []string{"type:", "go:", "go.", "type."} {
		if strings.HasPrefix(sym, p) {
			if p == "go." && !strings.HasPrefix(sym, "go.shape") && !strings.Contains(sym[3:], "/") {
				return "go:"
			}
			if p == "type." {
				return "type:"
			}
			if p == "type:" || p == "go:" {
				return p
			}
		}
	}
	name := sym
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	slash := strings.LastIndexByte(name, '/')
	rest := name[slash+1:]
	dot := strings.IndexByte(rest, '.')
	if dot < 0 {
		// Assembly and C symbols without a package ("$f64.3ff0...",
		// "_rt0_amd64_linux", "x_cgo_init").
		return "(no package)"
	}
	return strings.ReplaceAll(name[:slash+1+dot], "%2e", ".")
}

// typePackage attributes a type symbol ("type:*main.T", "type:.eq.main.T")
// to the package that defines the type; unnamed and builtin types, and
// the linker's own tables, stay "type:".
func typePackage(t string) string {
	t = strings.TrimPrefix(t, ".eq.")
	t = strings.TrimLeft(t, "*[]0123456789")
	for _, p := range []string{"map[", "func(", "struct {", "interface {", "chan ", "<-chan ", "."} {
		if strings.HasPrefix(t, p) {
			return "type:"
		}
	}
	if !strings.Contains(t, ".") {
		return "type:"
	}
	if p := PackageOf(t); p != "" && p != "(no package)" && p != "go:" && p != "type:" {
		return p
	}
	return "type:"
}

// Classes of packages.
const (
	ClassStd       = "std"
	ClassMain      = "main"
	ClassDep       = "dependency"
	ClassVendor    = "vendor"
	ClassGenerated = "generated"
)

// modules maps packages to the modules that provide them.
type modules struct {
	main string
	deps []string
}

func (b *Binary) modules() modules {
	var m modules
	if b.Build != nil {
		m.main = b.Build.Main.Path
		for _, d := range b.Build.Deps {
			m.deps = append(m.deps, d.Path)
		}
	}
	return m
}

// classify returns the module and class of pkg.
func (m modules) classify(pkg string) (module, class string) {
	switch {
	case pkg == "type:" || pkg == "go:" || pkg == "(no package)":
		return "", ClassGenerated
	case strings.HasPrefix(pkg, "vendor/"):
		return "std", ClassVendor
	case pkg == "main" || m.main != "" && (pkg == m.main || strings.HasPrefix(pkg, m.main+"/")):
		return m.main, ClassMain
	}
	best := ""
	for _, d := range m.deps {
		if (pkg == d || strings.HasPrefix(pkg, d+"/")) && len(d) > len(best) {
			best = d
		}
	}
	if best != "" {
		return best, ClassDep
	}
	first, _, _ := strings.Cut(pkg, "/")
	if !strings.Contains(first, ".") {
		return "std", ClassStd
	}
	return "", ClassDep
}
