package pin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree creates files (path -> contents) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"goenv/.goenv":                  "# team pin\nGO_VERSION=\"1.22.3\"\nGO_BUILD_TAGS=\"prod,linux\"\n",
		"goenv/.go-version":             "1.19\n",
		"goenv/sub/go.mod":              "module x\n\ngo 1.21\ntoolchain go1.21.5\n",
		"gover/.go-version":             "# comment\n\n go1.20.1 \n",
		"gover/.tool-versions":          "golang 1.18\n",
		"tv/.tool-versions":             "nodejs 20.1.0\ngolang 1.21.4 1.21.3 # fallback\n",
		"tvnogo/.tool-versions":         "nodejs 20\n",
		"tvnogo/go.mod":                 "module y\ngo 1.22\n",
		"tc/go.mod":                     "module z\n\ngo 1.21.0 // min\n\ntoolchain go1.22.5\n",
		"tcdefault/go.mod":              "module z\ngo 1.21.0\ntoolchain default\n",
		"work/go.work":                  "go 1.23.1\nuse ./m\n",
		"work/m/go.mod":                 "module m\ngo 1.21\n",
		"work/m/deep/x.go":              "package x\n",
		"varsonly/.goenv":               "GOFLAGS=-mod=mod\n",
		"varsonly/p/.go-version":        "1.21\n",
		"envgoenv/.goenv":               "GOCACHE=\".cache\"\nGOPATH=\"gp:/abs\"\n",
		"nomodgo/go.mod":                "module q\n",
		"nomodgo/.unrelated":            "",
		"nested/.go-version":            "1.20\n",
		"nested/inner/go.mod":           "module inner\ngo 1.22\n",
		"nested/inner/x/.tool-versions": "go 1.18.1\n",
	})
	tests := []struct {
		dir, env    string
		kind, query string
		file        string
		line        int
		minimum     bool
		goenv       string
	}{
		{dir: "goenv", kind: KindGoenv, query: "1.22.3", file: "goenv/.goenv", line: 2, goenv: "goenv/.goenv"},
		{dir: "goenv/sub", kind: KindToolchain, query: "go1.21.5", file: "goenv/sub/go.mod", line: 4, goenv: "goenv/.goenv"},
		{dir: "gover", kind: KindGoVersion, query: "go1.20.1", file: "gover/.go-version", line: 3},
		{dir: "tv", kind: KindToolVersions, query: "1.21.4", file: "tv/.tool-versions", line: 2},
		{dir: "tvnogo", kind: KindGoLine, query: "1.22", file: "tvnogo/go.mod", line: 2, minimum: true},
		{dir: "tc", kind: KindToolchain, query: "go1.22.5", file: "tc/go.mod", line: 5},
		{dir: "tcdefault", kind: KindGoLine, query: "1.21.0", file: "tcdefault/go.mod", line: 2, minimum: true},
		{dir: "work/m/deep", kind: KindGoLine, query: "1.23.1", file: "work/go.work", line: 1, minimum: true},
		{dir: "work/m/deep", env: "GOWORK=off", kind: KindGoLine, query: "1.21", file: "work/m/go.mod", line: 2, minimum: true},
		{dir: "varsonly/p", kind: KindGoVersion, query: "1.21", file: "varsonly/p/.go-version", line: 1, goenv: "varsonly/.goenv"},
		{dir: "varsonly", kind: KindGlobal, goenv: "varsonly/.goenv"},
		{dir: "nomodgo", kind: KindGlobal},
		{dir: "nested/inner/x", kind: KindToolVersions, query: "1.18.1", file: "nested/inner/x/.tool-versions", line: 1},
		{dir: "nested/inner", kind: KindGoLine, query: "1.22", file: "nested/inner/go.mod", line: 2, minimum: true},
		{dir: "goenv", env: "GOFORGE_VERSION=1.18", kind: KindEnv, query: "1.18", goenv: "goenv/.goenv"},
		{dir: ".", kind: KindGlobal},
	}
	for _, tt := range tests {
		t.Run(tt.dir+" "+tt.env, func(t *testing.T) {
			env := map[string]string{}
			if k, v, ok := strings.Cut(tt.env, "="); ok {
				env[k] = v
			}
			r, err := Find(filepath.Join(root, tt.dir), func(k string) string { return env[k] })
			if err != nil {
				t.Fatal(err)
			}
			p := r.Pin
			want := ""
			if tt.file != "" {
				want = filepath.Join(root, tt.file)
			}
			if p.Kind != tt.kind || p.Query != tt.query || p.File != want || p.Line != tt.line || p.Minimum != tt.minimum {
				t.Errorf("pin = %+v, want kind %s query %q file %s:%d minimum %v", p, tt.kind, tt.query, want, tt.line, tt.minimum)
			}
			gotGoenv := ""
			if r.Goenv != nil {
				gotGoenv = r.Goenv.Path
			}
			if wantGoenv := filepath.Join(root, tt.goenv); tt.goenv != "" && gotGoenv != wantGoenv || tt.goenv == "" && gotGoenv != "" {
				t.Errorf("goenv = %q, want %q", gotGoenv, tt.goenv)
			}
		})
	}
}

