// Package toolchaintest serves fake Go toolchains for tests: a module proxy
// for golang.org/toolchain with a checksum database signed by a test key
// (golang.org/x/mod/sumdb's server, reached through /sumdb/<name>/ as the
// go command does), and a go.dev/dl-style mirror. The toolchains are tiny:
// their bin/go is a shell script that prints its version.
package toolchaintest

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
)

// SumDBName is the name of the fake checksum database.
const SumDBName = "sum.goforge.test"

// Server is the fake proxy, checksum database and mirror. Proxy base URLs:
//
//	URL             a working proxy (and /sumdb/<name>/ for the database);
//	                like proxy.golang.org it answers 403 "This module
//	                version is not available." for a toolchain it lacks
//	URL/err404 ...  every request answers 404 (likewise /err410, /err500)
//	URL/trunc       zips are cut off half way
//	URL/stall       zips stop half way until the client goes away
//	URL/dl          the go.dev/dl-style mirror
type Server struct {
	*httptest.Server
	// VKey is the verifier key to put in GOSUMDB.
	VKey string
	// SumDBDown makes /sumdb/<name>/supported answer 500.
	SumDBDown bool
	// Stalled is closed when a /stall request has sent half a zip.
	Stalled chan struct{}
	// IndexOverride, when set, is served as the mirror's JSON index.
	IndexOverride []byte
	// Downloads counts zip downloads per module version.
	Downloads map[string]int

	mu        sync.Mutex
	zips      map[string][]byte // module version -> served zip
	unlisted  map[string]bool   // module versions served but not in @v/list
	sums      map[string]string // module version -> h1 recorded in the database
	archives  map[string][]byte // mirror file name -> archive
	index     []release
	stallOnce sync.Once
	db        http.Handler
}

type release struct {
	Version string `json:"version"`
	Stable  bool   `json:"stable"`
	Files   []file `json:"files"`
}

