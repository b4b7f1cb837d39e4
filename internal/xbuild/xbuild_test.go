package xbuild

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/gocmd"
)

func TestParseConfig(t *testing.T) {
	good := `# settings
[build]
name = "app"
targets = ["linux/amd64", "linux/arm"]
ldflags = "-s"
stamp = { version = "main.Version", commit = "", date = "" }

[build.run]
args = ["version"]

[build.target."linux/arm"]
level = "6"
cgo = true
cc = "arm-linux-gnueabihf-gcc"
`
	c, err := ParseConfig("goforge.toml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "app" || *c.Ldflags != "-s" || c.Stamp.Version != "main.Version" || c.Run.Args[0] != "version" {
		t.Errorf("parsed %+v", c)
	}
	ov := c.TargetOverride(Target{GOOS: "linux", GOARCH: "arm", Variant: "7"})
	if ov.Level != "6" || ov.Cgo == nil || !*ov.Cgo || ov.CC != "arm-linux-gnueabihf-gcc" {
		t.Errorf("override %+v", ov)
	}
	bad := []struct{ text, err string }{
		{"[build]\nname = \"x\"\nnmae = \"y\"\n", `goforge.toml:3: unknown key "build.nmae"`},
		{"[build]\n\n[build.target.\"linux/arm\"]\nlevel = \"7\"\nlevle = \"6\"\n", `goforge.toml:5: unknown key "build.target.\"linux/arm\".levle"`},
		{"[biuld]\nname = \"x\"\n", `goforge.toml:1: unknown key "biuld"`},
		{"[build]\nname = \n", `goforge.toml:2:`},
		{"[build]\nname = \"x\"\ntargets = \"linux/amd64\"\n",
			`goforge.toml:3: build.targets wants a list of strings, even for one (targets = ["linux/amd64"]), not a string ("linux/amd64")`},
		// target (per-target overrides) given where targets was meant.
		{"[build]\n# typo\ntarget = \"linux/arm64\"\n",
			`goforge.toml:3: build.target is the table of per-target overrides ([build.target."os/arch"]), not a string ("linux/arm64"): to choose what to build, write targets = ["linux/arm64"]`},
		{"[build]\ntarget = [\"linux/arm64\", \"linux/amd64\"]\n", `goforge.toml:2: build.target is the table of per-target overrides ([build.target."os/arch"]), not a list: to choose what to build, write targets = ["linux/arm64", "linux/amd64"]`},
		{"build.target = 3\n", `goforge.toml:1: build.target is the table of per-target overrides ([build.target."os/arch"]), not a number: to choose what to build, write targets = ["..."]`},
		{"[build.target]\n\"linux/amd64\" = \"v2\"\n", `goforge.toml:2: build.target."linux/amd64" wants a table ([build.target."linux/amd64"]), not a string ("v2")`},
		{"[build.target.\"linux/arm\"]\nlevel = 7\n", `goforge.toml:2: build.target."linux/arm".level wants a string (level = "..."), not a number`},
		{"[build]\ntags = [\"a\", 1]\n", `goforge.toml:2: build.tags wants a list of strings, even for one (tags = ["a"]), not a list holding a number`},
		{"[build]\ncgo = \"yes\"\n", `goforge.toml:2: build.cgo wants true or false (cgo = true), not a string ("yes")`},
		{"[build]\nname = \"x\"\n[build.run]\nargs = \"--version\"\n", `goforge.toml:4: build.run.args wants a list of strings, even for one (args = ["--version"]), not a string ("--version")`},
		{"build = \"x\"\n", `goforge.toml:1: build wants a table ([build]), not a string ("x")`},
		{"[build.target.linux]\nlevel = \"1\"\n", `goforge.toml:1: bad target "linux"`},
		{"build.cgo = true\nbuild.tgas = [\"x\"]\n", `goforge.toml:2: unknown key "build.tgas"`},
	}
	for _, tt := range bad {
		_, err := ParseConfig("goforge.toml", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseConfig(%q) error %v, want %q", tt.text, err, tt.err)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("[build]\nname = \"x\"\ntargets = [\"linux/amd64\"]\n[build.target.\"linux/arm\"]\nlevel = \"7\"\n"))
	f.Add([]byte("[build]\nnmae = 1\n"))
	f.Add([]byte("a.'b.c'.\"d\" = 1\n[[x]]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig("f.toml", b)
		if err == nil && c == nil {
			t.Fatal("nil config without error")
		}
	})
}

