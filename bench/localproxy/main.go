// Command localproxy serves a module download cache directory
// (GOMODCACHE/cache/download) as a GOPROXY on 127.0.0.1 for benchmarks,
// forwarding /sumdb/ requests to an upstream proxy so that checksum
// database verification also goes through it, as with a real proxy.
//
//	go run ./bench/localproxy DIR [UPSTREAM]
//
// It prints its URL on the first line of stdout.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: localproxy DIR [UPSTREAM]")
	}
	files := http.FileServer(http.Dir(os.Args[1]))
	var up *httputil.ReverseProxy
	if len(os.Args) > 2 {
		u, err := url.Parse(os.Args[2])
		if err != nil {
			log.Fatal(err)
		}
		up = httputil.NewSingleHostReverseProxy(u)
		director := up.Director
		up.Director = func(r *http.Request) { director(r); r.Host = u.Host }
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/sumdb/") {
			if up == nil {
				http.NotFound(w, r)
				return
			}
			up.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})))
}
