package telemetry

import (
	"context"
	"io"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// newLogger returns the structured logger for --log-format: JSON lines on
// w that carry trace_id and span_id of the span in the record's context,
// or a logger that discards everything.
func newLogger(format string, w io.Writer) *slog.Logger {
	if format != "json" || w == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(traceHandler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})})
}

// traceHandler adds the IDs of the current span to every record, so a log
// store (Loki) can join log lines to the trace (Tempo).
type traceHandler struct{ slog.Handler }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(as)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}

var discardLogger = slog.New(slog.DiscardHandler)
