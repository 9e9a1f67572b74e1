package index

import (
	"fmt"
	"testing"
)

func span(lo, hi int) []int {
	var out []int
	for y := lo; y <= hi; y++ {
		out = append(out, y)
	}
	return out
}

func TestStoryYears(t *testing.T) {
	tests := []struct {
		text     string
		recorded int
		want     []int
	}{
		// Spanish, digits.
		{"Empecé en 1968, cuando tú ni soñabas con nacer.", 2019, []int{1968}},
		{"RAMÓN: Por la devaluación. En el 82 el peso se cayó.", 2019, []int{1982}},
		{"Del 68 hasta el 82, más o menos.", 2019, span(1968, 1982)},
		{"Trabajé allí de 1968 a 1982.", 2019, span(1968, 1982)},
		{"del 98 al 05 vivimos en Torreón", 2019, span(1998, 2005)},
		{"entre 1971 y 1975 no volvimos", 2019, span(1971, 1975)},
		{"fue el año 82, o el año 1983", 2019, []int{1982, 1983}},
		{"nací el 14/03/1952", 2019, []int{1952}},
		{"nací el 1952-03-14", 2019, []int{1952}},
		{"en el 2000 se casó", 2019, []int{2000}},
		// Spanish, said in words.
		{"Cuando murió mi mamá, en el ochenta y dos,", 2021, []int{1982}},
		{"La compró mi mamá en el cincuenta y dos, en abonos.", 2021, []int{1952}},
		{"Sí, en el sesenta y ocho, con tu tío Nacho.", 2021, []int{1968}},
		{"desde el noventa y nueve", 2019, []int{1999}},
		{"mil novecientos ochenta y dos", 2019, []int{1982}},
		{"en mil novecientos setenta", 2019, []int{1970}},
		{"en dos mil cinco nos mudamos", 2019, []int{2005}},
		{"en el año dos mil", 2019, []int{2000}},
		// Spanish decades.
		{"En los setenta ya había unos con aire", 2019, span(1970, 1979)},
		{"en los años cincuenta", 2019, span(1950, 1959)},
		{"los años 50 fueron duros", 2019, span(1950, 1959)},
		{"a finales de los ochentas", 2019, span(1980, 1989)},
		{"la década de 1940", 2019, span(1940, 1949)},
		{"desde los veinte", 2019, span(1920, 1929)},
		// English.
		{"I started in 1968,", 2019, []int{1968}},
		{"Because of the devaluation. In '82 the peso collapsed.", 2019, []int{1982}},
		{"Let me think. From '68 until '82, more or less.", 2019, span(1968, 1982)},
		{"from 1968 to 1982", 2019, span(1968, 1982)},
		{"1968-82", 2019, span(1968, 1982)},
		{"We came back in '83, when your grandfather", 2021, []int{1983}},
		{"nineteen eighty-two", 2019, []int{1982}},
		{"in nineteen oh five", 2019, []int{1905}},
		{"since eighty-two", 2019, []int{1982}},
		{"until sixty-eight", 2019, []int{1968}},
		{"in two thousand and five", 2019, []int{2005}},
		{"in twenty nineteen", 2020, []int{2019}},
		{"in the fifties", 2019, span(1950, 1959)},
		{"the 1950s", 2019, span(1950, 1959)},
		{"the '50s and the early sixties", 2019, append(span(1950, 1959), span(1960, 1969)...)},
		{"in the nineteen-fifties", 2019, span(1950, 1959)},
		{"the 1950 election", 2019, []int{1950}},
		{"desde el sesenta y ocho hasta el setenta y dos", 2019, span(1968, 1972)},
		{"en el año 40", 2019, []int{1940}},
		{"back in sixty-eight", 2019, []int{1968}},
		{"allá por el 82", 2019, []int{1982}},
		{"en los 50 había", 2019, span(1950, 1959)},
		{"los cincuentas", 2019, span(1950, 1959)},
		{"the year two thousand", 2019, []int{2000}},
		// Four digits before 1800 or after the recording need a cue.
		{"Colón llegó en 1492", 2019, []int{1492}},
		{"en 2030 me jubilo", 2019, []int{2030}},
		{"pages 1383-1390", 2019, nil},
		{"page 2030", 2019, nil},
		// The century of a two-digit year comes from the recording.
		{"en el 15 nos fuimos", 2019, []int{2015}},
		{"en el 19", 2019, []int{2019}},
		{"en el 20 llegó", 2019, []int{1920}},
		{"en el 68", 1975, []int{1968}},
		{"in the twenties", 2019, span(1920, 1929)},
		// Not years.
		{"Catorce años, cada mes, menos cuando nació tu papá.", 2019, nil},
		{"Dejamos de hablarnos cinco años por ese terreno.", 2019, nil},
		{"me costó dos mil pesos", 2019, nil},
		{"eran 1500 pesos al mes", 2019, nil},
		{"ganaba 1500 al mes", 2019, nil},
		{"ganamos 2 de 3 partidos", 2019, nil},
		{"llegamos a las 10:30", 2019, nil},
		{"at 19:45 the bus left", 2019, nil},
		{"at nineteen forty-five the bus left", 2019, nil},
		{"eran 1.982 pesos", 2019, nil},
		{"costaba $1982", 2019, nil},
		{"el 15 de mayo", 2019, nil},
		{"el 80 por ciento de la gente", 2019, nil},
		{"el ochenta por ciento", 2019, nil},
		{"a los cincuenta se jubiló", 2019, nil},
		{"in his fifties", 2019, nil},
		{"in my 50s", 2019, nil},
		{"in 82 days", 2019, nil},
		{"in twenty minutes", 2019, nil},
		{"eighty-two cows", 2019, nil},
		{"tenía 82 años", 2019, nil},
		{"a los 82 años", 2019, nil},
		{"he sold eighty-two", 2019, nil},
		{"mil quinientas personas", 2019, nil},
		{"dos mil quinientos", 2019, nil},
		{"two thousand five hundred", 2019, nil},
		{"call 555-1982", 2019, nil},
		{"the 82nd day", 2019, nil},
		{"eran los setenta pesos", 2019, nil},
		{"los cincuenta y dos que vinieron", 2019, nil},
		{"Once, the bus broke down", 2019, nil},
		{"Vivíamos en el 45 de la calle Hidalgo", 2019, nil},
		{"Hace como 40 años", 2019, nil},
		{"Éramos ochenta en la escuela", 2019, nil},
		{"about forty-two people", 2019, nil},
		{"a las nueve y media", 2019, nil},
		{"", 2019, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := storyYears(tt.text, tt.recorded)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("storyYears(%q, %d) = %v, want %v", tt.text, tt.recorded, got, tt.want)
			}
		})
	}
}

