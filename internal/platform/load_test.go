package platform

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/gocmd"
)

// oldGo is a fake go command of a release before 'dist list -broken': it
// refuses the flag the way such a go does, and logs each dist call.
const oldGo = `#!/bin/sh
case "$*" in
"env -json GOROOT GOVERSION GOHOSTOS GOHOSTARCH")
	echo '{"GOROOT":"'"$FAKEROOT"'","GOVERSION":"go1.19.8","GOHOSTOS":"linux","GOHOSTARCH":"amd64"}';;
"tool dist list -json -broken")
	echo broken >> "$LOG"; echo "flag provided but not defined: -broken" >&2; exit 2;;
"tool dist list -json")
	echo plain >> "$LOG"; echo '[{"GOOS":"linux","GOARCH":"amd64","CgoSupported":true,"FirstClass":true},{"GOOS":"js","GOARCH":"wasm"}]';;
*) echo "unexpected: $*" >&2; exit 1;;
esac
`

func TestLoadOldToolchainAndCache(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell for the fake go command")
	}
	dir := t.TempDir()
	goPath := filepath.Join(dir, "go")
	if err := os.WriteFile(goPath, []byte(oldGo), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "log")
	r := &gocmd.Runner{Go: goPath, Env: []string{"PATH=" + os.Getenv("PATH"), "LOG=" + log, "FAKEROOT=" + dir}}
	tb, err := Load(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if tb.GoVersion != "go1.19.8" || tb.Host.String() != "linux/amd64" || len(tb.Ports) != 2 || tb.Ports[0].String() != "js/wasm" {
		t.Errorf("table = %+v", tb)
	}
	// default leaves out what go1.19 lacks (wasip1/wasm) instead of failing.
	if ts, err := tb.Select([]string{"default"}, false); err != nil || names(ts) != "js/wasm linux/amd64" {
		t.Errorf("default = %q, %v", names(ts), err)
	}
	if _, err := Load(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(log)
	if got := strings.Fields(string(data)); strings.Join(got, " ") != "broken plain" {
		t.Errorf("dist list calls %q, want one with -broken, one without, then the cache", got)
	}
}
