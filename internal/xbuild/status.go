package xbuild

// The values of Result.Status.
const (
	StatusBuilt  = "built"  // built this run
	StatusCached = "cached" // inputs unchanged, nothing redone
	StatusFailed = "failed"
)
