// Package telemetry exports what goforge's long commands do: OpenTelemetry
// traces over OTLP/HTTP, Prometheus metrics (a textfile for node_exporter or
// a Pushgateway), JSON logs that carry trace and span IDs, and a
// self-contained HTML timeline of a run.
//
// Everything is off by default: with no endpoint, file or flag set, Start
// returns a Session whose tracer is a no-op and no SDK is started.
package telemetry

import (
	"fmt"
	"net/url"
	"strings"
)

// Config says where telemetry goes. The zero value exports nothing.
type Config struct {
	// OTLP is the --otlp URL: the OTLP/HTTP traces endpoint, or a base URL
	// to which /v1/traces is added. It wins over the OTEL_* variables.
	OTLP string
	// MetricsFile is a file to write the Prometheus text exposition format
	// to (node_exporter's textfile collector).
	MetricsFile string
	// MetricsPush is a Pushgateway URL.
	MetricsPush string
	// LogFormat is "text" (default: no structured log) or "json".
	LogFormat string
	// TraceHTML is a file to write the HTML timeline of the run to.
	TraceHTML string
	// Command names the goforge command ("build", "install"...).
	Command string
	// Getenv reads the environment (OTEL_*, TRACEPARENT).
	Getenv func(string) string
}

func (c *Config) getenv(k string) string {
	if c.Getenv == nil {
		return ""
	}
	return c.Getenv(k)
}

// tracesEndpoint is the OTLP/HTTP URL spans are posted to, "" when traces
// are off. As the OpenTelemetry specification says, a signal-specific
// endpoint is used as is, while the generic one gets /v1/traces added.
func (c *Config) tracesEndpoint() (string, error) {
	raw, generic := c.OTLP, true
	if raw == "" {
		if raw = c.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); raw != "" {
			generic = false
		} else {
			raw = c.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
		}
	}
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("OTLP endpoint %q is not an http(s) URL", Redact(raw))
	}
	if generic && !strings.HasSuffix(u.Path, "/v1/traces") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
	}
	return u.String(), nil
}

// Traces reports whether spans are exported anywhere or recorded for the
// HTML timeline.
func (c *Config) Traces() bool {
	return c.OTLP != "" || c.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" ||
		c.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || c.TraceHTML != ""
}

// Enabled reports whether any telemetry is on.
func (c *Config) Enabled() bool {
	return c.Traces() || c.MetricsFile != "" || c.MetricsPush != "" || c.LogFormat == "json"
}

// ParseHeaders reads OTEL_EXPORTER_OTLP_HEADERS: comma-separated key=value
// pairs whose values are URL-encoded (W3C Baggage syntax without
// properties). A malformed pair is an error naming it, never a silently
// dropped credential.
func ParseHeaders(s string) (map[string]string, error) {
	h := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t\"(),/:;<=>?@[\\]{}") {
			return nil, fmt.Errorf("malformed OTEL_EXPORTER_OTLP_HEADERS entry %q (want key=value)", clip(redactValue(part), 60))
		}
		dv, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("malformed OTEL_EXPORTER_OTLP_HEADERS value for %q: %v", k, err)
		}
		h[k] = dv
	}
	return h, nil
}

// ParseResourceAttributes reads OTEL_RESOURCE_ATTRIBUTES (key=value pairs,
// comma-separated, values URL-encoded).
func ParseResourceAttributes(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("malformed OTEL_RESOURCE_ATTRIBUTES entry %q (want key=value)", clip(part, 60))
		}
		dv, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("malformed OTEL_RESOURCE_ATTRIBUTES value for %q: %v", k, err)
		}
		m[strings.TrimSpace(k)] = dv
	}
	return m, nil
}

// Redact removes credentials from a URL for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User("xxxxx")
	return u.String()
}

// redactValue hides the value of a key=value pair: header values are
// usually tokens.
func redactValue(kv string) string {
	if k, _, ok := strings.Cut(kv, "="); ok {
		return k + "=…"
	}
	return kv
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
