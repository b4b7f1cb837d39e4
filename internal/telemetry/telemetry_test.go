package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/goforge/goforge/internal/telemetry/otlptest"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// fakeBuild does what a build command's telemetry does: a span per target
// with phases under it.
func fakeBuild(ctx context.Context, s *Session, targets ...string) {
	for _, t := range targets {
		tctx, span := s.Span(ctx, "target "+t, attribute.String("goforge.target", t))
		for _, ph := range []string{"list inputs", "compile", "verify", "archive"} {
			_, p := s.Span(tctx, ph)
			p.End()
		}
		span.End()
	}
}

func TestOffByDefault(t *testing.T) {
	var stderr bytes.Buffer
	ctx, s, err := Start(context.Background(), Config{Command: "build", Getenv: env(nil)}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if s.Enabled() || s.Metrics != nil || s.TraceID() != "" {
		t.Fatalf("telemetry on with an empty config: enabled=%v metrics=%v", s.Enabled(), s.Metrics)
	}
	fakeBuild(ctx, s, "linux/amd64")
	s.End(nil)
	if stderr.Len() != 0 {
		t.Fatalf("stderr = %q", stderr.String())
	}
}

func TestExportToReceiver(t *testing.T) {
	rcv := otlptest.New()
	defer rcv.Close()
	parent := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	var stderr bytes.Buffer
	ctx, s, err := Start(context.Background(), Config{Command: "build", Getenv: env(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL,
		"OTEL_EXPORTER_OTLP_HEADERS":  "Authorization=Bearer%20s3cret,x-team=go",
		"OTEL_SERVICE_NAME":           "ci-release",
		"OTEL_RESOURCE_ATTRIBUTES":    "deployment.environment=test,team=platform",
		"TRACEPARENT":                 parent,
	})}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	fakeBuild(ctx, s, "linux/amd64", "linux/arm64")
	s.End(errors.New("one target failed"))
	if stderr.Len() != 0 {
		t.Fatalf("stderr = %q", stderr.String())
	}
	spans := rcv.Spans()
	if len(spans) != 1+2*5 {
		t.Fatalf("got %d spans, want 11", len(spans))
	}
	byID := map[string]otlptest.Span{}
	for _, sp := range spans {
		byID[sp.SpanID] = sp
		if sp.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("span %q in trace %s, want the TRACEPARENT's", sp.Name, sp.TraceID)
		}
		if sp.Resource["service.name"] != "ci-release" || sp.Resource["team"] != "platform" {
			t.Errorf("resource = %v", sp.Resource)
		}
	}
	for _, sp := range spans {
		switch {
		case sp.Name == "goforge build":
			if sp.ParentID != "00f067aa0ba902b7" || !sp.Error || sp.Attrs["error.type"] == "" {
				t.Errorf("root span = %+v", sp)
			}
		case strings.HasPrefix(sp.Name, "target "):
			if byID[sp.ParentID].Name != "goforge build" || sp.Attrs["goforge.target"] == "" {
				t.Errorf("target span %q parent %q", sp.Name, byID[sp.ParentID].Name)
			}
		default:
			if !strings.HasPrefix(byID[sp.ParentID].Name, "target ") {
				t.Errorf("phase %q parent %q", sp.Name, byID[sp.ParentID].Name)
			}
		}
	}
	h := rcv.Headers()
	if len(h) == 0 || h[0].Get("Authorization") != "Bearer s3cret" || h[0].Get("X-Team") != "go" {
		t.Errorf("headers = %v", h)
	}
}

func TestReceiverJSON(t *testing.T) {
	rcv := otlptest.New()
	defer rcv.Close()
	body := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"x"}}]},` +
		`"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"j",` +
		`"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}`
	resp, err := http.Post(rcv.URL+"/v1/traces", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(rcv.Spans()) != 1 || rcv.Spans()[0].Name != "j" {
		t.Fatalf("status %d spans %v", resp.StatusCode, rcv.Spans())
	}
}