func TestFullYear(t *testing.T) {
	tests := []struct{ yy, recorded, want int }{
		{82, 2019, 1982},
		{19, 2019, 2019},
		{20, 2019, 1920},
		{5, 2019, 2005},
		{68, 1975, 1968},
		{80, 1975, 1880},
		{0, 2000, 2000},
		{99, 2000, 1999},
	}
	for _, tt := range tests {
		if got := fullYear(tt.yy, tt.recorded); got != tt.want {
			t.Errorf("fullYear(%d, %d) = %d, want %d", tt.yy, tt.recorded, got, tt.want)
		}
	}
}

func TestDecades(t *testing.T) {
	got := decades([]int{1968, 1969, 1970, 1982, 2005})
	if fmt.Sprint(got) != "[1960s 1970s 1980s 2000s]" {
		t.Errorf("decades = %v, want [1960s 1970s 1980s 2000s]", got)
	}
}

// FuzzStoryYears checks that any text gives sorted years within bounds,
// without panicking.
func FuzzStoryYears(f *testing.F) {
	for _, s := range []string{"del 68 al 82", "en el ochenta y dos", "the '50s", "1982-03-14", "'8", "’82s", "mil novecientos", "10:30:", "$1.5"} {
		f.Add(s, 2019)
	}
	f.Fuzz(func(t *testing.T, text string, recorded int) {
		if recorded < 0 || recorded > 9999 {
			return
		}
		ys := storyYears(text, recorded)
		for i, y := range ys {
			if i > 0 && y <= ys[i-1] {
				t.Fatalf("storyYears(%q) = %v: not in order", text, ys)
			}
			if y < minYear || y > maxYear {
				t.Fatalf("storyYears(%q) = %v: %d out of bounds", text, ys, y)
			}
		}
	})
}

func BenchmarkStoryYears(b *testing.B) {
	lines := []string{
		"Tu abuela decía que yo estaba loco, eran dieciocho horas de camino.",
		"Because of the devaluation. In '82 the peso collapsed.",
		"Cuando murió mi mamá, en el ochenta y dos, se vendió la casa.",
		"We painted the door blue, the way your grandmother wanted.",
	}
	for i := 0; i < b.N; i++ {
		storyYears(lines[i%len(lines)], 2019)
	}
}
