package depgraph

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
)

// A layout places nodes in columns (importers left of what they import)
// and rows, Sugiyama-style: longest-path layering, then barycenter
// ordering sweeps to reduce crossings.
type layout struct {
	layer map[string]int
	cols  [][]string
	pos   map[string][2]float64 // x, y of each node's left-middle point
	width map[string]float64
	w, h  float64
}

const (
	rowHeight = 26.0
	charWidth = 6.6
	colGap    = 90.0
	margin    = 20.0
)

// layoutGraph computes a layered layout. Back edges of cycles are
// ignored for layering.
func layoutGraph(g *Graph) *layout {
	succ, pred := g.succ(), g.pred()
	lay := &layout{layer: make(map[string]int), pos: make(map[string][2]float64), width: make(map[string]float64)}
	back := backEdges(g, succ)
	var visit func(id string, seen map[string]bool) int
	memo := make(map[string]int)
	visit = func(id string, seen map[string]bool) int {
		if v, ok := memo[id]; ok {
			return v
		}
		l := 0
		for _, p := range pred[id] {
			if !back[[2]string{p, id}] {
				l = max(l, visit(p, seen)+1)
			}
		}
		memo[id] = l
		return l
	}
	for _, n := range g.Nodes {
		l := visit(n.ID, nil)
		lay.layer[n.ID] = l
		for len(lay.cols) <= l {
			lay.cols = append(lay.cols, nil)
		}
		lay.cols[l] = append(lay.cols[l], n.ID)
	}
	for _, col := range lay.cols {
		slices.SortFunc(col, func(a, b string) int {
			return cmp.Or(strings.Compare(g.Node(a).Module, g.Node(b).Module), strings.Compare(a, b))
		})
	}
	lay.order(pred, succ)
	lay.place()
	return lay
}

// backEdges finds edges closing cycles with a depth-first search.
func backEdges(g *Graph, succ map[string][]string) map[[2]string]bool {
	back := make(map[[2]string]bool)
	state := make(map[string]int) // 1 on stack, 2 done
	var dfs func(id string)
	dfs = func(id string) {
		state[id] = 1
		for _, m := range succ[id] {
			switch state[m] {
			case 0:
				dfs(m)
			case 1:
				back[[2]string{id, m}] = true
			}
		}
		state[id] = 2
	}
	for _, n := range g.Nodes {
		if state[n.ID] == 0 {
			dfs(n.ID)
		}
	}
	return back
}

// order runs barycenter sweeps: each column sorted by the mean row of its
// neighbours in the previous column (down), then the next (up).
func (lay *layout) order(pred, succ map[string][]string) {
	for sweep := 0; sweep < 6; sweep++ {
		for i := 1; i < len(lay.cols); i++ {
			lay.sortByBarycenter(i, lay.cols[i-1], pred)
		}
		for i := len(lay.cols) - 2; i >= 0; i-- {
			lay.sortByBarycenter(i, lay.cols[i+1], succ)
		}
	}
}

func (lay *layout) sortByBarycenter(i int, ref []string, adj map[string][]string) {
	row := make(map[string]int, len(ref))
	for j, id := range ref {
		row[id] = j
	}
	bary := make(map[string]float64, len(lay.cols[i]))
	for j, id := range lay.cols[i] {
		sum, n := 0.0, 0
		for _, m := range adj[id] {
			if r, ok := row[m]; ok {
				sum += float64(r) * float64(len(lay.cols[i])) / float64(max(1, len(ref)))
				n++
			}
		}
		if n == 0 {
			bary[id] = float64(j)
		} else {
			bary[id] = sum / float64(n)
		}
	}
	slices.SortStableFunc(lay.cols[i], func(a, b string) int { return cmp.Compare(bary[a], bary[b]) })
}

// place assigns coordinates: columns as wide as their longest label,
// each column centred vertically.
func (lay *layout) place() {
	tallest := 0
	for _, col := range lay.cols {
		tallest = max(tallest, len(col))
	}
	x := margin
	for _, col := range lay.cols {
		colW := 0.0
		for _, id := range col {
			w := float64(len(id))*charWidth + 16
			lay.width[id] = w
			colW = max(colW, w)
		}
		off := float64(tallest-len(col)) * rowHeight / 2
		for j, id := range col {
			lay.pos[id] = [2]float64{x, margin + off + float64(j)*rowHeight + rowHeight/2}
		}
		x += colW + colGap
	}
	lay.w = x - colGap + margin
	lay.h = 2*margin + float64(tallest)*rowHeight
}

// HTML writes a self-contained page that draws g with its own layout:
// nodes coloured by module, edge width growing with weight, pan and zoom
// with the mouse, a search box, and hover highlighting of a node's edges.
func (g *Graph) HTML(w io.Writer) error {
	lay := layoutGraph(g)
	ew := &errWriter{w: w}
	ew.printf("%s", htmlHead)
	ew.printf(`<svg id="g" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f">`+"\n", lay.w, lay.h)
	mods := moduleColors(g)
	ew.printf("<g id=\"edges\">\n")
	for _, e := range g.Edges {
		a, b := lay.pos[e.From], lay.pos[e.To]
		x1, x2 := a[0]+lay.width[e.From], b[0]
		dx := max(40, (x2-x1)/2)
		if x2 <= x1 { // back edge or same column: loop around
			dx = 60
		}
		ew.printf(`<path d="M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f" stroke="%s" stroke-width="%.2f" data-f="%s" data-t="%s"><title>%s → %s (%d files)</title></path>`+"\n",
			x1, a[1], x1+dx, a[1], x2-dx, b[1], x2, b[1], mods[g.Node(e.From).Module], penWidth(e.Weight),
			html.EscapeString(e.From), html.EscapeString(e.To), html.EscapeString(e.From), html.EscapeString(e.To), e.Weight)
	}
	ew.printf("</g>\n<g id=\"nodes\">\n")
	for _, n := range g.Nodes {
		p := lay.pos[n.ID]
		cls := "n"
		if n.Missing {
			cls += " missing"
		} else if n.Root {
			cls += " root"
		}
		ew.printf(`<g class="%s" data-id="%s"><rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="5" style="stroke:%s"/><text x="%.1f" y="%.1f">%s</text><title>%s</title></g>`+"\n",
			cls, html.EscapeString(n.ID), p[0], p[1]-9, lay.width[n.ID], 18, mods[n.Module], p[0]+8, p[1]+4,
			html.EscapeString(n.ID), html.EscapeString(nodeTitle(n)))
	}
	ew.printf("</g>\n</svg>\n<div id=\"legend\">%s</div>\n%s", legend(mods), htmlTail)
	return ew.err
}