func TestPlan(t *testing.T) {
	o := &Options{
		Targets: []Target{{GOOS: "linux", GOARCH: "arm", Variant: "7"}, {GOOS: "windows", GOARCH: "amd64"}, {GOOS: "linux", GOARCH: "amd64"}},
		Ldflags: "-s -w", Flags: []string{"-trimpath"}, Tags: []string{"netgo"}, Stamp: DefaultStampVars,
		Config: &Config{Target: map[string]TargetConfig{"windows/amd64": {Tags: []string{"win"}, Env: []string{"GOAMD64=v2"}}}},
	}
	stamp := Stamp{Version: "v1.2.3", Commit: "abc", Date: "2023-11-14T22:13:20Z"}
	noCC := func(Target, string) string { return "" }
	jobs, err := Plan(o, []MainPackage{{ImportPath: "example.com/cmd/app"}}, stamp, noCC)
	if err != nil {
		t.Fatal(err)
	}
	arm := jobs[0]
	if arm.File != "app_v1.2.3_linux_arm_7" || !arm.Static || arm.Cgo {
		t.Errorf("arm job %+v", arm)
	}
	if want := []string{"GOOS=linux", "GOARCH=arm", "CGO_ENABLED=0", "GOARM=7"}; !reflect.DeepEqual(arm.Env, want) {
		t.Errorf("arm env %q, want %q", arm.Env, want)
	}
	wantArgs := []string{"-trimpath", "-ldflags=-s -w -X main.version=v1.2.3 -X main.commit=abc -X main.date=2023-11-14T22:13:20Z", "-tags=netgo"}
	if !reflect.DeepEqual(arm.Args, wantArgs) {
		t.Errorf("arm args %q, want %q", arm.Args, wantArgs)
	}
	win := jobs[1]
	if win.File != "app_v1.2.3_windows_amd64.exe" || win.Static || !slices.Contains(win.Env, "GOAMD64=v2") || win.Args[2] != "-tags=netgo,win" {
		t.Errorf("windows job %+v", win)
	}
	// cgo for a foreign target without a C compiler is refused up front.
	o.Cgo = true
	if _, err := Plan(o, []MainPackage{{ImportPath: "x/app"}}, stamp, noCC); err == nil || !strings.Contains(err.Error(), "cgo needs a C cross compiler for linux/arm/7") {
		t.Errorf("cgo without CC: %v", err)
	}
	// --musl uses musl-gcc and links statically.
	o.Cgo, o.Musl, o.Targets = false, true, []Target{{GOOS: "linux", GOARCH: "amd64"}}
	musl := func(_ Target, name string) string { return name }
	jobs, err = Plan(o, []MainPackage{{ImportPath: "x/app"}}, stamp, musl)
	if err != nil || !slices.Contains(jobs[0].Env, "CC=musl-gcc") || !strings.Contains(jobs[0].Args[1], "-linkmode external -extldflags -static") || !jobs[0].Static {
		t.Errorf("musl job %+v, %v", jobs, err)
	}
}

