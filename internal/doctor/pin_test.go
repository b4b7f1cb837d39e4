package doctor

import (
	"errors"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/pin"
)

func TestCheckPin(t *testing.T) {
	goenvPin := pin.Pin{Kind: pin.KindGoenv, Query: "1.19", Version: "go1.19", File: "/p/.goenv", Line: 1}
	tests := []struct {
		name   string
		pf     *PinFacts
		goLine string
		status string
		want   string
	}{
		{"nil", nil, "", Skip, "not resolved"},
		{"bad file", &PinFacts{Err: errors.New("/p/.goenv:3: unknown variable \"X\"")}, "", Warn, "bad pin file: /p/.goenv:3"},
		{"global", &PinFacts{Pin: pin.Pin{Kind: pin.KindGlobal}, Chosen: pin.Candidate{Name: "go1.26.8"}, Installed: true}, "", Pass, "global default is go1.26.8"},
		{"not installed", &PinFacts{Pin: goenvPin, Managed: 1}, "", Warn, "/p/.goenv:1 pins go 1.19, which no installed version satisfies"},
		{"go line, nothing managed", &PinFacts{Pin: pin.Pin{Kind: pin.KindGoLine, Query: "1.22", Version: "go1.22", Minimum: true, File: "/p/go.mod"}}, "1.22", Pass, "goforge manages no versions"},
		{"toolchain newer than installed", &PinFacts{Pin: pin.Pin{Kind: pin.KindToolchain, Query: "go1.99.0", Version: "go1.99.0", File: "/p/go.mod", Line: 3}, Managed: 2}, "1.22", Warn, "pins go 1.99.0, which no installed"},
		{"older than go line", &PinFacts{Pin: goenvPin, Chosen: pin.Candidate{Name: "go1.19.8", Version: "go1.19.8"}, Installed: true}, "1.22", Warn, "older than go 1.22"},
		{"ok", &PinFacts{Pin: goenvPin, Chosen: pin.Candidate{Name: "go1.19.8", Version: "go1.19.8"}, Installed: true}, "1.19", Pass, "pins go 1.19: go1.19.8 is installed"},
	}
	for _, tt := range tests {
		r := checkPin(&Facts{Pin: tt.pf, GoLine: tt.goLine, ModFile: "/p/go.mod"})
		if r.ID != "pin" || r.Status != tt.status || !strings.Contains(r.Summary, tt.want) {
			t.Errorf("%s: got %+v, want %s containing %q", tt.name, r, tt.status, tt.want)
		}
		if (r.Status == Warn) != (r.Fix != "") {
			t.Errorf("%s: a warning needs a fix and only a warning has one: %+v", tt.name, r)
		}
	}
}
