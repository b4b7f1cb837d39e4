package completion

import (
	"fmt"
	"strings"
)

// Shells lists the shells Script knows.
var Shells = []string{"bash", "fish", "zsh"}

// Script returns the completion script of shell for the program prog.
// Each script hands the words typed so far to 'prog completion __complete'
// and offers the lines it prints; when there are none it falls back to
// file names (inspect FILE, install --file).
func Script(shell, prog string) (string, error) {
	var tmpl string
	switch shell {
	case "bash":
		tmpl = bashScript
	case "zsh":
		tmpl = zshScript
	case "fish":
		tmpl = fishScript
	default:
		return "", fmt.Errorf("unknown shell %q (want one of %s)", shell, strings.Join(Shells, ", "))
	}
	fn := "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, prog)
	return strings.NewReplacer("PROG", prog, "FUNC", fn).Replace(tmpl), nil
}

const bashScript = `# bash completion for PROG; load with: source <(PROG completion bash)
FUNC() {
	local IFS=$'\n'
	COMPREPLY=($(PROG completion __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F FUNC PROG
`

const zshScript = `#compdef PROG
# zsh completion for PROG; load with: source <(PROG completion zsh)
# (after compinit), or save as _PROG in a directory on $fpath.
FUNC() {
	local -a cands
	cands=("${(@f)$(PROG completion __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
	cands=(${cands:#})
	if (( ${#cands} )); then
		compadd -- "${cands[@]}"
	elif (( $+functions[_files] )); then
		_files
	fi
}
if (( $+functions[compdef] )); then
	compdef FUNC PROG
fi
`

const fishScript = `# fish completion for PROG; load with: PROG completion fish | source
function FUNC
	set -l words (commandline -opc)
	set -e words[1]
	set -l cands (PROG completion __complete -- $words (commandline -ct) 2>/dev/null)
	if test (count $cands) -gt 0
		printf '%s\n' $cands
	else
		__fish_complete_path (commandline -ct)
	end
end
complete -c PROG -f -a '(FUNC)'
`
