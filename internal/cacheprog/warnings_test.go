package cacheprog

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRepairCorruptRemote: a remote whose stored copy of an output was
// damaged in place (same size, so HEAD calls it "already there") gets the
// output again from the next machine that downloads it, fails to verify
// it, and rebuilds it; the machine after that is served from the remote.
func TestRepairCorruptRemote(t *testing.T) {
	rem := newFakeRemote(t)
	fill(t, rem.URL, 3)
	rem.mu.Lock()
	for i := 1; i < 3; i++ {
		p := "/cas/" + hexID(sha(body(i, 1000*i+1)))
		b := bytes.Clone(rem.objs[p])
		b[len(b)/2] ^= 0x55
		rem.objs[p] = b
	}
	rem.mu.Unlock()

	b := startFake(t, Config{Remote: RemoteConfig{URL: rem.URL}})
	for i := 1; i < 3; i++ {
		b.get(int64(2*i+1), aid(i))
		if r := b.recv(); !r.Miss {
			t.Fatalf("corrupt download served as %+v", r)
		}
		b.put(int64(2*i+2), aid(i), body(i, 1000*i+1)) // the go command rebuilt it
		b.recv()
	}
	st := b.close(100)
	if st.Corrupt != 2 || st.Repaired != 2 || st.UploadsSkipped != 0 {
		t.Fatalf("stats %+v: want 2 corrupt, 2 repaired, none skipped", st)
	}
	rem.mu.Lock()
	for i := 1; i < 3; i++ {
		want := body(i, 1000*i+1)
		if got := rem.objs["/cas/"+hexID(sha(want))]; !bytes.Equal(got, want) {
			t.Errorf("output %d still corrupt on the remote", i)
		}
	}
	rem.mu.Unlock()

	c := startFake(t, Config{Remote: RemoteConfig{URL: rem.URL}})
	for i := 1; i < 3; i++ {
		c.get(int64(i), aid(i))
		checkHit(t, c.recv(), body(i, 1000*i+1))
	}
	if st := c.close(100); st.RemoteHits != 2 || st.Corrupt != 0 {
		t.Fatalf("machine C stats %+v: want 2 remote hits", st)
	}
}

// TestWarningsFile: with a warnings file, warnings go there (one line
// each, no prefix), not to the log; the programs of one build share the
// file and ReadWarnings gives each distinct warning once.
func TestWarningsFile(t *testing.T) {
	rem := newFakeRemote(t)
	rem.Close() // unreachable
	file := filepath.Join(t.TempDir(), "warnings")
	var logs []string
	for p := range 3 {
		f := startFake(t, Config{WarningsFile: file, Quiet: true, Remote: RemoteConfig{URL: rem.URL}})
		for i := range breakerTrips + 1 {
			f.get(int64(i+1), aid(100*p+i))
			if r := f.recv(); !r.Miss {
				t.Fatalf("get from a dead remote = %+v", r)
			}
		}
		f.close(99)
		logs = append(logs, f.log.String())
	}
	if l := strings.Join(logs, ""); l != "" {
		t.Errorf("warnings also went to the log: %q", l)
	}
	raw, _ := os.ReadFile(file)
	if n := strings.Count(string(raw), "\n"); n != 3 {
		t.Errorf("warnings file has %d lines, want one per program:\n%s", n, raw)
	}
	ws, err := ReadWarnings(file)
	if err != nil || len(ws) != 1 {
		t.Fatalf("ReadWarnings = %q, %v; want one warning", ws, err)
	}
	if !strings.HasPrefix(ws[0], "remote cache http://127.0.0.1:") || !strings.Contains(ws[0], "is unreachable") ||
		strings.Contains(ws[0], "/ac/") || strings.Contains(ws[0], "goforge") {
		t.Errorf("warning %q: want the remote named once, no object, no prefix", ws[0])
	}
	if ws, err := ReadWarnings(filepath.Join(t.TempDir(), "none")); ws != nil || err != nil {
		t.Errorf("missing file: %q, %v", ws, err)
	}
}

// TestWarningsFileUnwritable: a warnings file that cannot be opened sends
// the warnings to the log, where they are not lost.
func TestWarningsFileUnwritable(t *testing.T) {
	rem := newFakeRemote(t)
	rem.status.Store(401)
	f := startFake(t, Config{WarningsFile: filepath.Join(t.TempDir(), "no", "such", "dir"), Quiet: true, Remote: RemoteConfig{URL: rem.URL}})
	f.get(1, aid(1))
	f.recv()
	f.close(2)
	log := f.log.String()
	if !strings.Contains(log, "goforge cacheprog: opening the warnings file") || !strings.Contains(log, "refused access (401") {
		t.Errorf("log %q: want both warnings", log)
	}
}

func TestCheckDir(t *testing.T) {
	dir := t.TempDir()
	if err := CheckDir(filepath.Join(dir, "cache")); err != nil {
		t.Fatalf("CheckDir of a new directory: %v", err)
	}
	tmpEmpty(t, filepath.Join(dir, "cache"))
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	err := CheckDir(filepath.Join(file, "cache"))
	if err == nil || !strings.Contains(err.Error(), "opening cache directory") || strings.HasPrefix(err.Error(), "goforge") {
		t.Fatalf("CheckDir under a file = %v, want an opening error", err)
	}
}

func sha(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// TestDiskFullWarning: downloads that the local disk cannot hold turn the
// remote off with a warning that names the local cause, not the server
// and not a temporary file's path.
func TestDiskFullWarning(t *testing.T) {
	rem := newFakeRemote(t)
	fill(t, rem.URL, 6)
	file := filepath.Join(t.TempDir(), "warnings")
	f := startFakeWith(t, Config{WarningsFile: file, Quiet: true, Remote: RemoteConfig{URL: rem.URL}}, func(l *Local) {
		var left atomic.Int64
		l.create = func(dir, pattern string) (writeFile, error) {
			f, err := os.CreateTemp(dir, pattern)
			return diskFull{f, &left}, err
		}
	})
	for i := 1; i < 6; i++ {
		f.get(int64(i), aid(i))
		if r := f.recv(); !r.Miss {
			t.Fatalf("remote hit with a full disk = %+v", r)
		}
	}
	st := f.close(9)
	ws, _ := ReadWarnings(file)
	if len(ws) != 1 || !strings.Contains(ws[0], "the local cache could not store its downloads (no space left on device)") ||
		strings.Contains(ws[0], string(filepath.Separator)+"tmp") || strings.Contains(ws[0], "unreachable") {
		t.Fatalf("warnings %q", ws)
	}
	if st.RemoteDisabled == "" {
		t.Errorf("remote still on: %+v", st)
	}
}
