// Excerpt of Go 1.26.8 src/cmd/dist/buildtool.go.

package main

const minBootstrap = "go1.24.6"

var tryDirs = []string{
	"sdk/" + minBootstrap,
	minBootstrap,
}
