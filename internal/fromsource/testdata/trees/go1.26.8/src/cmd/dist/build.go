// Excerpt of Go 1.26.8 src/cmd/dist/build.go: no GOROOT_FINAL since Go 1.21.

package main

func findgoversion() string { return "" }
