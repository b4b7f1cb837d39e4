package constraint

import (
	"slices"
	"strings"
	"testing"
)

func cfg(t *testing.T, goos, goarch string, cgo bool, tags ...string) *Config {
	t.Helper()
	c, err := NewConfig("go1.26.8", goos, goarch, cgo, "", tags)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFileNameRules(t *testing.T) {
	tests := []struct {
		name, goos, goarch string
		want               bool
		reason             string
	}{
		{"x_linux.go", "linux", "amd64", true, ""},
		{"x_linux.go", "android", "arm64", true, ""}, // android satisfies linux
		{"x_android.go", "linux", "amd64", false, "file name suffix _android"},
		{"x_solaris.go", "illumos", "amd64", true, ""}, // illumos satisfies solaris
		{"x_illumos.go", "solaris", "amd64", false, "file name suffix _illumos"},
		{"x_darwin.go", "ios", "arm64", true, ""}, // ios satisfies darwin
		{"x_ios.go", "darwin", "arm64", false, "file name suffix _ios"},
		{"linux.go", "windows", "amd64", true, ""},  // no prefix: not a constraint
		{"x_unix.go", "windows", "amd64", true, ""}, // unix is not a file-name GOOS
		{"x_windows_amd64.go", "windows", "arm64", false, "file name suffix _windows_amd64"},
		{"x_windows_amd64.go", "windows", "amd64", true, ""},
		{"x_linux_test.go", "darwin", "amd64", false, "file name suffix _linux"},
		{"x_arm64.go", "linux", "arm64", true, ""},
		{"x_arm64.go", "linux", "amd64", false, "file name suffix _arm64"},
		{"x_nacl.go", "linux", "amd64", false, "file name suffix _nacl"}, // retired ports still count
		{"x_foo_linux.s.go", "linux", "amd64", true, ""},
		{"x_linux.pb.go", "windows", "amd64", false, "file name suffix _linux"},
	}
	for _, tt := range tests {
		c := cfg(t, tt.goos, tt.goarch, false)
		ok, r := c.goodOSArchFile(tt.name)
		if ok != tt.want || r.Detail != tt.reason {
			t.Errorf("%s on %s/%s: got %v %q, want %v %q", tt.name, tt.goos, tt.goarch, ok, r.Detail, tt.want, tt.reason)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name, src string
		c         *Config
		tests     bool
		want      Kind // "" = included
	}{
		{"a.go", "package a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"_a.go", "package a\n", cfg(t, "linux", "amd64", false), false, KindIgnoredName},
		{".a.go", "package a\n", cfg(t, "linux", "amd64", false), false, KindIgnoredName},
		{"a_test.go", "package a\n", cfg(t, "linux", "amd64", false), false, KindTest},
		{"a_test.go", "package a\n", cfg(t, "linux", "amd64", false), true, ""},
		{"a.go", "//go:build unix\n\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"a.go", "//go:build unix\n\npackage a\n", cfg(t, "windows", "amd64", false), false, KindGoBuild},
		{"a.go", "//go:build unix\n\npackage a\n", cfg(t, "js", "wasm", false), false, KindGoBuild},
		{"a.go", "//go:build unix\n\npackage a\n", cfg(t, "aix", "ppc64", false), false, ""},
		{"a.go", "// +build linux\n\npackage a\n", cfg(t, "darwin", "arm64", false), false, KindPlusBuild},
		{"a.go", "// +build linux darwin\n\npackage a\n", cfg(t, "darwin", "arm64", false), false, ""},
		{"a.go", "// +build linux\n// +build arm64\n\npackage a\n", cfg(t, "linux", "amd64", false), false, KindPlusBuild},
		// //go:build wins over // +build.
		{"a.go", "//go:build linux\n// +build windows\n\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		// A // +build line not followed by a blank line is a comment.
		{"a.go", "// +build windows\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"a.go", "//go:build linux\n//go:build linux\n\npackage a\n", cfg(t, "linux", "amd64", false), false, KindInvalid},
		{"a.go", "//go:build linux &&\n\npackage a\n", cfg(t, "linux", "amd64", false), false, KindInvalid},
		{"a.go", "//go:build ignore\n\npackage main\n", cfg(t, "linux", "amd64", false), false, KindGoBuild},
		{"a.go", "package a\n\nimport \"C\"\n", cfg(t, "linux", "amd64", false), false, KindCgo},
		{"a.go", "package a\n\nimport \"C\"\n", cfg(t, "linux", "amd64", true), false, ""},
		{"a.go", "//go:build cgo\n\npackage a\n", cfg(t, "linux", "amd64", false), false, KindGoBuild},
		{"a.go", "package documentation\n", cfg(t, "linux", "amd64", false), false, KindDocumentation},
		{"a.go", "//go:build mytag\n\npackage a\n", cfg(t, "linux", "amd64", false, "mytag"), false, ""},
		{"a.go", "//go:build go1.21\n\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"a.go", "//go:build go1.99\n\npackage a\n", cfg(t, "linux", "amd64", false), false, KindGoBuild},
		{"a.go", "//go:build gc\n\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"a.go", "//go:build amd64.v1 && !amd64.v3\n\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"a.go", "//go:build arm64.v8.0\n\npackage a\n", cfg(t, "darwin", "arm64", false), false, ""},
		{"a.go", "//go:build goexperiment.greenteagc\n\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
		{"a.go", "//go:build goexperiment.regabiargs\n\npackage a\n", cfg(t, "linux", "386", false), false, KindGoBuild},
		{"a.go", "//go:build goexperiment.dwarf5\n\npackage a\n", cfg(t, "darwin", "arm64", false), false, KindGoBuild},
		{"a.go", "/* block */ //go:build windows\npackage a\n", cfg(t, "linux", "amd64", false), false, ""},
	}
	for i, tt := range tests {
		f := &File{Name: tt.name, Header: ParseHeader(tt.name, []byte(tt.src))}
		ok, r := tt.c.Match(f, tt.tests)
		if ok != (tt.want == "") || r.Kind != tt.want {
			t.Errorf("#%d %s %q on %s: got %v %v, want kind %q", i, tt.name, tt.src, tt.c, ok, r, tt.want)
		}
	}
}

func TestParseHeaderReportsSyntaxErrorsAndKeepsGoing(t *testing.T) {
	h := ParseHeader("bad.go", []byte("package a\n\nimport (\n\t\"fmt\"\n\t\"os\n)\n"))
	if len(h.SyntaxErrors) == 0 || !strings.HasPrefix(h.SyntaxErrors[0], "bad.go:5:") {
		t.Fatalf("syntax errors = %q, want one at bad.go:5", h.SyntaxErrors)
	}
	if h.Package != "a" {
		t.Errorf("package = %q, want a", h.Package)
	}
	h = ParseHeader("dup.go", []byte("//go:build linux\n//go:build darwin\n\npackage a\n"))
	if h.Invalid == nil || !strings.Contains(h.Invalid.Error(), "multiple //go:build") {
		t.Errorf("duplicate //go:build: Invalid = %v", h.Invalid)
	}
}

func TestToolTags(t *testing.T) {
	tags, _ := ToolTags("go1.26.1", "linux", "arm", "")
	for _, want := range []string{"arm.5", "arm.6", "arm.7", "goexperiment.greenteagc"} {
		if !slices.Contains(tags, want) {
			t.Errorf("linux/arm tool tags %v lack %s", tags, want)
		}
	}
	if slices.Contains(tags, "goexperiment.regabiargs") {
		t.Errorf("linux/arm has regabiargs: %v", tags)
	}
	tags, _ = ToolTags("go1.26.1", "linux", "amd64", "nogreenteagc,arenas")
	if slices.Contains(tags, "goexperiment.greenteagc") || !slices.Contains(tags, "goexperiment.arenas") {
		t.Errorf("GOEXPERIMENT not applied: %v", tags)
	}
}

func TestAnyTags(t *testing.T) {
	for src, want := range map[string]bool{
		"package a\n":                               true,
		"//go:build ignore\n\npackage a\n":          false,
		"//go:build !ignore\n\npackage a\n":         true,
		"//go:build linux && !linux\n\npackage a\n": true, // each tag takes the value that helps
		"//go:build tools\n\npackage a\n":           true,
	} {
		f := &File{Name: "a.go", Header: ParseHeader("a.go", []byte(src))}
		if got := AnyTags(f); got != want {
			t.Errorf("AnyTags(%q) = %v, want %v", src, got, want)
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{
		"package a\n",
		"//go:build linux && (amd64 || arm64)\n\npackage a\n\nimport \"C\"\n",
		"// +build linux,!cgo darwin\n\n/* x */ package a\nimport (\n\"fmt\"\n)\n",
		"//go:build\n//go:build x\npackage",
		"/*\n//go:build x\n*/\npackage a",
	} {
		f.Add("a_linux_test.go", []byte(s))
	}
	c := &Config{GOOS: "linux", GOARCH: "amd64", Cgo: true}
	f.Fuzz(func(t *testing.T, name string, src []byte) {
		h := ParseHeader(name, src)
		file := &File{Name: name, Header: h}
		if name == "" {
			file.Name = "x.go"
		}
		ok, r := c.Match(file, true)
		if !ok && r.Kind == "" {
			t.Fatalf("excluded without a reason")
		}
		if h.expr == nil && h.GoBuild != "" && h.Invalid == nil {
			t.Fatalf("//go:build %q neither parsed nor invalid", h.GoBuild)
		}
		AnyTags(file)
	})
}

func TestArchTags(t *testing.T) {
	tests := []struct {
		goarch string
		env    map[string]string
		want   string
	}{
		{"amd64", nil, "amd64.v1"},
		{"amd64", map[string]string{"GOAMD64": "v3"}, "amd64.v1 amd64.v2 amd64.v3"},
		{"amd64", map[string]string{"GOARM": "5"}, "amd64.v1"}, // other arch's level
		{"arm", map[string]string{"GOARM": "6,softfloat"}, "arm.5 arm.6"},
		{"arm64", map[string]string{"GOARM64": "v9.1"}, "arm64.v9.0 arm64.v9.1 arm64.v8.0 arm64.v8.1 arm64.v8.2 arm64.v8.3 arm64.v8.4 arm64.v8.5 arm64.v8.6"},
		{"ppc64le", map[string]string{"GOPPC64": "power10"}, "ppc64le.power8 ppc64le.power9 ppc64le.power10"},
		{"riscv64", map[string]string{"GORISCV64": "rva22u64"}, "riscv64.rva20u64 riscv64.rva22u64"},
		{"386", map[string]string{"GO386": "softfloat"}, "386.softfloat"},
		{"s390x", nil, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(ArchTags(tt.goarch, tt.env), " "); got != tt.want {
			t.Errorf("ArchTags(%s, %v) = %q, want %q", tt.goarch, tt.env, got, tt.want)
		}
	}
	c := cfg(t, "linux", "amd64", false).WithArchLevels(map[string]string{"GOAMD64": "v3"})
	if !c.MatchTag("amd64.v3") || !c.MatchTag("goexperiment.greenteagc") {
		t.Errorf("WithArchLevels lost or missed tags: %v", c.ToolTags)
	}
}
