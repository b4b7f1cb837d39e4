package xbuild

// The values of Result.Status.
const (
	StatusBuilt  = "built"  // built this run
	StatusReused = "reused" // outputs taken from the output cache
	StatusCached = "cached" // inputs unchanged, nothing redone
	StatusFailed = "failed"
)
