package cacheprog

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func hexID(b []byte) string { return hex.EncodeToString(b) }

// fakeRemote is an HTTP cache server (GET, HEAD, PUT on /ac/ and /cas/)
// with knobs for faults.
type fakeRemote struct {
	*httptest.Server
	mu      sync.Mutex
	objs    map[string][]byte
	hold    func(path string)
	status  atomic.Int32 // when non-zero, every request gets it
	corrupt atomic.Bool  // flip a byte of every /cas/ body served
	auth    string       // required Authorization header, if set
	puts    atomic.Int32
	reqs    atomic.Int32
}

func newFakeRemote(t *testing.T) *fakeRemote {
	r := &fakeRemote{objs: map[string][]byte{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *fakeRemote) serve(w http.ResponseWriter, q *http.Request) {
	r.reqs.Add(1)
	if r.hold != nil {
		r.hold(q.URL.Path)
	}
	if s := r.status.Load(); s != 0 {
		http.Error(w, "no", int(s))
		return
	}
	if r.auth != "" && q.Header.Get("Authorization") != r.auth {
		http.Error(w, "who are you", http.StatusUnauthorized)
		return
	}
	if !strings.HasPrefix(q.URL.Path, "/ac/") && !strings.HasPrefix(q.URL.Path, "/cas/") {
		http.NotFound(w, q)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch q.Method {
	case http.MethodPut:
		b, _ := io.ReadAll(q.Body)
		r.objs[q.URL.Path] = b
		r.puts.Add(1)
		w.WriteHeader(http.StatusCreated)
	case http.MethodGet, http.MethodHead:
		b, ok := r.objs[q.URL.Path]
		if !ok {
			http.NotFound(w, q)
			return
		}
		if r.corrupt.Load() && strings.HasPrefix(q.URL.Path, "/cas/") && len(b) > 0 {
			b = bytes.Clone(b)
			b[len(b)/2] ^= 0x55
		}
		w.Header().Set("Content-Length", itoa(len(b)))
		w.Write(b)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// fill runs one program that puts n outputs and closes (uploads flushed).
func fill(t *testing.T, url string, n int) Stats {
	f := startFake(t, Config{Remote: RemoteConfig{URL: url}})
	for i := range n {
		f.get(int64(2*i+1), aid(i))
		f.recv()
		f.put(int64(2*i+2), aid(i), body(i, 1000*i+1))
		f.recv()
	}
	return f.close(1000)
}

func TestRemoteServesSecondMachine(t *testing.T) {
	rem := newFakeRemote(t)
	st := fill(t, rem.URL, 5)
	if st.Uploads != 5 || st.BytesUp == 0 {
		t.Fatalf("machine A stats %+v: want 5 uploads", st)
	}
	b := startFake(t, Config{Remote: RemoteConfig{URL: rem.URL}})
	for i := range 5 {
		b.get(int64(i+1), aid(i))
		checkHit(t, b.recv(), body(i, 1000*i+1))
	}
	b.get(9, aid(77))
	if r := b.recv(); !r.Miss {
		t.Fatalf("unknown action = %+v, want miss", r)
	}
	st = b.close(10)
	if st.RemoteHits != 5 || st.RemoteMisses != 1 || st.BytesDown == 0 {
		t.Fatalf("machine B stats %+v", st)
	}
	if strings.Contains(b.log.String(), "continuing") {
		t.Errorf("unexpected warning: %s", b.log)
	}
}

func TestRemoteCorrupt(t *testing.T) {
	rem := newFakeRemote(t)
	fill(t, rem.URL, 3)
	rem.corrupt.Store(true)
	dir := t.TempDir()
	b := startFake(t, Config{Dir: dir, Remote: RemoteConfig{URL: rem.URL}})
	for i := range 3 {
		b.get(int64(i+1), aid(i))
		if r := b.recv(); !r.Miss {
			t.Fatalf("corrupt download served as %+v", r)
		}
	}
	st := b.close(10)
	if st.Corrupt != 3 || st.RemoteHits != 0 {
		t.Fatalf("stats %+v: want 3 corrupt, no hits", st)
	}
	if n := countWarnings(b.log.String(), "served corrupt data"); n != 1 {
		t.Fatalf("%d corrupt warnings, want 1: %s", n, b.log)
	}
	tmpEmpty(t, dir)

	// A corrupt entry is a miss too.
	rem.corrupt.Store(false)
	rem.mu.Lock()
	rem.objs["/ac/"+hexID(aid(0))] = []byte("goforge-cacheprog-v1 nothex 1 2 3\n")
	rem.mu.Unlock()
	c := startFake(t, Config{Remote: RemoteConfig{URL: rem.URL}})
	c.get(1, aid(0))
	if r := c.recv(); !r.Miss {
		t.Fatalf("corrupt entry served as %+v", r)
	}
	c.close(2)
}

// TestRemoteFaults: a server that refuses or fails turns the cache
// local-only with exactly one warning, and every request still gets an
// answer.
func TestRemoteFaults(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   string
	}{
		{401, "refused access (401 Unauthorized)"},
		{403, "refused access (403 Forbidden)"},
		{500, "answered 500 Internal Server Error"},
		{-1, "is unreachable"},
	} {
		t.Run(itoa(max(tc.status, 0)), func(t *testing.T) {
			rem := newFakeRemote(t)
			url := rem.URL
			if tc.status > 0 {
				rem.status.Store(int32(tc.status))
			} else {
				rem.Close() // nothing listens any more
			}
			f := startFake(t, Config{Remote: RemoteConfig{URL: url, Timeout: 2 * time.Second}})
			for i := range 10 {
				f.get(int64(2*i+1), aid(i))
				if r := f.recv(); !r.Miss {
					t.Fatalf("get = %+v, want miss", r)
				}
				f.put(int64(2*i+2), aid(i), body(i, 100))
				if r := f.recv(); r.Err != "" {
					t.Fatalf("put failed with a broken remote: %s", r.Err)
				}
			}
			f.get(99, aid(3))
			checkHit(t, f.recv(), body(3, 100))
			st := f.close(100)
			if n := countWarnings(f.log.String(), "continuing with the local cache only"); n != 1 {
				t.Fatalf("%d warnings, want 1:\n%s", n, f.log)
			}
			if !strings.Contains(f.log.String(), tc.want) {
				t.Fatalf("warning does not say %q:\n%s", tc.want, f.log)
			}
			if st.RemoteErrors == 0 || st.RemoteDisabled == "" {
				t.Fatalf("stats %+v", st)
			}
			// Requests already in flight when the breaker opens still
			// arrive (the fake go command sends them concurrently), so the
			// bound has room for them; what matters is that the ~100 that
			// follow never reach the remote.
			if tc.status > 0 && rem.reqs.Load() > 4*breakerTrips {
				t.Errorf("%d requests reached a failing remote after the breaker opened", rem.reqs.Load())
			}
		})
	}
}

// TestUploadsNeverBlock: with a remote that does not answer uploads, puts
// are still answered at once; close waits only up to the flush timeout.
func TestUploadsNeverBlock(t *testing.T) {
	rem := newFakeRemote(t)
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	rem.hold = func(path string) {
		if strings.HasPrefix(path, "/cas/") {
			<-stuck
		}
	}
	f := startFake(t, Config{
		Remote:       RemoteConfig{URL: rem.URL, Queue: 4, Workers: 1, Timeout: 30 * time.Second},
		FlushTimeout: 500 * time.Millisecond,
	})
	start := time.Now()
	for i := range 20 {
		f.put(int64(i+1), aid(i), body(i, 100))
		if r := f.recv(); r.Err != "" {
			t.Fatal(r.Err)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("20 puts took %v behind a stuck remote", d)
	}
	st := f.close(100)
	if st.UploadsDropped+st.UploadsLost == 0 || st.Uploads != 0 {
		t.Fatalf("stats %+v: want dropped uploads and none done", st)
	}
}

func TestCredentials(t *testing.T) {
	netrc := filepath.Join(t.TempDir(), "netrc")
	for _, tc := range []struct {
		name, url, token, netrc, want string
	}{
		{"userinfo", "http://alice:s3cret-pw@HOST", "", "", "Basic YWxpY2U6czNjcmV0LXB3"},
		{"netrc", "http://HOST", "", "machine 127.0.0.1\n  login alice\n  password s3cret-pw\n", "Basic YWxpY2U6czNjcmV0LXB3"},
		{"netrc default", "http://HOST", "", "machine other login x password y\ndefault login alice password s3cret-pw", "Basic YWxpY2U6czNjcmV0LXB3"},
		{"token", "http://HOST", "s3cret-pw", "", "Bearer s3cret-pw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rem := newFakeRemote(t)
			rem.auth = tc.want
			os.WriteFile(netrc, []byte(tc.netrc), 0o600)
			url := strings.Replace(tc.url, "HOST", strings.TrimPrefix(rem.URL, "http://"), 1)
			cfg := RemoteConfig{URL: url, Token: tc.token, Netrc: netrc}
			f := startFake(t, Config{Remote: cfg})
			f.put(1, aid(1), body(1, 10))
			f.recv()
			st := f.close(2)
			if st.Uploads != 1 {
				t.Fatalf("upload with %s credentials: %+v\n%s", tc.name, st, f.log)
			}
			if strings.Contains(st.Remote, "s3cret") {
				t.Fatalf("stats show the password: %s", st.Remote)
			}
			// Wrong credentials: one warning, no password in it.
			rem.auth = "Basic nope"
			g := startFake(t, Config{Remote: cfg})
			g.get(1, aid(1))
			g.recv()
			g.close(2)
			if !strings.Contains(g.log.String(), "refused access") || strings.Contains(g.log.String(), "s3cret") {
				t.Fatalf("log:\n%s", g.log)
			}
		})
	}
}

func TestBadRemoteURL(t *testing.T) {
	for _, u := range []string{"ftp://x/", "http://bob:pw@", "::"} {
		_, err := Serve(context.Background(), strings.NewReader(""), io.Discard,
			Config{Dir: t.TempDir(), Remote: RemoteConfig{URL: u}})
		if err == nil || strings.Contains(err.Error(), "pw") {
			t.Errorf("remote %q: err = %v", u, err)
		}
	}
}

// diskFull fails writes with ENOSPC once limit bytes are written.
type diskFull struct {
	*os.File
	left *atomic.Int64
}

func (d diskFull) Write(p []byte) (int, error) {
	if d.left.Load() < int64(len(p)) {
		return 0, &os.PathError{Op: "write", Path: d.Name(), Err: syscall.ENOSPC}
	}
	d.left.Add(-int64(len(p)))
	return d.File.Write(p)
}

func TestDiskFull(t *testing.T) {
	rem := newFakeRemote(t)
	fill(t, rem.URL, 3)
	dir := t.TempDir()
	f := startFakeWith(t, Config{Dir: dir, Remote: RemoteConfig{URL: rem.URL}}, func(l *Local) {
		var left atomic.Int64
		left.Store(1500)
		l.create = func(dir, pattern string) (writeFile, error) {
			f, err := os.CreateTemp(dir, pattern)
			return diskFull{f, &left}, err
		}
	})
	f.put(1, aid(50), body(50, 5000))
	if r := f.recv(); !strings.Contains(r.Err, "no space left on device") {
		t.Fatalf("put on a full disk = %+v", r)
	}
	f.get(2, aid(2)) // on the remote, but nowhere to store it
	if r := f.recv(); !r.Miss {
		t.Fatalf("remote hit with a full disk = %+v, want miss", r)
	}
	f.put(3, aid(51), body(51, 10)) // still room for small things
	if r := f.recv(); r.Err != "" {
		t.Fatalf("small put: %s", r.Err)
	}
	f.close(4)
	tmpEmpty(t, dir)
}

// startFakeWith is startFake with a hook on the local tier before serving.
func startFakeWith(t *testing.T, cfg Config, hook func(*Local)) *fakeGo {
	testHook = hook
	t.Cleanup(func() { testHook = nil })
	return startFake(t, cfg)
}
