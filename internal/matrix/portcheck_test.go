package matrix

import (
	"errors"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/platform"
)

func table(t *testing.T, version, distList string) *platform.Table {
	t.Helper()
	ports, err := platform.Parse([]byte(distList))
	if err != nil {
		t.Fatal(err)
	}
	return &platform.Table{Ports: ports, GoVersion: version, Host: platform.Target{GOOS: "linux", GOARCH: "amd64"}}
}

func TestCheckTargets(t *testing.T) {
	old := Toolchain{Name: "go1.20.14", Version: "go1.20.14", Ports: table(t, "go1.20.14",
		`[{"GOOS":"linux","GOARCH":"amd64"},{"GOOS":"linux","GOARCH":"arm64"},{"GOOS":"js","GOARCH":"wasm"},{"GOOS":"linux","GOARCH":"mips","Broken":true}]`)}
	newer := Toolchain{Name: "go1.23.4", Version: "go1.23.4", Ports: table(t, "go1.23.4",
		`[{"GOOS":"linux","GOARCH":"amd64"},{"GOOS":"linux","GOARCH":"arm64"},{"GOOS":"wasip1","GOARCH":"wasm"},{"GOOS":"linux","GOARCH":"mips","Broken":true}]`)}
	unread := Toolchain{Name: "go1.22.1", Version: "go1.22.1"}
	both := []Toolchain{old, newer}
	for _, tc := range []struct {
		name    string
		tcs     []Toolchain
		targets string
		errHas  string
	}{
		{"all known", both, "linux/amd64,linux/arm64", ""},
		{"known to one toolchain", both, "wasip1/wasm,js/wasm", ""},
		{"typo", both, "linux/amd64,linux/arm64x", `--targets: unknown target "linux/arm64x" (close: linux/arm64`},
		{"second typo", both, "linux/arm64,linux/bogus", `unknown target "linux/bogus"`},
		{"unknown OS", both, "plan9/amd64", `unknown target "plan9/amd64"`},
		{"broken in all", both, "linux/mips", "broken port"},
		{"new port, old toolchain only", []Toolchain{old}, "wasip1/wasm", `unknown target "wasip1/wasm"`},
		{"no table read: nothing to check", []Toolchain{unread}, "linux/bogus", ""},
		{"an unread table does not hide a typo", []Toolchain{unread, newer}, "linux/bogus", "unknown target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets, err := ParseTargets(tc.targets)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckTargets(tc.tcs, targets)
			var bad *BadTargetError
			switch {
			case tc.errHas == "" && err != nil:
				t.Fatalf("CheckTargets: %v", err)
			case tc.errHas != "" && (!errors.As(err, &bad) || !strings.Contains(err.Error(), tc.errHas)):
				t.Fatalf("CheckTargets: err = %v, want a *BadTargetError containing %q", err, tc.errHas)
			}
		})
	}
	if why := lacksPort(old, Target{"wasip1", "wasm"}); why != "go1.20.14 has no port wasip1/wasm" {
		t.Errorf("lacksPort(go1.20, wasip1/wasm) = %q", why)
	}
	if why := lacksPort(newer, Target{"linux", "mips"}); why == "" {
		t.Errorf("lacksPort(broken port) = %q, want a reason", why)
	}
	if why := lacksPort(newer, Target{"wasip1", "wasm"}); why != "" {
		t.Errorf("lacksPort(go1.23, wasip1/wasm) = %q, want none", why)
	}
	if why := lacksPort(unread, Target{"linux", "bogus"}); why != "" {
		t.Errorf("lacksPort(no table) = %q, want none", why)
	}
}

func TestParseTargetsRejectsPatterns(t *testing.T) {
	for _, s := range []string{"linux/*", "*/amd64", "linux/arm[64]", "linux/amd?4", "linux", "linux/arm/7", "/amd64", "linux/"} {
		if ts, err := ParseTargets(s); err == nil {
			t.Errorf("ParseTargets(%q) = %v, want an error", s, ts)
		}
	}
}
