//go:build unix && !linux

package procgroup

import "syscall"

func setDeathSignal(*syscall.SysProcAttr) {}
