//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package xbuild

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A second taker of a held dist lock is told once that it waits, gets the
// lock when the holder lets go, and gives up when its context ends.
func TestLockDirWaits(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockDir(context.Background(), dir, func() { t.Error("the first taker waited") })
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeoutCause(context.Background(), 3*lockPoll, errors.New("gave up"))
	defer cancel()
	waits := 0
	if _, err := lockDir(ctx, dir, func() { waits++ }); err == nil || err.Error() != "gave up" {
		t.Fatalf("taking a held lock: %v, want the context's cause", err)
	}
	if waits != 1 {
		t.Errorf("waiting called %d times, want 1", waits)
	}

	got := make(chan error, 1)
	go func() {
		u, err := lockDir(context.Background(), dir, nil)
		if err == nil {
			u()
		}
		got <- err
	}()
	time.Sleep(2 * lockPoll)
	select {
	case err := <-got:
		t.Fatalf("took a held lock (%v)", err)
	default:
	}
	unlock()
	if err := <-got; err != nil {
		t.Fatalf("after the holder let go: %v", err)
	}
}
