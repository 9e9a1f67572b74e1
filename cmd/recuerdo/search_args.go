package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// searchQueryArgs lets a search query hold words that start with a dash
// (autobus -juarez, the query language's exclusion) among the flags: for
// `recuerdo … search …`, every word that is not a flag or a flag's value
// is moved, in order, after a "--", where flag parsing ends. A word counts
// as a flag when it names one of the command's flags (--limit, -o FILE,
// -q); "-juarez", a dash and a word of letters or digits that is not a
// flag, is a query word. Other commands' arguments are returned as they
// are.
func searchQueryArgs(root *cobra.Command, args []string) []string {
	c, _, err := root.Find(args)
	if err != nil || c.Name() != "search" || c.Parent() != root {
		return args
	}
	lookup := func(name string) *pflag.Flag {
		if f := c.LocalFlags().Lookup(name); f != nil {
			return f
		}
		return c.InheritedFlags().Lookup(name)
	}
	shorthand := func(s string) *pflag.Flag {
		if f := c.LocalFlags().ShorthandLookup(s); f != nil {
			return f
		}
		return c.InheritedFlags().ShorthandLookup(s)
	}
	var flags, query []string
	seenCmd := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			query = append(query, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			flags = append(flags, a)
			name, _, hasValue := strings.Cut(a[2:], "=")
			if f := lookup(name); f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		case len(a) > 1 && a[0] == '-' && !isQueryWord(a[1:], shorthand):
			flags = append(flags, a)
			r, _ := utf8.DecodeRuneInString(a[1:])
			if f := shorthand(string(r)); f != nil && len(a) == 1+utf8.RuneLen(r) && f.NoOptDefVal == "" && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		case !seenCmd && a == c.Name():
			seenCmd = true
			flags = append(flags, a)
		default:
			query = append(query, a)
		}
	}
	if !seenCmd || len(query) == 0 {
		return args
	}
	return append(append(flags, "--"), query...)
}

// isQueryWord reports whether w, a word after a single dash, is a query
// term to leave out rather than shorthand flags: a field term
// (-lang:en, -year:1960..1975), or words, phrases, prefixes and typo
// marks (-juarez, -garcía-lópez, -constru*, -"El Paso"), but not a
// flag's letter (-o, -q), a run of flag letters that take no value (-qq),
// nor a flag with its value (-ofile.edl).
func isQueryWord(w string, shorthand func(string) *pflag.Flag) bool {
	if r, _ := utf8.DecodeRuneInString(w); !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '"' {
		return false
	}
	if strings.Contains(w, ":") {
		return true
	}
	if strings.IndexFunc(w, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-'’*~\" ", r)
	}) >= 0 {
		return false
	}
	if utf8.RuneCountInString(w) == 1 {
		return shorthand(w) == nil
	}
	for _, r := range w {
		if f := shorthand(string(r)); f == nil || f.NoOptDefVal == "" {
			return true
		}
	}
	return false
}

// searchFlagError is search's flag error: a word meant for the query may
// have been taken for a flag, and "--" ends the flags.
func searchFlagError(c *cobra.Command, err error) error {
	return usageError{fmt.Errorf("%w (to leave out a word that reads as a flag, put the query after --: recuerdo search -- 'autobus -juarez')", err)}
}
