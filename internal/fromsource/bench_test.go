package fromsource

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkCopyTree measures the one cost goforge adds to make.bash: copying
// the source tree (here the GOROOT running the benchmark, bin/ and pkg/ left
// out) so it is never built in place. It compares with what a user would run
// instead, 'cp -a' of the same tree, in the same run, and reports the ratio.
func BenchmarkCopyTree(b *testing.B) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip("needs the go command")
	}
	tree, err := OpenTree(strings.TrimSpace(string(out)))
	if err != nil {
		b.Skip(err)
	}
	entries, err := os.ReadDir(tree.Root)
	if err != nil {
		b.Fatal(err)
	}
	var cpArgs []string // cp -a of the same top-level entries
	for _, e := range entries {
		if !skipInCopy(e.Name()) {
			cpArgs = append(cpArgs, filepath.Join(tree.Root, e.Name()))
		}
	}
	var goforge, cp time.Duration
	for i := 0; i < b.N; i++ {
		dst := filepath.Join(b.TempDir(), "go")
		os.Mkdir(dst, 0o755)
		start := time.Now()
		if err := CopyTree(tree, dst); err != nil {
			b.Fatal(err)
		}
		goforge += time.Since(start)
		start = time.Now()
		args := append(append([]string{"-a"}, cpArgs...), b.TempDir())
		if out, err := exec.Command("cp", args...).CombinedOutput(); err != nil {
			b.Fatalf("cp -a: %v\n%s", err, out)
		}
		cp += time.Since(start)
	}
	b.ReportMetric(goforge.Seconds()/float64(b.N), "goforge-s/op")
	b.ReportMetric(cp.Seconds()/float64(b.N), "cp-a-s/op")
	b.ReportMetric(goforge.Seconds()/cp.Seconds(), "goforge/cp-a")
}
