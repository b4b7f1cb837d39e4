package procgroup

import "syscall"

// setDeathSignal makes the kernel kill the child when goforge dies, even
// by SIGKILL, which no handler sees.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
