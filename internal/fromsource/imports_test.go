package fromsource

import (
	"go/build"
	"testing"
)

// TestNoExecOrNet keeps the parsers of make.bash output and cmd/dist
// sources away from process and network access; srcexec runs things.
func TestNoExecOrNet(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp == "os/exec" || imp == "net/http" {
			t.Errorf("package fromsource imports %s", imp)
		}
	}
}
