package inspect

import (
	"fmt"
	"html"
	"io"
	"sort"
)

type rect struct{ x, y, w, h float64 }

type node struct {
	name     string
	class    string
	size     float64
	children []*node
}

// squarify lays weights (sorted, descending) out in r with the squarified
// treemap algorithm, returning one rectangle per weight.
func squarify(weights []float64, r rect) []rect {
	out := make([]rect, 0, len(weights))
	total := 0.0
	for _, w := range weights {
		total += w
	}
	for len(weights) > 0 && total > 0 && r.w > 0 && r.h > 0 {
		scale := r.w * r.h / total
		short := min(r.w, r.h)
		n, best := 1, worst(weights[:1], scale, short)
		for n < len(weights) {
			w := worst(weights[:n+1], scale, short)
			if w > best {
				break
			}
			n, best = n+1, w
		}
		rowSum := 0.0
		for _, w := range weights[:n] {
			rowSum += w
		}
		thick := rowSum * scale / short
		pos := 0.0
		for _, w := range weights[:n] {
			l := w * scale / thick
			if r.w >= r.h {
				out = append(out, rect{r.x, r.y + pos, thick, l})
			} else {
				out = append(out, rect{r.x + pos, r.y, l, thick})
			}
			pos += l
		}
		if r.w >= r.h {
			r = rect{r.x + thick, r.y, r.w - thick, r.h}
		} else {
			r = rect{r.x, r.y + thick, r.w, r.h - thick}
		}
		weights, total = weights[n:], total-rowSum
	}
	return out
}

// worst is the largest aspect ratio in a row of weights.
func worst(row []float64, scale, short float64) float64 {
	sum, mx, mn := 0.0, row[0], row[0]
	for _, w := range row {
		sum += w
		mx, mn = max(mx, w), min(mn, w)
	}
	s := sum * scale
	return max(short*short*mx*scale/(s*s), s*s/(short*short*mn*scale))
}

var classColors = map[string]string{
	ClassStd: "#7aa6da", ClassMain: "#e78c45", ClassDep: "#b9ca4a",
	ClassVendor: "#c397d8", ClassGenerated: "#aaaaaa", "unattributed": "#dddddd",
}

// WriteHTML writes the report as a self-contained HTML treemap: modules,
// then packages, sized by bytes, coloured by class.
func WriteHTML(w io.Writer, r *SizeReport) error {
	root := treeOf(r)
	const W, H = 1200.0, 800.0
	fmt.Fprintf(w, `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>%s: size by package</title>
<style>body{font:13px sans-serif;margin:16px}.t{position:relative;width:%.0fpx;height:%.0fpx}
.m,.p{position:absolute;box-sizing:border-box;overflow:hidden}.m{border:2px solid #333}
.p{border:1px solid #fff;font-size:11px;padding:1px 2px;white-space:nowrap}
.m>span{position:absolute;top:0;left:2px;font-weight:bold;z-index:1;background:rgba(255,255,255,.6)}</style></head><body>
<h1>%s</h1><p>%d bytes; hover for sizes. Colours: `, html.EscapeString(r.Path), W, H, html.EscapeString(r.Path), r.FileSize)
	for _, c := range []string{ClassMain, ClassDep, ClassStd, ClassVendor, ClassGenerated, "unattributed"} {
		fmt.Fprintf(w, `<span style="background:%s;padding:0 4px">%s</span> `, classColors[c], c)
	}
	fmt.Fprint(w, "</p>\n<div class=\"t\">\n")
	ws := make([]float64, len(root.children))
	for i, m := range root.children {
		ws[i] = m.size
	}
	for i, mr := range squarify(ws, rect{0, 0, W, H}) {
		m := root.children[i]
		fmt.Fprintf(w, `<div class="m" style="left:%.1fpx;top:%.1fpx;width:%.1fpx;height:%.1fpx" title="%s: %.0f bytes"><span>%s</span>`+"\n",
			mr.x, mr.y, mr.w, mr.h, html.EscapeString(m.name), m.size, html.EscapeString(m.name))
		pw := make([]float64, len(m.children))
		for j, p := range m.children {
			pw[j] = p.size
		}
		for j, pr := range squarify(pw, rect{0, 0, mr.w - 4, mr.h - 4}) {
			p := m.children[j]
			fmt.Fprintf(w, `<div class="p" style="left:%.1fpx;top:%.1fpx;width:%.1fpx;height:%.1fpx;background:%s" title="%s: %.0f bytes">%s</div>`+"\n",
				pr.x, pr.y, pr.w, pr.h, classColors[p.class], html.EscapeString(p.name), p.size, html.EscapeString(p.name))
		}
		fmt.Fprint(w, "</div>\n")
	}
	_, err := fmt.Fprint(w, "</div></body></html>\n")
	return err
}

func treeOf(r *SizeReport) *node {
	mods := map[string]*node{}
	root := &node{}
	for _, p := range r.Packages {
		name := p.Module
		if name == "" {
			name = p.Class
		}
		m := mods[name]
		if m == nil {
			m = &node{name: name}
			mods[name] = m
			root.children = append(root.children, m)
		}
		m.children = append(m.children, &node{name: p.Package, class: p.Class, size: float64(p.Total)})
		m.size += float64(p.Total)
	}
	un := &node{name: "unattributed"}
	for _, s := range r.Sections {
		if s.Unattributed > 0 {
			un.children = append(un.children, &node{name: s.Name, class: "unattributed", size: float64(s.Unattributed)})
			un.size += float64(s.Unattributed)
		}
	}
	if r.Other > 0 {
		un.children = append(un.children, &node{name: "(headers, outside sections)", class: "unattributed", size: float64(r.Other)})
		un.size += float64(r.Other)
	}
	if un.size > 0 {
		root.children = append(root.children, un)
	}
	for _, m := range root.children {
		sort.Slice(m.children, func(i, j int) bool { return m.children[i].size > m.children[j].size })
	}
	sort.Slice(root.children, func(i, j int) bool { return root.children[i].size > root.children[j].size })
	return root
}
