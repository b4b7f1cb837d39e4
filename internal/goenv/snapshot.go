package goenv

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/goforge/goforge/internal/gocmd"
)

// A Snapshot is the Go environment as the go command on PATH sees it from
// one directory, with the origin of every value.
type Snapshot struct {
	Environ  map[string]string // the process environment it was taken in
	PathGos  []GoBinary        // every go on PATH, in order; the first is active
	Values   map[string]string // go env -json, as the go command reports it
	User     EnvFile           // the user's GOENV file
	UserPath string
	UserOK   bool // the GOENV file exists
	Goroot   EnvFile
	GorootOK bool // $GOROOT/go.env exists
	GoEnvErr error
}

// Active returns the go command a shell would run, or nil.
func (s *Snapshot) Active() *GoBinary {
	if len(s.PathGos) == 0 {
		return nil
	}
	return &s.PathGos[0]
}

// EnvironMap splits KEY=VALUE strings; later entries win, as in exec.
func EnvironMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			m[k] = v
		}
	}
	return m
}

// ErrNoGo reports that no go command is on PATH.
var ErrNoGo = errors.New("no go command on PATH")

// Load takes a snapshot of the Go environment for dir under environ. It runs
// the active go command once ('go env -json'), with GOTOOLCHAIN=local so
// that looking never downloads a toolchain; GOTOOLCHAIN itself is then
// reported as the user's settings make it.
func Load(ctx context.Context, environ []string, dir string) (*Snapshot, error) {
	s := &Snapshot{Environ: EnvironMap(environ)}
	getenv := func(k string) string { return s.Environ[k] }
	s.PathGos = FindOnPath(getenv("PATH"))
	s.UserPath = EnvFilePath(getenv)
	var err error
	s.User, s.UserOK, err = readEnvFile(s.UserPath)
	if err != nil {
		return nil, fmt.Errorf("reading GOENV file: %w", err)
	}
	if s.Active() == nil {
		s.GoEnvErr = ErrNoGo
		return s, nil
	}
	s.Values, s.GoEnvErr = runGoEnv(ctx, s.Active().Path, environ, dir)
	if s.GoEnvErr != nil {
		return s, nil
	}
	s.Goroot, s.GorootOK, _ = readEnvFile(filepath.Join(s.Values["GOROOT"], "go.env"))
	s.Values["GOTOOLCHAIN"] = s.Configured("GOTOOLCHAIN")
	return s, nil
}

// Configured reports a variable's value from the user's settings alone:
// environment, GOENV file, $GOROOT/go.env; "" when none sets it.
func (s *Snapshot) Configured(name string) string {
	if v := s.Environ[name]; v != "" {
		return v
	}
	if v, ok := s.User.Values[name]; ok {
		return v
	}
	return s.Goroot.Values[name]
}

func runGoEnv(ctx context.Context, goPath string, environ []string, dir string) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	r := &gocmd.Runner{Go: goPath, Env: environ}
	vals, err := r.GoEnv(ctx, dir)
	var gerr *gocmd.Error
	if errors.As(err, &gerr) {
		return nil, fmt.Errorf("running %s env -json: %w%s", goPath, gerr.Err, stderrText(gerr.Stderr))
	}
	if err != nil {
		return nil, fmt.Errorf("running %s env -json: %w", goPath, err)
	}
	return vals, nil
}

func stderrText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return ": " + s
}

// Origin reports where name's value came from.
func (s *Snapshot) Origin(name string) string {
	return Origin(name, s.Environ, s.User, s.Goroot)
}

// EffectiveGOBIN is where 'go install' puts commands: GOBIN, or the bin
// directory of the first GOPATH entry.
func (s *Snapshot) EffectiveGOBIN() string {
	if v := s.Values["GOBIN"]; v != "" {
		return v
	}
	gopath := filepath.SplitList(s.Values["GOPATH"])
	if len(gopath) == 0 || gopath[0] == "" {
		return ""
	}
	return filepath.Join(gopath[0], "bin")
}

// Names returns the variable names go env reported, sorted.
func (s *Snapshot) Names() []string {
	names := make([]string, 0, len(s.Values))
	for k := range s.Values {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
