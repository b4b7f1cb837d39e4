package matrix

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestCellJSONSchema holds 'goforge matrix --json' to docs/matrix.md: every
// documented key is there for every kind of cell, lists are never null,
// and only first_failure and flaky_tests are left out when empty.
func TestCellJSONSchema(t *testing.T) {
	always := []string{"go", "toolchain", "target", "status", "passed", "failed", "skipped", "flaky",
		"duration_seconds", "cached", "skip_reason", "build_error", "packages", "tests"}
	optional := []string{"first_failure", "flaky_tests"}
	cells := []Cell{
		{Go: "go1.22.5", Toolchain: "go1.22.5", Target: "windows/amd64", Status: StatusSkipped, SkipReason: "no runner"},
		{Go: "go1.19.8", Toolchain: "go1.19.8", Target: "linux/amd64", Status: StatusBuildFail, BuildError: "fx.go:3:8: package slices is not in GOROOT"},
		{Go: "go1.22.5", Toolchain: "go1.22.5", Target: "linux/amd64", Status: StatusPass, Passed: 1,
			Packages: []PackageResult{{Package: "m", Status: StatusPass}}, Tests: []TestResult{{Package: "m", Name: "TestM", Status: StatusPass}}},
		{Go: "go1.22.5", Toolchain: "go1.22.5", Target: "linux/amd64", Status: StatusFail, Failed: 1,
			FirstFailure: &Failure{Package: "m", Test: "TestM", Output: "boom"}, FlakyTests: []string{"m.TestF"},
			Packages: []PackageResult{{Package: "m", Status: StatusFail}}, Tests: []TestResult{{Package: "m", Name: "TestM", Status: StatusFail}}},
	}
	for _, c := range cells {
		for _, v := range []any{c, &c} {
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range always {
				if _, ok := m[k]; !ok {
					t.Errorf("%s cell: no %q in %s", c.Status, k, data)
				}
			}
			for k, raw := range m {
				if !slices.Contains(always, k) && !slices.Contains(optional, k) {
					t.Errorf("%s cell: undocumented key %q", c.Status, k)
				}
				if string(raw) == "null" {
					t.Errorf("%s cell: %q is null in %s", c.Status, k, data)
				}
			}
			if !strings.Contains(string(data), `"tests":[`) || !strings.Contains(string(data), `"packages":[`) {
				t.Errorf("%s cell: tests or packages not a list: %s", c.Status, data)
			}
			// It reads back as it was (the result cache stores cells so).
			var back Cell
			if err := json.Unmarshal(data, &back); err != nil || back.Status != c.Status || back.SkipReason != c.SkipReason || back.BuildError != c.BuildError {
				t.Errorf("%s cell does not read back: %v %+v", c.Status, err, back)
			}
		}
	}
}
