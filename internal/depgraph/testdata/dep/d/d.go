package d

import "strings"

var _ = strings.ToUpper
