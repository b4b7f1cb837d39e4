//go:build !nope

package c

const C = 2
