package platform

import (
	"slices"
	"strings"
	"testing"
)

var testTable = &Table{
	Host:      Target{GOOS: "linux", GOARCH: "amd64"},
	GoVersion: "go1.99.0",
	Ports: []Port{
		{GOOS: "darwin", GOARCH: "arm64", FirstClass: true, CgoSupported: true},
		{GOOS: "js", GOARCH: "wasm"},
		{GOOS: "linux", GOARCH: "amd64", FirstClass: true, CgoSupported: true},
		{GOOS: "linux", GOARCH: "arm", FirstClass: true},
		{GOOS: "linux", GOARCH: "arm64", FirstClass: true, CgoSupported: true},
		{GOOS: "linux", GOARCH: "riscv64"},
		{GOOS: "linux", GOARCH: "sparc64", CgoSupported: true, Broken: true},
		{GOOS: "plan9", GOARCH: "mips", Broken: true},
		{GOOS: "wasip1", GOARCH: "wasm"},
		{GOOS: "windows", GOARCH: "amd64", FirstClass: true},
		{GOOS: "windows", GOARCH: "arm64"},
	},
}

func names(ts []Target) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.String())
	}
	return strings.Join(s, " ")
}

// TestSelectGrammar runs every form of the grammar in both modes: for
// building (broken ports refused) and for listing (broken ports shown).
// The two accept exactly the same patterns; only an exact name of a
// broken port differs, and building says why.
func TestSelectGrammar(t *testing.T) {
	tests := []struct {
		in          []string
		build, list string // "" with err: rejected
		err         string
	}{
		{in: []string{"linux/arm64,windows/amd64"}, build: "linux/arm64 windows/amd64"},
		{in: []string{"linux/arm64", "linux/arm64 linux/arm/7"}, build: "linux/arm/7 linux/arm64"},
		{in: []string{"linux/amd64/v3"}, build: "linux/amd64/v3"},
		{in: []string{"darwin/arm64/v8"}, build: "darwin/arm64/v8"},
		{in: []string{"linux/*"}, build: "linux/amd64 linux/arm linux/arm64 linux/riscv64",
			list: "linux/amd64 linux/arm linux/arm64 linux/riscv64 linux/sparc64"},
		{in: []string{"*/wasm"}, build: "js/wasm wasip1/wasm"},
		{in: []string{"windows"}, build: "windows/amd64 windows/arm64"},
		{in: []string{"wasm"}, build: "js/wasm wasip1/wasm"},
		{in: []string{"riscv*"}, build: "linux/riscv64"},
		{in: []string{"first-class"}, build: "darwin/arm64 linux/amd64 linux/arm linux/arm64 windows/amd64"},
		{in: []string{"cgo"}, build: "darwin/arm64 linux/amd64 linux/arm64", list: "darwin/arm64 linux/amd64 linux/arm64 linux/sparc64"},
		{in: []string{"host"}, build: "linux/amd64"},
		{in: []string{"default"}, build: "darwin/arm64 js/wasm linux/amd64 linux/arm linux/arm64 linux/riscv64 wasip1/wasm windows/amd64"},
		{in: []string{"all"}, build: "darwin/arm64 js/wasm linux/amd64 linux/arm linux/arm64 linux/riscv64 wasip1/wasm windows/amd64 windows/arm64",
			list: "darwin/arm64 js/wasm linux/amd64 linux/arm linux/arm64 linux/riscv64 linux/sparc64 plan9/mips wasip1/wasm windows/amd64 windows/arm64"},
		{in: []string{"linux/sparc64"}, list: "linux/sparc64", err: `"linux/sparc64" is a broken port in go1.99.0`},
		{in: []string{"plan9"}, list: "plan9/mips", err: `matches only ports marked broken`},
		{in: []string{"linux/amd65"}, err: `unknown target "linux/amd65" (close: linux/amd64, linux/arm64`},
		{in: []string{"nosuchos"}, err: `matches no target`},
		// Nothing close as a whole: the ports of the same GOOS, else GOARCH.
		{in: []string{"windows/x86_64"}, err: `unknown target "windows/x86_64" (close: windows/amd64, windows/arm64)`},
		{in: []string{"haikuos/riscv64"}, err: `unknown target "haikuos/riscv64" (close: linux/riscv64)`},
		{in: []string{"nosuchos/nosucharch"}, err: `unknown target "nosuchos/nosucharch" (run 'goforge targets' for the list)`},
		{in: []string{"solaris/*"}, err: `matches no target`},
		{in: []string{"js/wasm/x/y"}, err: `bad target`},
		{in: []string{"linux/386/sse2"}, err: `unknown target`},
		{in: []string{"darwin/arm64/"}, err: `bad target`},
		{in: []string{"/amd64"}, err: `bad target`},
		{in: []string{"linux/riscv64x/1"}, err: `has no architecture levels`},
		{in: []string{"[/x"}, err: `bad target pattern`},
		{in: []string{"linux/amd64,,  ,"}, build: "linux/amd64"},
	}
	for _, tt := range tests {
		if tt.list == "" && tt.build != "" {
			tt.list = tt.build
		}
		for _, mode := range []struct {
			broken bool
			want   string
		}{{false, tt.build}, {true, tt.list}} {
			got, err := testTable.Select(tt.in, mode.broken)
			if mode.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Select(%q, %v) = %q, %v; want error %q", tt.in, mode.broken, names(got), err, tt.err)
				}
				continue
			}
			if err != nil || names(got) != mode.want {
				t.Errorf("Select(%q, %v) = %q, %v; want %q", tt.in, mode.broken, names(got), err, mode.want)
			}
		}
	}
}

func TestDefaultLeavesOutMissingPorts(t *testing.T) {
	old := &Table{Host: Target{GOOS: "linux", GOARCH: "amd64"}, Ports: []Port{
		{GOOS: "linux", GOARCH: "amd64"}, {GOOS: "js", GOARCH: "wasm"},
	}}
	got, err := old.Select([]string{"default"}, false)
	if err != nil || names(got) != "js/wasm linux/amd64" {
		t.Errorf("default on an old toolchain = %q, %v", names(got), err)
	}
}

func TestExclude(t *testing.T) {
	all, _ := testTable.Select([]string{"all", "linux/arm/7"}, false)
	got, err := Exclude(all, []string{"linux/*,*/wasm", "darwin/arm64", "windows/arm64"})
	if err != nil || names(got) != "windows/amd64" {
		t.Errorf("Exclude = %q, %v", names(got), err)
	}
	got, _ = Exclude(all, []string{"linux/arm/7"})
	if slices.Contains(strings.Fields(names(got)), "linux/arm/7") || !strings.Contains(names(got), "linux/arm ") {
		t.Errorf("excluding a level removed %q", names(got))
	}
	if _, err := Exclude(all, []string{"[x"}); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestParse(t *testing.T) {
	ps, err := Parse([]byte(`[{"GOOS":"linux","GOARCH":"sparc64","CgoSupported":true,"FirstClass":false,"Broken":true},
		{"GOOS":"aix","GOARCH":"ppc64","CgoSupported":true,"FirstClass":false}]`))
	if err != nil || len(ps) != 2 || ps[0].String() != "aix/ppc64" || !ps[1].Broken {
		t.Fatalf("Parse = %+v, %v", ps, err)
	}
	for _, bad := range []string{`{}`, `[{"GOOS":"","GOARCH":"x"}]`, `[{"GOOS":"a/b","GOARCH":"x"}]`, `nonsense`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
