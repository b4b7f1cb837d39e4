package telemetry

import (
	"time"

	"go.opentelemetry.io/otel/trace"
)

func traceStart(t time.Time) trace.SpanStartOption { return trace.WithTimestamp(t) }
