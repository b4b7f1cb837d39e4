package ciconf

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

func fixture() Project {
	return Project{
		Module: "example.com/m", GoLine: "1.21", Versions: []string{"1.21", "1.22", "1.23"},
		OSes: DefaultOSes, Lint: ".golangci.yml", Mains: []string{".", "./cmd/tool"}, Goforge: "v1.2.3",
	}
}

// TestGitHubActionlint runs actionlint (a tool directive in go.mod, built
// from the module cache) over generated workflows: no findings allowed.
func TestGitHubActionlint(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command to run 'go tool actionlint'")
	}
	modRoot, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]Project{
		"full":    fixture(),
		"no-lint": {GoLine: "1.19", Versions: []string{"1.19"}, OSes: []string{"ubuntu-latest"}, Goforge: "latest"},
		"library": {GoLine: "1.22", Versions: []string{"1.22", "1.26"}, OSes: DefaultOSes, Lint: ".golangci.yaml", Goforge: "latest"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			wf := filepath.Join(dir, ".github", "workflows", "go.yml")
			os.MkdirAll(filepath.Dir(wf), 0o755)
			if err := os.WriteFile(wf, GitHub(p), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(goBin, "tool", "actionlint", "-no-color", wf)
			cmd.Dir = modRoot
			cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("actionlint: %v\n%s\n--- workflow:\n%s", err, out, GitHub(p))
			}
		})
	}
}

