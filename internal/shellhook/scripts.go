package shellhook

import (
	"fmt"
	"strings"
)

// InitOptions say what the hook script embeds.
type InitOptions struct {
	Goforge string   // absolute path of the goforge command the hook runs
	Path    []string // entries put on PATH once, at start-up (the global current/bin and shared GOBIN); none when empty
}

// Init returns the hook script for shell ('goforge shell-init SHELL').
//
// At every prompt the hook calls _goforge_fresh, which the last
// 'goforge shell-hook' defined (see Fresh): one test expression, in the
// shell itself, that compares the directory and GOFORGE_VERSION with what
// it saw then, and each pin file with a stamp file whose modification time
// is the newest of theirs (-nt: a stat, no process). Only when it fails
// does the hook run 'goforge shell-hook SHELL' and evaluate its output.
func Init(shell string, o InitOptions) (string, error) {
	gf := Quote(shell, o.Goforge)
	var b strings.Builder
	switch shell {
	case "bash":
		fmt.Fprintf(&b, bashHook, gf, pathSetup(shell, o.Path))
	case "zsh":
		fmt.Fprintf(&b, zshHook, gf, pathSetup(shell, o.Path))
	case "fish":
		fmt.Fprintf(&b, fishHook, gf, pathSetup(shell, o.Path))
	case "pwsh":
		fmt.Fprintf(&b, pwshHook, gf, pathSetup(shell, o.Path))
	default:
		return "", fmt.Errorf("unknown shell %q (want %s)", shell, strings.Join(Shells, ", "))
	}
	return b.String(), nil
}

// pathSetup returns the statements that put entries in front of PATH,
// each only if it is not on PATH yet (so sourcing the rc file twice does
// not grow PATH).
func pathSetup(shell string, entries []string) string {
	var b strings.Builder
	for i := len(entries) - 1; i >= 0; i-- {
		e := Quote(shell, entries[i])
		switch shell {
		case "fish":
			fmt.Fprintf(&b, "contains -- %s $PATH; or set -gx PATH %s $PATH\n", e, e)
		case "pwsh":
			fmt.Fprintf(&b, "if (-not (($env:PATH -split [IO.Path]::PathSeparator) -contains %s)) { $env:PATH = %s + [IO.Path]::PathSeparator + $env:PATH }\n", e, e)
		default:
			fmt.Fprintf(&b, "case \":${PATH}:\" in *:%s:*) ;; *) export PATH=%s\"${PATH:+:$PATH}\" ;; esac\n", e, e)
		}
	}
	return b.String()
}

const bashHook = `# goforge shell hook for bash. Install: eval "$(goforge shell-init bash)"
_goforge_bin=%s
%s_goforge_fresh() { return 1; }
_goforge_hook() {
  local s=$?
  _goforge_fresh || eval "$("$_goforge_bin" shell-hook bash)"
  return $s
}
if [[ ";${PROMPT_COMMAND[*]:-};" != *";_goforge_hook;"* ]]; then
  if [[ "$(declare -p PROMPT_COMMAND 2>&1)" == "declare -a"* ]]; then
    PROMPT_COMMAND=(_goforge_hook "${PROMPT_COMMAND[@]}")
  else
    PROMPT_COMMAND="_goforge_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
fi
`

const zshHook = `# goforge shell hook for zsh. Install: eval "$(goforge shell-init zsh)"
_goforge_bin=%s
%s_goforge_fresh() { return 1; }
_goforge_hook() {
  local s=$?
  _goforge_fresh || eval "$("$_goforge_bin" shell-hook zsh)"
  return $s
}
typeset -ag precmd_functions chpwd_functions
if (( ! ${precmd_functions[(I)_goforge_hook]} )); then precmd_functions=(_goforge_hook $precmd_functions); fi
if (( ! ${chpwd_functions[(I)_goforge_hook]} )); then chpwd_functions=(_goforge_hook $chpwd_functions); fi
`

