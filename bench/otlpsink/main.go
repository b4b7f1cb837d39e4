// Command otlpsink is a local OTLP/HTTP traces receiver for benchmarks:
// it listens on 127.0.0.1, accepts what exporters post to /v1/traces,
// prints the address it took, and on SIGINT/SIGTERM prints how many spans
// it received.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/goforge/goforge/internal/telemetry/otlptest"
)

func main() {
	r := otlptest.New()
	fmt.Println(r.URL)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	fmt.Fprintf(os.Stderr, "otlpsink: %d spans in %d requests\n", len(r.Spans()), r.Requests())
	r.Close()
}
