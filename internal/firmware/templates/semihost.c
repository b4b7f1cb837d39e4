/* semihost.c: ARM semihosting calls, which a debugger or QEMU
 * (-semihosting) answers. Written by goforge firmware new. */
#include <stdint.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026

static uintptr_t sh_call(uintptr_t op, uintptr_t arg)
{
	register uintptr_t r0 __asm("r0") = op;
	register uintptr_t r1 __asm("r1") = arg;
	__asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
	return r0;
}

void sh_puts(const char *s)
{
	sh_call(SYS_WRITE0, (uintptr_t)s);
}

/* sh_exit ends the program with code as its exit status. SYS_EXIT on
 * 32-bit ARM carries only the reason, so the code goes through
 * SYS_EXIT_EXTENDED's parameter block. */
void sh_exit(int code)
{
	uintptr_t block[2] = {ADP_Stopped_ApplicationExit, (uintptr_t)code};
	sh_call(SYS_EXIT_EXTENDED, (uintptr_t)block);
	sh_call(SYS_EXIT, ADP_Stopped_ApplicationExit);
}
