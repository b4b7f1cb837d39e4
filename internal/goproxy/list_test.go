package goproxy

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

func TestParseList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Proxy
		err  string
	}{
		{"", []Proxy{{URL: "https://proxy.golang.org"}, {URL: "direct"}}, ""},
		{"https://a.example/,direct", []Proxy{{URL: "https://a.example"}, {URL: "direct"}}, ""},
		{"https://a|https://b,off", []Proxy{{URL: "https://a", FallBackOnError: true}, {URL: "https://b"}, {URL: "off"}}, ""},
		{"a.example", []Proxy{{URL: "https://a.example"}}, ""},
		{"file:///srv/proxy", []Proxy{{URL: "file:///srv/proxy"}}, ""},
		{"off", []Proxy{{URL: "off"}}, ""},
		{",,", nil, "empty list"},
		{"noproxy", nil, "reserved"},
		{"ftp://x", nil, "invalid GOPROXY entry"},
		{"https://user:secret@x:bad port", nil, "xxxxx"},
	} {
		got, err := ParseList(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseList(%q) err = %v, want %q", tc.in, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks a password: %v", err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseList(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestTryProxies(t *testing.T) {
	notFound := fmt.Errorf("404: %w", fs.ErrNotExist)
	boom := errors.New("500")
	for _, tc := range []struct {
		name    string
		list    string
		results map[string]error
		tried   string
		err     error
	}{
		{"comma falls through on 404", "https://a,https://b", map[string]error{"https://a": notFound}, "https://a https://b", nil},
		{"comma stops on 500", "https://a,https://b", map[string]error{"https://a": boom}, "https://a", boom},
		{"pipe falls through on 500", "https://a|https://b", map[string]error{"https://a": boom}, "https://a https://b", nil},
		{"proxy error beats not found", "https://a|https://b", map[string]error{"https://a": boom, "https://b": notFound}, "https://a https://b", boom},
		{"direct error wins", "https://a,direct", map[string]error{"https://a": notFound, "direct": boom}, "https://a direct", boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, _ := ParseList(tc.list)
			var tried []string
			err := tryProxies(list, func(p Proxy) error {
				tried = append(tried, p.URL)
				return tc.results[p.URL]
			})
			if strings.Join(tried, " ") != tc.tried || err != tc.err {
				t.Fatalf("tried %v, err %v; want %s, %v", tried, err, tc.tried, tc.err)
			}
		})
	}
}
