// Package shellhook holds goforge's shell integration: the hook scripts
// for bash, zsh, fish and PowerShell, the bookkeeping that lets a hook undo
// exactly what it changed, the shell syntax for setting variables, and the
// editing of rc files (one marked block, idempotent, reversible).
package shellhook

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
)

// StateVar is the environment variable in which the hook remembers what
// it changed. It is exported so that a nested shell inherits it.
const StateVar = "GOFORGE_HOOK_STATE"

// State records what the hook applied, so that leaving the project undoes
// exactly that.
type State struct {
	Dir     string   `json:"dir,omitempty"`
	Version string   `json:"version,omitempty"` // installed version applied
	Source  string   `json:"source,omitempty"`  // the pin that chose it
	Saved   []Saved  `json:"saved,omitempty"`
	Prepend []string `json:"prepend,omitempty"` // PATH entries put in front
	Warned  string   `json:"warned,omitempty"`  // last warning shown, said once
}

// Saved is one variable the hook set: its value before and after.
type Saved struct {
	Key    string `json:"k"`
	Old    string `json:"o,omitempty"`
	HadOld bool   `json:"h,omitempty"`
	New    string `json:"n"`
}

// Empty reports whether s records nothing.
func (s State) Empty() bool {
	return len(s.Saved) == 0 && s.Warned == "" && s.Version == ""
}

// Encode returns s as the value of StateVar.
func (s State) Encode() string {
	if s.Empty() {
		return ""
	}
	data, _ := json.Marshal(s)
	return base64.RawURLEncoding.EncodeToString(data)
}

// DecodeState parses a StateVar value; garbage gives the empty state.
func DecodeState(v string) State {
	var s State
	data, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || json.Unmarshal(data, &s) != nil {
		return State{}
	}
	return s
}

// Restore returns a copy of env with s's changes undone. A variable the
// hook set gets its old value back (or is removed) unless something else
// changed it since, in which case the newer value stays; from PATH only
// the entries the hook put in front are removed if PATH was edited since.
func Restore(env map[string]string, s State) map[string]string {
	out := make(map[string]string, len(env))
	for k, v := range env {
		out[k] = v
	}
	for i := len(s.Saved) - 1; i >= 0; i-- {
		sv := s.Saved[i]
		cur, ok := out[sv.Key]
		switch {
		case ok && cur == sv.New && sv.HadOld:
			out[sv.Key] = sv.Old
		case ok && cur == sv.New:
			delete(out, sv.Key)
		case ok && sv.Key == "PATH":
			out[sv.Key] = removeEntries(cur, s.Prepend)
		}
	}
	return out
}

// removeEntries removes the first occurrence of each of entries from the
// path list.
func removeEntries(list string, entries []string) string {
	parts := filepath.SplitList(list)
	for _, e := range entries {
		for i, p := range parts {
			if p == e {
				parts = append(parts[:i], parts[i+1:]...)
				break
			}
		}
	}
	return strings.Join(parts, string(filepath.ListSeparator))
}

// A KV is one variable to set.
type KV struct{ Key, Value string }

// Apply returns a copy of base with prepend put in front of PATH (and
// removed from later in it) and vars set, and the State recording it.
func Apply(base map[string]string, prepend []string, vars []KV) (map[string]string, State) {
	out := make(map[string]string, len(base))
	for k, v := range base {
		out[k] = v
	}
	var st State
	set := func(k, v string) {
		old, had := base[k]
		if had && old == v {
			return
		}
		out[k] = v
		st.Saved = append(st.Saved, Saved{Key: k, Old: old, HadOld: had, New: v})
	}
	if len(prepend) > 0 {
		rest := base["PATH"]
		for _, e := range prepend {
			for strings.Contains(string(filepath.ListSeparator)+rest+string(filepath.ListSeparator), string(filepath.ListSeparator)+e+string(filepath.ListSeparator)) {
				rest = removeEntries(rest, []string{e})
			}
		}
		path := strings.Join(prepend, string(filepath.ListSeparator))
		if rest != "" {
			path += string(filepath.ListSeparator) + rest
		}
		st.Prepend = prepend
		set("PATH", path)
	}
	for _, kv := range vars {
		set(kv.Key, kv.Value)
	}
	return out, st
}

// A Change is one variable to set (or, with Unset, to remove) in the shell.
type Change struct {
	Key, Value string
	Unset      bool
}

// Diff lists the changes that turn the environment cur into want, sorted
// by name.
func Diff(cur, want map[string]string) []Change {
	var cs []Change
	for k, v := range want {
		if old, ok := cur[k]; !ok || old != v {
			cs = append(cs, Change{Key: k, Value: v})
		}
	}
	for k := range cur {
		if _, ok := want[k]; !ok {
			cs = append(cs, Change{Key: k, Unset: true})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Key < cs[j].Key })
	return cs
}
