package targets

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestLoadMatchesDistList: the targets are exactly 'go tool dist list'
// (plus the ports marked broken, which only -broken shows).
func TestLoadMatchesDistList(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	ts, err := Load(context.Background(), "go")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(out))
	var got []string
	for _, tg := range ts {
		if !tg.Broken {
			got = append(got, tg.String())
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("targets\n got %v\nwant %v", got, want)
	}
}

func TestFilter(t *testing.T) {
	ts, err := Parse([]byte(`[{"GOOS":"linux","GOARCH":"amd64","CgoSupported":true,"FirstClass":true},
		{"GOOS":"js","GOARCH":"wasm"},{"GOOS":"linux","GOARCH":"sparc64","Broken":true},
		{"GOOS":"windows","GOARCH":"arm64","CgoSupported":true,"FirstClass":true}]`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f    Filter
		want string
	}{
		{Filter{}, "js/wasm linux/amd64 linux/sparc64 windows/arm64"},
		{Filter{Patterns: []string{"linux/*"}, NoBroken: true}, "linux/amd64"},
		{Filter{Patterns: []string{"first-class"}}, "linux/amd64 windows/arm64"},
		{Filter{Patterns: []string{"arm64", "wasm"}}, "js/wasm windows/arm64"},
		{Filter{Cgo: true, FirstClass: true}, "linux/amd64 windows/arm64"},
	}
	for _, tt := range tests {
		got, err := tt.f.Apply(ts)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, x := range got {
			s = append(s, x.String())
		}
		if strings.Join(s, " ") != tt.want {
			t.Errorf("%+v: got %v, want %s", tt.f, s, tt.want)
		}
	}
	if _, err := (Filter{Patterns: []string{"plan9/*"}}).Apply(ts); err == nil {
		t.Errorf("a pattern matching nothing is not an error")
	}
	if _, err := Parse([]byte("not json")); err == nil {
		t.Errorf("Parse accepted garbage")
	}
}