func TestGitHubContent(t *testing.T) {
	var wf struct {
		Jobs map[string]struct {
			Needs    any `yaml:"needs"`
			Strategy struct {
				Matrix struct {
					Go []string `yaml:"go"`
					OS []string `yaml:"os"`
				} `yaml:"matrix"`
			} `yaml:"strategy"`
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(GitHub(fixture()), &wf); err != nil {
		t.Fatal(err)
	}
	test := wf.Jobs["test"]
	if !slices.Equal(test.Strategy.Matrix.Go, []string{"1.21", "1.22", "1.23"}) || !slices.Equal(test.Strategy.Matrix.OS, DefaultOSes) {
		t.Errorf("matrix = %v × %v", test.Strategy.Matrix.Go, test.Strategy.Matrix.OS)
	}
	if _, ok := wf.Jobs["lint"]; !ok {
		t.Error("no lint job although a linter configuration exists")
	}
	rel := wf.Jobs["release"]
	var runs []string
	for _, s := range rel.Steps {
		if r, ok := s["run"].(string); ok {
			runs = append(runs, r)
		}
	}
	want := []string{"go install github.com/goforge/goforge/cmd/goforge@v1.2.3",
		`goforge build --cache "$GOFORGE_CACHE_URL" . ./cmd/tool`, `goforge image --cache "$GOFORGE_CACHE_URL" .`}
	if !slices.Equal(runs, want) {
		t.Errorf("release runs %q, want %q", runs, want)
	}
	p := fixture()
	p.Lint, p.Mains = "", nil
	wf.Jobs = nil
	if err := yaml.Unmarshal(GitHub(p), &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.Jobs["lint"]; ok {
		t.Error("lint job without a linter configuration")
	}
	if _, ok := wf.Jobs["release"]; ok {
		t.Error("release job without main packages")
	}
}

func TestGitLabYAML(t *testing.T) {
	var ci struct {
		Stages []string `yaml:"stages"`
		Test   struct {
			Parallel struct {
				Matrix []struct {
					GoVersion []string `yaml:"GO_VERSION"`
				} `yaml:"matrix"`
			} `yaml:"parallel"`
			Cache struct {
				Key struct {
					Files []string `yaml:"files"`
				} `yaml:"key"`
			} `yaml:"cache"`
		} `yaml:"test"`
		Release struct {
			Script []string `yaml:"script"`
		} `yaml:"release"`
	}
	if err := yaml.Unmarshal(GitLab(fixture()), &ci); err != nil {
		t.Fatalf("generated GitLab file is not YAML: %v", err)
	}
	if !slices.Equal(ci.Stages, []string{"test", "lint", "release"}) {
		t.Errorf("stages = %v", ci.Stages)
	}
	if m := ci.Test.Parallel.Matrix; len(m) != 1 || !slices.Equal(m[0].GoVersion, []string{"1.21", "1.22", "1.23"}) {
		t.Errorf("matrix = %+v", m)
	}
	if !slices.Equal(ci.Test.Cache.Key.Files, []string{"go.sum"}) {
		t.Errorf("cache key files = %v", ci.Test.Cache.Key.Files)
	}
	if len(ci.Release.Script) != 3 || !strings.Contains(ci.Release.Script[0], "@v1.2.3") || !strings.Contains(ci.Release.Script[2], "goforge image") {
		t.Errorf("release script = %q", ci.Release.Script)
	}
}

func TestVersionRange(t *testing.T) {
	for _, tt := range []struct {
		line, newest string
		want         []string
		err          bool
	}{
		{"1.21", "go1.23.4", []string{"1.21", "1.22", "1.23"}, false},
		{"1.21.0", "1.21", []string{"1.21"}, false},
		{"1.24", "go1.22.1", []string{"1.24"}, false}, // newest unknown or older: the go line alone
		{"1.19", "devel +abc", []string{"1.19"}, false},
		{"banana", "go1.22", nil, true},
	} {
		got, err := VersionRange(tt.line, tt.newest)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("VersionRange(%q, %q) = %v, %v; want %v", tt.line, tt.newest, got, err, tt.want)
		}
	}
}

func TestParseVersions(t *testing.T) {
	got, err := ParseVersions("1.22, go1.23.4")
	if err != nil || !slices.Equal(got, []string{"1.22", "1.23"}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"", " ", "1.22,,1.23", "x"} {
		if _, err := ParseVersions(bad); err == nil {
			t.Errorf("ParseVersions(%q) succeeded", bad)
		}
	}
}

func TestDiff(t *testing.T) {
	if d := Diff("a", []byte("x\ny\n"), "b", []byte("x\ny\n")); d != "" {
		t.Errorf("equal inputs gave %q", d)
	}
	d := Diff("a", []byte("x\ny\nz\n"), "b", []byte("x\nY\nz\nw\n"))
	want := "--- a\n+++ b\n-2: y\n+2: Y\n+4: w\n"
	if d != want {
		t.Errorf("Diff = %q, want %q", d, want)
	}
}

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
	}
	if _, err := Inspect(dir); err == nil || !strings.Contains(err.Error(), "no go.mod") {
		t.Errorf("no go.mod: %v", err)
	}
	write("go.mod", "module example.com/x\n\ngo 1.22.3\n")
	write("cmd/a/main.go", "// Command a.\npackage main\n\nfunc main() {}\n")
	write("lib/lib.go", "package lib\n")
	write("testdata/t/main.go", "package main\n")
	write("sub/go.mod", "module example.com/x/sub\n")
	write("sub/main.go", "package main\n")
	write(".golangci.toml", "")
	p, err := Inspect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.GoLine != "1.22.3" || p.Lint != ".golangci.toml" || !slices.Equal(p.Mains, []string{"./cmd/a"}) {
		t.Errorf("Inspect = %+v", p)
	}
	write("go.mod", "module example.com/x\n")
	if _, err := Inspect(dir); err == nil {
		t.Error("go.mod without a go line accepted")
	}
}

