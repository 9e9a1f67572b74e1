package index

import (
	"errors"
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

func FuzzParse(f *testing.F) {
	for _, s := range []string{`abuelo casa`, `"puerta azul"`, `-x OR y`, `year:1960..1975`, `speaker:"Doña`, `a*`, `b~`, `lang:`, `OR OR`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		clauses, err := parse(q)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Pos < 1 {
				t.Fatalf("parse(%q): error %v is not a positioned QueryError", q, err)
			}
			return
		}
		for _, c := range clauses {
			if len(c.alts) == 0 {
				t.Fatalf("parse(%q): empty clause", q)
			}
		}
		build(clauses, partial) // must not panic
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
