package shellhook

import "fmt"

// DirenvLib returns direnv's helper library for goforge
// (~/.config/direnv/lib/goforge.sh), calling the goforge command at
// goforge.
func DirenvLib(goforge string) string {
	return fmt.Sprintf(direnvLib, Quote("bash", goforge))
}

const direnvLib = `# goforge helper for direnv, written by 'goforge direnv install'.
# In an .envrc:
#   use goforge          # the version this directory pins
#   use goforge 1.22     # the newest installed 1.22.x
use_goforge() {
  local out
  out=$(GOFORGE_VERSION="${1:-${GOFORGE_VERSION-}}" %s env --shell bash --direnv) || return 1
  eval "$out"
}
`
