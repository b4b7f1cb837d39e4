// Package importrules holds no code. Its test enforces goforge's import
// rules: packages that parse untrusted bytes or hold pure logic can neither
// run programs nor reach the network, even through their dependencies.
package importrules
