package telemetry

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sort"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// A Bar is one span drawn on the timeline.
type Bar struct {
	Name   string
	Start  time.Duration // since the run started
	Dur    time.Duration
	Row    int // row within its lane (spans that overlap get their own)
	Cached bool
	Failed bool
	Kind   string // the goforge.go.action or "phase"
}

// A Lane is one row group of the timeline: a target, a Go version × target
// cell, or the command itself.
type Lane struct {
	Name string
	Rows int
	Bars []Bar
}

// A Timeline is a run laid out for people.
type Timeline struct {
	Title string
	Start time.Time
	Total time.Duration
	Lanes []Lane
}

// laneKeys are the attributes that make a span, and everything under it,
// a lane of its own.
var laneKeys = []string{"goforge.lane", "goforge.target"}

// BuildTimeline lays spans out in lanes: each span that carries a lane
// attribute (a target) starts a lane holding its descendants; the rest go
// into the command's own lane. Overlapping bars in a lane get separate
// rows.
func BuildTimeline(spans []sdktrace.ReadOnlySpan) Timeline {
	var tl Timeline
	if len(spans) == 0 {
		return tl
	}
	byID := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byID[s.SpanContext().SpanID().String()] = s
		if tl.Start.IsZero() || s.StartTime().Before(tl.Start) {
			tl.Start = s.StartTime()
		}
		if d := s.EndTime().Sub(tl.Start); d > tl.Total {
			tl.Total = d
		}
		if !s.Parent().IsValid() || byID[s.Parent().SpanID().String()] == nil && tl.Title == "" {
			tl.Title = s.Name()
		}
	}
	lanes := map[string]*Lane{}
	var order []string
	for _, s := range spans {
		name := laneOf(s, byID)
		l := lanes[name]
		if l == nil {
			l = &Lane{Name: name}
			lanes[name] = l
			order = append(order, name)
		}
		l.Bars = append(l.Bars, barOf(s, tl.Start))
	}
	sort.Strings(order)
	for _, n := range order {
		l := lanes[n]
		l.Rows = packRows(l.Bars)
		tl.Lanes = append(tl.Lanes, *l)
	}
	return tl
}

func laneOf(s sdktrace.ReadOnlySpan, byID map[string]sdktrace.ReadOnlySpan) string {
	for depth := 0; s != nil && depth < 64; depth++ {
		for _, kv := range s.Attributes() {
			for _, k := range laneKeys {
				if string(kv.Key) == k {
					return kv.Value.Emit()
				}
			}
		}
		if !s.Parent().IsValid() {
			break
		}
		s = byID[s.Parent().SpanID().String()]
	}
	return "(command)"
}

func barOf(s sdktrace.ReadOnlySpan, t0 time.Time) Bar {
	b := Bar{Name: s.Name(), Start: s.StartTime().Sub(t0), Dur: s.EndTime().Sub(s.StartTime()), Kind: "phase"}
	b.Failed = s.Status().Code == codes.Error
	for _, kv := range s.Attributes() {
		switch kv.Key {
		case "goforge.cache_hit":
			b.Cached = kv.Value.AsBool()
		case "goforge.go.action":
			b.Kind = kv.Value.AsString()
		}
	}
	return b
}

// packRows gives each bar the first row where it does not overlap an
// earlier bar, longest-first within equal starts, and returns the row count.
func packRows(bars []Bar) int {
	sort.SliceStable(bars, func(i, j int) bool {
		if bars[i].Start != bars[j].Start {
			return bars[i].Start < bars[j].Start
		}
		return bars[i].Dur > bars[j].Dur
	})
	var ends []time.Duration
	for i := range bars {
		r := 0
		for r < len(ends) && ends[r] > bars[i].Start {
			r++
		}
		if r == len(ends) {
			ends = append(ends, 0)
		}
		ends[r] = bars[i].Start + bars[i].Dur
		bars[i].Row = r
	}
	return len(ends)
}

