package matrix

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// rerunFails reruns c's failed top-level tests, package by package, up to
// req.RerunFails times. A test that passes on a rerun is flaky: it stops
// counting as a failure, and so does its package when nothing else in it
// failed.
func rerunFails(ctx context.Context, req *Request, c *Cell, goBin string, env, execArgs []string) error {
	for attempt := 0; attempt < req.RerunFails; attempt++ {
		fails := failedTops(c.Tests)
		if len(fails) == 0 {
			break
		}
		pkgs := make([]string, 0, len(fails))
		for p := range fails {
			pkgs = append(pkgs, p)
		}
		sort.Strings(pkgs)
		for _, pkg := range pkgs {
			passed, err := rerunPackage(ctx, req, goBin, env, execArgs, pkg, fails[pkg])
			if err != nil {
				return err
			}
			markFlaky(c, pkg, passed)
		}
	}
	summarise(c)
	return nil
}

// rerunPackage runs the named top-level tests of pkg again and returns
// those that passed.
func rerunPackage(ctx context.Context, req *Request, goBin string, env, execArgs []string, pkg string, tests []string) (map[string]bool, error) {
	quoted := make([]string, len(tests))
	for i, t := range tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	args := append([]string{"test", "-json"}, execArgs...)
	args = append(args, req.TestFlags...)
	args = append(args, "-count=1", "-run", "^("+strings.Join(quoted, "|")+")$", pkg)
	res, err := runGo(ctx, goBin, req.Dir, env, args)
	if err != nil {
		return nil, fmt.Errorf("rerunning %s in %s: %w", strings.Join(tests, ", "), pkg, err)
	}
	passed := map[string]bool{}
	for _, t := range parseTestJSON(res.Stdout).Tests {
		if t.Status == StatusPass && !strings.Contains(t.Name, "/") && contains(tests, t.Name) {
			passed[t.Name] = true
		}
	}
	return passed, nil
}

// markFlaky turns the failures of pkg whose top-level test passed on a
// rerun into flaky results.
func markFlaky(c *Cell, pkg string, passed map[string]bool) {
	left := false
	for i := range c.Tests {
		t := &c.Tests[i]
		if t.Package != pkg || t.Status != StatusFail {
			continue
		}
		top, _, _ := strings.Cut(t.Name, "/")
		if !passed[top] {
			left = true
			continue
		}
		t.Status = StatusFlaky
		c.Failed--
		c.Flaky++
		c.FlakyTests = append(c.FlakyTests, pkg+"."+t.Name)
	}
	if left {
		return
	}
	for i := range c.Packages {
		if p := &c.Packages[i]; p.Package == pkg && p.Status == StatusFail && hasFlaky(c.Tests, pkg) {
			p.Status = StatusFlaky
		}
	}
}

func hasFlaky(tests []TestResult, pkg string) bool {
	for _, t := range tests {
		if t.Package == pkg && t.Status == StatusFlaky {
			return true
		}
	}
	return false
}
