// Package cacheprog implements the go command's GOCACHEPROG protocol
// (cmd/go/internal/cacheprog): a local, size-capped build cache on disk,
// optionally backed by a remote cache server that speaks the HTTP cache
// protocol of bazel-remote and nginx/WebDAV (GET/PUT/HEAD on /ac/<hash>
// and /cas/<hash>).
package cacheprog

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Cmd is a command of the protocol.
type Cmd string

// The commands goforge's cache program knows.
const (
	CmdGet   Cmd = "get"
	CmdPut   Cmd = "put"
	CmdClose Cmd = "close"
)

// Request is one message from the go command, as cmd/go encodes it.
type Request struct {
	ID       int64
	Command  Cmd
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

// Response is one message to the go command.
type Response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []Cmd      `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// maxLine bounds one request line: requests carry two hashes and a few
// numbers, so anything longer is not the go command talking.
const maxLine = 64 << 10

// ProtocolError is a message that breaks the protocol; after it the stream
// cannot be trusted, so the program stops.
type ProtocolError struct{ Err error }

func (e *ProtocolError) Error() string { return "protocol: " + e.Err.Error() }
func (e *ProtocolError) Unwrap() error { return e.Err }

func protoErr(format string, args ...any) error {
	return &ProtocolError{fmt.Errorf(format, args...)}
}

// reader decodes the go command's request stream.
type reader struct{ br *bufio.Reader }

func newReader(r io.Reader) *reader { return &reader{bufio.NewReaderSize(r, 64<<10)} }

// next returns the next request, skipping blank lines; io.EOF means the
// stream ended cleanly between messages.
func (r *reader) next() (*Request, error) {
	for {
		line, err := r.line()
		if err != nil {
			return nil, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		req := new(Request)
		if !parseRequest(line, req) {
			*req = Request{}
			if err := decodeJSON(line, req); err != nil {
				return nil, protoErr("malformed request %.80q: %v", line, err)
			}
		}
		if err := req.check(); err != nil {
			return nil, err
		}
		return req, nil
	}
}

// decodeJSON decodes a request parseRequest could not, strictly.
func decodeJSON(line []byte, req *Request) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	return dec.Decode(req)
}

func (r *reader) line() ([]byte, error) {
	chunk, err := r.br.ReadSlice('\n')
	if err == nil {
		return chunk, nil // the common case, without a copy
	}
	buf := append([]byte(nil), chunk...)
	for {
		if len(buf) > maxLine {
			return nil, protoErr("request line longer than %d bytes", maxLine)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			if len(bytes.TrimSpace(buf)) != 0 {
				return nil, protoErr("truncated request %.80q", buf)
			}
			return nil, io.EOF
		default:
			return nil, err
		}
		chunk, err = r.br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if err == nil && len(buf) <= maxLine {
			return buf, nil
		}
	}
}

func (req *Request) check() error {
	switch req.Command {
	case CmdGet:
		if len(req.ActionID) == 0 {
			return protoErr("request %d: get without ActionID", req.ID)
		}
	case CmdPut:
		if len(req.ActionID) == 0 || len(req.OutputID) == 0 {
			return protoErr("request %d: put without ActionID or OutputID", req.ID)
		}
		if req.BodySize < 0 {
			return protoErr("request %d: negative BodySize %d", req.ID, req.BodySize)
		}
	case CmdClose:
	default:
		return protoErr("request %d: unknown command %q", req.ID, req.Command)
	}
	return nil
}

// body returns the put body that follows a request: a JSON string of
// base64, decoded as it is read, so a body is never held whole in memory.
// The caller must read it to EOF before the next request.
func (r *reader) body(size int64) (io.Reader, error) {
	for {
		b, err := r.br.ReadByte()
		if err != nil {
			return nil, protoErr("truncated body: %v", eofToUnexpected(err))
		}
		if b == '"' {
			break
		}
		if b != ' ' && b != '\n' && b != '\r' && b != '\t' {
			return nil, protoErr("body does not start with a quote (got %q)", b)
		}
	}
	q := &quoted{br: r.br}
	return &sizedReader{r: base64.NewDecoder(base64.StdEncoding, q), want: size, q: q}, nil
}

func eofToUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// quoted reads up to (and consumes) the closing quote of a JSON string.
type quoted struct {
	br   *bufio.Reader
	done bool
}

func (q *quoted) Read(p []byte) (int, error) {
	if q.done {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		b, err := q.br.ReadByte()
		if err != nil {
			return n, protoErr("truncated body: %v", eofToUnexpected(err))
		}
		if b == '"' {
			q.done = true
			return n, nil
		}
		if b == '\\' || b == '\n' {
			return n, protoErr("body is not a base64 JSON string")
		}
		p[n] = b
		n++
		if q.br.Buffered() == 0 && n > 0 {
			break
		}
	}
	return n, nil
}

// sizedReader checks that a body decodes to exactly the announced size.
type sizedReader struct {
	r    io.Reader
	q    *quoted
	want int64
	got  int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.got += int64(n)
	if s.got > s.want {
		return n, protoErr("body longer than BodySize %d", s.want)
	}
	if err == io.EOF {
		if !s.q.done {
			return n, protoErr("truncated body")
		}
		if s.got != s.want {
			return n, protoErr("body is %d bytes, BodySize says %d", s.got, s.want)
		}
	} else if err != nil {
		var pe *ProtocolError
		if !errors.As(err, &pe) {
			err = protoErr("decoding body: %v", err)
		}
	}
	return n, err
}
