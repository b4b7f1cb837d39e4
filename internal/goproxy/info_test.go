package goproxy

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
)

// Info reads @v/VERSION.info from the first proxy that has it, falls
// through a "," list only on 404/410, and refuses an .info that is not
// JSON or describes another version.
func TestInfo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good/golang.org/toolchain/@v/v0.0.1-go1.23.11.linux-amd64.info":
			w.Write([]byte(`{"Version":"v0.0.1-go1.23.11.linux-amd64","Time":"2025-07-08T00:00:00Z"}`))
		case "/other/golang.org/toolchain/@v/v0.0.1-go1.23.11.linux-amd64.info":
			w.Write([]byte(`{"Version":"v0.0.1-go1.99.0.linux-amd64"}`))
		case "/junk/golang.org/toolchain/@v/v0.0.1-go1.23.11.linux-amd64.info":
			w.Write([]byte("<html>"))
		case "/forbidden/golang.org/toolchain/@v/v0.0.1-go1.23.11.linux-amd64.info":
			http.Error(w, "This module version is not available.", http.StatusForbidden)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "golang.org", "toolchain", "@v")
	os.MkdirAll(file, 0o755)
	os.WriteFile(filepath.Join(file, "v0.0.1-go1.23.11.linux-amd64.info"), []byte(`{"Version":"v0.0.1-go1.23.11.linux-amd64"}`), 0o644)
	mod := module.Version{Path: ToolchainModule, Version: "v0.0.1-go1.23.11.linux-amd64"}
	for _, tc := range []struct {
		proxy, err string
		notExist   bool
	}{
		{proxy: srv.URL + "/good"},
		{proxy: srv.URL + "/missing," + srv.URL + "/good"},
		{proxy: "file://" + filepath.ToSlash(dir)},
		{proxy: srv.URL + "/missing", err: "404", notExist: true},
		{proxy: "file://" + filepath.ToSlash(t.TempDir()), notExist: true},
		{proxy: srv.URL + "/forbidden," + srv.URL + "/good", err: "403"},
		{proxy: srv.URL + "/other", err: `describes version "v0.0.1-go1.99.0.linux-amd64"`},
		{proxy: srv.URL + "/junk", err: "invalid character"},
		{proxy: "off", notExist: true},
	} {
		c, err := FromEnv(func(k string) string { return map[string]string{"GOPROXY": tc.proxy}[k] }, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		info, err := c.Info(context.Background(), mod)
		if tc.err == "" && !tc.notExist {
			if err != nil || info.Version != mod.Version {
				t.Errorf("%s: got %+v, %v", tc.proxy, info, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error", tc.proxy)
			continue
		}
		if !strings.Contains(err.Error(), tc.err) || errors.Is(err, fs.ErrNotExist) != tc.notExist {
			t.Errorf("%s: error %v; want %q, not-exist %v", tc.proxy, err, tc.err, tc.notExist)
		}
	}
}