// WriteTimeline writes spans as a self-contained HTML page (no scripts or
// styles from elsewhere), atomically, with mode 0644 less the umask.
func WriteTimeline(path string, spans []sdktrace.ReadOnlySpan) error {
	var buf bytes.Buffer
	if err := RenderTimeline(&buf, BuildTimeline(spans)); err != nil {
		return err
	}
	return writeShared(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// RenderTimeline writes tl as HTML.
func RenderTimeline(w *bytes.Buffer, tl Timeline) error {
	total := tl.Total
	if total <= 0 {
		total = time.Millisecond
	}
	pct := func(d time.Duration) string { return fmt.Sprintf("%.4f%%", 100*float64(d)/float64(total)) }
	funcs := template.FuncMap{
		"left":  func(b Bar) template.CSS { return template.CSS("left:" + pct(b.Start)) },
		"width": func(b Bar) template.CSS { return template.CSS("width:" + pct(max(b.Dur, total/2000))) },
		"top":   func(b Bar) template.CSS { return template.CSS(fmt.Sprintf("top:%dpx", 2+b.Row*18)) },
		"height": func(l Lane) template.CSS {
			return template.CSS(fmt.Sprintf("height:%dpx", 4+max(l.Rows, 1)*18))
		},
		"dur":   func(d time.Duration) string { return d.Round(time.Millisecond).String() },
		"ticks": func() []tick { return ticks(total) },
	}
	t, err := template.New("timeline").Funcs(funcs).Parse(timelineHTML)
	if err != nil {
		return err
	}
	return t.Execute(w, tl)
}

type tick struct {
	Left  template.CSS
	Label string
}

func ticks(total time.Duration) []tick {
	step := time.Millisecond
	for _, s := range []time.Duration{10 * time.Millisecond, 100 * time.Millisecond, time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute} {
		step = s
		if total/s <= 12 {
			break
		}
	}
	var out []tick
	for d := time.Duration(0); d <= total; d += step {
		out = append(out, tick{template.CSS(fmt.Sprintf("left:%.4f%%", 100*float64(d)/float64(total))), d.String()})
	}
	return out
}

const timelineHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} — goforge timeline</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:16px;margin:0 0 4px}
.meta{color:#666;margin-bottom:10px}
.axis,.track{position:relative;margin-left:180px}
.axis{height:18px;border-bottom:1px solid #ccc}
.tick{position:absolute;top:0;font-size:11px;color:#666;border-left:1px solid #ccc;padding-left:2px}
.lane{display:flex;border-bottom:1px solid #eee}
.lane h2{flex:0 0 176px;font-size:12px;margin:0;padding:4px 4px 0 0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.track{flex:1;margin-left:0}
.bar{position:absolute;height:15px;box-sizing:border-box;border-radius:2px;font-size:10px;line-height:15px;overflow:hidden;white-space:nowrap;color:#fff;padding-left:2px;background:#4a7bd0}
.bar.phase{background:#7a8ca8}
.bar.link{background:#9a4fc2}
.bar.cached{background:repeating-linear-gradient(45deg,#cfd8e3,#cfd8e3 3px,#e8edf3 3px,#e8edf3 6px);color:#445}
.bar.failed{background:#d0463b}
.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
</style></head><body>
<h1>{{.Title}}</h1>
<div class="meta">total {{dur .Total}} · {{len .Lanes}} lanes · started {{.Start.UTC.Format "2006-01-02 15:04:05 MST"}}</div>
<div class="legend"><span><i class="bar phase" style="position:static"></i>phase</span><span><i class="bar" style="position:static"></i>compile</span><span><i class="bar link" style="position:static"></i>link</span><span><i class="bar cached" style="position:static"></i>from build cache</span><span><i class="bar failed" style="position:static"></i>failed</span></div>
<div class="axis">{{range ticks}}<span class="tick" style="{{.Left}}">{{.Label}}</span>{{end}}</div>
{{range .Lanes}}<section class="lane" data-lane="{{.Name}}"><h2 title="{{.Name}}">{{.Name}}</h2><div class="track" style="{{height .}}">
{{range .Bars}}<div class="bar {{.Kind}}{{if .Cached}} cached{{end}}{{if .Failed}} failed{{end}}" style="{{left .}};{{width .}};{{top .}}" title="{{.Name}} ({{dur .Dur}}){{if .Cached}} from cache{{end}}">{{.Name}}</div>
{{end}}</div></section>
{{end}}</body></html>
`
