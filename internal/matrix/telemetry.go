package matrix

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/goforge/goforge/internal/telemetry"
)

// tracedCell runs one cell as a span of its own ("go1.26.8 linux/arm64",
// a lane of the timeline) with its packages and tests as children, and
// records the cell's results and wall time as metrics.
func tracedCell(ctx context.Context, req *Request, keyer *keyer, tc Toolchain, t Target) (Cell, error) {
	lane := tc.Version + " " + t.String()
	ctx, span := req.Tel.Start(ctx, "cell "+lane, attribute.String("goforge.lane", lane),
		attribute.String("goforge.go.version", tc.Version), attribute.String("goforge.target", t.String()))
	start := time.Now()
	c, err := runCell(ctx, req, keyer, tc, t)
	span.SetAttributes(attribute.String("goforge.status", c.Status), attribute.Bool("goforge.cache_hit", c.Cached),
		attribute.Int("goforge.test.passed", c.Passed), attribute.Int("goforge.test.failed", c.Failed))
	switch {
	case err != nil:
		telemetry.SetError(span, err)
	case c.Bad():
		telemetry.SetError(span, fmt.Errorf("%s", c.Status))
	}
	span.End()
	if err == nil && c.Status != StatusSkipped {
		req.Tel.TestCell(tc.Version, t.String(), map[string]int{
			"pass": c.Passed, "fail": c.Failed, "skip": c.Skipped, "flaky": c.Flaky,
		}, time.Since(start))
	}
	return c, err
}
