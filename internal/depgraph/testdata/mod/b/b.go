package b

import "example.com/dep/d"

const B = 1

var _ = d.D
