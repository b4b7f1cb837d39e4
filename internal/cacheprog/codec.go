package cacheprog

import (
	"encoding/base64"
	"strconv"
	"time"
	"unicode/utf8"
)

// The go command sends one small JSON object per request and reads one per
// response, a thousand or more per build. encoding/json's reflection costs
// more than the rest of a local hit, so the plain shapes are decoded and
// encoded by hand here; anything unusual (escapes, null, other key
// spellings, non-ASCII) goes back to encoding/json, so behaviour is
// encoding/json's. FuzzParseRequest and FuzzAppendResponse hold the two to
// the same results.

// parseRequest decodes line into req when it is a plain request object:
// known keys spelled exactly, integers, ASCII strings without escapes,
// base64 hashes. It reports false, leaving req in an unspecified state,
// when line needs encoding/json.
func parseRequest(line []byte, req *Request) bool {
	p := scan{b: line}
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return p.end()
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') {
			return false
		}
		switch string(key) {
		case "ID":
			req.ID, ok = p.int()
		case "BodySize":
			req.BodySize, ok = p.int()
		case "Command":
			var c []byte
			c, ok = p.str()
			req.Command = command(c)
		case "ActionID":
			req.ActionID, ok = p.base64()
		case "OutputID":
			req.OutputID, ok = p.base64()
		default:
			return false
		}
		if !ok {
			return false
		}
		if p.byte(',') {
			continue
		}
		return p.byte('}') && p.end()
	}
}

// command returns the constant for the known commands, so a request
// allocates nothing for it.
func command(c []byte) Cmd {
	switch string(c) {
	case "get":
		return CmdGet
	case "put":
		return CmdPut
	case "close":
		return CmdClose
	}
	return Cmd(c)
}

// scan walks a JSON object; each method skips the white space before it.
type scan struct {
	b []byte
	i int
}

func (p *scan) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *scan) byte(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *scan) end() bool {
	p.ws()
	return p.i == len(p.b)
}

// str returns the bytes of a string of printable ASCII without escapes.
func (p *scan) str() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// int reads an integer in JSON's syntax (no leading zeros, no fraction or
// exponent) of at most 18 digits, which cannot overflow an int64.
func (p *scan) int() (int64, bool) {
	p.ws()
	neg := p.i < len(p.b) && p.b[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	var n int64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		n = n*10 + int64(p.b[p.i]-'0')
		p.i++
	}
	digits := p.i - start
	if digits == 0 || digits > 18 || (digits > 1 && p.b[start] == '0') {
		return 0, false
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// base64 reads a []byte the way encoding/json does: a standard base64
// string.
func (p *scan) base64() ([]byte, bool) {
	s, ok := p.str()
	if !ok {
		return nil, false
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(b, s)
	if err != nil {
		return nil, false
	}
	return b[:n], true
}

// appendResponse appends r as encoding/json would encode it (fields in
// order, empty ones omitted), with a newline.
func appendResponse(b []byte, r *Response) []byte {
	b = append(b, `{"ID":`...)
	b = strconv.AppendInt(b, r.ID, 10)
	if r.Err != "" {
		b = append(b, `,"Err":`...)
		b = appendString(b, r.Err)
	}
	if len(r.KnownCommands) > 0 {
		b = append(b, `,"KnownCommands":[`...)
		for i, c := range r.KnownCommands {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, string(c))
		}
		b = append(b, ']')
	}
	if r.Miss {
		b = append(b, `,"Miss":true`...)
	}
	if len(r.OutputID) > 0 {
		b = append(b, `,"OutputID":"`...)
		b = base64.StdEncoding.AppendEncode(b, r.OutputID)
		b = append(b, '"')
	}
	if r.Size != 0 {
		b = append(b, `,"Size":`...)
		b = strconv.AppendInt(b, r.Size, 10)
	}
	if r.Time != nil {
		b = append(b, `,"Time":"`...)
		b = r.Time.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	if r.DiskPath != "" {
		b = append(b, `,"DiskPath":`...)
		b = appendString(b, r.DiskPath)
	}
	return append(b, "}\n"...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD as encoding/json
// does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
