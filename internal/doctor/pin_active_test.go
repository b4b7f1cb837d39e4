package doctor

import (
	"errors"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/pin"
)

func TestCheckPinActive(t *testing.T) {
	goenvPin := pin.Pin{Kind: pin.KindGoenv, Query: "1.19", Version: "go1.19", File: "/p/.goenv", Line: 1}
	goLine := pin.Pin{Kind: pin.KindGoLine, Query: "1.19", Version: "go1.19", Minimum: true, File: "/p/go.mod"}
	go119 := pin.Candidate{Name: "go1.19.8", Version: "go1.19.8"}
	pinned := func(p pin.Pin) *PinFacts {
		return &PinFacts{Pin: p, Chosen: go119, ChosenDir: "/h/versions/go1.19.8", Installed: true, Managed: 2,
			Current: "go1.22.0", CurrentDir: "/h/versions/go1.22.0", CurrentBin: "/h/current/bin", Hook: "goforge shell-init bash --install"}
	}
	global := pinned(pin.Pin{Kind: pin.KindGlobal})
	global.Chosen, global.ChosenDir = pin.Candidate{Name: "go1.22.0", Version: "go1.22.0"}, "/h/versions/go1.22.0"
	system := &goenv.GoBinary{Path: "/usr/local/go/bin/go", GOROOT: "/usr/local/go", Version: "go1.26.8"}
	managed := &goenv.GoBinary{Path: "/h/versions/go1.19.8/bin/go", GOROOT: "/h/versions/go1.19.8", Version: "go1.19.8"}
	sameVersion := &goenv.GoBinary{Path: "/usr/lib/go-1.19/bin/go", GOROOT: "/usr/lib/go-1.19", Version: "go1.19.8"}
	tests := []struct {
		name   string
		pf     *PinFacts
		active *goenv.GoBinary
		status string
		want   []string // in the summary, then in the fix
	}{
		{"nil", nil, system, Skip, []string{"not resolved"}},
		{"bad pin", &PinFacts{Err: errors.New("bad")}, system, Skip, []string{"see pin"}},
		{"pin not installed", &PinFacts{Pin: goenvPin, Managed: 1}, system, Skip, []string{"no installed version"}},
		{"no pin, no default", &PinFacts{Pin: pin.Pin{Kind: pin.KindGlobal}}, system, Pass, []string{"/usr/local/go/bin/go (go1.26.8) runs here"}},
		{"no pin, no default, no go", &PinFacts{Pin: pin.Pin{Kind: pin.KindGlobal}}, nil, Skip, []string{"no go on PATH"}},
		{"pin honoured", pinned(goenvPin), managed, Pass, []string{"pins go 1.19, and /h/versions/go1.19.8/bin/go (go1.19.8) runs"}},
		{"same version elsewhere", pinned(goenvPin), sameVersion, Pass, []string{"runs here"}},
		{"pin ignored", pinned(goenvPin), system, Fail, []string{
			"/p/.goenv:1 pins go 1.19, but the go a shell runs here is /usr/local/go/bin/go (go1.26.8), not go1.19.8 (/h/versions/go1.19.8)",
			"goforge shell-init bash --install", "goforge exec go1.19.8 -- go ...", "put /h/versions/go1.19.8/bin first on PATH"}},
		{"pin, no go", pinned(goenvPin), nil, Fail, []string{"runs no go at all", "/h/versions/go1.19.8/bin first"}},
		{"go line ignored", pinned(goLine), system, Warn, []string{"not go1.19.8"}},
		{"global default not on PATH", global, system, Warn, []string{
			"the global default is go1.22.0, but the go a shell runs here is /usr/local/go/bin/go (go1.26.8)", "put /h/current/bin first on PATH"}},
	}
	for _, tt := range tests {
		snap := &goenv.Snapshot{}
		if tt.active != nil {
			snap.PathGos = []goenv.GoBinary{*tt.active}
		}
		r := checkPinActive(&Facts{Pin: tt.pf, Snap: snap})
		if r.ID != "pin-active" || r.Status != tt.status || !strings.Contains(r.Summary, tt.want[0]) {
			t.Errorf("%s: got %+v, want %s containing %q", tt.name, r, tt.status, tt.want[0])
		}
		for _, w := range tt.want[1:] {
			if !strings.Contains(r.Fix, w) {
				t.Errorf("%s: fix %q lacks %q", tt.name, r.Fix, w)
			}
		}
		if (r.Status == Warn || r.Status == Fail) != (r.Fix != "") {
			t.Errorf("%s: a warning or failure needs a fix and only they have one: %+v", tt.name, r)
		}
	}
}

func TestNoGo(t *testing.T) {
	tests := []struct {
		name string
		pf   *PinFacts
		want string
	}{
		{"home unknown", nil, "goforge install latest && goforge use latest"},
		{"default installed", &PinFacts{Pin: pin.Pin{Kind: pin.KindGlobal}, Chosen: pin.Candidate{Name: "go1.22.0"}, Installed: true, Managed: 1,
			Current: "go1.22.0", CurrentBin: "/h/current/bin", Hook: "goforge shell-init zsh --install"},
			"go1.22.0 is installed and the default: load the shell hook ('goforge shell-init zsh --install', then open a new shell) or put /h/current/bin on PATH"},
		{"installed, no default", &PinFacts{Pin: pin.Pin{Kind: pin.KindGlobal}, Managed: 2, CurrentBin: "/h/current/bin", Hook: "h"}, "2 versions installed but no default: 'goforge use VERSION'"},
		{"nothing installed", &PinFacts{Pin: pin.Pin{Kind: pin.KindGlobal}, CurrentBin: "/h/current/bin", Hook: "h"}, "goforge install latest && goforge use latest', then load the shell hook"},
	}
	for _, tt := range tests {
		f := &Facts{Snap: &goenv.Snapshot{GoEnvErr: goenv.ErrNoGo}, Pin: tt.pf,
			Dirs: []DirFacts{{Var: "GOPATH", Path: "/home/u/go", Writable: true, Free: 10 << 30, FreeKnown: true}}}
		rs := Check(f)
		if r := find(rs, "go-on-path"); r.Status != Fail || !strings.Contains(r.Fix, tt.want) {
			t.Errorf("%s: go-on-path %+v, want a failure whose fix has %q", tt.name, r, tt.want)
		}
		for _, id := range []string{"pin", "pin-active", "dir-gopath"} {
			if find(rs, id).ID == "" {
				t.Errorf("%s: no %s check without go: %+v", tt.name, id, rs)
			}
		}
	}
}

func TestHookCommand(t *testing.T) {
	for shell, want := range map[string]string{"/bin/zsh": "zsh", "/usr/bin/fish": "fish", "": "bash", "/bin/sh": "bash", "/usr/local/bin/bash": "bash"} {
		if got := hookCommand(shell); got != "goforge shell-init "+want+" --install" {
			t.Errorf("hookCommand(%q) = %q", shell, got)
		}
	}
}
