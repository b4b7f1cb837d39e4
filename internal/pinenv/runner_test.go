package pinenv

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/toolchain"
)

// fakeGOROOT makes a GOROOT whose bin/go reports version v for this
// machine, as 'goforge adopt' asks it.
func fakeGOROOT(t *testing.T, v string) string {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\necho " + v + "; echo " + runtime.GOOS + "; echo " + runtime.GOARCH + "\n"
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "VERSION"), []byte(v+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGoRunnerOrder: the directory's pin, then $GOFORGE_GO, then the
// global default, then PATH; an unsatisfied exact pin is said and
// passed over.
func TestGoRunnerOrder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell for the fake go commands")
	}
	ctx := context.Background()
	h, err := toolchain.OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pinned, global := fakeGOROOT(t, "go1.99.1"), fakeGOROOT(t, "go1.98.0")
	for _, d := range []string{pinned, global} {
		if _, err := h.Adopt(ctx, d, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Use("go1.98.0"); err != nil {
		t.Fatal(err)
	}
	pathGo := fakeGOROOT(t, "go1.97.0")
	proj, other, plain := t.TempDir(), t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(proj, ".go-version"), []byte("1.99.1\n"), 0o644)
	os.WriteFile(filepath.Join(other, ".go-version"), []byte("1.17.13\n"), 0o644)

	tests := []struct {
		name, dir, goforgeGo string
		noGlobal             bool
		want, source, note   string
	}{
		{name: "pin", dir: proj, want: pinned, source: ".go-version"},
		{name: "pin beats GOFORGE_GO", dir: proj, goforgeGo: "/opt/go/bin/go", want: pinned, source: ".go-version"},
		{name: "GOFORGE_GO beats the global default", dir: plain, goforgeGo: "/opt/go/bin/go", want: "/opt/go", source: "$GOFORGE_GO"},
		{name: "global default", dir: plain, want: global, source: "global default"},
		{name: "PATH", dir: plain, noGlobal: true, want: pathGo, source: "PATH"},
		{name: "unsatisfied pin", dir: other, noGlobal: true, want: pathGo, source: "PATH", note: "pins go 1.17.13, which is not installed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := h
			if tt.noGlobal {
				home, _ = toolchain.OpenHomeAt(t.TempDir())
				if tt.dir == other {
					home = h2(t, ctx, pinned)
				}
			}
			env := []string{"PATH=" + filepath.Join(pathGo, "bin")}
			if tt.goforgeGo != "" {
				env = append(env, "GOFORGE_GO="+tt.goforgeGo)
			}
			var notes []string
			r, err := GoRunner(ctx, Request{Home: home, Dir: tt.dir, Notify: func(m string) { notes = append(notes, m) }}, env)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.Go, tt.want+"/") || !strings.Contains(r.Source, tt.source) {
				t.Errorf("go %s (from %s), want %s/... from %s", r.Go, r.Source, tt.want, tt.source)
			}
			if got := strings.Join(notes, "; "); tt.note == "" && got != "" || !strings.Contains(got, tt.note) {
				t.Errorf("notes %q, want %q", got, tt.note)
			}
			if strings.HasPrefix(tt.source, ".go") && gocmd.Getenv(r.Env, "GOROOT") != tt.want {
				t.Errorf("GOROOT=%q in the runner's environment, want %s", gocmd.Getenv(r.Env, "GOROOT"), tt.want)
			}
		})
	}
}

// h2 is a home with only goroot adopted and no global default.
func h2(t *testing.T, ctx context.Context, goroot string) *toolchain.Home {
	h, err := toolchain.OpenHomeAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Adopt(ctx, goroot, ""); err != nil {
		t.Fatal(err)
	}
	return h
}
