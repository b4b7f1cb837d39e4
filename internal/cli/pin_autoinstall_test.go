package cli

import (
	"runtime"
	"testing"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestPinProxyScripts runs testdata/pinproxy/*.txtar: pins that need a
// toolchain installed (GOFORGE_AUTO_INSTALL=1), against the fake module
// proxy and checksum database of toolchaintest on 127.0.0.1, which serves
// tiny toolchains (bin/go is a script printing its version) for
// go1.22.3, go1.22.5 and go1.23.2.
func TestPinProxyScripts(t *testing.T) {
	t.Parallel()
	srv := toolchaintest.NewServer(t)
	for _, v := range []string{"go1.22.3", "go1.22.5", "go1.23.2"} {
		srv.AddToolchain(v, runtime.GOOS, runtime.GOARCH)
	}
	p := ScriptParams(t, "testdata/pinproxy")
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := setup(e); err != nil {
			return err
		}
		for k, v := range srv.Env() {
			e.Setenv(k, v)
		}
		return nil
	}
	testscript.Run(t, p)
}
