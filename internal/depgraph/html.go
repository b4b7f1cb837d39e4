package depgraph

import "io"

// HTML writes a self-contained page drawing g (placeholder).
func (g *Graph) HTML(w io.Writer) error { return nil }
