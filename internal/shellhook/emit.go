package shellhook

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Shells lists the shells goforge integrates with.
var Shells = []string{"bash", "zsh", "fish", "pwsh"}

// ValidShell reports whether name is one of Shells.
func ValidShell(name string) bool {
	for _, s := range Shells {
		if s == name {
			return true
		}
	}
	return false
}

// Quote quotes s as a single word for shell.
func Quote(shell, s string) string {
	switch shell {
	case "fish":
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
	case "pwsh":
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Export returns the statement that sets (or, with c.Unset, removes) the
// environment variable c.Key in shell.
func Export(shell string, c Change) string {
	switch shell {
	case "fish":
		if c.Unset {
			return "set -e -g " + c.Key
		}
		if strings.HasSuffix(c.Key, "PATH") {
			// fish keeps *PATH variables as lists.
			var words []string
			for _, p := range filepath.SplitList(c.Value) {
				words = append(words, Quote(shell, p))
			}
			return "set -gx " + c.Key + " " + strings.Join(words, " ")
		}
		return "set -gx " + c.Key + " " + Quote(shell, c.Value)
	case "pwsh":
		if c.Unset {
			return "Remove-Item -ErrorAction SilentlyContinue Env:" + c.Key
		}
		return "$env:" + c.Key + " = " + Quote(shell, c.Value)
	}
	if c.Unset {
		return "unset " + c.Key
	}
	return "export " + c.Key + "=" + Quote(shell, c.Value)
}

// ShellVar returns the statement that sets the shell (not environment)
// variable name to the list values; a scalar is a one-element list.
func ShellVar(shell, name string, values []string, list bool) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = Quote(shell, v)
	}
	switch shell {
	case "fish":
		return strings.TrimSpace("set -g " + name + " " + strings.Join(q, " "))
	case "pwsh":
		if list {
			return fmt.Sprintf("$global:%s = @(%s)", name, strings.Join(q, ", "))
		}
		return fmt.Sprintf("$global:%s = %s", name, strings.Join(q, ""))
	}
	if list {
		return name + "=(" + strings.Join(q, " ") + ")"
	}
	return name + "=" + strings.Join(q, "")
}
