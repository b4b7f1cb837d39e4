// Command goforge takes a Go developer from no Go on the machine to
// verified release artifacts for every platform. See README.md.
package main

import (
	"os"

	"github.com/goforge/goforge/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
