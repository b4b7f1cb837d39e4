package b

import (
	"fmt"
	"os
)
