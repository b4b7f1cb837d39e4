package telemetry

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// recordRun makes a session that records a 3-target build with package
// actions, some from the cache, and writes its timeline.
func recordRun(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "timeline.html")
	ctx, s, err := Start(context.Background(), Config{Command: "build", TraceHTML: out, Getenv: env(nil)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	for i, tgt := range []string{"linux/amd64", "linux/arm64", "windows/amd64"} {
		tctx, span := s.Tracer().Start(ctx, "target "+tgt, trace.WithTimestamp(t0),
			trace.WithAttributes(attribute.String("goforge.target", tgt)))
		var acts []GoAction
		at := t0
		for j, p := range []string{"internal/goarch", "runtime", "fmt", "example.com/hello"} {
			d := time.Duration(10*(j+1)+i) * time.Millisecond
			acts = append(acts, GoAction{Mode: "build", Package: p, Start: at, End: at.Add(d), Cached: j < 2})
			at = at.Add(d / 2)
		}
		acts = append(acts, GoAction{Mode: "link", Package: "example.com/hello", Start: at.Add(50 * time.Millisecond), End: at.Add(90 * time.Millisecond)})
		EmitGoActions(tctx, s.Tracer(), nil, acts)
		span.End(trace.WithTimestamp(at.Add(100 * time.Millisecond)))
	}
	s.End(nil)
	return out
}

func TestTimelineLanes(t *testing.T) {
	out := recordRun(t)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lanes := regexp.MustCompile(`data-lane="([^"]+)"`).FindAllStringSubmatch(string(data), -1)
	var names []string
	for _, l := range lanes {
		names = append(names, l[1])
	}
	if strings.Join(names, ",") != "(command),linux/amd64,linux/arm64,windows/amd64" {
		t.Fatalf("lanes = %v", names)
	}
	if n := strings.Count(string(data), `class="bar build cached"`); n != 6 {
		t.Errorf("%d cached bars, want 6", n)
	}
	if strings.Contains(string(data), "<script src") || strings.Contains(string(data), "http://") || strings.Contains(string(data), "https://") {
		t.Error("the timeline is not self-contained")
	}
}

// TestTimelineInChromium renders the timeline in headless Chromium: the
// DOM it builds has one lane per target, and a screenshot is left in
// $GOFORGE_SCREENSHOT_DIR for people to look at.
func TestTimelineInChromium(t *testing.T) {
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("needs chromium (Debian package chromium)")
	}
	out := recordRun(t)
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	dom, err := exec.Command(chrome, append(flags, "--dump-dom", "file://"+out)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	for _, tgt := range []string{"linux/amd64", "linux/arm64", "windows/amd64"} {
		if !bytes.Contains(dom, []byte(`<section class="lane" data-lane="`+tgt+`">`)) {
			t.Errorf("rendered DOM has no lane for %s", tgt)
		}
	}
	shotDir := os.Getenv("GOFORGE_SCREENSHOT_DIR")
	if shotDir == "" {
		shotDir = t.TempDir()
	}
	shot := filepath.Join(shotDir, "timeline.png")
	cmd := exec.Command(chrome, append(flags, "--screenshot="+shot, "--window-size=1200,500", "file://"+out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, msg)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 1000 {
		t.Fatalf("no screenshot: %v", err)
	}
}
