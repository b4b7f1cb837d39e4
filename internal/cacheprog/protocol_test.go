package cacheprog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestGetPutClose(t *testing.T) {
	dir := t.TempDir()
	f := startFake(t, Config{Dir: dir})
	f.get(1, aid(1))
	if r := f.recv(); r.ID != 1 || !r.Miss {
		t.Fatalf("get on an empty cache = %+v, want a miss", r)
	}
	b := body(1, 100000)
	f.put(2, aid(1), b)
	r := f.recv()
	if r.ID != 2 || r.Err != "" || r.DiskPath == "" {
		t.Fatalf("put = %+v", r)
	}
	if got, _ := os.ReadFile(r.DiskPath); !bytes.Equal(got, b) {
		t.Fatalf("put DiskPath does not hold the body")
	}
	f.put(3, aid(2), nil) // empty outputs exist too
	if r := f.recv(); r.Err != "" || r.DiskPath == "" {
		t.Fatalf("empty put = %+v", r)
	}
	f.get(4, aid(1))
	checkHit(t, f.recv(), b)
	f.get(5, aid(2))
	checkHit(t, f.recv(), nil)
	st := f.close(6)
	if st.Gets != 3 || st.Puts != 2 || st.LocalHits != 2 || st.LocalMisses != 1 {
		t.Errorf("stats = %+v", st)
	}
	tmpEmpty(t, dir)

	// A second program on the same directory sees the entries.
	g := startFake(t, Config{Dir: dir})
	g.get(1, aid(1))
	checkHit(t, g.recv(), b)
	g.close(2)
}

// TestOutOfOrder holds one get at a slow remote while later requests are
// answered: responses go out as they are ready.
func TestOutOfOrder(t *testing.T) {
	rem := newFakeRemote(t)
	release := make(chan struct{})
	rem.hold = func(path string) {
		if strings.HasSuffix(path, "/ac/"+hexID(aid(99))) {
			<-release
		}
	}
	f := startFake(t, Config{Remote: RemoteConfig{URL: rem.URL}})
	f.put(1, aid(1), body(1, 10))
	f.recv()
	f.get(2, aid(99)) // held at the remote
	for i := int64(3); i < 53; i++ {
		f.get(i, aid(1))
	}
	got := f.recvN(50)
	for i := int64(3); i < 53; i++ {
		checkHit(t, got[i], body(1, 10))
	}
	close(release)
	if r := f.recv(); r.ID != 2 || !r.Miss {
		t.Fatalf("held get = %+v, want miss for ID 2", r)
	}
	f.close(100)
}

// TestConcurrentPrograms runs several programs on one directory at once,
// as parallel go commands do.
func TestConcurrentPrograms(t *testing.T) {
	dir := t.TempDir()
	done := make(chan struct{})
	for p := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			f := startFake(t, Config{Dir: dir})
			for i := range 40 {
				f.put(int64(2*i+1), aid(i), body(i, 5000+i))
				f.get(int64(2*i+2), aid((i+p)%40))
				f.recvN(2)
			}
			f.close(1000)
		}()
	}
	for range 4 {
		<-done
	}
	f := startFake(t, Config{Dir: dir})
	for i := range 40 {
		f.get(int64(i+1), aid(i))
		checkHit(t, f.recv(), body(i, 5000+i))
	}
	f.close(1000)
	tmpEmpty(t, dir)
}

func TestMalformedStreams(t *testing.T) {
	b := []byte("hello, cache")
	sum := sha256.Sum256(b)
	put := `{"ID":1,"Command":"put","ActionID":"` + base64.StdEncoding.EncodeToString(aid(1)) +
		`","OutputID":"` + base64.StdEncoding.EncodeToString(sum[:]) + `","BodySize":12}` + "\n\n"
	enc := base64.StdEncoding.EncodeToString(b)
	for _, tc := range []struct{ name, in, want string }{
		{"garbage", "hello\n", "malformed request"},
		{"unknown command", `{"ID":1,"Command":"get2","ActionID":"AAAA"}` + "\n", `unknown command "get2"`},
		{"unknown field", `{"ID":1,"Command":"get","ActionID":"AAAA","Evil":1}` + "\n", "malformed request"},
		{"get without action", `{"ID":1,"Command":"get"}` + "\n", "get without ActionID"},
		{"negative size", `{"ID":1,"Command":"put","ActionID":"AAAA","OutputID":"AAAA","BodySize":-5}` + "\n", "negative BodySize"},
		{"truncated request", `{"ID":1,"Command":"ge`, "truncated request"},
		{"body without quote", put + enc + "\"\n", "does not start with a quote"},
		{"truncated body", put + "\"" + enc[:8], "truncated body"},
		{"missing body", put, "truncated body"},
		{"short body", put + "\"" + base64.StdEncoding.EncodeToString(b[:6]) + "\"\n", "BodySize says 12"},
		{"long body", put + "\"" + base64.StdEncoding.EncodeToString(append(b, b...)) + "\"\n", "longer than BodySize"},
		{"bad base64", put + "\"!!!!" + enc[4:] + "\"\n", "decoding body"},
		{"escape in body", put + "\"\\u0041" + enc + "\"\n", "not a base64 JSON string"},
		{"huge line", strings.Repeat(" x", maxLine), "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			f := startFake(t, Config{Dir: dir})
			go func() {
				io.WriteString(f.in, tc.in) // fails once the program gives up
				f.in.Close()
			}()
			<-f.done
			err := f.err
			var pe *ProtocolError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Serve error = %v, want a protocol error containing %q", err, tc.want)
			}
			tmpEmpty(t, dir)
			if ents, _ := os.ReadDir(filepath.Join(dir, "o", hexID(sum[:])[:2])); len(ents) != 0 {
				t.Errorf("a broken put left an output behind")
			}
		})
	}
}

