package fromsource

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenTreeExcerpts(t *testing.T) {
	tests := []struct {
		dir, version, need, from string
		final                    bool
	}{
		// Go 1.26.8 states go1.24.6 three ways: minBootstrap, bootgo, notgo124.go.
		{"testdata/trees/go1.26.8", "go1.26.8", "go1.24.6", "src/cmd/dist/buildtool.go", false},
		// Go 1.19.8 only says "a working Go tree >= Go 1.4" in make.bash.
		{"testdata/trees/go1.19.8", "go1.19.8", "go1.4", "src/make.bash", true},
		// The src directory of a tree names the tree.
		{"testdata/trees/go1.26.8/src", "go1.26.8", "go1.24.6", "src/cmd/dist/buildtool.go", false},
	}
	for _, tt := range tests {
		tr, err := OpenTree(tt.dir)
		if err != nil {
			t.Errorf("OpenTree(%s): %v", tt.dir, err)
			continue
		}
		if tr.Version != tt.version || tr.Need.Version != tt.need || tr.Need.From != tt.from || tr.UsesGOROOTFinal != tt.final {
			t.Errorf("OpenTree(%s) = %+v; want version %s, need %s from %s, GOROOT_FINAL %v", tt.dir, tr, tt.version, tt.need, tt.from, tt.final)
		}
		if !filepath.IsAbs(tr.Root) || filepath.Base(tr.Root) != tt.version {
			t.Errorf("OpenTree(%s).Root = %s", tt.dir, tr.Root)
		}
	}
}

// TestOpenTreeReal reads the real trees of the Go that runs the tests and
// of Debian's Go 1.19, and checks the requirement against the version
// make.bash itself states (its bootgo= line, or its error hint).
func TestOpenTreeReal(t *testing.T) {
	roots := map[string]string{"/usr/lib/go-1.19": "go1.4"}
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		roots[strings.TrimSpace(string(out))] = ""
	}
	for root, want := range roots {
		if _, err := os.Stat(filepath.Join(root, "src", "make.bash")); err != nil {
			t.Logf("skipping %s: no source tree (apt package golang-1.19-go)", root)
			continue
		}
		tr, err := OpenTree(root)
		if err != nil {
			t.Fatal(err)
		}
		if want == "" {
			mk, _ := os.ReadFile(filepath.Join(root, "src", "make.bash"))
			m := bootgoRE.FindSubmatch(mk)
			if m == nil {
				t.Fatalf("%s/src/make.bash has no bootgo= line", root)
			}
			want = "go" + string(m[1])
		}
		if tr.Need.Version != want {
			t.Errorf("%s needs %s, want %s", root, tr.Need.Version, want)
		}
	}
}

func TestOpenTreeNotSource(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "onlymake", "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "onlymake", "src", "make.bash"), nil, 0o755)
	tests := []struct{ dir, reason string }{
		{filepath.Join(dir, "missing"), "does not exist"},
		{filepath.Join(dir, "file"), "not a directory"},
		{dir, "no src/make.bash"},
		{filepath.Join(dir, "onlymake"), "no src/cmd/dist"},
	}
	for _, tt := range tests {
		_, err := OpenTree(tt.dir)
		var nst *NotSourceTreeError
		if !errors.As(err, &nst) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("OpenTree(%s) = %v; want NotSourceTreeError %q", tt.dir, err, tt.reason)
		}
	}
}

