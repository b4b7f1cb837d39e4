// Package textdiff measures how texts differ: the lines that differ
// between a generated file and the one on disk ('goforge ci --check',
// 'goforge dockerfile --check'), and the edit distance behind "did you
// mean" suggestions (targets, boards).
package textdiff

// An Edit is a line in only one of the two texts.
type Edit struct {
	Op   byte   // '-': only in the old text; '+': only in the new one
	Old  int    // 1-based line in the old text (for '+', where it would go)
	New  int    // 1-based line in the new text (for '-', where it was)
	Text string // the line
}

// Lines matches old and new line by line through their longest common
// subsequence, so one inserted line is one edit, not every line after it,
// and returns the edits in order. The texts are small generated files:
// the table is len(old)×len(new).
func Lines(old, new []string) []Edit {
	lcs := make([][]int, len(old)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(new)+1)
	}
	for i := len(old) - 1; i >= 0; i-- {
		for j := len(new) - 1; j >= 0; j-- {
			if old[i] == new[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Edit
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case i < len(old) && j < len(new) && old[i] == new[j]:
			i, j = i+1, j+1
		case i < len(old) && (j == len(new) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, Edit{Op: '-', Old: i + 1, New: j + 1, Text: old[i]})
			i++
		default:
			out = append(out, Edit{Op: '+', Old: i + 1, New: j + 1, Text: new[j]})
			j++
		}
	}
	return out
}
