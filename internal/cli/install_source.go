package cli

import (
	"context"
	"errors"
)

// fromSourceOptions are the flags of 'goforge install --from-source'.
// The install command (toolchain area) declares the flags and fills this in;
// the from-source area implements runInstallFromSource.
type fromSourceOptions struct {
	Arg                string // VERSION or DIR (may be empty: the active version)
	Bootstrap          string // --bootstrap VERSION|DIR
	VerifyReproducible bool   // --verify-reproducible
	RunTests           bool   // --run-tests
	TestRun            string // --run-tests-run REGEXP: subset for 'go tool dist test -run'
	GOOS, GOARCH       string // --os/--arch: build a cross toolchain
	Experiment         string // --experiment: GOEXPERIMENT
	JSON               bool   // --json summary
}

// runInstallFromSource builds Go from source and installs it as a managed
// version.
func runInstallFromSource(ctx context.Context, st *Stdio, opts fromSourceOptions) error {
	return errors.New("install --from-source: not built yet")
}
