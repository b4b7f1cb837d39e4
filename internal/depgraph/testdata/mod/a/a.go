package a

import (
	"example.com/m/b"
	"example.com/m/c"
	"example.com/nowhere/x"
)

var _ = b.B + c.C + x.X