func nodeTitle(n *Node) string {
	s := fmt.Sprintf("%s\nmodule: %s\nfiles: %d\ndepth: %d", n.ID, n.Module, n.Files, n.Depth)
	if n.Error != "" {
		s += "\n" + n.Error
	}
	return s
}

var moduleHues = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

func moduleColors(g *Graph) map[string]string {
	count := make(map[string]int)
	for _, n := range g.Nodes {
		count[n.Module]++
	}
	mods := sortedKeys(count)
	slices.SortStableFunc(mods, func(a, b string) int { return count[b] - count[a] })
	colors := make(map[string]string, len(mods))
	for i, m := range mods {
		colors[m] = moduleHues[i%len(moduleHues)]
	}
	return colors
}

func legend(colors map[string]string) string {
	var b strings.Builder
	for _, m := range sortedKeys(colors) {
		name := m
		if name == "" {
			name = "(no module)"
		}
		fmt.Fprintf(&b, `<span><i style="background:%s"></i>%s</span>`, colors[m], html.EscapeString(name))
	}
	return b.String()
}

const htmlHead = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>goforge import graph</title>
<style>
body{margin:0;font:12px Helvetica,Arial,sans-serif;background:#fff}
#bar{position:fixed;top:0;left:0;right:0;padding:6px 10px;background:#f4f6fa;border-bottom:1px solid #d0d6e2;z-index:1}
#bar input{width:260px}
svg{position:absolute;top:34px;left:0;width:100%;height:calc(100% - 58px);cursor:grab}
path{fill:none;opacity:.45}
path.hi{opacity:1;stroke:#c0392b!important}
.n rect{fill:#fff;stroke-width:1.4}
.n text{font-size:11px;fill:#1b2333;pointer-events:none}
.root rect{stroke-width:2.2}
.missing rect{stroke:#c0392b!important;stroke-dasharray:3 2}
.n.match rect{stroke:#c0392b;stroke-width:3}
.n.dim{opacity:.25}
#legend{position:fixed;bottom:0;left:0;right:0;padding:4px 10px;background:#f4f6faee;border-top:1px solid #d0d6e2}
#legend span{margin-right:14px;white-space:nowrap}#legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
</style></head><body>
<div id="bar"><b>goforge graph</b> &nbsp; <input id="q" placeholder="find package…"> <button id="fit">fit</button> <button id="one">1:1</button> &nbsp; wheel: zoom, drag: pan, hover: edges</div>
`

const htmlTail = `<script>
const svg=document.getElementById('g');let vb=svg.viewBox.baseVal;
const W=vb.width,H=vb.height;
function fit(){vb.x=0;vb.y=0;vb.width=W;vb.height=H}
function one(){const r=svg.getBoundingClientRect();vb.width=r.width;vb.height=r.height;vb.x=0;vb.y=Math.max(0,H/2-r.height/2)}
document.getElementById('fit').onclick=fit;document.getElementById('one').onclick=one;
// Start at full size from the left (the importers), so labels are legible.
if(W>svg.getBoundingClientRect().width*1.5||H>svg.getBoundingClientRect().height*1.5)one();
svg.addEventListener('wheel',e=>{e.preventDefault();const k=e.deltaY>0?1.15:1/1.15;
const r=svg.getBoundingClientRect();const mx=vb.x+(e.clientX-r.left)/r.width*vb.width,my=vb.y+(e.clientY-r.top)/r.height*vb.height;
vb.x=mx-(mx-vb.x)*k;vb.y=my-(my-vb.y)*k;vb.width*=k;vb.height*=k;},{passive:false});
let drag=null;svg.addEventListener('mousedown',e=>{drag=[e.clientX,e.clientY]});
window.addEventListener('mouseup',()=>drag=null);
window.addEventListener('mousemove',e=>{if(!drag)return;const r=svg.getBoundingClientRect();
vb.x-=(e.clientX-drag[0])/r.width*vb.width;vb.y-=(e.clientY-drag[1])/r.height*vb.height;drag=[e.clientX,e.clientY]});
const paths=[...document.querySelectorAll('#edges path')];
document.querySelectorAll('.n').forEach(n=>{const id=n.dataset.id;
n.addEventListener('mouseenter',()=>paths.forEach(p=>{if(p.dataset.f===id||p.dataset.t===id)p.classList.add('hi')}));
n.addEventListener('mouseleave',()=>paths.forEach(p=>p.classList.remove('hi')));});
document.getElementById('q').addEventListener('input',e=>{const q=e.target.value.trim();
document.querySelectorAll('.n').forEach(n=>{const m=q&&n.dataset.id.includes(q);n.classList.toggle('match',!!m);n.classList.toggle('dim',!!q&&!m)})});
</script></body></html>
`
