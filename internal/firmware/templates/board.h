/* board.h: {{.Board.Name}} ({{.Board.Description}}). Written by goforge firmware new. */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME "{{.Board.Name}}"
#define BOARD_CORE "{{.Core.Name}}"
#define FLASH_ORIGIN {{printf "0x%08X" .Board.Flash.Origin}}u
#define FLASH_SIZE {{printf "0x%X" .Board.Flash.Size}}u
#define RAM_ORIGIN {{printf "0x%08X" .Board.RAM.Origin}}u
#define RAM_SIZE {{printf "0x%X" .Board.RAM.Size}}u

#endif
