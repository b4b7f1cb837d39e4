package pinenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/toolchain"
)

// SetLocal writes dir's pin ('goforge use --local VERSION'): GO_VERSION
// in .goenv when there is one, else .go-version when there is one, else
// a new .goenv. It returns the file written.
func SetLocal(dir, query string) (string, error) {
	if _, ok := pin.NormalizeQuery(query); !ok {
		return "", fmt.Errorf("%q is not a Go version (want 1.22.5, 1.22 or latest)", query)
	}
	goenvPath := filepath.Join(dir, pin.GoenvName)
	goVersion := filepath.Join(dir, ".go-version")
	var path string
	var data []byte
	switch old, err := os.ReadFile(goenvPath); {
	case err == nil:
		if data, err = pin.SetGoVersion(goenvPath, old, query); err != nil {
			return "", err
		}
		path = goenvPath
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("reading %s: %w", goenvPath, err)
	case fileExists(goVersion):
		path, data = goVersion, []byte(query+"\n")
	default:
		path, data = goenvPath, []byte(`GO_VERSION="`+query+`"`+"\n")
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("writing the pin: %w", err)
	}
	return path, nil
}

// InstalledNote says which installed version satisfies query, or how to
// install one.
func InstalledNote(h *toolchain.Home, query string) string {
	v, _ := pin.NormalizeQuery(query)
	cs, _, err := Candidates(h)
	if err != nil {
		return ""
	}
	if c, ok := pin.Choose(pin.Pin{Query: query, Version: v}, cs); ok {
		return " (" + c.Name + ")"
	}
	return "; it is not installed: run 'goforge install " + query + "'"
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// An InitRequest is 'goforge init': write dir's .goenv pinning Inst and,
// without a go.mod, run 'go mod init Module' with that toolchain.
type InitRequest struct {
	Home    *toolchain.Home
	Dir     string
	Inst    toolchain.Installed
	Version string // as written in the pin
	Module  string
	Force   bool
	Environ []string
	// Out and Err receive go mod init's output.
	Out, Err io.Writer
}

// Init does what req says; it refuses to replace a .goenv without Force.
func Init(ctx context.Context, req InitRequest) error {
	path := filepath.Join(req.Dir, pin.GoenvName)
	if err := os.WriteFile(path, []byte(pin.GoenvTemplate(req.Version)), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fmt.Fprintf(req.Err, "goforge: wrote %s pinning go %s (%s)\n", path, req.Version, req.Inst.Name)
	if fileExists(filepath.Join(req.Dir, "go.mod")) {
		return nil
	}
	r := &gocmd.Runner{Go: filepath.Join(req.Inst.Dir, "bin", "go"), Env: ToolchainEnv(req.Home, req.Inst, req.Environ)}
	inv := gocmd.Invocation{Args: []string{"mod", "init", req.Module}, Dir: req.Dir, Stdout: req.Out, Stderr: req.Err}
	if _, err := r.Run(ctx, inv); err != nil {
		return fmt.Errorf("running go mod init %s: %w", req.Module, err)
	}
	return nil
}

// InitExists says why init refuses, or nil.
func InitExists(dir string, force bool) error {
	path := filepath.Join(dir, pin.GoenvName)
	if fileExists(path) && !force {
		return fmt.Errorf("%s already exists (change its version with 'goforge use --local VERSION', or pass --force)", path)
	}
	return nil
}
