package cacheprog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestParseRequest(t *testing.T) {
	for _, tc := range []struct {
		line string
		fast bool
	}{
		{`{"ID":1,"Command":"get","ActionID":"AAECAw=="}`, true},
		{` { "ID" : 7 , "Command" : "put" , "ActionID":"AQ==", "OutputID":"Ag==", "BodySize": 12 } `, true},
		{`{"ID":3,"Command":"close"}`, true},
		{`{}`, true},
		{`{"ID":-0,"Command":"zap"}`, true},
		{`{"id":1,"Command":"get"}`, false},                   // key case: encoding/json's rule
		{`{"ID":1,"Command":"g\u0065t"}`, false},              // escape
		{`{"ID":1.0,"Command":"get"}`, false},                 // not an integer
		{`{"ID":1e3,"Command":"get"}`, false},                 // exponent
		{`{"ID":01,"Command":"get"}`, false},                  // leading zero
		{`{"ID":1234567890123456789,"Command":"get"}`, false}, // 19 digits
		{`{"ID":1,"ActionID":null}`, false},                   // null
		{`{"ID":1,"ActionID":"!!"}`, false},                   // bad base64
		{`{"ID":1,"Extra":2}`, false},                         // unknown field
		{`{"ID":1,}`, false},
		{`{"ID":1} trailing`, false},
		{`{"ID":1,"Command":"gét"}`, false}, // non-ASCII
		{`[1]`, false},
	} {
		var fast Request
		if got := parseRequest([]byte(tc.line), &fast); got != tc.fast {
			t.Errorf("parseRequest(%s) = %v, want %v", tc.line, got, tc.fast)
			continue
		}
		if !tc.fast {
			continue
		}
		var slow Request
		if err := decodeJSON([]byte(tc.line), &slow); err != nil {
			t.Errorf("encoding/json rejects %s, parseRequest took it: %v", tc.line, err)
		} else if !sameRequest(fast, slow) {
			t.Errorf("%s: parseRequest %+v, encoding/json %+v", tc.line, fast, slow)
		}
	}
}

func sameRequest(a, b Request) bool {
	return a.ID == b.ID && a.Command == b.Command && a.BodySize == b.BodySize &&
		bytes.Equal(a.ActionID, b.ActionID) && bytes.Equal(a.OutputID, b.OutputID)
}

// FuzzParseRequest: whatever the hand decoder accepts, encoding/json
// (strict, as the reader falls back to it) accepts with the same result.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"ID":1,"Command":"get","ActionID":"AAECAw=="}`))
	f.Add([]byte(`{"ID":2,"Command":"put","ActionID":"AQ==","OutputID":"Ag==","BodySize":3}`))
	f.Add([]byte(`{"ID":-12,"Command":"close"}`))
	f.Add([]byte(`{"BodySize":0,"ID":1,"ID":2}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var fast Request
		if !parseRequest(line, &fast) {
			return
		}
		var slow Request
		if err := decodeJSON(line, &slow); err != nil {
			t.Fatalf("parseRequest took %q, encoding/json says %v", line, err)
		}
		if !sameRequest(fast, slow) {
			t.Fatalf("%q: parseRequest %+v, encoding/json %+v", line, fast, slow)
		}
	})
}

// decodeResponse is what the go command makes of a response line.
func decodeResponse(t *testing.T, b []byte) Response {
	t.Helper()
	var r Response
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decoding %q: %v", b, err)
	}
	if dec.More() {
		t.Fatalf("%q: more than one value", b)
	}
	return r
}

func TestAppendResponse(t *testing.T) {
	now := time.Date(2026, 11, 30, 17, 0, 0, 123456789, time.UTC)
	for _, r := range []Response{
		{ID: 0, KnownCommands: []Cmd{CmdGet, CmdPut, CmdClose}},
		{ID: 1, Miss: true},
		{ID: 2, OutputID: []byte{1, 2, 3, 250}, Size: 4, Time: &now, DiskPath: "/c/o/01/0102"},
		{ID: 3, Err: "storing output: \"disk\" full\n\t\\ \x01 \u2028 é \xff<>&"},
		{ID: -4, DiskPath: `C:\cache dir\o\ab`},
	} {
		b := appendResponse(nil, &r)
		if b[len(b)-1] != '\n' || bytes.Count(b, []byte("\n")) != 1 {
			t.Errorf("%q: not one line", b)
		}
		want, _ := json.Marshal(r)
		if got, exp := decodeResponse(t, b), decodeResponse(t, want); !reflect.DeepEqual(got, exp) {
			t.Errorf("appendResponse(%+v) decodes to %+v, encoding/json's to %+v", r, got, exp)
		}
	}
}

// FuzzAppendResponse: the go command decodes the hand encoding to what it
// decodes encoding/json's to.
func FuzzAppendResponse(f *testing.F) {
	f.Add(int64(1), "", false, []byte{1, 2}, int64(5), int64(1700000000e9), "/tmp/x")
	f.Add(int64(-1), "err \"\\\x00\xff\u2029", true, []byte(nil), int64(0), int64(0), "")
	f.Fuzz(func(t *testing.T, id int64, errMsg string, miss bool, oid []byte, size, nanos int64, path string) {
		tm := time.Unix(0, nanos).UTC()
		r := Response{ID: id, Err: errMsg, Miss: miss, OutputID: oid, Size: size, Time: &tm, DiskPath: path}
		want, err := json.Marshal(r)
		if err != nil {
			t.Skip(err)
		}
		if got, exp := decodeResponse(t, appendResponse(nil, &r)), decodeResponse(t, want); !reflect.DeepEqual(got, exp) {
			t.Fatalf("appendResponse decodes to %+v, encoding/json's to %+v", got, exp)
		}
	})
}
