// Package completion completes goforge's command line for the shells:
// Complete walks the command tree (verbs, sub-verbs and every flag of each)
// to find the candidates for the word being typed, and Script returns the
// small bash, zsh or fish script that asks 'goforge completion __complete'
// for them at each TAB. Because the tree is read when TAB is pressed, a new
// verb or flag completes without regenerating the script. The package does
// no I/O: dynamic values (installed versions, targets) come from a callback.
package completion

import (
	"flag"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/command"
)

// A Node is one command of the tree as completion sees it.
type Node struct {
	Name  string
	Flags []Flag
	Subs  []*Node
	// Args names the kind of value the positional arguments take
	// ("versions", "targets"), or "" for none known.
	Args string
	// Raw reports whether everything after the first positional argument
	// belongs to another program (exec VERSION -- cmd ...).
	Raw bool
}

// A Flag is one flag of a command.
type Flag struct {
	Name       string
	TakesValue bool
	// Values names the kind of value the flag takes, or "".
	Values string
}

// Kinds says which kind of value an argument or flag takes; path is the
// command path without "goforge" ("use", "inspect funcs").
type Kinds struct {
	Args  func(path string) string
	Flags func(path, flag string) string
}

// FromCommand converts a command tree into Nodes.
func FromCommand[S any](c *command.Command[S], k Kinds) *Node {
	n := &Node{Name: c.Name, Raw: c.RawArgs}
	path := c.HelpPath()
	if k.Args != nil {
		n.Args = k.Args(path)
	}
	c.Flags.VisitAll(func(f *flag.Flag) {
		fl := Flag{Name: f.Name, TakesValue: !isBool(f)}
		if k.Flags != nil && fl.TakesValue {
			fl.Values = k.Flags(path, f.Name)
		}
		n.Flags = append(n.Flags, fl)
	})
	for _, s := range c.Subcommands {
		n.Subs = append(n.Subs, FromCommand(s, k))
	}
	return n
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Values returns the candidates of kind for word, the word being typed.
type Values func(kind, word string) []string

// Complete returns the candidates for the last of words, the arguments
// after the program name as typed so far (the last may be ""), sorted and
// filtered by what has been typed.
func Complete(root *Node, words []string, values Values) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur := words[len(words)-1]
	n, pending, stop := walk(root, words[:len(words)-1])
	switch {
	case stop:
		return nil
	case pending != nil:
		return filter(value(values, pending.Values, cur), cur)
	case strings.HasPrefix(cur, "-"):
		return completeFlag(n, cur, values)
	}
	var out []string
	if n.positional == 0 {
		for _, s := range n.node.Subs {
			out = append(out, s.Name)
		}
	}
	out = append(out, value(values, n.node.Args, cur)...)
	return filter(out, cur)
}

// state is where the words typed before the current one leave the walk.
type state struct {
	node       *Node
	positional int
}

// walk follows words through the tree. It returns the command reached,
// the flag still waiting for its value, and whether nothing more can be
// completed (after "--", or inside exec's command).
func walk(root *Node, words []string) (state, *Flag, bool) {
	st := state{node: root}
	var pending *Flag
	for _, w := range words {
		switch {
		case pending != nil && w == "=":
			// bash splits "--targets=linux/ar" at "=" (COMP_WORDBREAKS):
			// the value is the next word.
		case pending != nil:
			pending = nil
		case w == "--":
			return st, nil, true
		case strings.HasPrefix(w, "-") && w != "-":
			name, _, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if f := st.node.flag(name); f != nil && f.TakesValue && !hasValue {
				pending = f
			}
		case st.positional == 0 && st.node.sub(w) != nil:
			st.node = st.node.sub(w)
		default:
			if st.node.Raw {
				return st, nil, true
			}
			st.positional++
		}
	}
	return st, pending, false
}

func completeFlag(n state, cur string, values Values) []string {
	if name, v, ok := strings.Cut(strings.TrimLeft(cur, "-"), "="); ok {
		f := n.node.flag(name)
		if f == nil {
			return nil
		}
		spelled := cur[:len(cur)-len(v)]
		var out []string
		for _, c := range value(values, f.Values, v) {
			out = append(out, spelled+c)
		}
		return filter(out, cur)
	}
	var out []string
	for _, f := range n.node.Flags {
		out = append(out, command.FlagSpelling(f.Name))
	}
	out = append(out, "--help")
	return filter(out, cur)
}

func value(values Values, kind, word string) []string {
	if kind == "" || values == nil {
		return nil
	}
	return values(kind, word)
}

func (n *Node) sub(name string) *Node {
	for _, s := range n.Subs {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (n *Node) flag(name string) *Flag {
	for i := range n.Flags {
		if n.Flags[i].Name == name {
			return &n.Flags[i]
		}
	}
	return nil
}

// filter keeps the candidates that start with prefix, sorted, without
// duplicates.
func filter(cands []string, prefix string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
