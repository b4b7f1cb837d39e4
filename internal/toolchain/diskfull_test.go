package toolchain

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

// TestDiskFullKeepsCause: a download that cannot be written reports "no
// space left on device", with the byte count as a second clause (issue
// 13, case 4). /dev/full fails every write with ENOSPC.
func TestDiskFullKeepsCause(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("needs /dev/full")
	}
	srv := toolchaintest.NewServer(t)
	files := toolchaintest.Files("go1.22.5", runtime.GOOS, runtime.GOARCH)
	big := make([]byte, 4<<20) // incompressible, so the zip takes many reads
	rand.Read(big)
	files["pkg/big"] = string(big)
	mv := toolchaintest.ModVersion("go1.22.5", runtime.GOOS, runtime.GOARCH)
	z := toolchaintest.ModuleZip("golang.org/toolchain@"+mv+"/", files)
	srv.AddZip(mv, z, z)
	in := newTestInstaller(t, srv, nil)
	saved := createSpool
	t.Cleanup(func() { createSpool = saved })
	createSpool = func(string) (*os.File, error) { return os.OpenFile("/dev/full", os.O_RDWR, 0) }
	_, err := in.Install(context.Background(), Request{Query: "1.22.5"})
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("err = %v, want the cause", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf(" of %d bytes)", len(z))) {
		t.Errorf("err = %v, want the byte count as a second clause", err)
	}
	t.Log(err)
	assertNothingInstalled(t, in.Home)
}
