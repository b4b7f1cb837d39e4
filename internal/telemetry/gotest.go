package telemetry

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// A TestEvent is one line of `go test -json` (cmd/test2json's format).
type TestEvent struct {
	Time    time.Time `json:",omitempty"`
	Action  string
	Package string  `json:",omitempty"`
	Test    string  `json:",omitempty"`
	Elapsed float64 `json:",omitempty"` // seconds
	Output  string  `json:",omitempty"`
}

// A TestSpan is a package or a test of a `go test -json` run, with its
// outcome, ready to be drawn or exported.
type TestSpan struct {
	Package string
	Test    string // "" for the package itself
	Result  string // pass, fail, skip; "" when the run ended first
	Start   time.Time
	End     time.Time
}

// TestSpans reads a `go test -json` stream and returns one TestSpan per
// package and per test, in the order they finished. Lines that are not
// JSON (a test binary's own noise) are skipped.
func TestSpans(r io.Reader) ([]TestSpan, error) {
	type key struct{ pkg, test string }
	open := map[key]time.Time{}
	var out []TestSpan
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var ev TestEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Package == "" {
			continue
		}
		k := key{ev.Package, ev.Test}
		switch ev.Action {
		case "start", "run":
			open[k] = ev.Time
		case "pass", "fail", "skip":
			start, ok := open[k]
			if !ok || start.IsZero() {
				start = ev.Time.Add(-time.Duration(ev.Elapsed * float64(time.Second)))
			}
			delete(open, k)
			out = append(out, TestSpan{Package: ev.Package, Test: ev.Test, Result: ev.Action, Start: start, End: ev.Time})
		}
	}
	return out, sc.Err()
}

// EmitTestSpans makes spans of a `go test -json` run under the span in
// ctx: one per package, its tests as children.
func EmitTestSpans(ctx context.Context, tr trace.Tracer, spans []TestSpan) {
	pkgCtx := map[string]context.Context{}
	// Packages first, so tests find their parent.
	for _, s := range spans {
		if s.Test != "" {
			continue
		}
		c, span := tr.Start(ctx, "test "+s.Package, trace.WithTimestamp(s.Start), trace.WithAttributes(
			attribute.String("goforge.go.package", s.Package), attribute.String("goforge.test.result", s.Result)))
		if s.Result == "fail" {
			span.SetStatus(codes.Error, "tests failed")
		}
		span.End(trace.WithTimestamp(s.End))
		pkgCtx[s.Package] = c
	}
	for _, s := range spans {
		if s.Test == "" {
			continue
		}
		parent := pkgCtx[s.Package]
		if parent == nil {
			parent = ctx
		}
		_, span := tr.Start(parent, s.Test, trace.WithTimestamp(s.Start), trace.WithAttributes(
			attribute.String("goforge.go.package", s.Package), attribute.String("goforge.test.name", s.Test),
			attribute.String("goforge.test.result", s.Result)))
		if s.Result == "fail" {
			span.SetStatus(codes.Error, "test failed")
		}
		span.End(trace.WithTimestamp(s.End))
	}
}
