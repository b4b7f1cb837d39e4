package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fillMetrics records what a 2-target build and a small test matrix do.
func fillMetrics(m *Metrics) {
	m.BuildDuration.WithLabelValues("linux/amd64", "built").Observe(2.5)
	m.BuildDuration.WithLabelValues("linux/arm64", "skipped").Observe(0.01)
	m.BuildTargets.WithLabelValues("built").Inc()
	m.BuildTargets.WithLabelValues("skipped").Inc()
	m.BuildBytes.WithLabelValues("linux/amd64").Set(1 << 20)
	m.GoActions.WithLabelValues("build", "hit").Add(40)
	m.GoActions.WithLabelValues("build", "miss").Add(2)
	m.TestResults.WithLabelValues("go1.26.8", "linux/amd64", "pass").Add(10)
	m.TestResults.WithLabelValues("go1.19.8", "linux/amd64", "flaky").Inc()
	m.InstallBytes.WithLabelValues("proxy").Add(72845395)
	m.InstallPhaseDuration.WithLabelValues("download").Observe(3)
	m.CacheRequests.WithLabelValues("remote", "hit").Add(5)
}

func TestTextfilePassesPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("needs promtool (Debian package prometheus)")
	}
	file := filepath.Join(t.TempDir(), "goforge.prom")
	ctx, s, err := Start(context.Background(), Config{Command: "build", MetricsFile: file, Getenv: env(nil)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = ctx
	fillMetrics(s.Metrics)
	s.End(nil)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`goforge_build_duration_seconds_count{status="built",target="linux/amd64"} 1`,
		`goforge_command_duration_seconds_count{command="build",outcome="success"} 1`,
		`goforge_test_results_total{go_version="go1.19.8",result="flaky",target="linux/amd64"} 1`,
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("textfile lacks %s", want)
		}
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(data)
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) != 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestPushgateway500(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", 500)
	}))
	defer srv.Close()
	var stderr bytes.Buffer
	_, s, err := Start(context.Background(), Config{Command: "build", MetricsPush: srv.URL, Getenv: env(nil)}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	s.End(nil)
	if got := strings.Count(stderr.String(), "\n"); got != 1 || !strings.Contains(stderr.String(), "pushing metrics") || !strings.Contains(stderr.String(), "500") {
		t.Fatalf("stderr = %q", stderr.String())
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startDaemon starts a server and stops it (by its pid) when the test ends.
func startDaemon(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	log, _ := os.Create(filepath.Join(t.TempDir(), filepath.Base(name)+".log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			out, _ := os.ReadFile(log.Name())
			t.Logf("%s log:\n%s", name, out)
		}
	})
}

func waitHTTP(t *testing.T, u string) {
	t.Helper()
	for i := 0; i < 300; i++ {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not come up", u)
}

// TestPrometheusScrapesPushedMetrics runs Debian's Pushgateway and
// Prometheus on loopback: a build pushes its metrics, Prometheus scrapes
// the Pushgateway, and its query API returns them.
func TestPrometheusScrapesPushedMetrics(t *testing.T) {
	pgw, err1 := exec.LookPath("prometheus-pushgateway")
	prom, err2 := exec.LookPath("prometheus")
	if err1 != nil || err2 != nil {
		t.Skip("needs prometheus and prometheus-pushgateway (Debian packages)")
	}
	dir := t.TempDir()
	pgwAddr, promAddr := freePort(t), freePort(t)
	startDaemon(t, pgw, "--web.listen-address="+pgwAddr, "--persistence.file="+filepath.Join(dir, "pgw.data"))
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['%s']\n", pgwAddr)
	os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644)
	startDaemon(t, prom, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+promAddr)
	waitHTTP(t, "http://"+pgwAddr+"/metrics")
	waitHTTP(t, "http://"+promAddr+"/-/ready")

	var stderr bytes.Buffer
	_, s, err := Start(context.Background(), Config{Command: "build", MetricsPush: "http://" + pgwAddr, Getenv: env(nil)}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	fillMetrics(s.Metrics)
	s.End(nil)
	if stderr.Len() != 0 {
		t.Fatalf("push: %s", stderr.String())
	}
	q := "http://" + promAddr + "/api/v1/query?query=" + url.QueryEscape("goforge_build_duration_seconds_count")
	deadline := time.Now().Add(30 * time.Second)
	for {
		targets := queryTargets(t, q)
		if targets["linux/amd64"] && targets["linux/arm64"] {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus has no goforge_build_duration_seconds_count for both targets after 30 s (got %v)", targets)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func queryTargets(t *testing.T, q string) map[string]bool {
	resp, err := http.Get(q)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var r struct {
		Status string
		Data   struct {
			Result []struct {
				Metric map[string]string
			}
		}
	}
	// Prometheus answers 503 until its first rule and query engines are up.
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&r) != nil {
		return nil
	}
	got := map[string]bool{}
	for _, res := range r.Data.Result {
		if res.Metric["job"] == "goforge" && res.Metric["goforge_command"] == "build" {
			got[res.Metric["target"]] = true
		}
	}
	return got
}