func TestParseFlagSet(t *testing.T) {
	tests := []struct {
		in   string
		want FlagSet
	}{
		{"small=-ldflags='-s -w' -trimpath", FlagSet{Name: "small", Flags: []string{"-ldflags=-s -w", "-trimpath"}}},
		{"-gcflags=all=-l", FlagSet{Name: "-gcflags=all=-l", Flags: []string{"-gcflags=all=-l"}}},
		{"v3=GOAMD64=v3 -trimpath", FlagSet{Name: "v3", Flags: []string{"-trimpath"}, Env: []string{"GOAMD64=v3"}}},
		{"GOAMD64=v2", FlagSet{Name: "GOAMD64=v2", Env: []string{"GOAMD64=v2"}}},
		// The help's example, quoted as a user types it in a shell.
		{`small=-ldflags="-s -w" -trimpath`, FlagSet{Name: "small", Flags: []string{"-ldflags=-s -w", "-trimpath"}}},
		{`x=-ldflags="-X 'main.v=a b'" -gcflags=all=-l`, FlagSet{Name: "x", Flags: []string{"-ldflags=-X 'main.v=a b'", "-gcflags=all=-l"}}},
		{"t=-ldflags=-s -trimpath -a", FlagSet{Name: "t", Flags: []string{"-ldflags=-s", "-trimpath", "-a"}}},
		{"tab=-trimpath\t-a", FlagSet{Name: "tab", Flags: []string{"-trimpath", "-a"}}},
	}
	for _, tt := range tests {
		got, err := ParseFlagSet(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFlagSet(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseFlagSet("x=-ldflags='-s"); err == nil {
		t.Error("unclosed quote accepted")
	}
	// A value with a space left unquoted: the error says how to quote it.
	for in, want := range map[string]string{
		"small=-ldflags=-s -w -trimpath":        `-w is not a go build flag; quote a value with spaces: -ldflags="-s -w"`,
		"g=-gcflags=all=-N -l":                  `-l is not a go build flag; quote a value with spaces: -gcflags="all=-N -l"`,
		"q=-ldflags='-s -w' -w":                 "",
		"other=-trimpath -nosuch":               "",
		"bare=-asmflags=-I dir -buildvcs=false": "",
	} {
		_, err := ParseFlagSet(in)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("ParseFlagSet(%q) error %v; want %q", in, err, want)
		}
	}
}

func TestWorkers(t *testing.T) {
	for _, tt := range []struct {
		cores int
		mem   int64
		want  int
	}{{2, 24 << 30, 2}, {16, 4 << 30, 4}, {8, 0, 8}, {0, 0, 1}, {4, 100 << 20, 1}} {
		if got := Workers(tt.cores, tt.mem); got != tt.want {
			t.Errorf("Workers(%d, %d) = %d, want %d", tt.cores, tt.mem, got, tt.want)
		}
	}
}

// TestInputsKeyOnContent checks the no-op rule against the real go list:
// an unchanged tree is unchanged even with new mtimes, a content edit or a
// new file in a package directory is a change, and an edit outside the
// packages' directories is not.
func TestInputsKeyOnContent(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs go")
	}
	dir := t.TempDir()
	write := func(name, s string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\ngo 1.22\n")
	write("main.go", "package main\nimport _ \"example.com/m/lib\"\nfunc main() {}\n")
	write("lib/lib.go", "package lib\n")
	write("lib/embed.go", "package lib\nimport \"embed\"\n//go:embed static\nvar F embed.FS\n")
	write("lib/static/a.txt", "a\n")
	write("docs/notes.txt", "notes\n")
	ctx := context.Background()
	tc, err := LoadToolchain(ctx, &gocmd.Runner{Go: goCmd}, dir)
	if err != nil {
		t.Fatal(err)
	}
	j := &Job{Package: ".", Env: []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}}
	in, err := ListInputs(ctx, tc, dir, j)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Dirs) != 2 || in.Files[filepath.Join(dir, "go.mod")] == "" {
		t.Fatalf("inputs %+v", in)
	}
	steps := []struct {
		do      func()
		changed string
	}{
		{func() { write("lib/lib.go", "package lib\n") }, ""}, // same bytes, new mtime
		{func() { write("lib/static/a.txt", "a\n") }, ""},
		{func() { write("docs/notes.txt", "more\n") }, ""}, // not an input
		{func() { write("lib/README.md", "hi\n") }, ""},    // not a source file
		{func() { write("lib/static/b.txt", "b\n") }, "lib/static"},
		{func() { write("lib/lib.go", "package lib\n// edit\n") }, "lib/lib.go"},
		{func() { write("lib/lib_windows.go", "package lib\n") }, "lib"},
		{func() { write("go.mod", "module example.com/m\ngo 1.23\n") }, "go.mod"},
	}
	for i, s := range steps {
		s.do()
		got := in.Changed(&hashMemo{})
		if want := s.changed; (want == "") != (got == "") || want != "" && !strings.HasSuffix(got, filepath.FromSlash(want)) {
			t.Errorf("step %d: Changed() = %q, want %q", i, got, want)
		}
		if got != "" {
			if in, err = ListInputs(ctx, tc, dir, j); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestBuildKeyCoversFlagsAndEnv(t *testing.T) {
	tc := &Toolchain{Runner: &gocmd.Runner{Go: "go"}, Env: map[string]string{"GOVERSION": "go1.26.8", "GOROOT": "/go"}}
	base := &Job{Package: "p", Env: []string{"GOOS=linux"}, Args: []string{"-trimpath"}, File: "f"}
	k := BuildKey(tc, base)
	variants := []*Job{
		{Package: "p", Env: []string{"GOOS=linux", "GOARM=7"}, Args: []string{"-trimpath"}, File: "f"},
		{Package: "p", Env: []string{"GOOS=linux"}, Args: []string{"-trimpath", "-tags=x"}, File: "f"},
		{Package: "q", Env: []string{"GOOS=linux"}, Args: []string{"-trimpath"}, File: "f"},
	}
	for _, v := range variants {
		if BuildKey(tc, v) == k {
			t.Errorf("job %+v has the same key as %+v", v, base)
		}
	}
	tc2 := &Toolchain{Runner: &gocmd.Runner{Go: "go"}, Env: map[string]string{"GOVERSION": "go1.26.9", "GOROOT": "/go"}}
	if BuildKey(tc2, base) == k {
		t.Error("a new Go version keeps the key")
	}
	if BuildKey(tc, base) != k {
		t.Error("key is not deterministic")
	}
}
