package dockerfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/image"
	"github.com/goforge/goforge/internal/pin"
)

// Request says what to generate for.
type Request struct {
	Dir       string // the user's working directory
	Package   string // the main package (default ".")
	Base      string
	Cgo       bool
	GoVersion string // overrides the project's pin
	Getenv    func(string) string
	// Runner is the go command the program is built with to read its
	// needs (the directory's pin).
	Runner *gocmd.Runner
}

// Project builds the program once for linux on this machine's
// architecture, reads what it needs from its function table, and returns
// the Spec and the module root the files belong in.
func Project(ctx context.Context, req Request) (Spec, string, error) {
	s := Spec{Base: req.Base, Cgo: req.Cgo, GoVersion: strings.TrimPrefix(req.GoVersion, "go")}
	if s.GoVersion == "" {
		v, err := pinnedVersion(req.Dir, req.Getenv)
		if err != nil {
			return s, "", err
		}
		s.GoVersion = v
	}
	s.Name = "app" // checked before the build, replaced after it
	if err := s.Check(); err != nil {
		return s, "", &image.BadInputError{Msg: err.Error()}
	}
	tmp, err := image.TempDir(req.Getenv, "goforge-dockerfile-")
	if err != nil {
		return s, "", err
	}
	defer os.RemoveAll(tmp)
	br, err := image.Build(ctx, image.BuildRequest{
		Dir: req.Dir, Package: req.Package, Targets: []string{"linux/" + runtime.GOARCH},
		Dist: tmp, Version: "dockerfile", Getenv: req.Getenv, Runner: req.Runner,
	})
	if err != nil {
		return s, "", err
	}
	p := br.Programs[0]
	s.Name, s.CACerts, s.Zoneinfo = p.Name, p.Needs.CACerts, p.Needs.Zoneinfo
	if br.ModuleDir == "" {
		return s, "", fmt.Errorf("%s is not in a module: the Dockerfile builds from go.mod", req.Dir)
	}
	rel, err := filepath.Rel(br.ModuleDir, br.PackageDir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return s, "", fmt.Errorf("package %s is outside its module root %s", br.PackageDir, br.ModuleDir)
	}
	s.Package = "./" + filepath.ToSlash(rel)
	if rel == "." {
		s.Package = "."
	}
	_, err = os.Stat(filepath.Join(br.ModuleDir, "go.sum"))
	s.HasGoSum = err == nil
	return s, br.ModuleDir, s.Check()
}

// pinnedVersion is the project's Go version as the builder image's tag:
// the pin (.goenv, .go-version, .tool-versions, go.mod's toolchain or go
// line) without its "go" prefix.
func pinnedVersion(dir string, getenv func(string) string) (string, error) {
	r, err := pin.Find(dir, getenv)
	if err != nil {
		return "", err
	}
	if r.Pin.Kind == pin.KindGlobal || r.Pin.Version == "latest" || r.Pin.Version == "" {
		return "", &image.BadInputError{Msg: "the project pins no Go version (no go.mod go line, .goenv or .go-version): pass --go VERSION"}
	}
	return strings.TrimPrefix(r.Pin.Version, "go"), nil
}
