package matrix

import (
	"strings"
	"testing"
)

// go126BuildFail is what go1.26 'go test -json' prints for a compile error.
const go126BuildFail = `{"ImportPath":"example.com/bf [example.com/bf.test]","Action":"build-output","Output":"# example.com/bf [example.com/bf.test]\n"}
{"ImportPath":"example.com/bf [example.com/bf.test]","Action":"build-output","Output":"./bf.go:3:23: undefined: undefinedThing\n"}
{"ImportPath":"example.com/bf [example.com/bf.test]","Action":"build-fail"}
{"Time":"2026-11-30T15:06:15.547757109Z","Action":"start","Package":"example.com/bf"}
{"Time":"2026-11-30T15:06:15.547934882Z","Action":"output","Package":"example.com/bf","Output":"FAIL\texample.com/bf [build failed]\n"}
{"Time":"2026-11-30T15:06:15.547944851Z","Action":"fail","Package":"example.com/bf","Elapsed":0,"FailedBuild":"example.com/bf [example.com/bf.test]"}
`

const passFailSkip = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.5}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"run","Package":"p","Test":"TestB/sub"}
{"Action":"output","Package":"p","Test":"TestB/sub","Output":"    b_test.go:9: boom\n"}
{"Action":"fail","Package":"p","Test":"TestB/sub","Elapsed":0}
{"Action":"fail","Package":"p","Test":"TestB","Elapsed":0}
{"Action":"run","Package":"p","Test":"TestC"}
{"Action":"skip","Package":"p","Test":"TestC","Elapsed":0}
{"Action":"run","Package":"p","Test":"TestD"}
{"Action":"output","Package":"p","Test":"TestD","Output":"panic: oops\n"}
{"Action":"fail","Package":"p","Elapsed":1.5}
{"Action":"start","Package":"q"}
{"Action":"output","Package":"q","Output":"?   \tq\t[no test files]\n"}
{"Action":"skip","Package":"q","Elapsed":0}
`

func TestFill(t *testing.T) {
	for _, tt := range []struct {
		name                   string
		stdout, stderr         string
		exit                   int
		status                 string
		pass, fail, skip       int
		buildErr, firstFailure string
	}{
		{"go1.26 build failure", go126BuildFail, "", 1, StatusBuildFail, 0, 0, 0, "./bf.go:3:23: undefined: undefinedThing", ""},
		{"go1.19 build failure", "FAIL\texample.com/bf [build failed]\n",
			"# example.com/bf [example.com/bf.test]\n./bf.go:3:23: undefined: undefinedThing\nnote: module requires Go 1.21\n", 2,
			StatusBuildFail, 0, 0, 0, "./bf.go:3:23: undefined: undefinedThing", ""},
		{"go1.19 package not found", "", "fx.go:3:8: package slices is not in GOROOT (/usr/lib/go-1.19/src/slices)\n", 1,
			StatusBuildFail, 0, 0, 0, "fx.go:3:8: package slices is not in GOROOT (/usr/lib/go-1.19/src/slices)", ""},
		// TestD never ended (the package panicked): it counts as failed.
		{"tests", passFailSkip, "", 1, StatusFail, 1, 3, 1, "", "TestB/sub"},
		{"go crashed without output", "", "", 2, StatusBuildFail, 0, 0, 0, "go test exited with status 2", ""},
		{"nothing to test", `{"Action":"skip","Package":"q"}` + "\n", "", 0, StatusPass, 0, 0, 0, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c Cell
			fill(&c, parseTestJSON([]byte(tt.stdout)), goRun{Stderr: []byte(tt.stderr), ExitCode: tt.exit})
			if c.Status != tt.status || c.Passed != tt.pass || c.Failed != tt.fail || c.Skipped != tt.skip || c.BuildError != tt.buildErr {
				t.Errorf("got %s %d/%d/%d %q; want %s %d/%d/%d %q", c.Status, c.Passed, c.Failed, c.Skipped, c.BuildError,
					tt.status, tt.pass, tt.fail, tt.skip, tt.buildErr)
			}
			got := ""
			if c.FirstFailure != nil {
				got = c.FirstFailure.Test
			}
			if got != tt.firstFailure {
				t.Errorf("first failure %q, want %q", got, tt.firstFailure)
			}
		})
	}
}

func TestFailedTopsAndMarkFlaky(t *testing.T) {
	var c Cell
	fill(&c, parseTestJSON([]byte(passFailSkip)), goRun{ExitCode: 1})
	tops := failedTops(c.Tests)
	if got := strings.Join(tops["p"], ","); got != "TestB,TestD" {
		t.Fatalf("failed tops = %q", got)
	}
	markFlaky(&c, "p", map[string]bool{"TestB": true})
	summarise(&c)
	if c.Status != StatusFail || c.Flaky != 2 || c.Failed != 1 || c.FirstFailure.Test != "TestD" {
		t.Errorf("after TestB passed: %s flaky=%d failed=%d first=%+v", c.Status, c.Flaky, c.Failed, c.FirstFailure)
	}
	markFlaky(&c, "p", map[string]bool{"TestD": true})
	summarise(&c)
	if c.Status != StatusFlaky || c.Failed != 0 || c.Bad() {
		t.Errorf("after all passed: %s failed=%d", c.Status, c.Failed)
	}
}

func FuzzParseTestJSON(f *testing.F) {
	f.Add([]byte(go126BuildFail))
	f.Add([]byte(passFailSkip))
	f.Add([]byte("{\"Action\":\"output\"\n{}\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Cell
		fill(&c, parseTestJSON(data), goRun{ExitCode: 1})
		if c.Status == "" || c.Passed+c.Failed+c.Skipped > len(c.Tests) {
			t.Fatalf("inconsistent cell %+v", c)
		}
	})
}
