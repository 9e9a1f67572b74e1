package index

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		q    string
		want string
	}{
		{`abuelo casa`, `[{false [{ abuelo false false false}]} {false [{ casa false false false}]}]`},
		{`"puerta azul" -juarez`, `[{false [{ puerta azul true false false}]} {true [{ juarez false false false}]}]`},
		{`mole OR gorditas constru*`, `[{false [{ mole false false false} { gorditas false false false}]} {false [{ constru false true false}]}]`},
		{`speaker:"Doña Socorro" year:1960..1975 sol~`, `[{false [{speaker Doña Socorro true false false}]} {false [{year 1960..1975 false false false}]} {false [{ sol false false true}]}]`},
		{`hora: las cinco`, `[{false [{ hora: false false false}]} {false [{ las false false false}]} {false [{ cinco false false false}]}]`},
	}
	for _, tt := range tests {
		got, err := parse(tt.q)
		if err != nil {
			t.Errorf("parse(%q): %v", tt.q, err)
			continue
		}
		if s := sprint(got); s != tt.want {
			t.Errorf("parse(%q) = %s, want %s", tt.q, s, tt.want)
		}
	}
}

// FuzzParse checks that any query parses or fails with a positioned
// QueryError or a LimitError, and that the memory parsing it and building
// its typo automata take stays bounded: within a few kilobytes per byte
// of query for parsing, and within MaxTypoStates for the automata, the
// bound the unlimited parser broke (a query of many long words built one
// automaton of over half a megabyte for each).
func FuzzParse(f *testing.F) {
	for _, s := range []string{`abuelo casa`, `"puerta azul"`, `-x OR y`, `year:1960..1975`, `speaker:"Doña`, `a*`, `b~`, `lang:`, `OR OR`,
		strings.Join(words(200), " "), strings.Join(words(40), "~ "), strings.Repeat("abcdefghij", 100) + "~", strings.Repeat(`"a `, 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		var before, parsed, built runtime.MemStats
		runtime.ReadMemStats(&before)
		clauses, err := parse(q)
		runtime.ReadMemStats(&parsed)
		if limit := 16<<10 + 256*uint64(len(q)); parsed.TotalAlloc-before.TotalAlloc > limit {
			t.Fatalf("parse(%.40q…, %d bytes) allocated %d bytes, more than %d", q, len(q), parsed.TotalAlloc-before.TotalAlloc, limit)
		}
		if err != nil {
			var qe *QueryError
			var le *LimitError
			if !errors.As(err, &le) && (!errors.As(err, &qe) || qe.Pos < 1) {
				t.Fatalf("parse(%q): error %v is not a positioned QueryError or a LimitError", q, err)
			}
			return
		}
		for _, c := range clauses {
			if len(c.alts) == 0 {
				t.Fatalf("parse(%q): empty clause", q)
			}
		}
		build(clauses, partial) // must not panic
		// The automata a forgiving search builds, as the engine builds them.
		runtime.ReadMemStats(&parsed)
		e := &engine{}
		for _, c := range clauses {
			for _, term := range c.alts {
				for _, a := range altsOf(term, true) {
					if a.kind == altFuzzy {
						if _, err := e.levenshtein(a.text, a.fuzziness); err != nil {
							t.Fatalf("parse(%q): automaton of %q: %v", q, a.text, err)
						}
					}
				}
			}
		}
		runtime.ReadMemStats(&built)
		if limit := uint64(MaxTypoStates) * 1200; built.TotalAlloc-parsed.TotalAlloc > limit {
			t.Fatalf("parse(%.40q…): the typo automata allocated %d bytes, more than %d", q, built.TotalAlloc-parsed.TotalAlloc, limit)
		}
	})
}

func sprint(cs []clause) string {
	s := "["
	for i, c := range cs {
		if i > 0 {
			s += " "
		}
		s += "{" + boolStr(c.neg) + " ["
		for k, a := range c.alts {
			if k > 0 {
				s += " "
			}
			s += "{" + a.field + " " + a.text + " " + boolStr(a.phrase) + " " + boolStr(a.prefix) + " " + boolStr(a.fuzzy) + "}"
		}
		s += "]}"
	}
	return s + "]"
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Fold's table and cache give what decomposing the whole text gives.
func TestFoldMatchesDecomposition(t *testing.T) {
	slow := func(s string) string { return foldSlow(strings.ToLower(s)) }
	for r := rune(0); r < 0x3000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := "x" + string(r) + "y"
		if got, want := Fold(s), slow(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"Autobús", "AÑO", "pingüino", "Ça va", "cafe\u0301", "ÅNGSTRÖM", "Ελληνικά", "Привет", "Łódź", "straße"} {
		if got, want := Fold(s), slow(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}
