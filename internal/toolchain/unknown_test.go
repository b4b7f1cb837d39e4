package toolchain

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/toolchain/toolchaintest"
)

func TestRemoteVersionsQuery(t *testing.T) {
	srv := toolchaintest.NewServer(t)
	for _, v := range []string{"go1.21.13", "go1.22.3", "go1.22.5", "go1.23rc1"} {
		srv.AddToolchain(v, runtime.GOOS, runtime.GOARCH)
	}
	srv.AddToolchain("go1.24.0", "plan9", "arm")
	in := newTestInstaller(t, srv, nil)
	for _, tc := range []struct {
		query, goos string
		want        string // versions, or the error
	}{
		{"", "", "go1.23rc1 go1.22.5 go1.22.3 go1.21.13"},
		{"latest", "", "go1.22.5"},
		{"1.22", "", "go1.22.5 go1.22.3"},
		{"go1.22.3", "", "go1.22.3"},
		{"1.23rc1", "", "go1.23rc1"},
		{"latest", "plan9", "go1.24.0"},
		{"9.9", "", `no toolchain matches "9.9" for ` + runtime.GOOS + "/" + runtime.GOARCH},
		{"1.22.4", "", "1.22.4 for " + runtime.GOOS + "/" + runtime.GOARCH + ": toolchain not available"},
		{"latest", "aix", `no toolchain matches "latest" for aix/`},
		{"", "aix", "no toolchain is published for aix/"},
		{"bogus", "", `invalid version "bogus"`},
	} {
		goos, goarch := runtime.GOOS, runtime.GOARCH
		if tc.goos == "plan9" {
			goos, goarch = "plan9", "arm"
		} else if tc.goos != "" {
			goos = tc.goos
		}
		list, err := in.RemoteVersions(context.Background(), tc.query, goos, goarch)
		var got []string
		for _, r := range list {
			got = append(got, r.Version)
		}
		if err != nil {
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("RemoteVersions(%q, %s) error %q, want %q", tc.query, goos, err, tc.want)
			}
			var uv *UnknownVersionError
			if errors.As(err, &uv) == (tc.query == "bogus") {
				t.Errorf("RemoteVersions(%q, %s) error %T", tc.query, goos, err)
			}
			continue
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("RemoteVersions(%q, %s) = %q, want %q", tc.query, goos, got, tc.want)
		}
	}
}
