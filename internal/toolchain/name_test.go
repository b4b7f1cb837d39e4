package toolchain

import "testing"

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Name
		bad  bool
	}{
		{in: "go1.22.5", want: Name{Version: "go1.22.5"}},
		{in: "go1.22.5.linux-arm64", want: Name{Version: "go1.22.5", Platform: "linux-arm64"}},
		{in: "go1.26.8-src", want: Name{Version: "go1.26.8", Variant: "src"}},
		{in: "go1.23rc1", want: Name{Version: "go1.23rc1"}},
		{in: "devel-abc123", want: Name{Devel: "abc123"}},
		{in: "1.22.5", bad: true},
		{in: "go1.22.5.linux-../x", bad: true},
		{in: "../go1.22.5", bad: true},
		{in: "current", bad: true},
		{in: "devel-", bad: true},
	} {
		got, err := ParseName(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseName(%q) = %+v, want error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseName(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		q, v string
		want bool
	}{
		{"1.22", "go1.22.5", true},
		{"go1.22", "go1.22.0", true},
		{"1.22", "go1.22rc1", true},
		{"1.22", "go1.23.0", false},
		{"1.2", "go1.22.0", false},
		{"1.22.5", "go1.22.5", true},
		{"v1.22.5", "go1.22.5", true},
		{"1.22.5", "go1.22.50", false},
		{"latest", "go1.9", true},
		{"garbage", "go1.22.5", false},
	} {
		if got := Matches(tc.q, tc.v); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tc.q, tc.v, got, tc.want)
		}
	}
}

func TestParseModuleVersion(t *testing.T) {
	v, goos, goarch, ok := parseModuleVersion("v0.0.1-go1.21rc2.linux-amd64")
	if !ok || v != "go1.21rc2" || goos != "linux" || goarch != "amd64" {
		t.Fatalf("got %q %q %q %v", v, goos, goarch, ok)
	}
	if ModuleVersion(v, goos, goarch) != "v0.0.1-go1.21rc2.linux-amd64" {
		t.Fatal("ModuleVersion does not invert parseModuleVersion")
	}
	for _, bad := range []string{"v0.0.1-go1.21", "v0.0.2-go1.21.0.linux-amd64", "v0.0.1-x.linux-amd64"} {
		if _, _, _, ok := parseModuleVersion(bad); ok {
			t.Errorf("parseModuleVersion(%q) ok", bad)
		}
	}
}
