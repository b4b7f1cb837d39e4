package toolchain

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/telemetry"
	"github.com/goforge/goforge/internal/telemetry/otlptest"
	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

// TestInstallSpans installs from the fake proxy with a session that
// exports to a real OTLP receiver: the install's phases are spans under
// the command's, and its bytes and phases are metrics.
func TestInstallSpans(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	srv.AddToolchain("go1.22.5", runtime.GOOS, runtime.GOARCH)
	in := newTestInstaller(t, srv, nil)
	rcv := otlptest.New()
	defer rcv.Close()
	ctx, tel, err := telemetry.Start(context.Background(), telemetry.Config{
		Command: "install", OTLP: rcv.URL, MetricsFile: t.TempDir() + "/m.prom",
		Getenv: func(string) string { return "" },
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in.Tel = tel
	if _, err := in.Install(ctx, Request{Query: "1.22"}); err != nil {
		t.Fatal(err)
	}
	reg := tel.Metrics.Registry()
	tel.End(nil)
	names := map[string]string{}
	byID := map[string]string{}
	for _, s := range rcv.Spans() {
		byID[s.SpanID] = s.Name
	}
	for _, s := range rcv.Spans() {
		names[s.Name] = byID[s.ParentID]
	}
	for _, want := range []string{"resolve", "download", "verify"} {
		if names[want] != "goforge install" {
			t.Errorf("span %q: parent %q, want goforge install (spans %v)", want, names[want], names)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			key := mf.GetName()
			for _, l := range m.Label {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			switch {
			case m.Counter != nil:
				got[key] = m.Counter.GetValue()
			case m.Histogram != nil:
				got[key] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	if got["goforge_install_bytes_total,source=proxy"] <= 0 || got["goforge_install_phase_duration_seconds,phase=download"] != 1 {
		var keys []string
		for k := range got {
			keys = append(keys, k)
		}
		t.Errorf("metrics: %s", strings.Join(keys, "; "))
	}
}
