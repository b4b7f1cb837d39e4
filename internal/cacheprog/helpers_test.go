package cacheprog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGo drives a cache program the way cmd/go does: requests as JSON
// lines on the program's stdin, put bodies as base64 JSON strings after a
// blank line, responses read as a JSON stream.
type fakeGo struct {
	t    *testing.T
	in   *io.PipeWriter
	resp chan Response
	log  *syncBuffer
	done chan struct{}
	st   Stats
	err  error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startFake(t *testing.T, cfg Config) *fakeGo {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	f := &fakeGo{t: t, in: inW, resp: make(chan Response, 10000), log: &syncBuffer{}, done: make(chan struct{})}
	// Like cmd/go, read responses while requests are being written.
	go func() {
		defer close(f.resp)
		dec := json.NewDecoder(outR)
		for {
			var r Response
			if err := dec.Decode(&r); err != nil {
				io.Copy(io.Discard, outR)
				return
			}
			f.resp <- r
		}
	}()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	cfg.Log = f.log
	go func() {
		defer close(f.done)
		f.st, f.err = Serve(context.Background(), inR, outW, cfg)
		inR.Close()
		outW.Close()
	}()
	caps := f.recv()
	if fmt.Sprint(caps.KnownCommands) != "[get put close]" || caps.ID != 0 {
		t.Fatalf("first message = %+v, want KnownCommands [get put close]", caps)
	}
	return f
}

func (f *fakeGo) raw(s string) {
	f.t.Helper()
	if _, err := io.WriteString(f.in, s); err != nil {
		f.t.Fatalf("writing to cache program: %v", err)
	}
}

func (f *fakeGo) send(r Request) {
	b, _ := json.Marshal(r)
	f.raw(string(b) + "\n")
}

func (f *fakeGo) put(id int64, aid []byte, body []byte) {
	sum := sha256.Sum256(body)
	f.send(Request{ID: id, Command: CmdPut, ActionID: aid, OutputID: sum[:], BodySize: int64(len(body))})
	if len(body) > 0 {
		f.raw("\n\"" + base64.StdEncoding.EncodeToString(body) + "\"\n")
	}
}

func (f *fakeGo) get(id int64, aid []byte) { f.send(Request{ID: id, Command: CmdGet, ActionID: aid}) }

func (f *fakeGo) recv() Response {
	f.t.Helper()
	select {
	case r, ok := <-f.resp:
		if !ok {
			f.t.Fatalf("cache program ended its output (log: %s)", f.log)
		}
		return r
	case <-time.After(30 * time.Second):
		f.t.Fatalf("no response in 30s")
	}
	panic("unreachable")
}

// recvN reads n responses and indexes them by ID.
func (f *fakeGo) recvN(n int) map[int64]Response {
	f.t.Helper()
	m := map[int64]Response{}
	for range n {
		r := f.recv()
		if _, dup := m[r.ID]; dup {
			f.t.Fatalf("two responses for ID %d", r.ID)
		}
		m[r.ID] = r
	}
	return m
}

// close sends close, checks its answer, and waits for Serve to return.
func (f *fakeGo) close(id int64) Stats {
	f.t.Helper()
	f.send(Request{ID: id, Command: CmdClose})
	if r := f.recv(); r.ID != id || r.Err != "" {
		f.t.Fatalf("close answered %+v", r)
	}
	f.in.Close()
	<-f.done
	if f.err != nil {
		f.t.Fatalf("Serve: %v", f.err)
	}
	return f.st
}

// end closes stdin without close and returns Serve's result.
func (f *fakeGo) end() (Stats, error) {
	f.in.Close()
	select {
	case <-f.done:
	case <-time.After(30 * time.Second):
		f.t.Fatalf("Serve did not return after the end of its input")
	}
	return f.st, f.err
}

func aid(n int) []byte {
	s := sha256.Sum256([]byte(fmt.Sprint("action", n)))
	return s[:]
}

func body(n, size int) []byte {
	b := bytes.Repeat([]byte(fmt.Sprintf("output %d;", n)), size/8+1)
	return b[:size]
}

func checkHit(t *testing.T, r Response, want []byte) {
	t.Helper()
	if r.Miss || r.Err != "" || r.DiskPath == "" {
		t.Fatalf("response %+v, want a hit", r)
	}
	sum := sha256.Sum256(want)
	if !bytes.Equal(r.OutputID, sum[:]) || r.Size != int64(len(want)) || r.Time == nil {
		t.Fatalf("hit %+v: wrong OutputID, Size or Time", r)
	}
	if !filepath.IsAbs(r.DiskPath) {
		t.Fatalf("DiskPath %q is not absolute", r.DiskPath)
	}
	got, err := os.ReadFile(r.DiskPath)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("DiskPath %s holds %d bytes (err %v), want the %d put", r.DiskPath, len(got), err, len(want))
	}
}

func tmpEmpty(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(ents) != 0 {
		t.Errorf("tmp/ holds %d leftover files", len(ents))
	}
}

func countWarnings(log, substr string) int { return strings.Count(log, substr) }
