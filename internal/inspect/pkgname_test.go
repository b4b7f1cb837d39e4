package inspect

import "testing"

func TestPackageOf(t *testing.T) {
	for _, tc := range []struct{ sym, pkg string }{
		{"main.main", "main"},
		{"main.main.func1", "main"},
		{"runtime.(*mheap).alloc", "runtime"},
		{"github.com/a/b.(*T).M", "github.com/a/b"},
		{"gopkg.in/yaml%2ev3.(*parser).node", "gopkg.in/yaml.v3"},
		{"golang.org/x/tools/go/ssa.(*Function).Name", "golang.org/x/tools/go/ssa"},
		{"slices.Sort[go.shape.[]int,go.shape.int]", "slices"},
		{"example.com/m/p.F[example.com/m/q.T]", "example.com/m/p"},
		{"type:.eq.main.T", "main"},
		{"type:*github.com/a/b.T", "github.com/a/b"},
		{"type:[]*net/http.Request", "net/http"},
		{"type:map[string]int", "type:"},
		{"type:int", "type:"},
		{"type:.namedata.*func()", "type:"},
		{"type:.eq.[2]interface {}", "type:"},
		{"go:buildid", "go:"},
		{"go.buildid", "go:"},
		{"internal/abi.(*Type).Kind", "internal/abi"},
		{"vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start", "vendor/golang.org/x/net/dns/dnsmessage"},
	} {
		if got := PackageOf(tc.sym); got != tc.pkg {
			t.Errorf("PackageOf(%q) = %q, want %q", tc.sym, got, tc.pkg)
		}
	}
}

func TestClassify(t *testing.T) {
	m := modules{main: "example.com/app", deps: []string{"golang.org/x/tools", "golang.org/x/tools/gopls"}}
	for _, tc := range []struct{ pkg, mod, class string }{
		{"main", "example.com/app", ClassMain},
		{"example.com/app/internal/x", "example.com/app", ClassMain},
		{"golang.org/x/tools/gopls/internal/cache", "golang.org/x/tools/gopls", ClassDep},
		{"golang.org/x/tools/go/ssa", "golang.org/x/tools", ClassDep},
		{"net/http", "std", ClassStd},
		{"vendor/golang.org/x/crypto/hkdf", "std", ClassVendor},
		{"type:", "", ClassGenerated},
	} {
		mod, class := m.classify(tc.pkg)
		if mod != tc.mod || class != tc.class {
			t.Errorf("classify(%q) = %q %q, want %q %q", tc.pkg, mod, class, tc.mod, tc.class)
		}
	}
}
