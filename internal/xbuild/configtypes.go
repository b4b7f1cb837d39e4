package xbuild

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// checkTypes compares the values of a decoded goforge.toml (raw, as the
// TOML decoder reads it without a destination) with the types of the
// fields they will fill (t, a struct), so that a value of the wrong kind
// is an error naming file:line, the key and what it wants, rather than
// the TOML library's "incompatible types" or, for a map, nothing at all.
// Keys t does not have are left to the unknown-key check.
func checkTypes(name string, data []byte, raw map[string]any, t reflect.Type, at toml.Key) error {
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f, ok := fieldByTag(t, k)
		if !ok {
			continue
		}
		if err := checkValue(name, data, raw[k], f, append(append(toml.Key{}, at...), k)); err != nil {
			return err
		}
	}
	return nil
}

// checkValue checks one value against the type of its field.
func checkValue(name string, data []byte, v any, ft reflect.Type, key toml.Key) error {
	for ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	bad := func() error {
		line := keyLine(data, key)
		if key.String() == "build.target" {
			return fmt.Errorf("%s:%d: build.target is the table of per-target overrides ([build.target.\"os/arch\"]), "+
				"not %s: to choose what to build, write targets = %s", name, line, kindOf(v), asList(v))
		}
		return fmt.Errorf("%s:%d: %s wants %s, not %s", name, line, key, wants(ft, key, v), kindOf(v))
	}
	switch ft.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad()
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad()
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return bad()
		}
		for _, e := range list {
			if _, ok := e.(string); !ok {
				return bad()
			}
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		return checkTypes(name, data, m, ft, key)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		for _, k := range sortedMapKeys(m) {
			if err := checkValue(name, data, m[k], ft.Elem(), append(append(toml.Key{}, key...), k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldByTag returns the type of t's field whose toml tag is name.
func fieldByTag(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("toml"), ","); tag == name && f.IsExported() {
			return f.Type, true
		}
	}
	return nil, false
}

// wants says what a field of type ft takes, with an example (made of
// the value given, when it fits).
func wants(ft reflect.Type, key toml.Key, v any) string {
	k := key[len(key)-1]
	switch ft.Kind() {
	case reflect.String:
		return fmt.Sprintf("a string (%s = \"...\")", k)
	case reflect.Bool:
		return fmt.Sprintf("true or false (%s = true)", k)
	case reflect.Slice:
		return fmt.Sprintf("a list of strings, even for one (%s = %s)", k, asList(v))
	}
	return fmt.Sprintf("a table ([%s])", key)
}

// asList writes v as a TOML list of strings: ["linux/amd64"] for the
// string "linux/amd64", its strings for a list, ["..."] otherwise.
func asList(v any) string {
	var items []string
	switch v := v.(type) {
	case string:
		items = []string{v}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				items = append(items, s)
			}
		}
	}
	if len(items) == 0 {
		return `["..."]`
	}
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return "[" + b.String() + "]"
}

// kindOf names the kind of a decoded TOML value.
func kindOf(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("a string (%q)", v)
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	case []any:
		for _, e := range v {
			if _, ok := e.(string); !ok {
				return "a list holding " + kindOf(e)
			}
		}
		return "a list"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

func sortedMapKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
