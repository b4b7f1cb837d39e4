package inspect

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestSquarify(t *testing.T) {
	for _, ws := range [][]float64{{6, 6, 4, 3, 2, 2, 1}, {100}, {5, 1e-3, 1e-3}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}} {
		r := rect{10, 20, 600, 400}
		rs := squarify(ws, r)
		if len(rs) != len(ws) {
			t.Fatalf("%v: %d rects", ws, len(rs))
		}
		total := 0.0
		for _, w := range ws {
			total += w
		}
		for i, q := range rs {
			want := ws[i] / total * r.w * r.h
			if math.Abs(q.w*q.h-want) > 1e-6*r.w*r.h {
				t.Errorf("%v: rect %d area %g, want %g", ws, i, q.w*q.h, want)
			}
			if q.x < r.x-1e-9 || q.y < r.y-1e-9 || q.x+q.w > r.x+r.w+1e-9 || q.y+q.h > r.y+r.h+1e-9 {
				t.Errorf("%v: rect %d %+v outside %+v", ws, i, q, r)
			}
		}
	}
}

func TestDiffSizes(t *testing.T) {
	a := &SizeReport{Path: "old", FileSize: 1000, Other: 100,
		Packages: []PackageSize{{Package: "main", Total: 300}, {Package: "fmt", Total: 500}},
		Sections: []SectionSize{{Name: ".rodata", Unattributed: 100}}}
	b := &SizeReport{Path: "new", FileSize: 1400, Other: 100,
		Packages: []PackageSize{{Package: "main", Total: 310}, {Package: "fmt", Total: 500}, {Package: "net/http", Total: 300}},
		Sections: []SectionSize{{Name: ".rodata", Unattributed: 190}}}
	d := DiffSizes(a, b)
	if d.Delta != 400 || len(d.Packages) != 3 {
		t.Fatalf("%+v", d)
	}
	want := []PackageDelta{{"net/http", 0, 300, 300}, {"(unattributed)", 200, 290, 90}, {"main", 300, 310, 10}}
	for i, w := range want {
		if d.Packages[i] != w {
			t.Errorf("row %d: %+v, want %+v", i, d.Packages[i], w)
		}
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, b); err != nil || !strings.Contains(html.String(), `title="net/http: 300 bytes"`) {
		t.Errorf("treemap: %v\n%s", err, html.String())
	}
}