func TestExportFaults(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}))
	defer hang.Close()
	refusing := otlptest.New()
	refusing.Status = 500
	defer refusing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unreachable", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": closedURL}, "exporting the trace"},
		{"hangs", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": hang.URL, "OTEL_EXPORTER_OTLP_TIMEOUT": "300"}, "exporting the trace"},
		{"500", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": refusing.URL}, "500"},
		{"bad headers", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": refusing.URL, "OTEL_EXPORTER_OTLP_HEADERS": "Authorization"}, "malformed OTEL_EXPORTER_OTLP_HEADERS"},
		{"bad endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://x"}, "not an http(s) URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			ctx, s, err := Start(context.Background(), Config{Command: "build", Getenv: env(tc.env)}, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			fakeBuild(ctx, s, "linux/amd64")
			done := make(chan struct{})
			go func() { s.End(nil); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("End did not return: the export is not bounded")
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "goforge: warning: ") || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("stderr = %q, want one warning containing %q", stderr.String(), tc.want)
			}
			if strings.Contains(stderr.String(), "s3cret") {
				t.Fatal("a credential was printed")
			}
		})
	}
	if refusing.Requests() == 0 {
		t.Error("the 500 receiver saw no request")
	}
}

func TestBadOTLPFlag(t *testing.T) {
	_, _, err := Start(context.Background(), Config{OTLP: "localhost:4318", Command: "build", Getenv: env(nil)}, nil)
	if err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseHeaders(t *testing.T) {
	h, err := ParseHeaders(" api-key = a%2Cb , x=1,,")
	if err != nil || h["api-key"] != "a,b" || h["x"] != "1" {
		t.Fatalf("%v %v", h, err)
	}
	for _, bad := range []string{"novalue", "=v", "a b=c", "k=%zz"} {
		if _, err := ParseHeaders(bad); err == nil {
			t.Errorf("ParseHeaders(%q) accepted", bad)
		}
	}
	_, err = ParseHeaders("Authorization Bearer=tok3n")
	if err == nil || strings.Contains(err.Error(), "tok3n") {
		t.Errorf("err = %v (must not show the value)", err)
	}
}

func TestJSONLogsCarryTraceIDs(t *testing.T) {
	var stderr bytes.Buffer
	ctx, s, err := Start(context.Background(), Config{Command: "build", LogFormat: "json", TraceHTML: filepath.Join(t.TempDir(), "t.html"), Getenv: env(nil)}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, span := s.Span(ctx, "target linux/amd64")
	s.Log.InfoContext(ctx, "built", "target", "linux/amd64")
	span.End()
	s.End(nil)
	var rec map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(stderr.String(), "\n", 2)[0]), &rec); err != nil {
		t.Fatalf("%v: %q", err, stderr.String())
	}
	if rec["trace_id"] != s.TraceID() || rec["span_id"] != span.SpanContext().SpanID().String() || rec["msg"] != "built" {
		t.Fatalf("log record = %v (trace %s)", rec, s.TraceID())
	}
}

// goBuildTrace builds a tiny module with -debug-trace and
// -debug-actiongraph.
func goBuildTrace(t *testing.T, dir, cache string) ([]GoAction, map[string]bool) {
	t.Helper()
	tr, ag := filepath.Join(dir, "trace.json"), filepath.Join(dir, "graph.json")
	cmd := exec.Command("go", "build", "-debug-actiongraph="+ag, "-debug-trace="+tr, "-o", os.DevNull, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOCACHE="+cache, "GOFLAGS=", "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v\n%s", err, stderr.String())
	}
	f, err := os.Open(tr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	acts, err := ParseDebugTrace(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.Open(ag)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	compiled, err := CompiledPackages(g)
	if err != nil {
		t.Fatal(err)
	}
	return acts, compiled
}

func TestDebugTraceAndCache(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	// The machine's build cache: the standard library is in it after the
	// first build, and the main package is compiled again after each edit.
	dir, cache := t.TempDir(), ""
	if out, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		cache = strings.TrimSpace(string(out))
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/tiny\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nimport \"strconv\"\nfunc main(){ println(strconv.Itoa(1)) }\n"), 0o644)

	acts, compiled := goBuildTrace(t, dir, cache)
	MarkCached(acts, compiled)
	modes := map[string]int{}
	for _, a := range acts {
		modes[a.Mode]++
		if a.Package == "example.com/tiny" && a.Mode == "build" && a.Cached {
			t.Errorf("new main package marked cached")
		}
		if a.End.Before(a.Start) || a.Start.IsZero() {
			t.Errorf("action %+v has bad times", a)
		}
	}
	if modes["build"] < 5 || modes["link"] != 1 || !compiled["example.com/tiny"] {
		t.Fatalf("modes %v, compiled %v", modes, compiled)
	}

	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nimport \"strconv\"\nfunc main(){ println(strconv.Itoa(2)) }\n"), 0o644)
	acts, compiled = goBuildTrace(t, dir, cache)
	MarkCached(acts, compiled)
	for _, a := range acts {
		if a.Mode == "build" && a.Cached != (a.Package != "example.com/tiny") {
			t.Errorf("warm build after an edit: %s cached=%v", a.Package, a.Cached)
		}
	}

	// As child spans of a target, within its time.
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	tr := tp.Tracer("t")
	start := acts[0].Start.Add(-time.Millisecond)
	ctx, target := tr.Start(context.Background(), "target linux/amd64", traceStart(start))
	m := NewMetrics()
	EmitGoActions(ctx, tr, m, acts)
	target.End()
	var sum time.Duration
	for _, sp := range exp.GetSpans() {
		if sp.Name == "target linux/amd64" {
			continue
		}
		if sp.Parent.SpanID() != target.SpanContext().SpanID() {
			t.Errorf("%s is not a child of the target", sp.Name)
		}
		if sp.StartTime.Before(start) {
			t.Errorf("%s starts before its target", sp.Name)
		}
		sum += sp.EndTime.Sub(sp.StartTime)
	}
	if n := len(exp.GetSpans()); n < 6 {
		t.Fatalf("%d spans", n)
	}
	_ = sum
}

