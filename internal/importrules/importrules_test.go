package importrules

import (
	"os/exec"
	"strings"
	"testing"
)

// pure lists the packages that must not depend, even indirectly, on
// os/exec or the network: the parsers of untrusted bytes (executables,
// pclntabs, archives, indexes, source headers, pin files, make.bash
// output) and the pure logic built on them.
var pure = []string{
	"binfile", "pclntab", "inspect", "unpack", "dl", "constraint", "depgraph",
	"fromsource", "pin", "shellhook", "release", "verify/objinfo", "firmware/fwimage",
}

var forbidden = map[string]bool{"os/exec": true, "net": true, "net/http": true}

func TestPurePackagesCannotExecOrDial(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command")
	}
	args := []string{"list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}"}
	for _, p := range pure {
		args = append(args, "github.com/goforge/goforge/internal/"+p)
	}
	out, err := exec.Command(goCmd, args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(pure) {
		t.Fatalf("go list reported %d packages, want %d", len(lines), len(pure))
	}
	for _, line := range lines {
		f := strings.Fields(line)
		for _, dep := range f[1:] {
			if forbidden[dep] {
				t.Errorf("%s depends on %s", f[0], dep)
			}
		}
	}
}
