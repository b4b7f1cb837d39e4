package srcexec

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
)

// GoEnv runs the go command goBin ('go env GOROOT GOVERSION') in an
// environment that keeps the user's settings and toolchain switching out,
// and returns the toolchain's GOROOT and version ("go1.26.8").
func GoEnv(ctx context.Context, goBin string) (goroot, version string, err error) {
	r := &gocmd.Runner{Go: goBin, Env: append(withoutGo(os.Environ()), "GOENV=off", "GOFLAGS=")}
	out, err := r.Run(ctx, gocmd.Invocation{Args: []string{"env", "GOROOT", "GOVERSION"}})
	if err != nil {
		return "", "", fmt.Errorf("running %s env: %w", goBin, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return "", "", fmt.Errorf("running %s env: unexpected output %q", goBin, out)
	}
	return strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1]), nil
}

// GoEnvOfRoot is GoEnv for the go command of the GOROOT dir.
func GoEnvOfRoot(ctx context.Context, dir string) (goroot, version string, err error) {
	exe := "go"
	if !Supported {
		exe = "go.exe"
	}
	return GoEnv(ctx, filepath.Join(dir, "bin", exe))
}

// GitHead returns the full commit hash of HEAD in the git checkout dir.
func GitHead(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("reading the commit of %s: %v: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

func withoutGo(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GO") {
			out = append(out, kv)
		}
	}
	return out
}
