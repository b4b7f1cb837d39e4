package cacheprog

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Config configures a cache program.
type Config struct {
	// Dir is the local tier's directory; MaxSize its cap in bytes.
	Dir     string
	MaxSize int64
	// Remote configures the remote tier; an empty URL means local only.
	Remote RemoteConfig
	// FlushTimeout bounds how long close waits for queued uploads.
	FlushTimeout time.Duration
	// StatsFile, when set, gets one JSON line of Stats per program.
	StatsFile string
	// WarningsFile, when set, gets the warnings instead of Log: one line
	// each, appended, without the "goforge cacheprog: " prefix. goforge
	// build gives every go command's cache program the same file and
	// reports each distinct warning once (see ReadWarnings); on the go
	// command's stderr they would be lost when the build succeeds.
	WarningsFile string
	// Log receives warnings (without WarningsFile) and, unless Quiet, the
	// summary at close.
	Log   io.Writer
	Quiet bool
}

// testHook lets tests inject faults into the local tier.
var testHook func(*Local)

// DefaultMaxSize is the local tier's cap when none is given.
const DefaultMaxSize = 5 << 30

// server is one running cache program.
type server struct {
	cfg    Config
	local  *Local
	remote *Remote
	stats  counters
	start  time.Time

	logMu     sync.Mutex
	entryWarn sync.Once
	warnings  *os.File // nil: warnings go to Log

	outMu sync.Mutex
	out   *bufio.Writer
	buf   []byte // one encoded response

	missMu sync.Mutex
	missAt map[string]time.Time // action ID → when its get missed

	work sync.WaitGroup
	sem  chan struct{}
}

// Serve runs the protocol over in/out until the go command sends close or
// ends its stream, and returns the statistics of the run. A broken stream
// is a *ProtocolError.
func Serve(ctx context.Context, in io.Reader, out io.Writer, cfg Config) (Stats, error) {
	s, err := newServer(cfg, out)
	if err != nil {
		return Stats{}, err
	}
	defer s.local.Close()
	if s.warnings != nil {
		defer s.warnings.Close()
	}
	if err := s.send(&Response{ID: 0, KnownCommands: []Cmd{CmdGet, CmdPut, CmdClose}}); err != nil {
		return Stats{}, fmt.Errorf("writing to the go command: %w", err)
	}
	// Responses of the read loop are buffered and flushed when it is about
	// to wait for input: a burst of requests gets its answers in one write.
	closeID, err := s.loop(ctx, newReader(flushingReader{in, s.flush}))
	s.work.Wait()
	if err == nil && closeID < 0 {
		s.flush() // the stream ended without close: answer what was read
	}
	st := s.finish()
	if err != nil {
		return st, err
	}
	if closeID >= 0 {
		if err := s.send(&Response{ID: closeID}); err != nil {
			return st, fmt.Errorf("writing to the go command: %w", err)
		}
	}
	return st, nil
}

