package telemetry

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// A GoAction is one action of the go command read from its -debug-trace
// file: "build fmt", "link", "build check cache fmt".
type GoAction struct {
	Mode    string // build, link, check-cache
	Package string
	Start   time.Time
	End     time.Time
	// Cached is set for build actions when the go command took the
	// package from its build cache (the compiler did not run for it).
	Cached bool
}

// traceEvent is one event of the Chrome trace format the go command
// writes for -debug-trace.
type traceEvent struct {
	Name  string  `json:"name"`
	Phase string  `json:"ph"`
	TS    float64 `json:"ts"` // microseconds since the Unix epoch
	TID   uint64  `json:"tid"`
}

// maxTraceEvents bounds what is read from one -debug-trace file.
const maxTraceEvents = 1 << 20

// ParseDebugTrace reads the go command's -debug-trace output and returns
// its package actions ("Executing action (...)" spans), sorted by start.
// A file cut short by a killed go command (no closing bracket) is read as
// far as it goes.
func ParseDebugTrace(r io.Reader) ([]GoAction, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, fmt.Errorf("reading go -debug-trace output: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("reading go -debug-trace output: not a JSON array")
	}
	type key struct {
		name string
		tid  uint64
	}
	open := map[key][]float64{}
	var acts []GoAction
	for n := 0; dec.More() && n < maxTraceEvents; n++ {
		var ev traceEvent
		if err := dec.Decode(&ev); err != nil {
			break // a truncated last event: keep what was complete
		}
		name, ok := strings.CutPrefix(ev.Name, "Executing action (")
		if !ok || !strings.HasSuffix(name, ")") || strings.Contains(name, " -> ") {
			continue
		}
		k := key{name, ev.TID}
		switch ev.Phase {
		case "B":
			open[k] = append(open[k], ev.TS)
		case "E":
			st := open[k]
			if len(st) == 0 {
				continue
			}
			start := st[len(st)-1]
			open[k] = st[:len(st)-1]
			acts = append(acts, newAction(strings.TrimSuffix(name, ")"), start, ev.TS))
		}
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].Start.Before(acts[j].Start) })
	return acts, nil
}

func newAction(desc string, start, end float64) GoAction {
	a := GoAction{Start: micros(start), End: micros(end)}
	switch {
	case strings.HasPrefix(desc, "build check cache "):
		a.Mode, a.Package = "check-cache", strings.TrimPrefix(desc, "build check cache ")
	case strings.HasPrefix(desc, "build "):
		a.Mode, a.Package = "build", strings.TrimPrefix(desc, "build ")
	case strings.HasPrefix(desc, "link"):
		a.Mode, a.Package = "link", strings.TrimSpace(strings.TrimPrefix(desc, "link"))
	default:
		a.Mode, a.Package, _ = strings.Cut(desc, " ")
	}
	return a
}

func micros(us float64) time.Time {
	if math.IsNaN(us) || math.IsInf(us, 0) || us < 0 || us > 1e17 {
		return time.Time{}
	}
	sec, frac := math.Modf(us / 1e6)
	return time.Unix(int64(sec), int64(frac*1e9))
}

// MarkCached sets Cached on the build actions of packages that the go
// command did not compile: compiled is the set of import paths for which
// the compiler ran (see CompiledPackages).
func MarkCached(acts []GoAction, compiled map[string]bool) {
	for i := range acts {
		if acts[i].Mode == "build" {
			acts[i].Cached = !compiled[acts[i].Package]
		}
	}
}

// CompiledPackages reads the go command's -debug-actiongraph output and
// returns the import paths of the build actions that ran a command (the
// compiler, the assembler, cgo). A package the go command took from its
// build cache ran none.
func CompiledPackages(r io.Reader) (map[string]bool, error) {
	var graph []struct {
		Mode    string
		Package string
		Cmd     []string
	}
	if err := json.NewDecoder(io.LimitReader(r, 256<<20)).Decode(&graph); err != nil {
		return nil, fmt.Errorf("reading go -debug-actiongraph output: %w", err)
	}
	out := map[string]bool{}
	for _, a := range graph {
		if a.Mode == "build" && len(a.Cmd) > 0 {
			out[a.Package] = true
		}
	}
	return out, nil
}

// EmitGoActions turns the go command's actions into child spans of the
// span in ctx ("go build fmt", "go link"), and counts them in m (nil:
// no metrics). Actions of checking the cache are folded into their build
// action's span.
func EmitGoActions(ctx context.Context, tr trace.Tracer, m *Metrics, acts []GoAction) {
	for _, a := range acts {
		if a.Mode == "check-cache" || a.Start.IsZero() || a.End.Before(a.Start) {
			continue
		}
		cache := "miss"
		if a.Cached {
			cache = "hit"
		}
		if m != nil && (a.Mode == "build" || a.Mode == "link") {
			m.GoActions.WithLabelValues(a.Mode, cache).Inc()
		}
		name := "go " + a.Mode
		if a.Package != "" {
			name += " " + a.Package
		}
		attrs := []attribute.KeyValue{attribute.String("goforge.go.action", a.Mode)}
		if a.Package != "" {
			attrs = append(attrs, attribute.String("goforge.go.package", a.Package))
		}
		if a.Mode == "build" {
			attrs = append(attrs, attribute.Bool("goforge.cache_hit", a.Cached))
		}
		_, span := tr.Start(ctx, name, trace.WithTimestamp(a.Start), trace.WithAttributes(attrs...))
		span.End(trace.WithTimestamp(a.End))
	}
}
