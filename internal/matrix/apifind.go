package matrix

import (
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/toolchain"
)

// apiLevel returns the newest Go version whose API file goroot's api/
// holds ("go1.23" for api/go1.23.txt), or "" when it has none.
func apiLevel(goroot string) string {
	ents, err := os.ReadDir(filepath.Join(goroot, "api"))
	if err != nil {
		return ""
	}
	best := ""
	for _, e := range ents {
		lang, ok := apiFileLang(e.Name())
		if !ok {
			continue
		}
		if best == "" || version.Compare(lang, best) > 0 {
			best = lang
		}
	}
	return best
}

// An APISource is the GOROOT --min read the standard library's API from.
type APISource struct {
	GOROOT string // where the api/ files are
	Level  string // the newest Go version they describe: go1.23
}

// FindAPI loads the API files of the GOROOT among roots that describes the
// newest Go version. The api/ files are cumulative (api/go1.N.txt lists
// what Go 1.N added, and a Go 1.M GOROOT holds every go1.N.txt up to N=M),
// so the newest one dates every symbol any of them could. Toolchains
// installed from the golang.org/toolchain module have no api/ directory;
// when no root has one, the error says what to do.
func FindAPI(roots []string) (APIIndex, APISource, error) {
	var best APISource
	seen := map[string]bool{}
	var looked []string
	for _, r := range roots {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		looked = append(looked, r)
		if l := apiLevel(r); l != "" && (best.Level == "" || version.Compare(l, best.Level) > 0) {
			best = APISource{GOROOT: r, Level: l}
		}
	}
	if best.GOROOT == "" {
		where := strings.Join(looked, ", ")
		if where == "" {
			where = "nothing"
		}
		return nil, APISource{}, fmt.Errorf("finding the standard library's API files (api/go1.*.txt), which --min dates the code's API uses with: "+
			"no Go installation goforge can see has them (looked in %s; toolchains installed from the Go module proxy leave api/ out): "+
			"adopt a full Go installation, such as 'goforge adopt /usr/local/go'", where)
	}
	idx, err := LoadAPI(best.GOROOT)
	if err != nil {
		return nil, APISource{}, err
	}
	return idx, best, nil
}

// apiRoots lists the GOROOTs that may hold API files, best first: the
// toolchain --min tests with first, every toolchain in the goforge home
// (any platform: the files are the same), $GOROOT and the GOROOT of the go
// command on PATH, all from the caller's environment.
func apiRoots(first string, home *toolchain.Home, environ []string) []string {
	roots := []string{first}
	if home != nil {
		if list, err := home.List(); err == nil {
			for _, inst := range list {
				roots = append(roots, inst.Dir)
			}
		}
	}
	roots = append(roots, gocmd.Getenv(environ, "GOROOT"))
	if goBin, err := gocmd.LookPath("go", gocmd.Getenv(environ, "PATH")); err == nil {
		if real, err := filepath.EvalSymlinks(goBin); err == nil {
			roots = append(roots, filepath.Dir(filepath.Dir(real)))
		}
	}
	for i, r := range roots {
		if r == "" {
			continue
		}
		if real, err := filepath.EvalSymlinks(r); err == nil {
			roots[i] = real
		}
	}
	return roots
}
