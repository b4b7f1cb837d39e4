package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestBuildBareMachine runs testdata/build_bare/*.txtar with $GOFORGEBIN
// set to the directory holding only the goforge test binary, so a script
// can set PATH to it and see what goforge build does on a machine without
// git, qemu, node or musl-gcc.
func TestBuildBareMachine(t *testing.T) {
	t.Parallel()
	p := ScriptParams(t, "testdata/build_bare")
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := setup(e); err != nil {
			return err
		}
		for _, dir := range filepath.SplitList(e.Getenv("PATH")) {
			if _, err := os.Stat(filepath.Join(dir, "goforge")); err == nil && strings.Contains(dir, "testscript") {
				e.Setenv("GOFORGEBIN", dir)
				return nil
			}
		}
		t.Skip("cannot find the goforge test binary's directory on PATH")
		return nil
	}
	testscript.Run(t, p)
}
