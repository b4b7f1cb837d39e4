package cacheprog

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"testing"
	"time"
)

// BenchmarkServeLocalHit is one get answered from the local tier, round
// trip, as a warm build sends a thousand or more: the cache program's side
// of the overhead bench/cacheprog-overhead.sh measures end to end.
func BenchmarkServeLocalHit(b *testing.B) {
	dir := b.TempDir()
	l, err := OpenLocal(dir, 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	const n = 256
	storeHits(b, l, n)
	lines := make([][]byte, n)
	for i := range n {
		lines[i], _ = json.Marshal(Request{ID: int64(i + 1), Command: CmdGet, ActionID: aid(i)})
		lines[i] = append(lines[i], '\n')
	}
	l.Close()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := Serve(context.Background(), inR, outW, Config{Dir: dir, Quiet: true})
		outW.Close()
		done <- err
	}()
	resp := bufio.NewReader(outR)
	resp.ReadSlice('\n') // KnownCommands
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		inW.Write(lines[i%n])
		line, err := resp.ReadSlice('\n')
		if err != nil || bytes.Contains(line, []byte(`"Miss"`)) {
			b.Fatalf("response %q, %v", line, err)
		}
	}
	b.StopTimer()
	inW.Write([]byte(`{"ID":999999,"Command":"close"}` + "\n"))
	resp.ReadSlice('\n')
	inW.Close()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLocalGet is the local tier's side of a hit alone: finding the
// entry and checking its output, what every get of a warm build costs.
func BenchmarkLocalGet(b *testing.B) {
	l, err := OpenLocal(b.TempDir(), 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	const n = 256
	storeHits(b, l, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, _, ok := l.Get(aid(i % n)); !ok {
			b.Fatal("miss")
		}
	}
}

// storeHits stores n outputs of 1000 bytes under the action IDs aid(0..n-1).
func storeHits(tb testing.TB, l *Local, n int) {
	for i := range n {
		out := body(i, 1000)
		sum := sha256.Sum256(out)
		if _, err := l.WriteOutput(sum[:], int64(len(out)), bytes.NewReader(out)); err != nil {
			tb.Fatal(err)
		}
		if err := l.PutEntry(aid(i), Entry{OutputID: sum[:], Size: int64(len(out)), Time: time.Now()}); err != nil {
			tb.Fatal(err)
		}
	}
}
