package firmware

import (
	"errors"
	"slices"
	"testing"
)

// TestSimilarBoardsAliases: a typo of an alias ("stm32f5" for stm32f4) is
// suggested too, not only typos of board names.
func TestSimilarBoardsAliases(t *testing.T) {
	_, err := LookupBoard("stm32f5")
	var ub *UnknownBoardError
	if !errors.As(err, &ub) || !slices.Contains(ub.Similar, "stm32f4") {
		t.Fatalf("LookupBoard(stm32f5) = %v", err)
	}
}
