/* startup.c: the vector table and the reset handler for {{.Board.Name}}
 * ({{.Core.Name}}). Written by goforge firmware new. */
#include <stdint.h>

/* Symbols from linker.ld. */
extern uint32_t _estack;
extern uint32_t _sidata, _sdata, _edata; /* .data: load address, start, end */
extern uint32_t _sbss, _ebss;

extern int main(void);
extern void sh_exit(int code);

void Reset_Handler(void);
void Default_Handler(void);

/* Weak aliases: define a handler with the same name to replace one. */
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* The vector table: the initial stack pointer, then the core's exception
 * handlers. The core reads it from the start of Flash at reset. */
__attribute__((section(".isr_vector"), used))
void (*const vector_table[16])(void) = {
	(void (*)(void))&_estack,
	Reset_Handler,
	NMI_Handler,
	HardFault_Handler,
	MemManage_Handler,
	BusFault_Handler,
	UsageFault_Handler,
	0, 0, 0, 0,
	SVC_Handler,
	DebugMon_Handler,
	0,
	PendSV_Handler,
	SysTick_Handler,
};

/* Reset_Handler runs before .data and .bss are set up, so it must not
 * call memcpy or memset: gcc would turn the loops into those calls. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void Reset_Handler(void)
{
	uint32_t *src = &_sidata, *dst = &_sdata;
	while (dst < &_edata)
		*dst++ = *src++;
	for (dst = &_sbss; dst < &_ebss;)
		*dst++ = 0;
#if defined(__ARM_FP)
	/* Grant access to the FPU (CP10, CP11) before any float instruction. */
	*(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
	__asm volatile("dsb\n\tisb");
#endif
	sh_exit(main());
	for (;;)
		;
}

void Default_Handler(void)
{
	sh_exit(128);
	for (;;)
		;
}