func TestPutHashMismatch(t *testing.T) {
	dir := t.TempDir()
	f := startFake(t, Config{Dir: dir})
	b := body(1, 3000)
	f.send(Request{ID: 1, Command: CmdPut, ActionID: aid(1), OutputID: aid(2), BodySize: int64(len(b))})
	f.raw("\n\"" + base64.StdEncoding.EncodeToString(b) + "\"\n")
	if r := f.recv(); r.ID != 1 || !strings.Contains(r.Err, "content does not match its hash") {
		t.Fatalf("put with a wrong OutputID = %+v", r)
	}
	// The stream stays in step.
	f.get(2, aid(1))
	if r := f.recv(); !r.Miss {
		t.Fatalf("get after a rejected put = %+v, want miss", r)
	}
	f.close(3)
	tmpEmpty(t, dir)
}

// TestEndWithoutClose: a go command that dies closes our stdin; the
// program finishes cleanly.
func TestEndWithoutClose(t *testing.T) {
	f := startFake(t, Config{})
	f.put(1, aid(1), body(1, 10))
	f.recv()
	st, err := f.end()
	if err != nil || st.Puts != 1 {
		t.Fatalf("end without close: %+v, %v", st, err)
	}
}

// TestPutStreamed sends a body far larger than what the program may
// allocate while storing it.
func TestPutStreamed(t *testing.T) {
	const size = 48 << 20
	f := startFake(t, Config{})
	h := sha256.New()
	io.CopyN(h, zeroes{}, size)
	f.send(Request{ID: 1, Command: CmdPut, ActionID: aid(1), OutputID: h.Sum(nil), BodySize: size})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	go func() {
		f.raw("\n\"")
		e := base64.NewEncoder(base64.StdEncoding, f.in)
		io.CopyN(e, zeroes{}, size)
		e.Close()
		f.raw("\"\n")
	}()
	r := f.recv()
	runtime.ReadMemStats(&after)
	if r.Err != "" {
		t.Fatal(r.Err)
	}
	if fi, err := os.Stat(r.DiskPath); err != nil || fi.Size() != size {
		t.Fatalf("stored body: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/4 {
		t.Errorf("storing a %d MiB body allocated %d MiB: not streamed", size>>20, alloc>>20)
	}
	f.close(2)
}

type zeroes struct{}

func (zeroes) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(`{"ID":1,"Command":"get","ActionID":"AAAA"}` + "\n"))
	f.Add([]byte(`{"ID":2,"Command":"put","ActionID":"AAAA","OutputID":"AAAA","BodySize":3}` + "\n\n\"YWJj\"\n"))
	f.Add([]byte(`{"ID":3,"Command":"close"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		rd := newReader(bytes.NewReader(in))
		for range 100 {
			req, err := rd.next()
			if err != nil {
				return
			}
			if req.Command == CmdPut && req.BodySize > 0 {
				b, err := rd.body(req.BodySize)
				if err != nil {
					return
				}
				n, err := io.Copy(io.Discard, b)
				if err == nil && n != req.BodySize {
					t.Fatalf("body of %d bytes accepted for BodySize %d", n, req.BodySize)
				}
				if err != nil {
					return
				}
			}
		}
	})
}

func FuzzParseEntry(f *testing.F) {
	f.Add(Entry{OutputID: make([]byte, 32), Size: 5}.encode())
	f.Add([]byte("goforge-cacheprog-v1 zz 1 2 3"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := parseEntry(b)
		if err != nil {
			return
		}
		if len(e.OutputID) != 32 || e.Size < 0 {
			t.Fatalf("parseEntry accepted %+v", e)
		}
		e2, err := parseEntry(e.encode())
		if err != nil || !bytes.Equal(e2.OutputID, e.OutputID) || e2.Size != e.Size {
			t.Fatalf("entry does not round-trip: %+v, %v", e2, err)
		}
	})
}

var _ = context.Background
