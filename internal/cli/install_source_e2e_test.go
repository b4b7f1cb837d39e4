package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestSourceE2E builds the Go that runs the tests from its own source
// (a copy of its GOROOT), bootstrapped by itself, installs it, builds and
// runs a hello-world with it, and checks it byte for byte against the
// binary distribution. It takes minutes, so it runs only with
// GOFORGE_SOURCE_TEST=1 (scripts/source-e2e.sh, its own CI step).
func TestSourceE2E(t *testing.T) {
	t.Parallel()
	if os.Getenv("GOFORGE_SOURCE_TEST") != "1" {
		t.Skip("the real from-source build takes minutes: set GOFORGE_SOURCE_TEST=1 (scripts/source-e2e.sh)")
	}
	p := ScriptParams(t, "testdata/source_e2e")
	goroot := goEnv(t, "GOROOT")
	data, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err != nil {
		t.Skipf("%s has no VERSION file: not a release to rebuild", goroot)
	}
	version, _, _ := strings.Cut(string(data), "\n")
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		e.Setenv("GOVERSION", strings.TrimSpace(version))
		return setup(e)
	}
	testscript.Run(t, p)
}
