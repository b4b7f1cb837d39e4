/* main.c: prints through semihosting and returns its exit code.
 * Written by goforge firmware new. */
#include "board.h"

void sh_puts(const char *s);

static const char greeting[] = "hello from " BOARD_NAME "\n";
/* EXIT_CODE is main's result and so the program's exit status. */
#ifndef EXIT_CODE
#define EXIT_CODE 0
#endif

static volatile int answer = 42; /* in .data: the reset handler copied it */
static volatile int zeroed;      /* in .bss: the reset handler zeroed it */

int main(void)
{
	sh_puts(greeting);
	if (answer != 42 || zeroed != 0) {
		sh_puts("startup did not initialise .data and .bss\n");
		return 99;
	}
	return EXIT_CODE;
}