const fishHook = `# goforge shell hook for fish. Install: goforge shell-init fish | source
set -g _goforge_bin %s
%sfunction _goforge_fresh
  return 1
end
function _goforge_hook --on-event fish_prompt --on-variable PWD
  _goforge_fresh; or $_goforge_bin shell-hook fish | source
end
`

const pwshHook = `# goforge shell hook for PowerShell. Install: Invoke-Expression (& goforge shell-init pwsh | Out-String)
$global:_goforge_bin = %s
%s$global:_goforge_dir = $null
$global:_goforge_ver = ''
$global:_goforge_ticks = [long]0
$global:_goforge_files = @()
$global:_goforge_absent = @()
function global:_goforge_changed {
  if ($PWD.ProviderPath -ne $global:_goforge_dir) { return $true }
  if ("$env:GOFORGE_VERSION" -ne $global:_goforge_ver) { return $true }
  foreach ($f in $global:_goforge_files) {
    $i = Get-Item -LiteralPath $f -Force -ErrorAction SilentlyContinue
    if ($null -eq $i -or $i.LastWriteTimeUtc.Ticks -gt $global:_goforge_ticks) { return $true }
  }
  foreach ($f in $global:_goforge_absent) {
    if (Test-Path -LiteralPath $f) { return $true }
  }
  return $false
}
function global:_goforge_hook {
  if (_goforge_changed) {
    $code = (& $global:_goforge_bin shell-hook pwsh) -join [Environment]::NewLine
    if ($code) { Invoke-Expression $code }
  }
}
if (-not (Test-Path Variable:global:_goforge_prompt)) {
  $global:_goforge_prompt = $function:prompt
  function global:prompt { _goforge_hook; & $global:_goforge_prompt }
}
`

// Fresh returns the definition of the shell function _goforge_fresh, which
// succeeds while nothing the pin of dir depends on has changed: the shell
// is still in dir, GOFORGE_VERSION is still ver, no file of w is newer
// than stamp (or gone; without a stamp, edits are not checked) and no absent path of w has appeared. It is one
// test expression so that the shell evaluates it without interpreting a
// loop. For PowerShell (pwsh), which compares ticks, it sets the globals
// its prompt function reads instead.
func Fresh(shell, dir, ver, stamp string, w Watch) string {
	q := func(s string) string { return Quote(shell, s) }
	var terms []string
	switch shell {
	case "fish":
		terms = append(terms, `"$PWD" = `+q(dir), `"$GOFORGE_VERSION" = `+q(ver))
		for _, f := range w.Files {
			terms = append(terms, "-e "+q(f))
			if stamp != "" {
				terms = append(terms, "! "+q(f)+" -nt "+q(stamp))
			}
		}
		for _, f := range w.Absent {
			terms = append(terms, "! -e "+q(f))
		}
		return "function _goforge_fresh\n  test " + strings.Join(terms, " -a ") + "\nend\n"
	case "pwsh":
		return ShellVar(shell, "_goforge_dir", []string{dir}, false) + "\n" +
			ShellVar(shell, "_goforge_ver", []string{ver}, false) + "\n" +
			fmt.Sprintf("$global:_goforge_ticks = [long]%d\n", DotNetTicks(w.Newest)) +
			ShellVar(shell, "_goforge_files", w.Files, true) + "\n" +
			ShellVar(shell, "_goforge_absent", w.Absent, true) + "\n"
	}
	terms = append(terms, `$PWD == `+q(dir), `${GOFORGE_VERSION-} == `+q(ver))
	for _, f := range w.Files {
		terms = append(terms, "-e "+q(f))
		if stamp != "" {
			terms = append(terms, "! "+q(f)+" -nt "+q(stamp))
		}
	}
	for _, f := range w.Absent {
		terms = append(terms, "! -e "+q(f))
	}
	return "_goforge_fresh() {\n  [[ " + strings.Join(terms, " && ") + " ]]\n}\n"
}
