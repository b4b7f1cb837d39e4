package a

import "example.com/m/winonly"

var _ = winonly.W
