package matrix

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goforge/goforge/internal/release"
)

// JUnit XML, in the shape CI systems read (Jenkins, GitLab, GitHub test
// reporters): one testsuite per (cell, package).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Time     string          `xml:"time,attr"`
	Props    []junitProperty `xml:"properties>property,omitempty"`
	Cases    []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes cells as JUnit XML. Failed tests are failures; a
// package that did not build is an error; flaky tests pass with their
// failed attempt's output in system-out; skipped cells are one skipped case.
func WriteJUnit(w io.Writer, cells []Cell) error {
	var doc junitSuites
	for _, c := range cells {
		for _, s := range cellSuites(c) {
			doc.Tests += s.Tests
			doc.Failures += s.Failures
			doc.Errors += s.Errors
			doc.Skipped += s.Skipped
			doc.Suites = append(doc.Suites, s)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("writing JUnit XML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func cellSuites(c Cell) []junitSuite {
	prefix := c.Toolchain + " " + c.Target
	props := []junitProperty{{"go.version", c.Go}, {"target", c.Target}, {"status", c.Status}}
	if c.Status == StatusSkipped {
		return []junitSuite{{Name: prefix, Tests: 1, Skipped: 1, Time: "0", Props: props,
			Cases: []junitCase{{Name: "(all tests)", Classname: prefix, Time: "0", Skipped: &junitMessage{Message: c.SkipReason}}}}}
	}
	var suites []junitSuite
	for _, p := range c.Packages {
		s := junitSuite{Name: prefix + " " + p.Package, Time: seconds(p.Elapsed), Props: props}
		if p.Status == StatusBuildFail {
			msg := p.BuildError
			if msg == "" {
				msg = c.BuildError
			}
			s.Tests, s.Errors = 1, 1
			s.Cases = append(s.Cases, junitCase{Name: "(build)", Classname: p.Package, Time: "0",
				Error: &junitMessage{Message: msg, Type: "build failed", Body: p.Output}})
		}
		for _, t := range c.Tests {
			if t.Package == p.Package {
				addCase(&s, t)
			}
		}
		suites = append(suites, s)
	}
	if len(c.Packages) == 0 && c.Status == StatusBuildFail {
		suites = append(suites, junitSuite{Name: prefix, Tests: 1, Errors: 1, Time: seconds(c.Duration), Props: props,
			Cases: []junitCase{{Name: "(build)", Classname: prefix, Time: "0",
				Error: &junitMessage{Message: c.BuildError, Type: "build failed"}}}})
	}
	return suites
}

func addCase(s *junitSuite, t TestResult) {
	tc := junitCase{Name: t.Name, Classname: t.Package, Time: seconds(t.Elapsed)}
	switch t.Status {
	case StatusFail:
		tc.Failure = &junitMessage{Message: "failed", Body: t.Output}
		s.Failures++
	case StatusSkip:
		tc.Skipped = &junitMessage{Message: "skipped", Body: t.Output}
		s.Skipped++
	case StatusFlaky:
		tc.SystemOut = "flaky: failed, then passed on a rerun\n" + t.Output
	case "":
		// Started but never finished: the package timed out or crashed.
		tc.Failure = &junitMessage{Message: "did not finish", Body: t.Output}
		s.Failures++
	}
	s.Tests++
	s.Cases = append(s.Cases, tc)
}

func seconds(f float64) string { return fmt.Sprintf("%.3f", f) }

// CheckJUnitPath reports why path cannot take the JUnit file, so that a
// bad --junit is found before the cells run rather than after: its
// directory is missing or not writable, or path is a directory.
func CheckJUnitPath(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--junit %s: is a directory", path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("--junit %s: %w", path, err)
	} else if !fi.IsDir() {
		return fmt.Errorf("--junit %s: %s is not a directory", path, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".check*")
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("--junit %s: directory %s is not writable", path, dir)
	}
	if err != nil {
		return fmt.Errorf("--junit %s: %w", path, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// WriteJUnitFile writes cells as JUnit XML to path, atomically: a reader
// never sees half a file, and a failed write leaves the old one.
func WriteJUnitFile(path string, cells []Cell) error {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, cells); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return release.WriteFileAtomic(path, buf.Bytes(), 0o644)
}
