package toolchain

import (
	"context"
	"time"

	"github.com/goforge/goforge/internal/telemetry"
)

// phase runs fn as a span named name under the span in ctx and records
// its duration as an install phase (resolve, download, verify, unpack,
// publish).
func (in *Installer) phase(ctx context.Context, name string, fn func(context.Context) error) error {
	start := time.Now()
	if in.Step != nil {
		in.Step(name, false, nil)
	}
	ctx, span := in.Tel.Start(ctx, name)
	err := fn(ctx)
	if in.Step != nil {
		in.Step(name, true, err)
	}
	telemetry.SetError(span, err)
	span.End()
	in.Tel.InstallPhase(name, time.Since(start))
	return err
}
