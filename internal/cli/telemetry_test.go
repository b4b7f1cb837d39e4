package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goforge/goforge/internal/telemetry/otlptest"
)

// TestBuildTraceToOTLP builds examples/hello for three targets with its
// trace sent to a real OTLP/HTTP receiver, and checks the span tree: one
// span per target under the command's, the phases under each target, and
// the go command's per-package compile actions under the target's compile
// phase, within the target's time.
func TestBuildTraceToOTLP(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	rcv := otlptest.New()
	defer rcv.Close()
	sb := isolate(t)
	for _, k := range []string{"GOCACHE", "GOMODCACHE"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		sb.env = append(sb.env, k+"="+strings.TrimSpace(string(out)))
	}
	src, _ := filepath.Abs("../../examples/hello/main.go")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(sb.dir, "main.go"), data, 0o644)
	os.WriteFile(filepath.Join(sb.dir, "go.mod"), []byte("module example.com/hello\ngo 1.22\n"), 0o644)
	html := filepath.Join(sb.dir, "timeline.html")
	code, _, errs := sb.run("build", "--targets", "linux/amd64,linux/arm64,windows/amd64", "--no-archive",
		"--otlp", rcv.URL, "--trace-html", html, ".")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, errs)
	}
	spans := rcv.Spans()
	byID := map[string]otlptest.Span{}
	for _, s := range spans {
		byID[s.SpanID] = s
	}
	targets := map[string]otlptest.Span{}
	for _, s := range spans {
		if strings.HasPrefix(s.Name, "target ") {
			if byID[s.ParentID].Name != "goforge build" {
				t.Errorf("%s is under %q", s.Name, byID[s.ParentID].Name)
			}
			targets[s.SpanID] = s
		}
	}
	if len(targets) != 3 {
		t.Fatalf("%d target spans, want 3 (%d spans in all)", len(targets), len(spans))
	}
	compiles := map[string][]otlptest.Span{}
	for _, s := range spans {
		if s.Attrs["goforge.go.action"] != "build" {
			continue
		}
		phase := byID[s.ParentID]
		tgt, ok := targets[phase.ParentID]
		if phase.Name != "compile" || !ok {
			t.Fatalf("go action %q is under %q, not a target's compile phase", s.Name, phase.Name)
		}
		compiles[tgt.SpanID] = append(compiles[tgt.SpanID], s)
	}
	for id, tgt := range targets {
		cs := compiles[id]
		if len(cs) < 5 {
			t.Errorf("%s: %d package actions", tgt.Name, len(cs))
			continue
		}
		var sum time.Duration
		for _, c := range cs {
			if c.Start.Before(tgt.Start) || c.End.After(tgt.End) {
				t.Errorf("%s: %s lies outside its target's span", tgt.Name, c.Name)
			}
			sum += c.End.Sub(c.Start)
		}
		span := tgt.End.Sub(tgt.Start)
		// The go command runs up to GOMAXPROCS actions at once, so their
		// sum may exceed the target's time by that factor, never the
		// time they cover together.
		if busy := covered(cs); busy > span {
			t.Errorf("%s: package actions cover %v, more than the target's %v", tgt.Name, busy, span)
		}
		if limit := time.Duration(runtime.NumCPU()) * span; sum > limit {
			t.Errorf("%s: package actions sum to %v, over %d × the target's %v", tgt.Name, sum, runtime.NumCPU(), span)
		}
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, tgt := range []string{"linux/amd64", "linux/arm64", "windows/amd64"} {
		if !strings.Contains(string(page), `data-lane="`+tgt+`"`) {
			t.Errorf("timeline has no lane for %s", tgt)
		}
	}
}

// covered is the length of the union of the spans' intervals.
func covered(spans []otlptest.Span) time.Duration {
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start.Before(spans[j].Start) })
	var total time.Duration
	var end time.Time
	for _, s := range spans {
		start := s.Start
		if start.Before(end) {
			start = end
		}
		if s.End.After(start) {
			total += s.End.Sub(start)
			end = s.End
		}
	}
	return total
}
