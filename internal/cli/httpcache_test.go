package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// httpCache is an in-memory HTTP cache server speaking the protocol of
// bazel-remote and nginx/WebDAV (GET, HEAD and PUT on /ac/ and /cas/), for
// scripts that exercise --cache. The real servers are tested against in
// internal/cacheprog.
type httpCache struct {
	mu                    sync.Mutex
	blobs                 map[string][]byte
	gets, hits, puts, bad int
	casPuts               int
	deny                  bool // every request gets 401
}

func (c *httpCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/ac/") && !strings.HasPrefix(r.URL.Path, "/cas/") {
		http.NotFound(w, r)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deny {
		http.Error(w, "who are you", http.StatusUnauthorized)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		c.gets++
		b, ok := c.blobs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		c.hits++
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		if r.Method == http.MethodGet {
			w.Write(b)
		}
	case http.MethodPut:
		b, err := io.ReadAll(r.Body)
		if err != nil {
			c.bad++
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.puts++
		if strings.HasPrefix(r.URL.Path, "/cas/") {
			c.casPuts++
		}
		c.blobs[r.URL.Path] = b
		w.WriteHeader(http.StatusCreated)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// cmdHTTPCache is the script command "httpcache start" (serves on
// 127.0.0.1, sets $CACHEURL, stops when the script ends), "httpcache
// stats" (prints gets, hits, puts and puts under /cas/ so far, then zeroes
// them), "httpcache deny" and "httpcache allow" (answer every request
// with 401, or stop that), and "httpcache corrupt" (damages every stored
// output in place, keeping its size, as a failing disk would).
func cmdHTTPCache(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: httpcache start|stats")
	}
	switch args[0] {
	case "start":
		c := &httpCache{blobs: map[string][]byte{}}
		srv := httptest.NewServer(c)
		ts.Defer(srv.Close)
		ts.Setenv("CACHEURL", srv.URL)
		ts.Value("httpcache").(*httpCacheSlot).c = c
	case "stats":
		c := ts.Value("httpcache").(*httpCacheSlot).c
		if c == nil {
			ts.Fatalf("httpcache not started")
		}
		c.mu.Lock()
		fmt.Fprintf(ts.Stdout(), "gets %d hits %d puts %d casputs %d\n", c.gets, c.hits, c.puts, c.casPuts)
		c.gets, c.hits, c.puts, c.casPuts = 0, 0, 0, 0
		c.mu.Unlock()
	case "deny", "allow", "corrupt":
		c := ts.Value("httpcache").(*httpCacheSlot).c
		if c == nil {
			ts.Fatalf("httpcache not started")
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		switch args[0] {
		case "corrupt":
			n := 0
			for p, b := range c.blobs {
				if strings.HasPrefix(p, "/cas/") && len(b) > 0 {
					b[len(b)/2] ^= 0x55
					n++
				}
			}
			fmt.Fprintf(ts.Stdout(), "corrupted %d outputs\n", n)
		default:
			c.deny = args[0] == "deny"
		}
	default:
		ts.Fatalf("usage: httpcache start|stats|deny|allow|corrupt")
	}
}

type httpCacheSlot struct{ c *httpCache }
