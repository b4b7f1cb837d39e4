package cli

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestImageRegistryScripts runs testdata/image/*.txtar, which push to and
// pull from real registries: for each script, a docker-registry
// (distribution) on 127.0.0.1 as $REGISTRY, and one that wants htpasswd
// credentials (user "user", password "secret") as $AUTHREGISTRY. Each
// has its own config and storage in the script's work directory and is
// stopped by its pid.
func TestImageRegistryScripts(t *testing.T) {
	for _, tool := range []string{"docker-registry", "htpasswd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (Debian packages docker-registry, apache2-utils)", tool)
		}
	}
	p := ScriptParams(t, "testdata/image")
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := setup(e); err != nil {
			return err
		}
		host, err := startRegistry(e, "plain", "")
		if err != nil {
			return err
		}
		e.Setenv("REGISTRY", host)
		pw := filepath.Join(e.WorkDir, "registry-auth", "htpasswd")
		os.MkdirAll(filepath.Dir(pw), 0o755)
		if out, err := exec.Command("htpasswd", "-Bbc", pw, "user", "secret").CombinedOutput(); err != nil {
			return fmt.Errorf("htpasswd: %v: %s", err, out)
		}
		host, err = startRegistry(e, "auth", pw)
		if err != nil {
			return err
		}
		e.Setenv("AUTHREGISTRY", host)
		return nil
	}
	testscript.Run(t, p)
}

const registryConfig = `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
%s`

// startRegistry starts docker-registry on a free loopback port and
// returns its host:port; the script's end stops it.
func startRegistry(e *testscript.Env, name, htpasswd string) (string, error) {
	dir := filepath.Join(e.WorkDir, "registry-"+name)
	if err := os.MkdirAll(filepath.Join(dir, "storage"), 0o755); err != nil {
		return "", err
	}
	auth := ""
	if htpasswd != "" {
		auth = fmt.Sprintf("auth:\n  htpasswd:\n    realm: goforge-test\n    path: %s\n", htpasswd)
	}
	for attempt := 0; attempt < 5; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		addr := l.Addr().String()
		l.Close()
		cfg := filepath.Join(dir, "config.yml")
		if err := os.WriteFile(cfg, fmt.Appendf(nil, registryConfig, filepath.Join(dir, "storage"), addr, auth), 0o644); err != nil {
			return "", err
		}
		cmd := exec.Command("docker-registry", "serve", cfg)
		logf, _ := os.Create(filepath.Join(dir, "log"))
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			return "", fmt.Errorf("starting docker-registry: %w", err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait(); logf.Close() }()
		e.Defer(func() {
			cmd.Process.Kill()
			<-done
		})
		if waitRegistry(addr, done) {
			return addr, nil
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, "log"))
	return "", fmt.Errorf("docker-registry did not start: %s", log)
}

// waitRegistry reports whether the registry answers /v2/ (200, or 401
// when it wants credentials) before it exits or 15 seconds pass.
func waitRegistry(addr string, done chan error) bool {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			done <- err
			return false
		default:
		}
		resp, err := http.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 || resp.StatusCode == 401 {
				return true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