func TestOwner(t *testing.T) {
	gen := GitHub(fixture())
	other := GitHub(Project{GoLine: "1.19", Versions: []string{"1.19"}, OSes: []string{"ubuntu-latest"}, Goforge: "latest"})
	legacy := []byte(withoutSum(gen))
	sumLine := func(b []byte) string { return strings.SplitAfter(string(b), "\n")[2] }
	for name, tc := range map[string]struct {
		have []byte
		want Ownership
	}{
		"identical":          {gen, Unchanged},
		"older generation":   {other, Unchanged},
		"crlf checkout":      {[]byte(strings.ReplaceAll(string(other), "\n", "\r\n")), Unchanged},
		"hand written":       {[]byte("name: mine\non: push\njobs: {}\n"), Foreign},
		"empty":              {nil, Foreign},
		"marker not first":   {append([]byte("# mine\n"), gen...), Foreign},
		"line added":         {append(append([]byte{}, gen...), "# mine\n"...), Edited},
		"header edited":      {[]byte(strings.Replace(string(gen), "regenerate", "REGENERATE", 1)), Edited},
		"sum line edited":    {[]byte(strings.Replace(string(gen), sumLine(gen), sumLine(other), 1)), Edited},
		"sum of other file":  {[]byte(strings.Replace(string(other), sumLine(other), sumLine(gen), 1)), Edited},
		"legacy, same body":  {legacy, Unchanged},
		"legacy, edited":     {append(append([]byte{}, legacy...), "# mine\n"...), Edited},
		"marker only":        {[]byte(marker + "github'\n"), Edited},
		"sum line truncated": {[]byte(strings.Replace(string(gen), sumLine(gen), sumPrefix+"\n", 1)), Edited},
	} {
		if got := Owner(tc.have, gen); got != tc.want {
			t.Errorf("%s: Owner = %d, want %d", name, got, tc.want)
		}
	}
}

// TestWriteOwned checks that a refused write leaves the file byte for
// byte as it was, and that --force and unchanged files are written.
func TestWriteOwned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "go.yml")
	gen := GitHub(fixture())
	old := GitHub(Project{GoLine: "1.19", Versions: []string{"1.19"}, OSes: []string{"ubuntu-latest"}, Goforge: "latest"})
	for name, tc := range map[string]struct {
		have    string
		force   bool
		wantErr string
	}{
		"missing":      {"", false, ""},
		"unchanged":    {string(old), false, ""},
		"foreign":      {"name: mine\n", false, "go.yml exists and was not written by goforge: use --force to replace it, or --check to compare"},
		"edited":       {string(old) + "# mine\n", false, "go.yml was written by goforge but edited since: use --force"},
		"foreign, -f":  {"name: mine\n", true, ""},
		"edited, -f":   {string(old) + "# mine\n", true, ""},
		"already same": {string(gen), false, ""},
	} {
		os.Remove(path)
		if tc.have != "" {
			if err := os.WriteFile(path, []byte(tc.have), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := writeOwned(path, "go.yml", gen, tc.force)
		got, _ := os.ReadFile(path)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.wantErr == "" && string(got) != string(gen):
			t.Errorf("%s: file not replaced", name)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: err = %v, want %q", name, err, tc.wantErr)
		case tc.wantErr != "" && string(got) != tc.have:
			t.Errorf("%s: refused write changed the file to %q", name, got)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

// FuzzOwner: any bytes classify without panicking; a sealed file is
// unchanged whatever its body, and stops being so when anything is
// appended to it.
func FuzzOwner(f *testing.F) {
	gen := GitHub(fixture())
	f.Add([]byte("name: mine\n"), []byte("x"))
	f.Add(gen, []byte("# mine\n"))
	f.Add([]byte(withoutSum(gen)), []byte("\r\n"))
	f.Add([]byte(marker+"gitlab'\n"+sumPrefix+"00\n"), []byte{})
	f.Fuzz(func(t *testing.T, body, extra []byte) {
		Owner(body, gen)
		sealed := seal("gitlab", body)
		if o := Owner(sealed, gen); o != Unchanged {
			t.Fatalf("sealed %q: Owner = %d", sealed, o)
		}
		grown := append(append([]byte{}, sealed...), extra...)
		if o := Owner(grown, gen); len(extra) > 0 && o == Unchanged {
			t.Fatalf("%q appended: still unchanged", extra)
		}
	})
}
