package firmware

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLookupBoard(t *testing.T) {
	for _, tc := range []struct {
		name, want string
	}{
		{"lm3s6965evb", "lm3s6965evb"},
		{"LM3S6965EVB", "lm3s6965evb"},
		{"stm32f4", "stm32f407"},
		{" an386 ", "mps2-an386"},
	} {
		b, err := LookupBoard(tc.name)
		if err != nil || b.Name != tc.want {
			t.Errorf("LookupBoard(%q) = %q, %v; want %q", tc.name, b.Name, err, tc.want)
		}
	}
}

func TestUnknownBoardSuggests(t *testing.T) {
	for _, tc := range []struct {
		name    string
		similar []string
	}{
		{"stm32f408", []string{"stm32f407"}},
		{"mps2-an38", []string{"mps2-an385", "mps2-an386"}},
		{"nrf52832", []string{"nrf52840"}},
		{"esp32", nil},
	} {
		_, err := LookupBoard(tc.name)
		var ub *UnknownBoardError
		if !errors.As(err, &ub) {
			t.Fatalf("LookupBoard(%q): %v, want UnknownBoardError", tc.name, err)
		}
		for _, s := range tc.similar {
			if !slices.Contains(ub.Similar, s) {
				t.Errorf("LookupBoard(%q) suggests %v, want it to include %s", tc.name, ub.Similar, s)
			}
		}
		if tc.similar == nil && len(ub.Similar) != 0 {
			t.Errorf("LookupBoard(%q) suggests %v, want none", tc.name, ub.Similar)
		}
		if !strings.Contains(err.Error(), "goforge firmware boards") {
			t.Errorf("error %q does not point at the board list", err)
		}
	}
}

func TestCoreFlags(t *testing.T) {
	for _, tc := range []struct {
		core, flags string
	}{
		{"M0", "-mcpu=cortex-m0 -mthumb -mfloat-abi=soft"},
		{"m0+", "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft"},
		{"M3", "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft"},
		{"M4", "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft"},
		{"M4F", "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"},
		{"M7", "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16"},
		{"M33", "-mcpu=cortex-m33 -mthumb -mfloat-abi=soft"},
	} {
		c, err := LookupCore(tc.core)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.Flags(), " "); got != tc.flags {
			t.Errorf("%s flags = %q, want %q", tc.core, got, tc.flags)
		}
	}
	if _, err := LookupCore("M85"); err == nil || !strings.Contains(err.Error(), "M4F") {
		t.Errorf("LookupCore(M85) = %v, want an error listing the cores", err)
	}
}

func TestBoardTable(t *testing.T) {
	for _, b := range Boards() {
		b.Core() // panics on a core that is not in the table
		if b.Flash.Size == 0 || b.RAM.Size == 0 || b.Flash.Contains(b.RAM.Origin) || b.RAM.Contains(b.Flash.Origin) {
			t.Errorf("%s: bad memory map %+v %+v", b.Name, b.Flash, b.RAM)
		}
	}
	for alias, name := range aliases {
		if _, err := LookupBoard(name); err != nil {
			t.Errorf("alias %s: %v", alias, err)
		}
	}
}
