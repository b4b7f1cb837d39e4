package telemetry

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// The methods in this file are what capability packages call. All are
// safe on a nil *Session, so a package can take a session as an optional
// field and call it unconditionally.

var noopTracer = noop.NewTracerProvider().Tracer("")

// Start begins a child span of the span in ctx.
func (s *Session) Start(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if s == nil {
		return noopTracer.Start(ctx, name)
	}
	return s.tracer.Start(ctx, name, trace.WithAttributes(attrs...))
}

// WantGoTrace reports whether the go command should be run with
// -debug-trace and -debug-actiongraph so that its package actions become
// spans and cache metrics.
func (s *Session) WantGoTrace() bool {
	return s != nil && (s.tp != nil || s.Metrics != nil)
}

// GoBuild turns one go command run into child spans of the span in ctx
// and counts its actions: traceFile is its -debug-trace output, graphFile
// its -debug-actiongraph output. A missing or damaged file costs spans or
// cache marks, never the build.
func (s *Session) GoBuild(ctx context.Context, traceFile, graphFile string) {
	if !s.WantGoTrace() {
		return
	}
	f, err := os.Open(traceFile)
	if err != nil {
		return
	}
	defer f.Close()
	acts, _ := ParseDebugTrace(f)
	if g, err := os.Open(graphFile); err == nil {
		compiled, err := CompiledPackages(g)
		g.Close()
		if err == nil {
			MarkCached(acts, compiled)
		}
	}
	EmitGoActions(ctx, s.tracer, s.Metrics, acts)
}

// TargetDone records a finished build target: status is built, skipped
// or failed; size is the output's size in bytes (0: none).
func (s *Session) TargetDone(target, status string, d time.Duration, size int64) {
	if s == nil || s.Metrics == nil {
		return
	}
	s.Metrics.BuildDuration.WithLabelValues(target, status).Observe(d.Seconds())
	s.Metrics.BuildTargets.WithLabelValues(status).Inc()
	if size > 0 {
		s.Metrics.BuildBytes.WithLabelValues(target).Set(float64(size))
	}
}

// InstallPhase records how long a phase of a toolchain install took.
func (s *Session) InstallPhase(phase string, d time.Duration) {
	if s == nil || s.Metrics == nil {
		return
	}
	s.Metrics.InstallPhaseDuration.WithLabelValues(phase).Observe(d.Seconds())
}

// InstallBytes counts bytes downloaded or read for an install.
func (s *Session) InstallBytes(source string, n int64) {
	if s == nil || s.Metrics == nil || n <= 0 {
		return
	}
	s.Metrics.InstallBytes.WithLabelValues(source).Add(float64(n))
}

// InstallVerifyFailed counts an archive that failed verification.
func (s *Session) InstallVerifyFailed(source string) {
	if s == nil || s.Metrics == nil {
		return
	}
	s.Metrics.InstallVerifyFailed.WithLabelValues(source).Inc()
}

// TestCell records one Go version × target cell of a test matrix: its
// results by outcome (pass, fail, skip, flaky) and its wall time.
func (s *Session) TestCell(goVersion, target string, results map[string]int, d time.Duration) {
	if s == nil || s.Metrics == nil {
		return
	}
	for r, n := range results {
		s.Metrics.TestResults.WithLabelValues(goVersion, target, r).Add(float64(n))
	}
	s.Metrics.TestDuration.WithLabelValues(goVersion, target).Observe(d.Seconds())
}

// GoTest turns a `go test -json` stream into spans under the span in ctx.
func (s *Session) GoTest(ctx context.Context, jsonStream []byte) {
	if s == nil || s.tp == nil {
		return
	}
	spans, _ := TestSpans(bytes.NewReader(jsonStream))
	EmitTestSpans(ctx, s.tracer, spans)
}

// Logger is the session's structured logger (discarding when off).
func (s *Session) Logger() *slog.Logger {
	if s == nil || s.Log == nil {
		return discardLogger
	}
	return s.Log
}

// StructuredLogs reports whether diagnostics go out as JSON log lines
// (--log-format json), so a command leaves out its lines for people.
func (s *Session) StructuredLogs() bool { return s != nil && s.cfg.LogFormat == "json" }

// PastSpan records work that was timed by someone else (make.bash's
// phases, read from its output) as a finished child span of the span in
// ctx, and as an install phase in the metrics.
func (s *Session) PastSpan(ctx context.Context, name string, start time.Time, d time.Duration, failed bool) {
	if s == nil {
		return
	}
	_, span := s.tracer.Start(ctx, name, trace.WithTimestamp(start))
	if failed {
		span.SetStatus(codes.Error, "did not finish")
	}
	span.End(trace.WithTimestamp(start.Add(d)))
	s.InstallPhase(name, d)
}
