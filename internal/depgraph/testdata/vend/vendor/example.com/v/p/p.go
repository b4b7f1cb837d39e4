package p

import "fmt"

var P = fmt.Sprint(1)