func TestParseRequirement(t *testing.T) {
	tests := []struct {
		name string
		src  DistSources
		want string
		err  bool
	}{
		// The notgo form of Go 1.20 to 1.22 (two and three part versions).
		{"notgo117", DistSources{"src/cmd/dist/notgo117.go": []byte("//go:build !go1.17\n\npackage building_Go_requires_Go_1_17_13_or_later\n")}, "go1.17.13", false},
		{"notgo120", DistSources{"src/cmd/dist/notgo120.go": []byte("package building_Go_requires_Go_1_20_6_or_later\n")}, "go1.20.6", false},
		// The strictest statement wins.
		{"strictest", DistSources{
			"src/make.bash":             []byte("bootgo=1.22.6\necho 'a working Go tree >= Go 1.4.'\n"),
			"src/cmd/dist/buildtool.go": []byte("const minBootstrap = \"go1.22.12\"\n"),
		}, "go1.22.12", false},
		{"hint only", DistSources{"src/make.bash": []byte("# GOROOT_BOOTSTRAP: A working Go tree >= Go 1.4 for bootstrap.\n")}, "go1.4", false},
		{"bootgo variable not a version", DistSources{"src/make.bash": []byte("bootgo=$X\n")}, "", true},
		{"nothing", DistSources{"src/make.bash": []byte("#!/bin/sh\n")}, "", true},
		{"notgo in other file", DistSources{"src/cmd/dist/build.go": []byte("package building_Go_requires_Go_1_99_or_later\n")}, "", true},
	}
	for _, tt := range tests {
		got, err := ParseRequirement(tt.src)
		if (err != nil) != tt.err || got.Version != tt.want {
			t.Errorf("%s: ParseRequirement = %+v, %v; want %q (err %v)", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func FuzzParseRequirement(f *testing.F) {
	for _, dir := range []string{"testdata/trees/go1.26.8", "testdata/trees/go1.19.8"} {
		src, err := readDistSources(dir)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src["src/make.bash"], src["src/cmd/dist/buildtool.go"])
	}
	f.Fuzz(func(t *testing.T, makeBash, buildtool []byte) {
		req, err := ParseRequirement(DistSources{"src/make.bash": makeBash, "src/cmd/dist/buildtool.go": buildtool})
		if err == nil && (!strings.HasPrefix(req.Version, "go1") || req.From == "") {
			t.Errorf("ParseRequirement = %+v", req)
		}
	})
}

func TestSelect(t *testing.T) {
	need := Requirement{Version: "go1.24.6", From: "src/cmd/dist/buildtool.go"}
	m := func(name, v string) Candidate {
		return Candidate{Name: name, GOROOT: "/h/" + name, Version: v, Origin: "managed"}
	}
	path126 := Candidate{Name: "/usr/local/go/bin/go", GOROOT: "/usr/local/go", Version: "go1.26.8", Origin: "path"}
	tests := []struct {
		name  string
		cands []Candidate
		want  string // chosen Name, or "" for an error
	}{
		{"newest managed", []Candidate{m("go1.24.6", "go1.24.6"), m("go1.25.1", "go1.25.1"), path126}, "go1.25.1"},
		{"managed before PATH", []Candidate{path126, m("go1.24.6", "go1.24.6")}, "go1.24.6"},
		{"PATH as fallback", []Candidate{m("go1.19.8", "go1.19.8"), path126}, path126.Name},
		{"same minor, older patch", []Candidate{m("go1.24.5", "go1.24.5")}, ""},
		{"devel only when named", []Candidate{m("devel-abc", "devel go1.27-abc")}, ""},
		{"devel named", []Candidate{{Name: "/src/go", GOROOT: "/src/go", Version: "devel go1.27-abc", Origin: "flag"}}, "/src/go"},
		{"nothing", nil, ""},
	}
	for _, tt := range tests {
		got, err := Select(need, tt.cands)
		if got.Name != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("%s: Select = %q, %v; want %q", tt.name, got.Name, err, tt.want)
		}
	}
}

func TestNoBootstrapErrorSaysHowToFix(t *testing.T) {
	need := Requirement{Version: "go1.24.6", From: "src/cmd/dist/buildtool.go"}
	_, err := Select(need, []Candidate{{Name: "go1.19.8", Version: "go1.19.8", Origin: "managed"}})
	for _, want := range []string{"needs go1.24.6 or later", "go1.19.8 (managed): go1.19.8 is older than go1.24.6", "goforge install 1.24.6", "goforge adopt DIR", "--bootstrap"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestInstallName(t *testing.T) {
	tests := []struct{ version, hash, want string }{
		{"go1.26.8", "", "go1.26.8-src"},
		{"go1.23rc1", "", "go1.23rc1-src"},
		{"", "ffb3e574b0fc1d9a3ae8ed4b4f7c9ac83e1d8a2e", "devel-ffb3e574b0"},
		{"devel go1.27-ffb3e574 Thu Aug 29", "ffb3e574b0fc1d9a3ae8ed4b4f7c9ac83e1d8a2e", "devel-ffb3e574b0"},
		{"", "", ""},
		{"../../etc", "", ""},
		{"", "not-a-hash", ""},
	}
	for _, tt := range tests {
		got, err := InstallName(tt.version, tt.hash)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("InstallName(%q, %q) = %q, %v; want %q", tt.version, tt.hash, got, err, tt.want)
		}
	}
}
