package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/goforge/goforge/internal/cacheprog"
)

func newCacheprogCmd() *Command {
	var dir, maxSize, remote, tokenEnv, netrc, statsFile, warnings string
	var timeout, flush time.Duration
	var queue int
	var quiet bool
	c := NewCommand("cacheprog", "[--dir DIR] [--max-size SIZE] [--remote URL] [--stats-file FILE]",
		"serve the go command's build cache (GOCACHEPROG), locally and from a team cache server", `
Cacheprog is a GOCACHEPROG program: the go command starts it and talks to it
over stdin and stdout. Point the go command at it with

  GOCACHEPROG="goforge cacheprog --dir /var/cache/goforge" go build ./...

It keeps a local cache in --dir (default $GOFORGE_CACHE_DIR, else the user
cache directory's goforge/cacheprog), capped at --max-size (default 5GiB)
by evicting the least recently used files when a go command finishes.
Several go commands may share the directory at once.

With --remote URL (or $GOFORGE_CACHE_REMOTE) it also uses a team cache
server that speaks the HTTP cache protocol (bazel-remote, nginx with WebDAV
PUT): local misses are looked up under URL/ac/<action> and URL/cas/<sha256>,
every download is checked against its SHA-256 (a corrupt one is a miss),
and new outputs are uploaded in the background (close waits up to
--flush-timeout for the queue). If the server fails or refuses access,
cacheprog warns once and goes on with the local cache only: the build
never fails because of the remote.

Credentials: user:password in the URL, the netrc file (--netrc, default
$NETRC or ~/.netrc), or a bearer token in the environment variable named
by --token-env. They are never printed.

At close it prints a summary to stderr (unless --quiet) and appends it as
one JSON line to --stats-file. See docs/cacheprog.md.`)
	c.Flags.StringVar(&dir, "dir", "", "local cache directory")
	c.Flags.StringVar(&maxSize, "max-size", "5GiB", "local cache size cap (e.g. 500MB, 5GiB)")
	c.Flags.StringVar(&remote, "remote", "", "remote cache base URL (http or https)")
	c.Flags.StringVar(&tokenEnv, "token-env", "GOFORGE_CACHE_TOKEN", "environment variable holding a bearer token")
	c.Flags.StringVar(&netrc, "netrc", "", "netrc file with the remote's credentials")
	c.Flags.StringVar(&statsFile, "stats-file", "", "append statistics as a JSON line to this file")
	c.Flags.StringVar(&warnings, "warnings-file", "", "append warnings to this file instead of stderr (goforge build reports them)")
	c.Flags.DurationVar(&timeout, "timeout", 10*time.Second, "remote connect and response timeout")
	c.Flags.DurationVar(&flush, "flush-timeout", 30*time.Second, "how long close waits for pending uploads")
	c.Flags.IntVar(&queue, "upload-queue", 512, "uploads that may wait before new ones are dropped")
	c.Flags.BoolVar(&quiet, "quiet", false, "no summary on stderr")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		size, err := cacheprog.ParseSize(maxSize)
		if err != nil {
			return c.Usagef("--max-size: %v", err)
		}
		if timeout <= 0 || flush <= 0 || queue <= 0 {
			return c.Usagef("--timeout, --flush-timeout and --upload-queue take a value > 0")
		}
		cfg := cacheprog.Config{
			Dir: orDefault(dir, cacheprog.DefaultDir(st.Getenv)), MaxSize: size, StatsFile: statsFile,
			WarningsFile: warnings, FlushTimeout: flush, Log: st.Err, Quiet: quiet,
			Remote: cacheprog.RemoteConfig{
				URL: orDefault(remote, st.Getenv("GOFORGE_CACHE_REMOTE")), Token: st.Getenv(tokenEnv),
				Netrc: orDefault(netrc, cacheprog.DefaultNetrc(st.Getenv)), Timeout: timeout, Queue: queue,
			},
		}
		if err := checkRemoteFlags(cfg.Remote, netrc); err != nil {
			return c.Usagef("%v", err)
		}
		_, err = cacheprog.Serve(ctx, st.In, st.Out, cfg)
		if err != nil && warnings != "" {
			// Run by goforge build for a go command, whose error shows
			// this stderr after its own "goforge: TARGET: go build: "
			// prefix: name the program, not goforge a second time.
			fmt.Fprintf(st.Err, "goforge cacheprog: %v\n", err)
			return &ExitError{Code: 1}
		}
		return err
	}
	return c
}

// checkRemoteFlags rejects a remote URL that is not http(s) and a netrc
// file named by --netrc that cannot be read (the default ~/.netrc may be
// missing).
func checkRemoteFlags(r cacheprog.RemoteConfig, netrc string) error {
	if r.URL != "" {
		if err := cacheprog.CheckURL(r.URL); err != nil {
			return fmt.Errorf("--remote: %w", err)
		}
	}
	if netrc != "" {
		if _, err := os.ReadFile(netrc); err != nil {
			return fmt.Errorf("--netrc: %w", err)
		}
	}
	return nil
}

// orDefault is v, or def when v is empty.
func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