func TestCompiledPackages(t *testing.T) {
	in := `[{"ID":0,"Mode":"link","Package":"x","Cmd":["link"]},{"ID":1,"Mode":"build","Package":"x","Cmd":["compile"]},
{"ID":2,"Mode":"build","Package":"fmt"},{"ID":3,"Mode":"build","Package":"runtime","Cmd":[]}]`
	got, err := CompiledPackages(strings.NewReader(in))
	if err != nil || !got["x"] || got["fmt"] || got["runtime"] || len(got) != 1 {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := CompiledPackages(strings.NewReader("[{")); err == nil {
		t.Error("truncated action graph accepted")
	}
}

func TestParseDebugTraceTruncated(t *testing.T) {
	in := `[{"name":"Executing action (build fmt)","ph":"B","ts":1000,"tid":1}
,{"name":"Executing action (build fmt)","ph":"E","ts":3000,"tid":1}
,{"name":"Executing action (link)","ph":"B","ts":3000,"tid":1}
,{"name":"Executing act`
	acts, err := ParseDebugTrace(strings.NewReader(in))
	if err != nil || len(acts) != 1 || acts[0].Package != "fmt" || acts[0].End.Sub(acts[0].Start) != 2*time.Millisecond {
		t.Fatalf("%+v %v", acts, err)
	}
	for _, bad := range []string{"", "{}", "[1,2", `[{"ts":"x"}]`, `[{"name":"Executing action (build x)","ph":"E","ts":1e300}]`} {
		if _, err := ParseDebugTrace(strings.NewReader(bad)); err != nil && bad != "{}" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestTestSpans(t *testing.T) {
	in := `{"Time":"2026-01-01T00:00:00Z","Action":"start","Package":"p"}
{"Time":"2026-01-01T00:00:00.1Z","Action":"run","Package":"p","Test":"TestA"}
not json
{"Time":"2026-01-01T00:00:00.3Z","Action":"fail","Package":"p","Test":"TestA","Elapsed":0.2}
{"Time":"2026-01-01T00:00:00.4Z","Action":"skip","Package":"p","Test":"TestB","Elapsed":0}
{"Time":"2026-01-01T00:00:01Z","Action":"fail","Package":"p","Elapsed":1}
`
	spans, err := TestSpans(strings.NewReader(in))
	if err != nil || len(spans) != 3 {
		t.Fatalf("%+v %v", spans, err)
	}
	if spans[0].Test != "TestA" || spans[0].Result != "fail" || spans[0].End.Sub(spans[0].Start) != 200*time.Millisecond {
		t.Errorf("%+v", spans[0])
	}
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	EmitTestSpans(context.Background(), tp.Tracer("t"), spans)
	got := exp.GetSpans()
	if len(got) != 3 {
		t.Fatalf("%d spans", len(got))
	}
	var pkgID string
	for _, s := range got {
		if s.Name == "test p" {
			pkgID = s.SpanContext.SpanID().String()
		}
	}
	for _, s := range got {
		if s.Name != "test p" && s.Parent.SpanID().String() != pkgID {
			t.Errorf("%s not under its package", s.Name)
		}
	}
}
