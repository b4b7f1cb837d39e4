package cli

import (
	"context"

	"github.com/goforge/goforge/internal/telemetry"
)

// telemetryFlags declares the observability flags of a long command
// (build, compare, install, image, matrix) and returns the config they
// fill. Without any of them, and without OTEL_EXPORTER_OTLP_*ENDPOINT in
// the environment, nothing is started.
func telemetryFlags(c *Command) *telemetry.Config {
	cfg := &telemetry.Config{Command: c.Name, LogFormat: "text"}
	fs := c.Flags
	fs.StringVar(&cfg.OTLP, "otlp", "", "send the run's trace to this OTLP/HTTP `URL` (default: $OTEL_EXPORTER_OTLP_ENDPOINT)")
	fs.StringVar(&cfg.MetricsFile, "metrics-file", "", "write Prometheus metrics to `FILE` (node_exporter textfile format)")
	fs.StringVar(&cfg.MetricsPush, "metrics-push", "", "push Prometheus metrics to the Pushgateway at `URL`")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "text, or json: structured log lines with trace_id and span_id on stderr")
	fs.StringVar(&cfg.TraceHTML, "trace-html", "", "write an HTML timeline of the run to `FILE`")
	return cfg
}

// startTelemetry starts the command's telemetry session from its flags
// and environment. A bad flag value is a usage error; problems with the
// OTEL_* environment are warnings and the command runs on.
func startTelemetry(ctx context.Context, c *Command, st *Stdio, cfg *telemetry.Config) (context.Context, *telemetry.Session, error) {
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return ctx, nil, c.Usagef("--log-format must be text or json, not %q", cfg.LogFormat)
	}
	cfg.Getenv = st.Getenv
	ctx, s, err := telemetry.Start(ctx, *cfg, st.Err)
	if err != nil {
		return ctx, nil, c.Usagef("--otlp: %v", err)
	}
	return ctx, s, nil
}
