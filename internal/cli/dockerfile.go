package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/goforge/goforge/internal/dockerfile"
	"github.com/goforge/goforge/internal/image"
)

func newDockerfileCmd() *Command {
	var (
		base, goVersion   string
		cgo, check, force bool
		stdout            bool
	)
	c := NewCommand("dockerfile", "[--base scratch|distroless|alpine] [--cgo] [--check] [package]",
		"write a multi-stage Dockerfile and .dockerignore for a program", dockerfileLong)
	c.Flags.StringVar(&base, "base", "scratch", "runtime stage: scratch, distroless or alpine")
	c.Flags.BoolVar(&cgo, "cgo", false, "build with cgo (static against musl; glibc for distroless)")
	c.Flags.StringVar(&goVersion, "go", "", "Go version of the builder image (default: the project's pin or go.mod)")
	c.Flags.BoolVar(&check, "check", false, "compare the existing files with what would be written; exit 1 on a difference")
	c.Flags.BoolVar(&force, "force", false, "replace a Dockerfile or .dockerignore that goforge did not write")
	c.Flags.BoolVar(&stdout, "print", false, "print the Dockerfile instead of writing files")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 1 {
			return c.Usagef("a Dockerfile builds one program; got %d packages", len(args))
		}
		r, dir, err := st.goRunner(ctx)
		if err != nil {
			return err
		}
		req := dockerfile.Request{Dir: dir, Base: base, Cgo: cgo, GoVersion: goVersion, Getenv: st.Getenv, Runner: r}
		if len(args) == 1 {
			req.Package = args[0]
		}
		mode := dockerfile.WriteFiles
		switch {
		case stdout:
			mode = dockerfile.PrintOnly
		case check:
			mode = dockerfile.CheckFiles
		case force:
			mode = dockerfile.ForceWrite
		}
		res, err := dockerfile.Generate(ctx, req, mode)
		var bad *image.BadInputError
		if errors.As(err, &bad) {
			return c.Usagef("%s", bad.Msg)
		}
		if err != nil {
			return err
		}
		return printDockerfile(st, mode, res)
	}
	return c
}

func printDockerfile(st *Stdio, mode dockerfile.Mode, res *dockerfile.Result) error {
	switch {
	case mode == dockerfile.PrintOnly:
		_, err := fmt.Fprint(st.Out, res.Files[0].Data)
		return err
	case mode == dockerfile.CheckFiles && len(res.Diffs) > 0:
		for _, d := range res.Diffs {
			fmt.Fprintln(st.Out, d)
		}
		return fmt.Errorf("the Dockerfile differs from what 'goforge dockerfile' writes (%d difference(s))", len(res.Diffs))
	case mode == dockerfile.CheckFiles:
		fmt.Fprintln(st.Out, "Dockerfile and .dockerignore are up to date")
	}
	for _, p := range res.Written {
		fmt.Fprintf(st.Out, "wrote %s\n", p)
	}
	return nil
}

const dockerfileLong = `
Dockerfile writes a multi-stage Dockerfile and a .dockerignore at the
module root, for those who build with Docker, BuildKit or buildah:

  - a builder stage on golang:VERSION, VERSION from the project's pin
    (.goenv, .go-version, .tool-versions, go.mod's toolchain or go line)
    or --go;
  - 'go mod download' in a layer that depends on go.mod and go.sum only;
  - BuildKit cache mounts for the module and build caches;
  - CGO_ENABLED=0 -trimpath -ldflags "-s -w", cross-compiled natively for
    TARGETOS/TARGETARCH ('--platform linux/amd64,linux/arm64'); with
    --cgo, a static musl build (glibc for distroless), on the target;
  - a non-root (65532) runtime stage with only what the program needs,
    decided from its function table: the CA bundle when it links
    crypto/x509, the zoneinfo database when it loads time zones.

The program is built once for this machine to read what it needs.
--check compares the existing files with what would be written, names
each difference, and exits 1 when there is one. An existing Dockerfile
that goforge did not write is never replaced without --force.

Examples:
  goforge dockerfile ./cmd/server
  goforge dockerfile --base distroless --check ./cmd/server`
