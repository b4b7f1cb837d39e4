package completion

import (
	"context"
	"flag"
	"reflect"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/command"
)

type nothing struct{}

func testTree() *Node {
	noop := func(context.Context, nothing, []string) error { return nil }
	root := command.New[nothing]("goforge", "", "", "")
	build := command.New[nothing]("build", "", "", "")
	build.Flags.String("targets", "", "")
	build.Flags.String("o", "", "")
	build.Flags.Bool("json", false, "")
	build.Flags.Bool("v", false, "")
	build.Run = noop
	use := command.New[nothing]("use", "", "", "")
	use.Flags.Bool("local", false, "")
	use.Run = noop
	exec := command.New[nothing]("exec", "", "", "")
	exec.RawArgs = true
	exec.Run = noop
	inspect := command.New[nothing]("inspect", "", "", "")
	inspect.Add(command.New[nothing]("funcs", "", "", ""), command.New[nothing]("files", "", "", ""))
	inspect.Subcommands[0].Flags.Var(new(listFlag), "match", "")
	root.Add(build, use, exec, inspect)
	return FromCommand(root, Kinds{
		Args: func(path string) string {
			if path == "use" || path == "exec" {
				return "versions"
			}
			return ""
		},
		Flags: func(path, name string) string {
			if name == "targets" {
				return "targets"
			}
			return ""
		},
	})
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

var _ flag.Value = new(listFlag)

func testValues(kind, word string) []string {
	switch kind {
	case "versions":
		return []string{"go1.22.5", "go1.21.0", "go1.22.5"}
	case "targets":
		done := word[:strings.LastIndex(word, ",")+1]
		return []string{done + "linux/arm", done + "linux/arm64", done + "linux/amd64", done + "all"}
	}
	panic("unexpected kind " + kind)
}

func TestComplete(t *testing.T) {
	tree := testTree()
	tests := []struct {
		words []string
		want  []string
	}{
		{nil, []string{"build", "exec", "inspect", "use"}},
		{[]string{""}, []string{"build", "exec", "inspect", "use"}},
		{[]string{"b"}, []string{"build"}},
		{[]string{"zz"}, nil},
		{[]string{"build", "--t"}, []string{"--targets"}},
		{[]string{"build", "-"}, []string{"--help", "--json", "--targets", "-o", "-v"}},
		{[]string{"build", "--targets", "linux/ar"}, []string{"linux/arm", "linux/arm64"}},
		{[]string{"build", "-targets", "a"}, []string{"all"}},
		{[]string{"build", "--targets", "linux/amd64,linux/arm6"}, []string{"linux/amd64,linux/arm64"}},
		{[]string{"build", "--targets=linux/arm"}, []string{"--targets=linux/arm", "--targets=linux/arm64"}},
		{[]string{"build", "--nosuch=x"}, nil},
		{[]string{"build", "--targets", "=", "linux/arm6"}, []string{"linux/arm64"}},
		{[]string{"build", "--json", "=", ""}, nil},
		// A value flag's value is not a verb; a bool flag takes none.
		{[]string{"build", "-o", ""}, nil},
		{[]string{"build", "-o", "x", ""}, nil},
		{[]string{"build", "--json", "--t"}, []string{"--targets"}},
		{[]string{"build", "--targets=all", "--t"}, []string{"--targets"}},
		{[]string{"use", ""}, []string{"go1.21.0", "go1.22.5"}},
		{[]string{"use", "--local", "go1.22"}, []string{"go1.22.5"}},
		{[]string{"inspect", ""}, []string{"files", "funcs"}},
		{[]string{"inspect", "funcs", "--m"}, []string{"--match"}},
		{[]string{"inspect", "funcs", "--match", ""}, nil},
		// After "--", and inside exec's command, the words are not goforge's.
		{[]string{"build", "--", "-"}, nil},
		{[]string{"exec", "go1.22.5", "b"}, nil},
		{[]string{"exec", ""}, []string{"go1.21.0", "go1.22.5"}},
		// Once a positional argument is given, subcommands are not offered.
		{[]string{"build", "x", "b"}, nil},
	}
	for _, tt := range tests {
		got := Complete(tree, tt.words, testValues)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Complete(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

func TestScript(t *testing.T) {
	for _, sh := range Shells {
		s, err := Script(sh, "my-tool")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, "my-tool completion __complete --") || !strings.Contains(s, "_my_tool") {
			t.Errorf("%s script does not call my-tool through _my_tool:\n%s", sh, s)
		}
	}
	if _, err := Script("tcsh", "goforge"); err == nil || !strings.Contains(err.Error(), `"tcsh"`) {
		t.Errorf("Script(tcsh) error = %v, want one naming the shell", err)
	}
}

// FuzzComplete checks that any command line completes without a panic to
// candidates that extend the word being typed.
func FuzzComplete(f *testing.F) {
	f.Add("build\x00--targets\x00linux/amd64,lin")
	f.Add("exec\x00go1\x00--\x00-")
	f.Add("build\x00--targets\x00=\x00=")
	f.Add("inspect\x00funcs\x00--match=")
	tree := testTree()
	f.Fuzz(func(t *testing.T, line string) {
		words := strings.Split(line, "\x00")
		cur := words[len(words)-1]
		for _, c := range Complete(tree, words, testValues) {
			if !strings.HasPrefix(c, cur) {
				t.Fatalf("Complete(%q) offers %q, which does not extend %q", words, c, cur)
			}
		}
	})
}