func TestFindErrors(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"badgoenv/.goenv":      "GO_VERSION=\"1.22\"\nPATH=/bin\n",
		"badver/.go-version":   "\n\nbanana\n",
		"badtv/.tool-versions": "golang\n",
		"badmod/go.mod":        "module x\ngo one.two\n",
		"badtc/go.mod":         "module x\ngo 1.21\ntoolchain gopher\n",
		"inject/go.mod":        "module x\ngo 1.21\ntoolchain go1.22.0; rm -rf /\n",
		"semi/go.mod":          "module x\ngo 1.21\ntoolchain go1.22.0;rm\n",
		"twotc/go.mod":         "module x\ngo 1.21\ntoolchain go1.22.0\ntoolchain go1.23.0\n",
		"unparsable/go.mod":    "module x\ngo 1.21\nrequire (\n",
		"unknown/go.mod":       "module x\ngo 1.21\nfrobnicate now\n",
		"work/go.work":         "go 1.21\ntoolchain go1.22.0\ntoolchain go1.22.1\n",
		"work/m/go.mod":        "module m\ngo 1.21\n",
		"longgo/go.mod":        "module x\ngo 1." + strings.Repeat("9", 1<<20) + "x\n",
		"nulenv/.goenv":        "GOFLAGS=\"-x\x00; rm -rf /\"\n",
		"crenv/.goenv":         "GOFLAGS=\"a\rb\"\n",
		"escenv/.goenv":        "CGO_CFLAGS='\x1b[2J'\n",
		"longver/.go-version":  "\n" + strings.Repeat("1", 1<<20) + "\n",
	})
	tests := []struct{ dir, env, want string }{
		{"badgoenv", "", "badgoenv/.goenv:2: unknown variable \"PATH\""},
		{"badver", "", "badver/.go-version:3: \"banana\" is not a Go version"},
		{"badtv", "", "badtv/.tool-versions:1: golang entry without a version"},
		{"badmod", "", "badmod/go.mod:2: invalid go version 'one.two'"},
		{"badtc", "", "badtc/go.mod:3: invalid toolchain version 'gopher'"},
		{"inject", "", "inject/go.mod:3: toolchain directive expects exactly one argument"},
		{"semi", "", "semi/go.mod:3: invalid toolchain \"go1.22.0;rm\""},
		{"twotc", "", "twotc/go.mod:4: repeated toolchain statement"},
		{"unparsable", "", "unparsable/go.mod:4"},
		{"unknown", "", "unknown/go.mod:3: unknown directive: frobnicate"},
		{"work/m", "", "work/go.work:3: repeated toolchain statement"},
		{"longgo", "", "longgo/go.mod:2: invalid go version"},
		{"nulenv", "", "nulenv/.goenv:1: GOFLAGS: control byte '\\x00' in the value"},
		{"crenv", "", "crenv/.goenv:1: GOFLAGS: control byte '\\r' in the value"},
		{"escenv", "", "escenv/.goenv:1: CGO_CFLAGS: control byte '\\x1b' in the value"},
		{"longver", "", "longver/.go-version:2: \"1111"},
		{".", "1.x", "GOFORGE_VERSION: \"1.x\" is not a Go version"},
	}
	for _, tt := range tests {
		_, err := Find(filepath.Join(root, tt.dir), func(k string) string {
			if k == "GOFORGE_VERSION" {
				return tt.env
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %.300v, want it to contain %q", tt.dir, err, tt.want)
		} else if len(err.Error()) > 600 {
			t.Errorf("%s: error line of %d bytes", tt.dir, len(err.Error()))
		}
	}
}

func TestParseGoenv(t *testing.T) {
	dir := filepath.FromSlash("/proj")
	data := "# .goenv\n" +
		"GO_VERSION=\"1.22.3\"   # the team's version\n" +
		"export GO111MODULE=on\n" +
		"GOFLAGS='-mod=readonly -trimpath'\n" +
		"GOCACHE=\".gocache\"\n" +
		"GOPRIVATE=\"*.corp.example\"\n" +
		"CGO_ENABLED=0\n" +
		"GOMODCACHE=\"/abs/mod\"\n" +
		"GOEXPERIMENT=\"\"\n" +
		"GO_BUILD_TAGS=\"prod, linux\"\n" +
		"GOAMD64=\"v\\$3\"\r\n"
	f, err := ParseGoenv(filepath.Join(dir, ".goenv"), []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"GO_VERSION": "1.22.3", "GO111MODULE": "on", "GOFLAGS": "-mod=readonly -trimpath",
		"GOCACHE": filepath.Join(dir, ".gocache"), "GOPRIVATE": "*.corp.example", "CGO_ENABLED": "0",
		"GOMODCACHE": "/abs/mod", "GOEXPERIMENT": "", "GO_BUILD_TAGS": "prod, linux", "GOAMD64": "v$3",
	}
	if len(f.Vars) != len(want) {
		t.Fatalf("got %d vars, want %d: %+v", len(f.Vars), len(want), f.Vars)
	}
	for _, v := range f.Vars {
		if want[v.Key] != v.Value {
			t.Errorf("%s = %q, want %q", v.Key, v.Value, want[v.Key])
		}
	}
	if v, _ := f.Get("GO_VERSION"); v.Line != 2 {
		t.Errorf("GO_VERSION line = %d, want 2", v.Line)
	}
	if got := f.BuildTags(); got != "prod,linux" {
		t.Errorf("BuildTags = %q", got)
	}
}

func TestParseGoenvErrors(t *testing.T) {
	tests := []struct{ data, want string }{
		{"GO_VERSION", ":1: want KEY=\"value\""},
		{"\nGO VERSION=1", ":2: invalid variable name \"GO VERSION\""},
		{"GO_VERSION =1.22", ":1: invalid variable name \"GO_VERSION \""},
		{"GO_VERSION=\"1.22", ":1: GO_VERSION: unterminated double quote"},
		{"GOFLAGS='-x", ":1: GOFLAGS: unterminated single quote"},
		{"GOFLAGS=-x -y", ":1: GOFLAGS: unexpected \"-y\" after the value"},
		{"GOCACHE=\"$HOME/c\"", "variable expansion and command substitution are not supported"},
		{"GOFLAGS=$(id)", ":1: GOFLAGS: \"$(id)\": quote the value"},
		{"GO_VERSION=\"banana\"", ":1: GO_VERSION: \"banana\" is not a Go version"},
		{"GOROOT=/usr/local/go", ":1: GOROOT follows GO_VERSION"},
		{"GOFORGE_VERSION=1.22", ":1: GOFORGE_VERSION is goforge's own setting"},
		{"EDITOR=vim", ":1: unknown variable \"EDITOR\""},
		{"GOOS=linux\nGOOS=darwin", ":2: GOOS is set twice (first on line 1)"},
	}
	for _, tt := range tests {
		_, err := ParseGoenv("/p/.goenv", []byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "/p/.goenv:") {
			t.Errorf("ParseGoenv(%q) = %v, want /p/.goenv:...%s", tt.data, err, tt.want)
		}
	}
}

func TestChoose(t *testing.T) {
	list := []Candidate{
		{"go1.26.8", "go1.26.8"}, {"go1.26.8-src", "go1.26.8"}, {"go1.22.7", "go1.22.7"},
		{"go1.22.3", "go1.22.3"}, {"go1.19.13", "go1.19.13"},
	}
	tests := []struct {
		pin  Pin
		want string // "" for none
	}{
		{Pin{Query: "1.22", Version: "go1.22"}, "go1.22.7"},
		{Pin{Query: "1.22.3", Version: "go1.22.3"}, "go1.22.3"},
		{Pin{Query: "1.22.4", Version: "go1.22.4"}, ""},
		{Pin{Query: "latest", Version: "latest"}, "go1.26.8"},
		{Pin{Query: "go1.26.8-src", Version: ""}, "go1.26.8-src"},
		{Pin{Query: "1.20", Version: "go1.20"}, ""},
		{Pin{Query: "1.22.5", Version: "go1.22.5", Minimum: true}, "go1.22.7"},
		{Pin{Query: "1.22", Version: "go1.22", Minimum: true}, "go1.22.7"},
		{Pin{Query: "1.20", Version: "go1.20", Minimum: true}, "go1.26.8"},
		{Pin{Query: "1.19", Version: "go1.19", Minimum: true}, "go1.19.13"},
		{Pin{Query: "1.27", Version: "go1.27", Minimum: true}, ""},
		{Pin{Query: "1.22.8", Version: "go1.22.8", Minimum: true}, "go1.26.8"},
	}
	for _, tt := range tests {
		c, ok := Choose(tt.pin, list)
		if !ok && tt.want != "" || ok && c.Name != tt.want {
			t.Errorf("Choose(%+v) = %q, %v; want %q", tt.pin, c.Name, ok, tt.want)
		}
	}
	if q := InstallQuery(Pin{Version: "go1.22.3", Minimum: true}); q != "1.22" {
		t.Errorf("InstallQuery(minimum go1.22.3) = %q", q)
	}
	if q := InstallQuery(Pin{Version: "go1.22.3"}); q != "1.22.3" {
		t.Errorf("InstallQuery(go1.22.3) = %q", q)
	}
}

func TestWatchList(t *testing.T) {
	got := WatchList("/a/b")
	if len(got) != 3*len(PinFiles) || got[0] != filepath.Join("/a/b", GoenvName) || got[len(got)-1] != "/go.mod" {
		t.Errorf("WatchList = %q", got)
	}
}

func FuzzParseGoenv(f *testing.F) {
	f.Add([]byte("# c\nGO_VERSION=\"1.22.3\"\nGO_BUILD_TAGS=\"prod,linux\"\nGOCACHE='.c' # x\nexport GOFLAGS=-x\n"))
	f.Add([]byte("GOFLAGS=\"a\\\"b\\\\\""))
	f.Add([]byte("X=1\nGOOS=linux\nGOOS=darwin"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGoenv("/p/.goenv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "/p/.goenv:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, v := range g.Vars {
			if seen[v.Key] || !validKey(v.Key) || v.Line < 1 {
				t.Fatalf("bad var %+v", v)
			}
			seen[v.Key] = true
		}
	})
}

func FuzzParsePinFiles(f *testing.F) {
	f.Add([]byte("go 1.22\ntoolchain go1.22.5\n"))
	f.Add([]byte("golang 1.21.4 1.21.3\n"))
	f.Add([]byte("# x\n1.22.3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if q, _, err := ParseGoVersion(data); err == nil && q != "" {
			if _, ok := NormalizeQuery(q); !ok {
				t.Fatalf(".go-version accepted %q", q)
			}
		}
		if q, _, err := ParseToolVersions(data); err == nil && q != "" {
			if _, ok := NormalizeQuery(q); !ok {
				t.Fatalf(".tool-versions accepted %q", q)
			}
		}
		if ml, err := ParseModLines("go.mod", data); err == nil && ml.Go != "" {
			if _, ok := NormalizeQuery(ml.Go); !ok {
				t.Fatalf("go line accepted %q", ml.Go)
			}
		}
	})
}

func TestSetGoVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "GO_VERSION=\"1.22\"\n"},
		{"# c\n# d", "# c\n# d\nGO_VERSION=\"1.22\"\n"},
		{"# c\nGOFLAGS=-x\n", "# c\nGO_VERSION=\"1.22\"\nGOFLAGS=-x\n"},
		{"GOOS=linux\nGO_VERSION='1.19' # old\nGOARCH=amd64", "GOOS=linux\nGO_VERSION=\"1.22\"\nGOARCH=amd64"},
		{"GO_VERSION=1.19", "GO_VERSION=\"1.22\""},
	}
	for _, tt := range tests {
		got, err := SetGoVersion("/p/.goenv", []byte(tt.in), "1.22")
		if err != nil || string(got) != tt.want {
			t.Errorf("SetGoVersion(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := SetGoVersion("/p/.goenv", []byte("X=1\n"), "1.22"); err == nil {
		t.Error("SetGoVersion accepted a malformed file")
	}
	if _, err := SetGoVersion("/p/.goenv", nil, "one"); err == nil {
		t.Error("SetGoVersion accepted a bad version")
	}
	if _, err := ParseGoenv("/p/.goenv", []byte(GoenvTemplate("1.26.8"))); err != nil {
		t.Errorf("the init template does not parse: %v", err)
	}
}
