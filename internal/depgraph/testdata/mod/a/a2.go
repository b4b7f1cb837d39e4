package a

import "example.com/m/c"

var _ = c.C
