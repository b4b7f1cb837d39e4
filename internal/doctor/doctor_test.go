package doctor

import (
	"errors"
	"testing"

	"github.com/goforge/goforge/internal/goenv"
)

// healthy returns facts of a machine where every check passes.
func healthy() *Facts {
	return &Facts{
		HostOS: "linux", HostArch: "amd64", PathList: "/usr/local/go/bin:/home/u/go/bin",
		Snap: &goenv.Snapshot{
			Environ: map[string]string{},
			PathGos: []goenv.GoBinary{{Path: "/usr/local/go/bin/go", Resolved: "/usr/local/go/bin/go",
				GOROOT: "/usr/local/go", Version: "go1.26.8", GOOS: "linux", GOARCH: "amd64", Active: true}},
			Values: map[string]string{"GOVERSION": "go1.26.8", "GOROOT": "/usr/local/go", "GOPATH": "/home/u/go",
				"GOOS": "linux", "GOARCH": "amd64", "CGO_ENABLED": "0", "GOTOOLCHAIN": "auto"},
		},
		Dirs: []DirFacts{{Var: "GOCACHE", Path: "/c", Writable: true, Free: 10 << 30, FreeKnown: true}},
	}
}

func find(rs []Result, id string) Result {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return Result{}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(f *Facts)
		id     string
		status string
	}{
		{"healthy", func(f *Facts) {}, "gotoolchain", Pass},
		{"healthy arch", func(f *Facts) {}, "go-arch", Pass},
		{"amd64 go on arm64", func(f *Facts) { f.HostArch = "arm64" }, "go-arch", Fail},
		{"386 go on amd64 runs natively", func(f *Facts) { f.Snap.PathGos[0].GOARCH = "386" }, "go-arch", Warn},
		{"wrapper script", func(f *Facts) { f.Snap.PathGos[0].GOARCH = "" }, "go-arch", Pass},
		{"devel version", func(f *Facts) { f.Snap.PathGos[0].Version = "devel go1.27-abcdef" }, "go-version", Warn},
		{"GOARCH set", func(f *Facts) {
			f.Snap.Values["GOARCH"] = "arm64"
			f.Snap.Environ["GOARCH"] = "arm64"
		}, "goos-goarch", Warn},
		{"low disk", func(f *Facts) { f.Dirs[0].Free = 500 << 20 }, "dir-gocache", Warn},
		{"very low disk", func(f *Facts) { f.Dirs[0].Free = 50 << 20 }, "dir-gocache", Fail},
		{"unknown disk", func(f *Facts) { f.Dirs[0].FreeKnown = false; f.Dirs[0].Free = 0 }, "dir-gocache", Pass},
		{"not writable", func(f *Facts) { f.Dirs[0].Writable = false; f.Dirs[0].Err = errors.New("permission denied") }, "dir-gocache", Fail},
		{"cgo without cc", func(f *Facts) {
			f.Snap.Values["CGO_ENABLED"] = "1"
			f.CC = Probe{Name: "gcc", Err: errors.New("not found")}
		}, "cgo", Fail},
		{"go line newer, auto", func(f *Facts) { f.ModFile, f.GoLine = "/p/go.mod", "1.30" }, "gotoolchain", Fail},
		{"go line newer, local", func(f *Facts) {
			f.ModFile, f.GoLine = "/p/go.mod", "1.30"
			f.Snap.Values["GOTOOLCHAIN"] = "local"
		}, "gotoolchain", Fail},
		{"gobin missing from PATH", func(f *Facts) { f.PathList = "/usr/local/go/bin" }, "gobin-on-path", Warn},
		{"same go twice", func(f *Facts) {
			f.Snap.PathGos = append(f.Snap.PathGos, f.Snap.PathGos[0])
			f.Snap.PathGos[1].Path = "/usr/bin/go"
		}, "go-multiple", Pass},
		{"two versions", func(f *Facts) {
			f.Snap.PathGos = append(f.Snap.PathGos, goenv.GoBinary{Path: "/usr/bin/go", Resolved: "/usr/lib/go-1.19/bin/go", Version: "go1.19.8"})
		}, "go-multiple", Warn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := healthy()
			tt.mutate(f)
			rs := Check(f)
			r := find(rs, tt.id)
			if r.Status != tt.status {
				t.Fatalf("%s: status %q (%s), want %q", tt.id, r.Status, r.Summary, tt.status)
			}
			if (r.Status == Fail || r.Status == Warn) && r.Fix == "" {
				t.Errorf("%s: %s without a fix", tt.id, r.Status)
			}
			if got := Failed(rs); got != (tt.status == Fail) && tt.name != "healthy" {
				t.Errorf("Failed = %v", got)
			}
		})
	}
}
