package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// DefaultExportTimeout bounds how long the end of a command waits for its
// trace to be accepted, so an unreachable collector costs seconds, not a
// hang. OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds) overrides it.
const DefaultExportTimeout = 5 * time.Second

// A Session is one command's telemetry: its tracer, its metrics and its
// logger. A Session from a zero Config does nothing and costs nothing.
type Session struct {
	cfg     Config
	warn    io.Writer
	tracer  trace.Tracer
	tp      *sdktrace.TracerProvider
	rec     *recorder
	exp     sdktrace.SpanExporter
	timeout time.Duration
	root    trace.Span
	rootCtx context.Context
	start   time.Time
	Metrics *Metrics
	Log     *slog.Logger

	mu       sync.Mutex
	warnings []string
}

// Start begins a command's telemetry. Problems with the environment's
// OTEL_* settings are warnings (the command still runs, and says once why
// traces are not exported); a malformed --otlp URL is an error.
func Start(ctx context.Context, cfg Config, stderr io.Writer) (context.Context, *Session, error) {
	s := &Session{cfg: cfg, warn: stderr, tracer: noop.NewTracerProvider().Tracer(""), timeout: DefaultExportTimeout,
		rootCtx: ctx, start: time.Now()}
	s.Log = newLogger(cfg.LogFormat, stderr)
	if cfg.MetricsFile != "" || cfg.MetricsPush != "" {
		s.Metrics = NewMetrics()
	}
	if !cfg.Traces() {
		return ctx, s, s.checkOTLPFlag()
	}
	if err := s.startTraces(); err != nil {
		return ctx, s, err
	}
	ctx = propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{
		"traceparent": cfg.getenv("TRACEPARENT"), "tracestate": cfg.getenv("TRACESTATE"),
	})
	ctx, s.root = s.tracer.Start(ctx, "goforge "+cfg.Command, trace.WithAttributes(
		semconv.ProcessPID(os.Getpid()),
		attribute.String("goforge.command", cfg.Command)))
	s.rootCtx = ctx
	return ctx, s, nil
}

func (s *Session) checkOTLPFlag() error {
	if s.cfg.OTLP == "" {
		return nil
	}
	_, err := s.cfg.tracesEndpoint()
	return err
}

// startTraces builds the tracer provider: spans are kept in memory by a
// recorder and exported in one bounded call at End, so no background
// exporter can hang or print on its own.
func (s *Session) startTraces() error {
	ep, err := s.cfg.tracesEndpoint()
	if err != nil {
		if s.cfg.OTLP != "" {
			return err
		}
		s.warnf("not exporting traces: %v", err)
	}
	if t := s.cfg.getenv("OTEL_EXPORTER_OTLP_TIMEOUT"); t != "" {
		if ms, err := strconv.Atoi(t); err == nil && ms > 0 {
			s.timeout = time.Duration(ms) * time.Millisecond
		} else {
			s.warnf("ignoring OTEL_EXPORTER_OTLP_TIMEOUT=%q (want milliseconds)", clip(t, 20))
		}
	}
	if ep != "" {
		s.exp, err = s.newExporter(ep)
		if err != nil {
			s.warnf("not exporting traces: %v", err)
		}
	}
	if s.exp == nil && s.cfg.TraceHTML == "" {
		return nil
	}
	res, err := s.resource()
	if err != nil {
		s.warnf("%v", err)
	}
	// The SDK reports its own failures through a global handler that
	// would print with the log package; this session reports them once.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {}))
	s.rec = &recorder{}
	s.tp = sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithSpanProcessor(s.rec))
	s.tracer = s.tp.Tracer("github.com/goforge/goforge")
	return nil
}

func (s *Session) newExporter(endpoint string) (sdktrace.SpanExporter, error) {
	headers, err := ParseHeaders(s.cfg.getenv("OTEL_EXPORTER_OTLP_HEADERS"))
	if err != nil {
		return nil, err
	}
	if th := s.cfg.getenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS"); th != "" {
		more, err := ParseHeaders(th)
		if err != nil {
			return nil, err
		}
		for k, v := range more {
			headers[k] = v
		}
	}
	return otlptracehttp.New(context.Background(),
		otlptracehttp.WithEndpointURL(endpoint),
		otlptracehttp.WithHeaders(headers),
		otlptracehttp.WithTimeout(s.timeout),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
}

func (s *Session) resource() (*resource.Resource, error) {
	name := s.cfg.getenv("OTEL_SERVICE_NAME")
	if name == "" {
		name = "goforge"
	}
	attrs := []attribute.KeyValue{semconv.ServiceName(name), semconv.ServiceVersion(goforgeVersion())}
	extra, err := ParseResourceAttributes(s.cfg.getenv("OTEL_RESOURCE_ATTRIBUTES"))
	for k, v := range extra {
		if k != "service.name" || s.cfg.getenv("OTEL_SERVICE_NAME") == "" {
			attrs = append(attrs, attribute.String(k, v))
		}
	}
	return resource.NewSchemaless(attrs...), err
}

func goforgeVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// Tracer is the session's tracer: a no-op one when traces are off.
func (s *Session) Tracer() trace.Tracer {
	if s == nil {
		return noopTracer
	}
	return s.tracer
}

// Enabled reports whether spans are recorded.
func (s *Session) Enabled() bool { return s != nil && s.tp != nil }

// Span starts a child span of whatever span ctx holds (as Start).
func (s *Session) Span(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	return s.Start(ctx, name, attrs...)
}

// End finishes the command's trace with err as its outcome, exports the
// trace within the export timeout, writes and pushes metrics and writes
// the HTML timeline. Export problems are warnings, printed once each: the
// command's own result does not depend on a collector.
func (s *Session) End(err error) {
	if s == nil {
		return
	}
	attrs := []any{"command", s.cfg.Command, "seconds", time.Since(s.start).Seconds(), "outcome", "success"}
	if err != nil {
		attrs = append(attrs, "outcome", "failure", "error", err.Error())
	}
	s.Log.InfoContext(s.rootCtx, "command done", attrs...)
	if s.root != nil {
		SetError(s.root, err)
		s.root.End()
	}
	if s.tp != nil {
		_ = s.tp.Shutdown(context.Background())
		s.export()
		if s.cfg.TraceHTML != "" {
			if werr := WriteTimeline(s.cfg.TraceHTML, s.rec.spans()); werr != nil {
				s.warnf("writing the timeline: %v", werr)
			}
		}
	}
	if s.Metrics != nil {
		s.Metrics.CommandDone(s.cfg.Command, err)
		if s.cfg.MetricsFile != "" {
			if werr := s.Metrics.WriteFile(s.cfg.MetricsFile); werr != nil {
				s.warnf("writing metrics to %s: %v", s.cfg.MetricsFile, werr)
			}
		}
		if s.cfg.MetricsPush != "" {
			if perr := s.Metrics.Push(s.cfg.MetricsPush, s.cfg.Command, s.timeout); perr != nil {
				s.warnf("pushing metrics: %v", perr)
			}
		}
	}
}

func (s *Session) export() {
	if s.exp == nil {
		return
	}
	spans := s.rec.spans()
	total, start := len(spans), time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	var err error
	for len(spans) > 0 && err == nil {
		n := min(len(spans), 2048)
		err = s.exp.ExportSpans(ctx, spans[:n])
		spans = spans[n:]
	}
	if err == nil {
		s.Log.Info("trace exported", "spans", total, "seconds", time.Since(start).Seconds(), "trace_id", s.TraceID())
	}
	if serr := s.exp.Shutdown(ctx); err == nil && !errors.Is(serr, context.DeadlineExceeded) {
		err = serr
	}
	if err != nil {
		s.warnf("exporting the trace to %s: %v", Redact(mustEndpoint(s.cfg)), err)
	}
}

func mustEndpoint(c Config) string {
	ep, _ := c.tracesEndpoint()
	return ep
}

// TraceID is the command's trace ID in hex, "" when traces are off.
func (s *Session) TraceID() string {
	if s == nil || s.root == nil {
		return ""
	}
	return s.root.SpanContext().TraceID().String()
}

// Warnings lists the warnings the session printed.
func (s *Session) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.warnings...)
}

func (s *Session) warnf(format string, args ...any) {
	// One line per warning, whatever a server put in its error body.
	msg := strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
	s.mu.Lock()
	s.warnings = append(s.warnings, msg)
	s.mu.Unlock()
	if s.warn != nil {
		fmt.Fprintf(s.warn, "goforge: warning: %s\n", msg)
	}
}

// SetError marks span as failed with err (no-op for nil), with the
// error.type attribute of the semantic conventions.
func SetError(span trace.Span, err error) {
	if err == nil {
		return
	}
	span.SetStatus(codes.Error, clip(err.Error(), 500))
	span.SetAttributes(semconv.ErrorTypeKey.String(ErrorType(err)))
}

// ErrorType is a low-cardinality name for err: "canceled" and
// "deadline_exceeded" for those context errors, else the Go type of the
// innermost error it wraps.
func ErrorType(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded"
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return fmt.Sprintf("%T", err)
		}
		err = next
	}
}

// recorder keeps every ended span for the export at End and the timeline.
type recorder struct {
	mu  sync.Mutex
	all []sdktrace.ReadOnlySpan
}

func (r *recorder) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (r *recorder) OnEnd(s sdktrace.ReadOnlySpan) {
	r.mu.Lock()
	r.all = append(r.all, s)
	r.mu.Unlock()
}
func (r *recorder) Shutdown(context.Context) error   { return nil }
func (r *recorder) ForceFlush(context.Context) error { return nil }

func (r *recorder) spans() []sdktrace.ReadOnlySpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sdktrace.ReadOnlySpan(nil), r.all...)
}
