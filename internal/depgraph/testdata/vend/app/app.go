package app

import "example.com/v/p"

var A = p.P
