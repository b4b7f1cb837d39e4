package matrix

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
)

type fakeSource struct {
	installed, remote []string
	remoteErr         error
	asked             int
}

func (f *fakeSource) Installed() ([]string, error) { return f.installed, nil }
func (f *fakeSource) Remote(context.Context) ([]string, error) {
	f.asked++
	return f.remote, f.remoteErr
}

func TestResolve(t *testing.T) {
	installed := []string{"go1.19.8", "go1.26.8", "go1.22.1"}
	remote := []string{"go1.26.8", "go1.26.7", "go1.25.5", "go1.24.11", "go1.23.12", "go1.22.12", "go1.22.1", "go1.21.13", "go1.21.0", "go1.27rc1", "go1.19.13", "go1.19.8"}
	offline := errors.New("offline")
	for _, tt := range []struct {
		list, goLine string
		remoteErr    error
		want         []string
		missing      []string
		asked        int
		err          string
	}{
		{"installed", "", offline, []string{"go1.26.8", "go1.22.1", "go1.19.8"}, nil, 0, ""},
		// Installed versions answer a language version without the network.
		{"1.22,1.19", "", offline, []string{"go1.22.1", "go1.19.8"}, nil, 0, ""},
		{"1.21", "", nil, []string{"go1.21.13"}, []string{"go1.21.13"}, 1, ""},
		{"1.21.0,1.26.8", "", nil, []string{"go1.26.8", "go1.21.0"}, []string{"go1.21.0"}, 1, ""},
		{"go.mod", "1.21", nil, []string{"go1.21.13"}, []string{"go1.21.13"}, 1, ""},
		{"go.mod", "1.22.0", offline, []string{"go1.22.1"}, nil, 0, ""},
		{"go.mod..latest", "1.24", nil, []string{"go1.26.8", "go1.25.5", "go1.24.11"}, []string{"go1.25.5", "go1.24.11"}, 1, ""},
		// Offline, the range stops at what is installed.
		{"go.mod..latest", "1.21", offline, []string{"go1.26.8", "go1.22.1"}, nil, 1, ""},
		{"supported", "", nil, []string{"go1.26.8", "go1.25.5"}, []string{"go1.25.5"}, 1, ""},
		{"supported,installed,1.26", "", nil, []string{"go1.26.8", "go1.25.5", "go1.22.1", "go1.19.8"}, []string{"go1.25.5"}, 1, ""},
		{"1.99", "", nil, nil, nil, 1, `no Go release matches "1.99"`},
		{"1.22.99", "", nil, nil, nil, 1, `no Go release "1.22.99" exists`},
		{"1.21", "", offline, nil, nil, 1, "go1.21 is not installed and the available releases are unknown"},
		{"go.mod", "", nil, nil, nil, 0, "go.mod has no go line"},
	} {
		src := &fakeSource{installed: installed, remote: remote, remoteErr: tt.remoteErr}
		entries, err := ParseVersionList(tt.list)
		if err != nil {
			t.Fatalf("ParseVersionList(%q): %v", tt.list, err)
		}
		res, err := Resolve(context.Background(), entries, tt.goLine, src)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.list, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(res.Versions, tt.want) || !slices.Equal(res.Missing, tt.missing) || src.asked != tt.asked {
			t.Errorf("%q (go %s): %v missing %v asked %d, %v; want %v missing %v asked %d",
				tt.list, tt.goLine, res.Versions, res.Missing, src.asked, err, tt.want, tt.missing, tt.asked)
		}
	}
}

func TestParseVersionList(t *testing.T) {
	for _, bad := range []string{"", "  ", "1.22,,1.23", "banana", "1.22;1.23", "go.mod..1.22"} {
		if _, err := ParseVersionList(bad); err == nil {
			t.Errorf("ParseVersionList(%q) succeeded", bad)
		}
	}
	got, err := ParseVersionList(" 1.19 ,go1.22.5,go.mod, supported")
	if err != nil || !slices.Equal(got, []string{"1.19", "go1.22.5", "go.mod", "supported"}) {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestExecFor(t *testing.T) {
	if runtime.GOOS+"/"+runtime.GOARCH != "linux/amd64" {
		t.Skip("the table is written for a linux/amd64 host")
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	all := func(name string) (string, error) { return "/usr/bin/" + name, nil }
	for _, tt := range []struct {
		target, goVersion string
		look              func(string) (string, error)
		skip, exec        string
	}{
		{"linux/arm64", "go1.26.8", all, "", "/usr/bin/qemu-aarch64-static"},
		{"linux/arm64", "go1.26.8", none, "needs qemu-aarch64-static", ""},
		{"linux/riscv64", "go1.26.8", none, "needs qemu-riscv64-static", ""},
		{"windows/amd64", "go1.26.8", all, "no runner for windows/amd64", ""},
		{"wasip1/wasm", "go1.19.8", all, "wasip1 needs Go 1.21", ""},
		{"wasip1/wasm", "go1.26.8", none, "needs wasmtime, wazero or wasmedge", ""},
		{"js/wasm", "go1.26.8", none, "needs node", ""},
	} {
		tg, _ := ParseTargets(tt.target)
		e := ExecFor(tg[0], "/nonexistent", tt.goVersion, tt.look)
		if !strings.Contains(e.Skip, tt.skip) || (tt.skip == "" && e.Skip != "") {
			t.Errorf("%s: skip %q, want %q", tt.target, e.Skip, tt.skip)
		}
		if tt.exec != "" && (len(e.Args) != 2 || e.Args[1] != tt.exec) {
			t.Errorf("%s: args %q, want -exec %s", tt.target, e.Args, tt.exec)
		}
	}
}
