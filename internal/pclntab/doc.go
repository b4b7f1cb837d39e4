package pclntab
