package goproxy

import "testing"

func TestBaseFor(t *testing.T) {
	c, err := FromEnv(func(k string) string {
		return map[string]string{"GOPROXY": "https://p.example,direct", "GOINSECURE": "golang.org/toolchain", "GOPRIVATE": "example.com/*"}[k]
	}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if base, insecure, err := c.baseFor(Proxy{URL: "direct"}, ToolchainModule); err != nil || base != DefaultDirectURL || !insecure {
		t.Fatalf("direct = %q, %v, %v", base, insecure, err)
	}
	if base, insecure, _ := c.baseFor(Proxy{URL: "https://p.example"}, ToolchainModule); base != "https://p.example" || insecure {
		t.Fatalf("proxy = %q, %v (GOINSECURE applies to direct fetches only)", base, insecure)
	}
	if got := c.proxiesFor("example.com/x"); len(got) != 1 || got[0].URL != "noproxy" {
		t.Fatalf("GOPRIVATE module goes through %v", got)
	}
	if c.SumDB != "sum.golang.org" || c.NoSumDB != "example.com/*" {
		t.Fatalf("defaults: GOSUMDB %q, GONOSUMDB %q", c.SumDB, c.NoSumDB)
	}
	if _, _, err := c.baseFor(Proxy{URL: "off"}, ToolchainModule); err == nil {
		t.Fatal("off gave a URL")
	}
}
