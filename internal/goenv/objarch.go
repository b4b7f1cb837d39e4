package goenv

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"errors"
	"fmt"
)

// ObjectTarget reads the OS and architecture an executable was built for
// from its object file header, in GOOS/GOARCH spelling. The OS is "linux"
// for every ELF file whose OS ABI does not say otherwise.
func ObjectTarget(path string) (goos, goarch string, err error) {
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		return elfOS(f), elfArch(f), nil
	}
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		return "darwin", machoArch(f.Cpu), nil
	}
	if f, err := macho.OpenFat(path); err == nil {
		defer f.Close()
		return "darwin", "universal", nil
	}
	if f, err := pe.Open(path); err == nil {
		defer f.Close()
		return "windows", peArch(f.Machine), nil
	}
	return "", "", errors.New("not an ELF, Mach-O or PE executable")
}

func elfOS(f *elf.File) string {
	switch f.OSABI {
	case elf.ELFOSABI_FREEBSD:
		return "freebsd"
	case elf.ELFOSABI_NETBSD:
		return "netbsd"
	case elf.ELFOSABI_OPENBSD:
		return "openbsd"
	case elf.ELFOSABI_SOLARIS:
		return "solaris"
	}
	return "linux"
}

func elfArch(f *elf.File) string {
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_386:
		return "386"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_PPC64:
		if f.ByteOrder.String() == "LittleEndian" {
			return "ppc64le"
		}
		return "ppc64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_LOONGARCH:
		return "loong64"
	case elf.EM_MIPS:
		if f.Class == elf.ELFCLASS64 {
			return mipsName("mips64", f)
		}
		return mipsName("mips", f)
	}
	return fmt.Sprintf("elf-machine-%d", f.Machine)
}

func mipsName(base string, f *elf.File) string {
	if f.ByteOrder.String() == "LittleEndian" {
		return base + "le"
	}
	return base
}

func machoArch(cpu macho.Cpu) string {
	switch cpu {
	case macho.CpuAmd64:
		return "amd64"
	case macho.CpuArm64:
		return "arm64"
	case macho.Cpu386:
		return "386"
	case macho.CpuArm:
		return "arm"
	}
	return fmt.Sprintf("macho-cpu-%d", cpu)
}

func peArch(m uint16) string {
	switch m {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "amd64"
	case pe.IMAGE_FILE_MACHINE_I386:
		return "386"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "arm64"
	case pe.IMAGE_FILE_MACHINE_ARMNT:
		return "arm"
	}
	return fmt.Sprintf("pe-machine-%#x", m)
}
