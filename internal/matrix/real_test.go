package matrix

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const debianGo119 = "/usr/lib/go-1.19"

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var fixtureFiles = map[string]string{
	"go.mod":         "module example.com/fx\n\ngo 1.21\n",
	"fx.go":          "package fx\n\nimport \"slices\"\n\n// Has reports whether xs holds x.\nfunc Has(xs []int, x int) bool { return slices.Contains(xs, x) }\n",
	"fx_test.go":     "package fx\n\nimport \"testing\"\n\nfunc TestHas(t *testing.T) {\n\tif !Has([]int{1}, 1) {\n\t\tt.Fatal(\"no\")\n\t}\n}\n",
	"ok/ok_test.go":  "package ok\n\nimport \"testing\"\n\nfunc TestOK(t *testing.T) {}\n\nfunc TestSkip(t *testing.T) { t.Skip(\"s\") }\n",
	"ok/bad_test.go": "package ok\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestBad(t *testing.T) {\n\tif os.Getenv(\"MATRIX_BAD\") != \"\" {\n\t\tt.Fatal(\"bad\")\n\t}\n}\n",
}

// realToolchains returns the test's Go and Debian's Go 1.19.
func realToolchains(t *testing.T) []Toolchain {
	t.Helper()
	if _, err := os.Stat(filepath.Join(debianGo119, "bin", "go")); err != nil {
		t.Skip("needs Debian's Go 1.19 at /usr/lib/go-1.19 (apt-get install golang-1.19-go)")
	}
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Skipf("needs the go command: %v", err)
	}
	f := strings.Fields(string(out))
	tc := func(name, root string) Toolchain {
		env := append(os.Environ(), "GOROOT="+root, "PATH="+filepath.Join(root, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"), "GOFLAGS=", "MATRIX_BAD=1")
		return Toolchain{Name: name, Version: name, GOROOT: root, Env: env}
	}
	return []Toolchain{tc(f[1], f[0]), tc("go1.19.8", debianGo119)}
}

// TestRealMatrixJUnitAgrees runs the fixture on Go 1.19 (build failure) and
// the test's Go (one failing test), and checks that the JSON of the cells
// and the JUnit XML (read back with encoding/xml) tell the same story.
func TestRealMatrixJUnitAgrees(t *testing.T) {
	tcs := realToolchains(t)
	dir := writeTree(t, fixtureFiles)
	host, _ := ParseTargets("")
	var events []string // the progress events, which come one at a time
	cells, err := Run(context.Background(), Request{
		Dir: dir, Toolchains: tcs, Targets: host, CacheDir: filepath.Join(os.TempDir(), "goforge-matrix-unittest"),
		LookPath: exec.LookPath,
		Started:  func(c Cell) { events = append(events, "start "+c.Toolchain+" "+c.Target+" "+c.Status) },
		Finished: func(c Cell) { events = append(events, "end "+c.Toolchain+" "+c.Target) },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		name := c.Toolchain + " " + c.Target
		start, end := slices.Index(events, "start "+name+" "), slices.Index(events, "end "+name)
		if start < 0 || end < start {
			t.Errorf("cell %s: events %q, want a start (with no status yet) before its end", name, events)
		}
	}
	newer, old := cells[0], cells[1]
	if newer.Status != StatusFail || newer.Passed != 2 || newer.Failed != 1 || newer.Skipped != 1 || newer.FirstFailure.Test != "TestBad" {
		t.Errorf("newest Go cell: %+v", newer)
	}
	if old.Status != StatusBuildFail || !strings.Contains(old.BuildError, "package slices is not in GOROOT") {
		t.Errorf("Go 1.19 cell: %s %q", old.Status, old.BuildError)
	}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, cells); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit output is not XML: %v\n%s", err, buf.Bytes())
	}
	js, _ := json.Marshal(cells)
	var back []Cell
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	var failed, skipped, tests int
	for _, c := range back {
		failed += c.Failed
		skipped += c.Skipped
		tests += c.Passed + c.Failed + c.Skipped
	}
	if doc.Failures != failed || doc.Skipped != skipped || doc.Errors != 1 || doc.Tests != tests+1 {
		t.Errorf("JUnit says %d tests, %d failures, %d errors, %d skipped; JSON says %d tests, %d failed, %d skipped, 1 build failure",
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tests, failed, skipped)
	}
	var sawBuild, sawBad bool
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			sawBuild = sawBuild || (c.Error != nil && strings.Contains(c.Error.Message, "slices") && strings.HasPrefix(s.Name, "go1.19.8"))
			sawBad = sawBad || (c.Name == "TestBad" && c.Failure != nil && strings.Contains(c.Failure.Body, "bad"))
		}
	}
	if !sawBuild || !sawBad {
		t.Errorf("JUnit lacks the build error (%v) or TestBad's failure (%v):\n%s", sawBuild, sawBad, buf.Bytes())
	}
}

func TestAPIIndexAndUses(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("needs the go command: %v", err)
	}
	idx, err := LoadAPI(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	for sym, want := range map[string]string{
		"slices": "go1.21", "slices.Contains": "go1.21", "slices.Concat": "go1.22", "strings.Cut": "go1.18",
		"fmt.Println": "go1", "math/rand/v2.N": "go1.22", "os.ReadFile": "go1.16",
	} {
		if got := idx[sym]; got != want {
			t.Errorf("%s: since %q, want %q", sym, got, want)
		}
	}
	dir := writeTree(t, map[string]string{
		"go.mod":        "module m\n",
		"a.go":          "package m\n\nimport (\n\t\"slices\"\n\tr \"math/rand/v2\"\n\t\"strings\"\n)\n\nvar _ = slices.Concat([]int{}, []int{r.N(3)})\nvar _, _, _ = strings.Cut(\"a\", \"b\")\n",
		"testdata/x.go": "package x\n\nimport \"iter\"\n\nvar _ iter.Seq[int]\n",
	})
	uses, err := UsedAPIs(dir, idx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range uses {
		got = append(got, u.Symbol+"@"+u.Since)
	}
	want := "math/rand/v2.N@go1.22 slices.Concat@go1.22 math/rand/v2@go1.22 slices@go1.21 strings.Cut@go1.18 strings@go1"
	if strings.Join(got, " ") != want {
		t.Errorf("uses = %s\nwant   %s", strings.Join(got, " "), want)
	}
}

func TestParseAPILine(t *testing.T) {
	for line, want := range map[string]string{
		"pkg slices, func Concat[$0 interface{ ~[]$1 }, $1 interface{}](...$0) $0 #56353": "slices Concat",
		"pkg syscall (linux-386), const AF_ALG = 38":                                      "syscall AF_ALG",
		"pkg go/ast, type File struct, GoVersion string #59033":                           "go/ast ",
		"pkg net/http, method (*Request) PathValue(string) string #61410":                 "net/http ",
		"pkg iter, type Seq[$0 interface{}] func(func($0) bool) #61897":                   "iter Seq",
		"pkg os, var ErrProcessDone error":                                                "os ErrProcessDone",
		"garbage":                                                                         "",
	} {
		p, s, ok := parseAPILine(line)
		got := ""
		if ok {
			got = p + " " + s
		}
		if got != want {
			t.Errorf("parseAPILine(%q) = %q, want %q", line, got, want)
		}
	}
}
