// Excerpt of Go 1.19.8 src/cmd/dist/build.go.

package main

func xinit() {
	gorootBinGo = pathf("%s/bin/go", goroot)

	b = os.Getenv("GOROOT_FINAL")
	if b == "" {
		b = goroot
	}
}
