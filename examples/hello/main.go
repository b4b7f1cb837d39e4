// Command hello is the small program goforge's README releases for every
// platform: 'goforge build --run ./examples/hello'. It prints a greeting,
// or with --version the version, commit and date goforge stamped into it
// and the platform it runs on (so an emulated run shows its architecture).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
)

// Set by the linker: goforge build passes -X main.version=... and so on.
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("hello %s (commit %s, built %s) %s/%s\n", version, commit, date, runtime.GOOS, runtime.GOARCH)
		return
	}
	name := "world"
	if flag.NArg() > 0 {
		name = flag.Arg(0)
	}
	if _, err := fmt.Printf("Hello, %s!\n", name); err != nil {
		os.Exit(1)
	}
}
