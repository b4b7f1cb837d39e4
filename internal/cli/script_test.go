package cli

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "update testscript files whose cmp fails")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// Main, as cmd/goforge runs it: scripts see its signal handling.
		"goforge": func() { os.Exit(Main()) },
		// ptyrun runs a command with stderr on a pseudo-terminal.
		"ptyrun": ptyRun,
	})
}

// TestScripts runs testdata/script/*.txtar: goforge as a user drives it.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, ScriptParams(t, "testdata/script"))
}

// ScriptParams returns the testscript setup shared by goforge's scripts:
// a private HOME, GOPATH and goforge home inside the work directory, no
// network (GOPROXY=off), the real build cache (so scripts that compile do
// not rebuild the standard library each time), and conditions for the
// system tools some scripts need: [tool:NAME] is true when NAME is on
// PATH, [file:PATH] when PATH exists.
func ScriptParams(t *testing.T, dir string) testscript.Params {
	gocache := goEnv(t, "GOCACHE")
	goroot := goEnv(t, "GOROOT")
	return testscript.Params{
		Dir:                 dir,
		UpdateScripts:       *updateScripts,
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			home := filepath.Join(e.WorkDir, "home")
			e.Setenv("HOME", home)
			e.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
			e.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			e.Setenv("GOFORGE_HOME", filepath.Join(e.WorkDir, "goforge-home"))
			e.Setenv("GOPATH", filepath.Join(e.WorkDir, "gopath"))
			e.Setenv("GOMODCACHE", filepath.Join(e.WorkDir, "gopath", "pkg", "mod"))
			e.Setenv("GOCACHE", gocache)
			e.Setenv("GOPROXY", "off")
			e.Setenv("GOSUMDB", "off")
			e.Setenv("GOTOOLCHAIN", "local")
			e.Setenv("GOFLAGS", "")
			e.Setenv("REALGOROOT", goroot)
			e.Values["httpcache"] = &httpCacheSlot{}
			// $GOFORGE_BIN holds only the goforge command, for scripts that
			// need a PATH without go: PATH=$GOFORGE_BIN.
			for _, dir := range filepath.SplitList(e.Getenv("PATH")) {
				if _, err := os.Stat(filepath.Join(dir, "goforge")); err == nil {
					e.Setenv("GOFORGE_BIN", dir)
					break
				}
			}
			return os.MkdirAll(home, 0o755)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"httpcache": cmdHTTPCache},
		Condition: func(cond string) (bool, error) {
			if name, ok := strings.CutPrefix(cond, "tool:"); ok {
				_, err := exec.LookPath(name)
				return err == nil, nil
			}
			if path, ok := strings.CutPrefix(cond, "file:"); ok {
				_, err := os.Stat(path)
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	}
}

func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Skipf("no working go command: %v", err)
	}
	return strings.TrimSpace(string(out))
}
