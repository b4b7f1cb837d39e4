package cacheprog

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	goforgeOnce sync.Once
	goforgeExe  string
	goforgeErr  error
)

// goforge builds the goforge command once per test binary.
func goforge(t *testing.T) string {
	t.Helper()
	goforgeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cacheprog-e2e-")
		if err != nil {
			goforgeErr = err
			return
		}
		goforgeExe = filepath.Join(dir, "goforge")
		out, err := exec.Command("go", "build", "-o", goforgeExe, "../../cmd/goforge").CombinedOutput()
		if err != nil {
			goforgeErr = fmt.Errorf("building goforge: %v\n%s", err, out)
		}
	})
	if goforgeErr != nil {
		t.Fatal(goforgeErr)
	}
	return goforgeExe
}

// machine is one "machine": a local cache directory and the environment
// its go commands run with.
type machine struct {
	t     *testing.T
	dir   string
	stats string
	env   []string
}

func newMachine(t *testing.T, remote string, extra ...string) *machine {
	m := &machine{t: t, dir: t.TempDir()}
	m.stats = filepath.Join(t.TempDir(), "stats.jsonl")
	prog := []string{goforge(t), "cacheprog", "--dir", m.dir, "--stats-file", m.stats, "--timeout", "3s"}
	line, err := quoteArgs(append(prog, extra...))
	if err != nil {
		t.Fatal(err)
	}
	m.env = append(cleanEnv(), "GOCACHEPROG="+line, "GOCACHE="+t.TempDir(), "GOFORGE_CACHE_REMOTE="+remote)
	return m
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "GOCACHEPROG" || k == "GOCACHE" || k == "GOFLAGS" ||
			k == "GOOS" || k == "GOARCH" || strings.HasPrefix(k, "GOFORGE_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOPROXY=off", "GOFLAGS=-trimpath")
}

// build runs 'go build' of pkgs in dir for target (GOOS/GOARCH), returning
// the CPU time of the go command and all its children (compilers, linker,
// the cache program), and its stderr.
func (m *machine) build(dir, target, out string, pkgs ...string) (time.Duration, string, error) {
	goos, goarch, _ := strings.Cut(target, "/")
	args := []string{"build"}
	if out != "" {
		args = append(args, "-o", out)
	}
	cmd := exec.Command("go", append(args, pkgs...)...)
	cmd.Dir = dir
	cmd.Env = append(m.env, "GOOS="+goos, "GOARCH="+goarch)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var cpu time.Duration
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return cpu, stderr.String(), err
}

// total sums the statistics every cache program of the machine wrote.
func (m *machine) total() Stats {
	f, err := os.Open(m.stats)
	if err != nil {
		m.t.Fatalf("no statistics written: %v", err)
	}
	defer f.Close()
	all, err := ReadStats(f)
	if err != nil {
		m.t.Fatal(err)
	}
	var s Stats
	for _, x := range all {
		s.Gets += x.Gets
		s.Puts += x.Puts
		s.LocalHits += x.LocalHits
		s.LocalMisses += x.LocalMisses
		s.RemoteHits += x.RemoteHits
		s.RemoteMisses += x.RemoteMisses
		s.Corrupt += x.Corrupt
		s.Repaired += x.Repaired
		s.UploadsSkipped += x.UploadsSkipped
		s.Uploads += x.Uploads
		s.BytesDown += x.BytesDown
		s.BytesUp += x.BytesUp
		s.SavedSeconds += x.SavedSeconds
		s.LocalSize = x.LocalSize
	}
	os.Remove(m.stats)
	return s
}

// TestGoBuildRepoTwice builds this repository with goforge as the go
// command's cache: the second build is served entirely from the cache.
// The go command never caches linked binaries: each main package costs one
// miss (the link) and one put (the linker's output text) on every build,
// with any cache, so those are the only misses allowed.
func TestGoBuildRepoTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("cold build of the whole repository")
	}
	out, err := exec.Command("go", "list", "-f", "{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}", "../../...").Output()
	if err != nil {
		t.Fatal(err)
	}
	links := int64(len(strings.Fields(string(out))))
	m := newMachine(t, "")
	for i, want := range []string{"cold", "warm"} {
		_, stderr, err := m.build("../..", runtimeTarget(), "", "./...")
		if err != nil {
			t.Fatalf("%s build: %v\n%s", want, err, stderr)
		}
		st := m.total()
		t.Logf("%s: %+v", want, st)
		if i == 0 && (st.Puts == 0 || st.LocalMisses == 0) {
			t.Fatalf("cold build: %+v", st)
		}
		if i == 1 && (st.LocalMisses != links || st.Puts != links || st.LocalHits < 500) {
			t.Fatalf("warm build was not all hits: %d misses, %d puts (%d links), %d hits", st.LocalMisses, st.Puts, links, st.LocalHits)
		}
	}
}

