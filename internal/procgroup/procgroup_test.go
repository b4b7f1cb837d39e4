//go:build unix

package procgroup

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A cancelled command's grandchildren (like compile under go build) must
// be gone when Run returns, not reparented to init and still running.
func TestCancelKillsGrandchildren(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("needs sh")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 30 & echo $!; sleep 30 & wait")
	cmd.Stdout = &out
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	if err := Run(cmd); err == nil {
		t.Fatal("Run of a cancelled command succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Run took %v after cancel", d)
	}
	pgid := cmd.Process.Pid
	if Alive(pgid) {
		t.Errorf("process group %d still has live processes", pgid)
	}
	grandchild, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("reading the grandchild's pid from %q: %v", out.String(), err)
	}
	if state, _, ok := procStat("/proc/" + strconv.Itoa(grandchild) + "/stat"); ok && state != "Z" {
		t.Errorf("grandchild %d still running (state %s)", grandchild, state)
	} else if !ok && syscall.Kill(grandchild, 0) == nil {
		t.Errorf("grandchild %d still exists", grandchild)
	}
}

func TestSuccessLeavesNothing(t *testing.T) {
	cmd := exec.CommandContext(context.Background(), "sh", "-c", "exit 0")
	if err := Run(cmd); err != nil {
		t.Fatal(err)
	}
	if Alive(cmd.Process.Pid) {
		t.Error("group alive after a clean exit")
	}
}

func TestProcStat(t *testing.T) {
	for _, tc := range []struct {
		in    string
		state string
		pgrp  int
		ok    bool
	}{
		{"12 (compile) S 1 40 40 0", "S", 40, true},
		{"12 (a) b) (c) R 1 7 7", "R", 7, true},
		{"12 (x", "", 0, false},
		{"12 (x) Z", "", 0, false},
	} {
		name := t.TempDir() + "/stat"
		if err := writeFile(name, tc.in); err != nil {
			t.Fatal(err)
		}
		s, g, ok := procStat(name)
		if s != tc.state || g != tc.pgrp || ok != tc.ok {
			t.Errorf("procStat(%q) = %q, %d, %v; want %q, %d, %v", tc.in, s, g, ok, tc.state, tc.pgrp, tc.ok)
		}
	}
}