func newServer(cfg Config, out io.Writer) (*server, error) {
	if cfg.MaxSize <= 0 {
		cfg.MaxSize = DefaultMaxSize
	}
	if cfg.FlushTimeout <= 0 {
		cfg.FlushTimeout = 30 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	l, err := OpenLocal(cfg.Dir, cfg.MaxSize)
	if err != nil {
		return nil, err
	}
	if testHook != nil {
		testHook(l)
	}
	s := &server{cfg: cfg, local: l, start: time.Now(), missAt: map[string]time.Time{}, sem: make(chan struct{}, 32)}
	s.out = bufio.NewWriterSize(out, 32<<10)
	if cfg.WarningsFile != "" {
		s.warnings, err = os.OpenFile(cfg.WarningsFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			s.warnings = nil
			s.warn(fmt.Sprintf("opening the warnings file: %v", err))
		}
	}
	if cfg.Remote.URL != "" {
		s.remote, err = newRemote(cfg.Remote, &s.stats, s.warn)
		if err != nil {
			l.Close()
			return nil, err
		}
	}
	return s, nil
}

// warn reports a problem that does not stop the program (msg has no
// prefix): to the warnings file when there is one, else to Log.
func (s *server) warn(msg string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.warnings != nil {
		// One write per line: several programs append to the same file.
		if _, err := s.warnings.Write([]byte(oneLine(msg) + "\n")); err == nil {
			return
		}
	}
	fmt.Fprintln(s.cfg.Log, "goforge cacheprog: "+msg)
}

// say prints the summary to Log.
func (s *server) say(line string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintln(s.cfg.Log, line)
}

// send writes one response and flushes it; responses go out as they are
// ready, in any order.
func (s *server) send(r *Response) error {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if err := s.write(r); err != nil {
		return err
	}
	return s.out.Flush()
}

// write buffers one response; s.outMu must be held.
func (s *server) write(r *Response) error {
	s.buf = appendResponse(s.buf[:0], r)
	_, err := s.out.Write(s.buf)
	return err
}

// queue buffers a response of the read loop; see flushingReader.
func (s *server) queue(r *Response) {
	s.outMu.Lock()
	err := s.write(r)
	s.outMu.Unlock()
	if err != nil {
		s.warn(fmt.Sprintf("writing to the go command: %v", err))
	}
}

// flushingReader flushes the responses written so far before every read
// from the go command, which may block.
type flushingReader struct {
	r     io.Reader
	flush func()
}

func (f flushingReader) Read(p []byte) (int, error) {
	f.flush()
	return f.r.Read(p)
}

func (s *server) flush() {
	s.outMu.Lock()
	if s.out.Buffered() == 0 {
		s.outMu.Unlock()
		return
	}
	err := s.out.Flush()
	s.outMu.Unlock()
	if err != nil {
		s.warn(fmt.Sprintf("writing to the go command: %v", err))
	}
}

// loop reads requests until close (returning its ID) or the end of the
// stream (returning -1). Put bodies are read here, in stream order, straight
// into the local tier. Gets the local tier answers are answered here too: a
// local hit costs a few system calls, less than handing it to a goroutine.
// Gets that go to the remote run concurrently and answer out of order.
func (s *server) loop(ctx context.Context, rd *reader) (int64, error) {
	for {
		req, err := rd.next()
		if errors.Is(err, io.EOF) {
			return -1, nil
		}
		if err != nil {
			return -1, fmt.Errorf("reading from the go command: %w", err)
		}
		switch req.Command {
		case CmdClose:
			return req.ID, nil
		case CmdPut:
			s.stats.puts.Add(1)
			if err := s.put(rd, req); err != nil {
				return -1, fmt.Errorf("reading from the go command: %w", err)
			}
		case CmdGet:
			s.stats.gets.Add(1)
			if r := s.getLocal(req); r != nil {
				s.queue(r)
			} else {
				s.async(func() { s.reply(s.getRemote(ctx, req)) })
			}
		}
	}
}

func (s *server) async(f func()) {
	s.work.Add(1)
	s.sem <- struct{}{}
	go func() {
		defer s.work.Done()
		defer func() { <-s.sem }()
		f()
	}()
}

func (s *server) reply(r *Response) {
	if err := s.send(r); err != nil {
		s.warn(fmt.Sprintf("writing to the go command: %v", err))
	}
}

// put stores a body. Only a broken stream is returned as an error; a put
// that cannot be stored (bad hash, full disk) gets an error response.
func (s *server) put(rd *reader, req *Request) error {
	body := io.Reader(eofReader{})
	if req.BodySize > 0 {
		var err error
		if body, err = rd.body(req.BodySize); err != nil {
			return err
		}
	}
	path, werr := s.local.WriteOutput(req.OutputID, req.BodySize, body)
	var pe *ProtocolError
	if errors.As(werr, &pe) {
		return werr
	}
	if werr != nil {
		// Keep the stream in step: the rest of the body is still coming.
		if _, err := io.Copy(io.Discard, body); err != nil {
			return err
		}
		s.queue(&Response{ID: req.ID, Err: werr.Error()})
		return nil
	}
	e := Entry{OutputID: req.OutputID, Size: req.BodySize, Time: time.Now(), Cost: s.costOf(req.ActionID)}
	if err := s.local.PutEntry(req.ActionID, e); err != nil {
		s.queue(&Response{ID: req.ID, Err: err.Error()})
		return nil
	}
	s.queue(&Response{ID: req.ID, DiskPath: path})
	if s.remote != nil {
		s.remote.Enqueue(req.ActionID, e, path)
	}
	return nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// costOf is how long the go command took to produce an action's output:
// from its miss to its put, within this program.
func (s *server) costOf(aid []byte) time.Duration {
	s.missMu.Lock()
	defer s.missMu.Unlock()
	t, ok := s.missAt[string(aid)]
	if !ok {
		return 0
	}
	delete(s.missAt, string(aid))
	return time.Since(t)
}

// getLocal answers a get from the local tier, or returns nil when the
// remote should be asked.
func (s *server) getLocal(req *Request) *Response {
	if e, path, ok := s.local.Get(req.ActionID); ok {
		s.stats.localHits.Add(1)
		return hit(req.ID, e, path)
	}
	s.stats.localMisses.Add(1)
	if s.remote != nil && s.remote.usable() {
		return nil
	}
	return s.miss(req)
}

// getRemote answers a local miss from the remote.
func (s *server) getRemote(ctx context.Context, req *Request) *Response {
	t0 := time.Now()
	if e, path, ok := s.remoteGet(ctx, req.ActionID); ok {
		s.stats.remoteHits.Add(1)
		if saved := e.Cost - time.Since(t0); saved > 0 {
			s.stats.savedMillis.Add(saved.Milliseconds())
		}
		return hit(req.ID, e, path)
	}
	s.stats.remoteMisses.Add(1)
	return s.miss(req)
}

func (s *server) miss(req *Request) *Response {
	s.missMu.Lock()
	s.missAt[string(req.ActionID)] = time.Now()
	s.missMu.Unlock()
	return &Response{ID: req.ID, Miss: true}
}

func hit(id int64, e Entry, path string) *Response {
	t := e.Time.UTC()
	return &Response{ID: id, OutputID: e.OutputID, Size: e.Size, Time: &t, DiskPath: path}
}

// remoteGet fetches an entry and, unless the local tier has it already,
// its output; it stores both locally.
func (s *server) remoteGet(ctx context.Context, aid []byte) (Entry, string, bool) {
	e, ok := s.remote.GetEntry(ctx, aid)
	if !ok {
		return Entry{}, "", false
	}
	path, ok := s.local.HasOutput(e.OutputID, e.Size)
	if !ok {
		if path, ok = s.remote.FetchOutput(ctx, s.local, e); !ok {
			return Entry{}, "", false
		}
	}
	if err := s.local.PutEntry(aid, e); err != nil {
		s.entryWarn.Do(func() {
			s.warn("storing downloaded entries in the local cache failed (" + rootCause(err) + ")")
		})
	}
	return e, path, true
}

// finish drains uploads, evicts, and reports.
func (s *server) finish() Stats {
	if s.remote != nil {
		s.remote.Flush(s.cfg.FlushTimeout)
	}
	ev, err := s.local.Evict()
	if err != nil {
		s.warn(fmt.Sprintf("%v", err))
	}
	st := s.stats.snapshot()
	st.Dir = s.local.Dir()
	if s.remote != nil {
		st.Remote = s.remote.String()
		if s.remote.disabled.Load() {
			st.RemoteDisabled = "circuit breaker open"
		}
	}
	st.EvictedFiles, st.EvictedBytes, st.LocalSize = ev.Files, ev.Bytes, ev.Size
	st.DurationSecs = time.Since(s.start).Seconds()
	if !s.cfg.Quiet && st.Gets+st.Puts > 0 {
		s.say(st.Summary())
	}
	if s.cfg.StatsFile != "" {
		if err := appendJSON(s.cfg.StatsFile, st); err != nil {
			s.warn(fmt.Sprintf("%v", err))
		}
	}
	return st
}
