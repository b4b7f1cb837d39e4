package firmware

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// needTool skips the test, naming the tool, when it is not installed.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("needs %s (apt-get install %s)", name, pkg)
	}
	return p
}

// scaffold creates a project for board in a temporary directory,
// applies edits (file name to new content, or to a function of the old),
// and loads it.
func scaffold(t *testing.T, board string, edit func(dir string)) *Project {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "fw")
	if _, err := New(dir, board); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(dir)
	}
	p, err := LoadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func rewrite(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func buildTools(t *testing.T) Tools {
	needTool(t, "arm-none-eabi-gcc", "gcc-arm-none-eabi libnewlib-arm-none-eabi")
	tools, err := FindTools(exec.LookPath)
	if err != nil {
		t.Fatal(err)
	}
	return tools
}

// TestBuildEveryBoard builds the scaffold for every board (so every core's
// flags and multilib) and holds the outputs to binutils: BIN equals
// objcopy -O binary, objcopy reads the HEX back to the same bytes, and
// the size report equals arm-none-eabi-size -A.
func TestBuildEveryBoard(t *testing.T) {
	tools := buildTools(t)
	needTool(t, "arm-none-eabi-objcopy", "binutils-arm-none-eabi")
	needTool(t, "arm-none-eabi-size", "binutils-arm-none-eabi")
	for _, b := range Boards() {
		t.Run(b.Name, func(t *testing.T) {
			p := scaffold(t, b.Name, nil)
			res, err := Build(context.Background(), tools, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != 0 {
				t.Fatalf("problems: %v", res.Problems)
			}
			bin, _ := os.ReadFile(res.BIN)
			want := filepath.Join(t.TempDir(), "objcopy.bin")
			run(t, "arm-none-eabi-objcopy", "-O", "binary", res.ELF, want)
			if wantBin, _ := os.ReadFile(want); !bytes.Equal(bin, wantBin) || len(bin) == 0 {
				t.Errorf("BIN (%d bytes) differs from objcopy -O binary (%d bytes)", len(bin), len(wantBin))
			}
			fromHex := filepath.Join(t.TempDir(), "fromhex.bin")
			run(t, "arm-none-eabi-objcopy", "-I", "ihex", "-O", "binary", res.HEX, fromHex)
			if got, _ := os.ReadFile(fromHex); !bytes.Equal(got, bin) {
				t.Errorf("objcopy reads the HEX as %d bytes, not the BIN's %d", len(got), len(bin))
			}
			compareSizeA(t, res)
			if res.Size.Flash.Used == 0 || res.Size.RAM.Used < 1024 || len(res.Size.Objects) < 3 {
				t.Errorf("size report %+v", res.Size)
			}
		})
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// compareSizeA checks every allocated section against arm-none-eabi-size
// -A: same name, size and address, and no allocated section missing.
func compareSizeA(t *testing.T, res *BuildResult) {
	t.Helper()
	want := map[string][2]uint64{}
	sc := bufio.NewScanner(strings.NewReader(run(t, "arm-none-eabi-size", "-A", res.ELF)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || !strings.HasPrefix(f[0], ".") {
			continue
		}
		size, err1 := strconv.ParseUint(f[1], 10, 64)
		addr, err2 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("size -A line %q", sc.Text())
		}
		want[f[0]] = [2]uint64{size, addr}
	}
	for _, s := range res.Size.Sections {
		w, ok := want[s.Name]
		if !ok || w != [2]uint64{s.Size, s.Addr} {
			t.Errorf("section %s: size %d addr %d; size -A says %v (listed: %v)", s.Name, s.Size, s.Addr, w, ok)
		}
		delete(want, s.Name)
	}
	for name, w := range want {
		if w[1] != 0 { // what is left must be the unallocated debug and note sections
			t.Errorf("size -A lists %s at %d, missing from the report", name, w[1])
		}
	}
}

// TestFlashOverflowByOneByte sets the part's Flash to exactly what the
// firmware needs, then to one byte less.
func TestFlashOverflowByOneByte(t *testing.T) {
	tools := buildTools(t)
	p := scaffold(t, "stm32f407", nil)
	res, err := Build(context.Background(), tools, p)
	if err != nil {
		t.Fatal(err)
	}
	used := res.Size.Flash.Used
	p.Board.Flash.Size = used
	if res, err := Build(context.Background(), tools, p); err != nil || res.Size.Flash.Over != 0 {
		t.Fatalf("Flash of exactly %d bytes: %v", used, err)
	}
	p.Board.Flash.Size = used - 1
	res, err = Build(context.Background(), tools, p)
	var ce *CheckError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "Flash overflowed by 1 byte") {
		t.Fatalf("Flash of %d bytes: %v, want an overflow by 1 byte", used-1, err)
	}
	if len(ce.Problems) != 1 {
		t.Errorf("problems %v, want only the overflow (not .data past the end of Flash)", ce.Problems)
	}
	if res.Size.Flash.Over != 1 {
		t.Errorf("over = %d", res.Size.Flash.Over)
	}
	for _, ext := range []string{".bin", ".hex"} {
		if _, err := os.Stat(filepath.Join(p.Dir, "build", "firmware"+ext)); err == nil {
			t.Errorf("a firmware%s was left after failed checks", ext)
		}
	}
}

// TestLinkerRegionOverflow lets the linker script's own region overflow:
// the linker's message comes explained.
func TestLinkerRegionOverflow(t *testing.T) {
	tools := buildTools(t)
	p := scaffold(t, "stm32f030", func(dir string) {
		rewrite(t, filepath.Join(dir, "main.c"), "int main(void)", "const char big[20000] = {1};\nint main(void)")
		rewrite(t, filepath.Join(dir, "main.c"), "return EXIT_CODE;", "return EXIT_CODE + big[answer];")
	})
	_, err := Build(context.Background(), tools, p)
	if err == nil || !strings.Contains(err.Error(), "the firmware does not fit: region FLASH overflowed by") {
		t.Fatalf("got %v", err)
	}
}

// TestRunQEMU runs the scaffold on the QEMU boards: it prints through
// semihosting and exits with main's result.
func TestRunQEMU(t *testing.T) {
	tools := buildTools(t)
	needTool(t, "qemu-system-arm", "qemu-system-arm")
	for _, tc := range []struct {
		board string
		code  int
	}{{"lm3s6965evb", 0}, {"mps2-an385", 3}, {"mps2-an386", 0}, {"mps2-an386", 42}} {
		t.Run(tc.board+"/"+strconv.Itoa(tc.code), func(t *testing.T) {
			p := scaffold(t, tc.board, nil)
			p.Config.CFlags = []string{"-DEXIT_CODE=" + strconv.Itoa(tc.code)}
			res, err := Build(context.Background(), tools, p)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code, err := Run(context.Background(), p.Board, res.ELF, RunOptions{Timeout: 20 * time.Second, Stdout: &out})
			if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || out.String() != "hello from "+tc.board+"\n" {
				t.Errorf("exit %d, output %q", code, out.String())
			}
		})
	}
}

func TestRunTimeout(t *testing.T) {
	tools := buildTools(t)
	needTool(t, "qemu-system-arm", "qemu-system-arm")
	p := scaffold(t, "lm3s6965evb", func(dir string) {
		rewrite(t, filepath.Join(dir, "main.c"), "return EXIT_CODE;", "for (;;)\n\t\t;")
	})
	res, err := Build(context.Background(), tools, p)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Run(context.Background(), p.Board, res.ELF, RunOptions{Timeout: time.Second})
	var te *TimeoutError
	if !errors.As(err, &te) || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v, want a timeout after 1s", err, time.Since(start))
	}
}
