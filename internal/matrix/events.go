package matrix

import (
	"bufio"
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// Statuses of tests, packages and cells.
const (
	StatusPass      = "pass"
	StatusFail      = "fail"
	StatusSkip      = "skip"
	StatusFlaky     = "flaky"      // failed, then passed on a rerun
	StatusBuildFail = "build-fail" // did not compile (or its packages did not load)
	StatusSkipped   = "skipped"    // a cell that could not run here
)

// maxOutput bounds the output kept per failing test or package.
const maxOutput = 32 << 10

// TestResult is one test (or subtest) of one package.
type TestResult struct {
	Package string  `json:"package"`
	Name    string  `json:"name"`
	Status  string  `json:"status"`
	Elapsed float64 `json:"elapsed_seconds"`
	Output  string  `json:"output,omitempty"` // kept for failing and flaky tests
}

// PackageResult is one package's outcome.
type PackageResult struct {
	Package    string  `json:"package"`
	Status     string  `json:"status"`
	Elapsed    float64 `json:"elapsed_seconds"`
	BuildError string  `json:"build_error,omitempty"`
	Output     string  `json:"output,omitempty"` // kept when it failed
}

// testEvent is one line of 'go test -json' (cmd/test2json's TestEvent,
// plus the build events of Go 1.24 and later).
type testEvent struct {
	Action      string
	Package     string
	Test        string
	Elapsed     float64
	Output      string
	ImportPath  string
	FailedBuild string
}

// testRun is what one 'go test -json' printed, parsed.
type testRun struct {
	Packages []PackageResult
	Tests    []TestResult
	// BuildErrors holds the compiler's output per import path, from the
	// build-output events of Go 1.24 and later.
	BuildErrors map[string]string
	Stray       string // stdout lines that were not JSON
}

// parseTestJSON reads the output of 'go test -json'. Lines that are not
// JSON events (older go commands print some) are kept in Stray; nothing is
// an error, because a crashed run still says something useful.
func parseTestJSON(out []byte) testRun {
	p := eventParser{tests: map[[2]string]int{}, pkgs: map[string]int{}, run: testRun{BuildErrors: map[string]string{}}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var ev testEvent
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
			if len(p.run.Stray) < maxOutput {
				p.run.Stray += string(line) + "\n"
			}
			continue
		}
		p.event(ev)
	}
	return p.run
}

type eventParser struct {
	run   testRun
	tests map[[2]string]int // (package, test) -> index in run.Tests
	pkgs  map[string]int    // package -> index in run.Packages
}

func (p *eventParser) event(ev testEvent) {
	switch {
	case ev.Action == "build-output":
		if s := p.run.BuildErrors[ev.ImportPath]; len(s) < maxOutput {
			p.run.BuildErrors[ev.ImportPath] = s + ev.Output
		}
	case ev.Package == "":
	case ev.Test != "":
		p.testEvent(ev)
	default:
		p.packageEvent(ev)
	}
}

func (p *eventParser) testEvent(ev testEvent) {
	k := [2]string{ev.Package, ev.Test}
	i, ok := p.tests[k]
	if !ok {
		i = len(p.run.Tests)
		p.tests[k] = i
		p.run.Tests = append(p.run.Tests, TestResult{Package: ev.Package, Name: ev.Test})
	}
	t := &p.run.Tests[i]
	switch ev.Action {
	case "output":
		if len(t.Output) < maxOutput {
			t.Output += ev.Output
		}
	case "pass", "fail", "skip":
		t.Status, t.Elapsed = ev.Action, ev.Elapsed
	}
}

func (p *eventParser) packageEvent(ev testEvent) {
	i, ok := p.pkgs[ev.Package]
	if !ok {
		i = len(p.run.Packages)
		p.pkgs[ev.Package] = i
		p.run.Packages = append(p.run.Packages, PackageResult{Package: ev.Package})
	}
	pk := &p.run.Packages[i]
	switch ev.Action {
	case "output":
		if len(pk.Output) < maxOutput {
			pk.Output += ev.Output
		}
		if strings.HasSuffix(strings.TrimSpace(ev.Output), "[build failed]") ||
			strings.HasSuffix(strings.TrimSpace(ev.Output), "[setup failed]") {
			pk.Status = StatusBuildFail
		}
	case "pass", "skip":
		pk.Status, pk.Elapsed = ev.Action, ev.Elapsed
	case "fail":
		pk.Elapsed = ev.Elapsed
		if ev.FailedBuild != "" {
			pk.Status = StatusBuildFail
			pk.BuildError = firstError(p.run.BuildErrors[ev.FailedBuild])
		} else if pk.Status != StatusBuildFail {
			pk.Status = StatusFail
		}
	}
}

// errorLine matches a compiler or loader error: "x.go:3:8: message".
var errorLine = regexp.MustCompile(`^\S+\.go:\d+(:\d+)?: `)

// firstError returns the first error line of a compiler's (or the go
// command's) output: a file:line: message line when there is one, else the
// first line that is not a "# package" header.
func firstError(out string) string {
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		if errorLine.MatchString(strings.TrimSpace(l)) {
			return strings.TrimSpace(l)
		}
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "FAIL") && !strings.HasPrefix(l, "ok ") {
			return l
		}
	}
	return ""
}
