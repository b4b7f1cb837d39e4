package telemetry

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	"github.com/prometheus/common/expfmt"
)

// Metrics holds goforge's Prometheus metrics for one command. Names and
// units follow Prometheus' conventions: seconds and bytes in base units,
// counters ending in _total.
type Metrics struct {
	reg   *prometheus.Registry
	start time.Time

	commandDuration *prometheus.HistogramVec
	lastRun         *prometheus.GaugeVec

	BuildDuration *prometheus.HistogramVec // target, status
	BuildTargets  *prometheus.CounterVec   // status: built, skipped, failed
	BuildBytes    *prometheus.GaugeVec     // target
	GoActions     *prometheus.CounterVec   // mode (compile, link), cache (hit, miss)

	TestResults  *prometheus.CounterVec   // go_version, target, result: pass, fail, skip, flaky
	TestDuration *prometheus.HistogramVec // go_version, target

	InstallBytes         *prometheus.CounterVec   // source: proxy, mirror, file
	InstallVerifyFailed  *prometheus.CounterVec   // source
	InstallPhaseDuration *prometheus.HistogramVec // phase: download, verify, unpack, publish

	CacheRequests *prometheus.CounterVec // tier (local, remote), result (hit, miss)
	CacheBytes    *prometheus.CounterVec // direction (up, down)
}

// durationBuckets spans a cached action (10 ms) to a cold release (30 min).
var durationBuckets = []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800}

// NewMetrics registers goforge's metrics in a registry of their own (no
// process or Go runtime collectors: a one-shot command's runtime numbers
// mean nothing to a textfile collector).
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), start: time.Now()}
	h := func(name, help string, labels ...string) *prometheus.HistogramVec {
		v := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: durationBuckets}, labels)
		m.reg.MustRegister(v)
		return v
	}
	c := func(name, help string, labels ...string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		m.reg.MustRegister(v)
		return v
	}
	g := func(name, help string, labels ...string) *prometheus.GaugeVec {
		v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		m.reg.MustRegister(v)
		return v
	}
	m.commandDuration = h("goforge_command_duration_seconds", "Wall time of a goforge command.", "command", "outcome")
	m.lastRun = g("goforge_last_run_timestamp_seconds", "Unix time at which a goforge command finished.", "command", "outcome")
	m.BuildDuration = h("goforge_build_duration_seconds", "Wall time of one target of a release build, from its first go command to its verified output.", "target", "status")
	m.BuildTargets = c("goforge_build_targets_total", "Targets of a release build by outcome.", "status")
	m.BuildBytes = g("goforge_build_output_bytes", "Size of a target's built program.", "target")
	m.GoActions = c("goforge_go_actions_total", "Actions of the go command by mode and whether the build cache served them.", "mode", "cache")
	m.TestResults = c("goforge_test_results_total", "Test results of a Go-version matrix.", "go_version", "target", "result")
	m.TestDuration = h("goforge_test_duration_seconds", "Wall time of one cell (Go version x target) of a test matrix.", "go_version", "target")
	m.InstallBytes = c("goforge_install_bytes_total", "Bytes downloaded or read to install toolchains.", "source")
	m.InstallVerifyFailed = c("goforge_install_verification_failures_total", "Toolchain archives that failed verification.", "source")
	m.InstallPhaseDuration = h("goforge_install_phase_duration_seconds", "Wall time of a phase of a toolchain install.", "phase")
	m.CacheRequests = c("goforge_cache_requests_total", "Build cache lookups by tier and result.", "tier", "result")
	m.CacheBytes = c("goforge_cache_bytes_total", "Bytes moved between the local and the remote build cache.", "direction")
	return m
}

// Registry is where the metrics live, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// CommandDone records the command's duration and outcome.
func (m *Metrics) CommandDone(command string, err error) {
	outcome := "success"
	if err != nil {
		outcome = "failure"
	}
	m.commandDuration.WithLabelValues(command, outcome).Observe(time.Since(m.start).Seconds())
	m.lastRun.WithLabelValues(command, outcome).Set(float64(time.Now().Unix()))
}

// WriteFile writes the text exposition format atomically (a temporary
// file renamed over path), as node_exporter's textfile collector needs,
// with mode 0644 less the umask, as the timeline.
func (m *Metrics) WriteFile(path string) error {
	mfs, err := m.reg.Gather()
	if err != nil {
		return err
	}
	return writeShared(path, func(w io.Writer) error {
		for _, mf := range mfs {
			if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
				return err
			}
		}
		return nil
	})
}

// Push sends the metrics to a Pushgateway under job "goforge" with the
// command (goforge_command) and this host's name (instance) as grouping labels, replacing that group.
func (m *Metrics) Push(url, command string, timeout time.Duration) error {
	host, _ := os.Hostname()
	if host == "" {
		host = "unknown"
	}
	p := push.New(url, "goforge").Grouping("instance", host).Grouping("goforge_command", command).
		Gatherer(m.reg).Client(&http.Client{Timeout: timeout})
	if err := p.Push(); err != nil {
		return fmt.Errorf("to %s: %s", Redact(url), clip(err.Error(), 300))
	}
	return nil
}