func runtimeTarget() string {
	out, _ := exec.Command("go", "env", "GOHOSTOS", "GOHOSTARCH").Output()
	f := strings.Fields(string(out))
	return f[0] + "/" + f[1]
}

// nginx is a real nginx with WebDAV PUT serving a directory on 127.0.0.1.
type nginx struct {
	URL  string
	data string
	cmd  *exec.Cmd
}

func startNginx(t *testing.T) *nginx {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/nginx"); err2 != nil {
			t.Skip("needs nginx (Debian package nginx)")
		}
		bin = "/usr/sbin/nginx"
	}
	prefix := t.TempDir()
	data := filepath.Join(prefix, "data")
	os.MkdirAll(data, 0o755)
	os.MkdirAll(filepath.Join(prefix, "logs"), 0o755)
	port := freePort(t)
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/logs/error.log;
events { worker_connections 256; }
http {
	access_log off;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	server {
		listen 127.0.0.1:%[2]d;
		root %[3]s;
		location / {
			dav_methods PUT;
			create_full_put_path on;
			client_max_body_size 0;
		}
	}
}
`, prefix, port, data)
	confFile := filepath.Join(prefix, "nginx.conf")
	os.WriteFile(confFile, []byte(conf), 0o644)
	cmd := exec.Command(bin, "-p", prefix, "-c", confFile, "-e", filepath.Join(prefix, "logs", "error.log"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting nginx: %v", err)
	}
	n := &nginx{URL: fmt.Sprintf("http://127.0.0.1:%d", port), data: data, cmd: cmd}
	t.Cleanup(n.stop)
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(n.URL + "/ac/none")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 15*time.Second {
			log, _ := os.ReadFile(filepath.Join(prefix, "logs", "error.log"))
			t.Fatalf("nginx did not come up: %v\n%s\n%s", err, out.String(), log)
		}
	}
	return n
}

// stop kills this nginx by its pid (it runs without worker processes).
func (n *nginx) stop() {
	if n.cmd.ProcessState == nil {
		n.cmd.Process.Kill()
		n.cmd.Wait()
	}
}

func (n *nginx) count(kind string) int {
	ents, _ := os.ReadDir(filepath.Join(n.data, kind))
	return len(ents)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// writeModule writes a small program to build.
func writeModule(t *testing.T) string {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(`package main

import "os"