type file struct {
	Filename string `json:"filename"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Kind     string `json:"kind"`
}

// DownloadCount returns how often the zip of mv was requested.
func (s *Server) DownloadCount(mv string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Downloads[mv]
}

// Env returns go-command-style variables pointing at the server.
func (s *Server) Env() map[string]string {
	return map[string]string{"GOPROXY": s.URL, "GOSUMDB": s.VKey, "GONOPROXY": "", "GOPRIVATE": "",
		"GONOSUMDB": "", "GOINSECURE": "", "GOFORGE_TOOLCHAIN_DIRECT": s.URL, "GOFORGE_DL_MIRROR": ""}
}

// NewServer starts a server on 127.0.0.1, closed when the test ends.
func NewServer(t testing.TB) *Server {
	skey, vkey, err := note.GenerateKey(rand.Reader, SumDBName)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{VKey: vkey, Stalled: make(chan struct{}), zips: map[string][]byte{}, Downloads: map[string]int{},
		sums: map[string]string{}, archives: map[string][]byte{}, unlisted: map[string]bool{}}
	s.db = http.StripPrefix("/sumdb/"+SumDBName, sumdb.NewServer(sumdb.NewTestServer(skey, s.gosum)))
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// ModVersion is the golang.org/toolchain version for a Go version.
func ModVersion(v, goos, goarch string) string {
	return "v0.0.1-" + v + "." + goos + "-" + goarch
}

// AddToolchain publishes Go version v for goos/goarch on the proxy (with
// its hash in the checksum database) and returns the zip.
func (s *Server) AddToolchain(v, goos, goarch string) []byte {
	mv := ModVersion(v, goos, goarch)
	z := ModuleZip("golang.org/toolchain@"+mv+"/", Files(v, goos, goarch))
	s.AddZip(mv, z, z)
	return z
}

// Unlist leaves module version mv out of @v/list while its .info and
// .zip are still served, as proxy.golang.org does for some toolchains.
func (s *Server) Unlist(mv string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unlisted[mv] = true
}

// AddZip serves served as the zip of module version mv while the checksum
// database records the hash of recorded (nil: no record).
func (s *Server) AddZip(mv string, served, recorded []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zips[mv] = served
	if recorded != nil {
		s.sums[mv] = H1(recorded)
	}
}

// AddArchive publishes Go version v for goos/goarch on the mirror as a
// .tar.gz whose index entry carries sha (the real SHA-256 when empty).
func (s *Server) AddArchive(v, goos, goarch string, data []byte, sha string) string {
	if data == nil {
		data = TarGz("go/", Files(v, goos, goarch))
	}
	if sha == "" {
		sha = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	name := v + "." + goos + "-" + goarch + ".tar.gz"
	s.mu.Lock()
	defer s.mu.Unlock()
	s.archives[name] = data
	f := file{Filename: name, OS: goos, Arch: goarch, Version: v, SHA256: sha, Size: int64(len(data)), Kind: "archive"}
	for i := range s.index {
		if s.index[i].Version == v {
			s.index[i].Files = append(s.index[i].Files, f)
			return name
		}
	}
	s.index = append(s.index, release{Version: v, Stable: !strings.Contains(v, "rc"), Files: []file{f}})
	return name
}

// H1 is the go.sum hash of a module zip, computed with x/mod's dirhash.
func H1(z []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		panic(err)
	}
	var names []string
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			names = append(names, f.Name)
			files[f.Name] = f
		}
	}
	h, err := dirhash.Hash1(names, func(name string) (io.ReadCloser, error) { return files[name].Open() })
	if err != nil {
		panic(err)
	}
	return h
}

func (s *Server) gosum(path, vers string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.sums[vers]
	if path != "golang.org/toolchain" || !ok {
		return nil, fmt.Errorf("no such module %s@%s", path, vers)
	}
	return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", path, vers, h, path, vers, h), nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	for _, code := range []int{404, 410, 500} {
		if strings.HasPrefix(p, fmt.Sprintf("/err%d/", code)) {
			http.Error(w, "injected failure", code)
			return
		}
	}
	switch {
	case strings.HasPrefix(p, "/dl/") || p == "/dl":
		s.serveMirror(w, r, strings.TrimPrefix(strings.TrimPrefix(p, "/dl"), "/"))
	case p == "/sumdb/"+SumDBName+"/supported":
		if s.SumDBDown {
			http.Error(w, "database down", 500)
		}
	case strings.HasPrefix(p, "/sumdb/"+SumDBName+"/"):
		s.db.ServeHTTP(w, r)
	case strings.HasPrefix(p, "/trunc/"):
		s.serveModule(w, r, strings.TrimPrefix(p, "/trunc"), "trunc")
	case strings.HasPrefix(p, "/stall/"):
		s.serveModule(w, r, strings.TrimPrefix(p, "/stall"), "stall")
	default:
		s.serveModule(w, r, p, "")
	}
}

func (s *Server) serveModule(w http.ResponseWriter, r *http.Request, p, mode string) {
	rest, ok := strings.CutPrefix(p, "/golang.org/toolchain/@v/")
	if !ok {
		http.NotFound(w, nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rest == "list" {
		var vs []string
		for v := range s.zips {
			if !s.unlisted[v] {
				vs = append(vs, v)
			}
		}
		sort.Strings(vs)
		fmt.Fprintln(w, strings.Join(vs, "\n"))
		return
	}
	if mv, ok := strings.CutSuffix(rest, ".info"); ok {
		rest = mv // a missing version is refused as a missing zip is
		if _, found := s.zips[mv]; found {
			fmt.Fprintf(w, "{\"Version\":%q,\"Time\":\"2024-01-01T00:00:00Z\"}\n", mv)
			return
		}
	}
	mv, ext, _ := strings.Cut(rest, ".zip")
	z, found := s.zips[mv]
	if !found && ext == "" && strings.HasPrefix(mv, "v0.0.1-go") {
		// What proxy.golang.org answers for a golang.org/toolchain
		// version it does not have (checked in November 2026): a 403,
		// not the 404 or 410 that the go command reads as "not found".
		http.Error(w, "This module version is not available.", http.StatusForbidden)
		return
	}
	if !found || ext != "" {
		http.Error(w, "not found: "+rest, http.StatusNotFound)
		return
	}
	s.Downloads[mv]++
	switch mode {
	case "trunc":
		w.Header().Set("Content-Length", fmt.Sprint(len(z)))
		w.Write(z[:len(z)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // cut the connection
	case "stall":
		w.Header().Set("Content-Length", fmt.Sprint(len(z)))
		w.Write(z[:len(z)/2])
		w.(http.Flusher).Flush()
		s.mu.Unlock()
		s.stallOnce.Do(func() { close(s.Stalled) })
		<-r.Context().Done()
		s.mu.Lock()
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(z))) // as real proxies do
	w.Write(z)
}

func (s *Server) serveMirror(w http.ResponseWriter, r *http.Request, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == "" {
		if r.URL.Query().Get("mode") != "json" {
			http.Error(w, "want mode=json", 400)
			return
		}
		if s.IndexOverride != nil {
			w.Write(s.IndexOverride)
			return
		}
		json.NewEncoder(w).Encode(s.index)
		return
	}
	data, ok := s.archives[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}
