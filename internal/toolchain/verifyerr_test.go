package toolchain

import (
	"errors"
	"fmt"
	"testing"

	"github.com/goforge/goforge/internal/goproxy"
)

// TestIsVerifyError: the mirror fallback branches on the error's type,
// not its text (issue 11).
func TestIsVerifyError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&goproxy.HashMismatchError{}, true},
		{fmt.Errorf("downloading: %w", &goproxy.VerifyError{Err: errors.New("reaching checksum database x: timeout")}), true},
		{&goproxy.VerifyError{Err: errors.New("no hash")}, true},
		{errors.New("fetching https://proxy/checksum database/x.zip: 404 Not Found"), false},
		{fmt.Errorf("%w by GOSUMDB=off", goproxy.ErrNoSumDB), false},
		{errors.New("connection refused"), false},
	} {
		if got := isVerifyError(tc.err); got != tc.want {
			t.Errorf("isVerifyError(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
