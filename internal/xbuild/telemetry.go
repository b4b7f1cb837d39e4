package xbuild

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/telemetry"
)

// PrepareTraced is Prepare as a "resolve" span of tel's trace; the
// Builder it returns reports to tel.
func PrepareTraced(ctx context.Context, r *gocmd.Runner, req Request, tel *telemetry.Session) (*Builder, error) {
	ctx, span := tel.Start(ctx, "resolve")
	b, err := Prepare(ctx, r, req)
	telemetry.SetError(span, err)
	if b != nil {
		b.Tel = tel
		span.SetAttributes(attribute.Int("goforge.targets", len(b.Jobs)), attribute.String("goforge.go.version", b.TC.Version()),
			attribute.String("goforge.version", b.Stamp.Version))
	}
	span.End()
	return b, err
}

// tracedJob runs one job as a span of its own ("target linux/arm64") whose
// children are the job's phases and the go command's package actions,
// and records the target's metrics.
func (b *Builder) tracedJob(ctx context.Context, j *Job, slots jobSlots) (*Result, *jobState) {
	t := j.Target.String()
	ctx, span := b.Tel.Start(ctx, "target "+t,
		attribute.String("goforge.target", t), attribute.String("goforge.package", j.Package),
		attribute.String("goforge.go.version", b.TC.Version()))
	start := time.Now()
	r, js := b.runJob(ctx, j, slots)
	span.SetAttributes(attribute.String("goforge.status", r.Status))
	var size int64
	if r.Binary != nil {
		size = r.Binary.Size
		span.SetAttributes(attribute.Int64("goforge.output.bytes", size))
	}
	attrs := []any{"target", t, "status", r.Status, "seconds", time.Since(start).Seconds()}
	if r.Failed() {
		telemetry.SetError(span, fmt.Errorf("%s", r.Error))
		attrs = append(attrs, "error", r.Error)
	}
	b.Tel.Logger().InfoContext(ctx, "target done", attrs...)
	span.End()
	b.Tel.TargetDone(t, r.Status, time.Since(start), size)
	return r, js
}

// phase runs fn as a span named name, a child of the span in ctx.
func (b *Builder) phase(ctx context.Context, name string, fn func(context.Context) error) error {
	ctx, span := b.Tel.Start(ctx, name)
	err := fn(ctx)
	telemetry.SetError(span, err)
	span.End()
	return err
}

// goTraceSeq numbers the trace files of one process's go commands.
var goTraceSeq atomic.Int64

// goTraceArgs are the flags that make the go command write its trace and
// action graph into the job's directory, when telemetry wants them, and
// the function that turns those files into spans after the run.
func (b *Builder) goTraceArgs(ctx context.Context, j *Job) ([]string, func()) {
	if !b.Tel.WantGoTrace() {
		return nil, func() {}
	}
	n := goTraceSeq.Add(1)
	trace := filepath.Join(b.jobDir(j), fmt.Sprintf("go-trace-%d.json", n))
	graph := filepath.Join(b.jobDir(j), fmt.Sprintf("go-actions-%d.json", n))
	return []string{"-debug-trace=" + trace, "-debug-actiongraph=" + graph},
		func() { b.Tel.GoBuild(ctx, trace, graph) }
}