func main() {
	os.Stdout.WriteString("hello from goforge\n")
}
`), 0o644)
	return dir
}

var release3 = []string{"linux/amd64", "windows/amd64", "darwin/arm64"}

// TestNginxTeamCache: machine A fills a real nginx; machine B, with an empty
// local cache, is served from it; then faults: corrupted bytes, a remote
// killed mid-build, and the size cap.
func TestNginxTeamCache(t *testing.T) {
	if testing.Short() {
		t.Skip("cold cross builds")
	}
	ng := startNginx(t)
	mod := writeModule(t)
	release := func(m *machine, name string) time.Duration {
		var cpu time.Duration
		for _, tg := range release3 {
			c, stderr, err := m.build(mod, tg, filepath.Join(t.TempDir(), "hello"), ".")
			if err != nil {
				t.Fatalf("machine %s, %s: %v\n%s", name, tg, err, stderr)
			}
			if strings.Contains(stderr, "continuing with the local cache only") {
				t.Fatalf("machine %s: remote failed:\n%s", name, stderr)
			}
			cpu += c
		}
		return cpu
	}
	a := newMachine(t, ng.URL)
	cpuA := release(a, "A")
	stA := a.total()
	if stA.Uploads == 0 || ng.count("cas") == 0 || ng.count("ac") == 0 {
		t.Fatalf("machine A filled nothing: %+v", stA)
	}
	b := newMachine(t, ng.URL)
	cpuB := release(b, "B")
	stB := b.total()
	t.Logf("A: %v CPU, %+v", cpuA, stA)
	t.Logf("B: %v CPU, %+v", cpuB, stB)
	if stB.RemoteHits == 0 || stB.RemoteHits < stB.LocalMisses*9/10 {
		t.Fatalf("machine B: %d remote hits for %d local misses", stB.RemoteHits, stB.LocalMisses)
	}
	if stB.SavedSeconds <= 0 {
		t.Errorf("machine B's statistics estimate no time saved")
	}
	if cpuB*3 > cpuA {
		t.Errorf("machine B used %v CPU, machine A %v: want B under a third of A", cpuB, cpuA)
	}
	t.Run("corrupt", func(t *testing.T) { testCorruptProxy(t, ng, mod) })
	t.Run("repair", func(t *testing.T) { testRepairOnDisk(t, ng, mod) })
	t.Run("killed", func(t *testing.T) { testKilledMidBuild(t, ng, mod) })
}

// testCorruptProxy puts a proxy that flips bytes of outputs in front of
// nginx: every download is caught, the build is correct, and the local
// cache ends under its cap.
func testCorruptProxy(t *testing.T, ng *nginx, mod string) {
	target, _ := url.Parse(ng.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(r *http.Response) error {
		if r.Request.Method != http.MethodGet || !strings.HasPrefix(r.Request.URL.Path, "/cas/") || r.StatusCode != 200 {
			return nil
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		if len(b) > 0 {
			b[len(b)/3] ^= 0x80
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		return nil
	}
	proxy := httptest.NewServer(rp)
	defer proxy.Close()
	const limit = 1 << 20
	c := newMachine(t, proxy.URL, "--max-size", "1MiB")
	exe := filepath.Join(t.TempDir(), "hello")
	_, stderr, err := c.build(mod, runtimeTarget(), exe, ".")
	if err != nil {
		t.Fatalf("build through a corrupting remote: %v\n%s", err, stderr)
	}
	st := c.total()
	if st.Corrupt == 0 || st.RemoteHits != 0 {
		t.Fatalf("corruption not caught: %+v", st)
	}
	if strings.Count(stderr, "served corrupt data") != 1 {
		t.Errorf("want one corruption warning:\n%s", stderr)
	}
	out, err := exec.Command(exe).Output()
	if err != nil || string(out) != "hello from goforge\n" {
		t.Fatalf("program built from a corrupting cache printed %q, %v", out, err)
	}
	if st.Puts < 20 || st.LocalSize > limit {
		t.Fatalf("local cache holds %d bytes after %d puts, cap %d", st.LocalSize, st.Puts, limit)
	}
	if size := dirSize(c.dir); size > limit {
		t.Fatalf("%s holds %d bytes, cap %d", c.dir, size, limit)
	}
}

// testRepairOnDisk damages every output nginx stores, in place and keeping
// its size (a HEAD still calls it there): the next machine catches each
// download, rebuilds, and uploads over the bad copies, so the machine
// after it is served from the remote again.
func testRepairOnDisk(t *testing.T, ng *nginx, mod string) {
	ents, _ := os.ReadDir(filepath.Join(ng.data, "cas"))
	for _, e := range ents {
		p := filepath.Join(ng.data, "cas", e.Name())
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		b[len(b)/2] ^= 0x55
		os.WriteFile(p, b, 0o644)
	}
	c := newMachine(t, ng.URL)
	if _, stderr, err := c.build(mod, "linux/amd64", filepath.Join(t.TempDir(), "hello"), "."); err != nil {
		t.Fatalf("build against damaged outputs: %v\n%s", err, stderr)
	}
	st := c.total()
	if st.Corrupt == 0 || st.Repaired < st.Corrupt*9/10 {
		t.Fatalf("damaged outputs caught %d times, replaced %d: %+v", st.Corrupt, st.Repaired, st)
	}
	d := newMachine(t, ng.URL)
	if _, stderr, err := d.build(mod, "linux/amd64", filepath.Join(t.TempDir(), "hello"), "."); err != nil {
		t.Fatalf("build after the repair: %v\n%s", err, stderr)
	}
	st = d.total()
	if st.Corrupt != 0 || st.RemoteHits < st.LocalMisses*9/10 {
		t.Fatalf("after the repair: %d corrupt, %d remote hits for %d local misses", st.Corrupt, st.RemoteHits, st.LocalMisses)
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// testKilledMidBuild kills nginx as soon as the first new output reaches
// it: the build goes on with the local cache, warns once, and succeeds.
func testKilledMidBuild(t *testing.T, ng *nginx, mod string) {
	d := newMachine(t, ng.URL)
	before := ng.count("cas")
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		for start := time.Now(); time.Since(start) < 5*time.Minute; time.Sleep(20 * time.Millisecond) {
			if ng.count("cas") > before {
				ng.stop()
				return
			}
		}
	}()
	_, stderr, err := d.build(mod, "linux/arm64", filepath.Join(t.TempDir(), "hello"), ".")
	<-killed
	if err != nil {
		t.Fatalf("build with the remote killed: %v\n%s", err, stderr)
	}
	if n := strings.Count(stderr, "continuing with the local cache only"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, stderr)
	}
	st := d.total()
	if st.Puts == 0 {
		t.Fatalf("nothing built: %+v", st)
	}
}
