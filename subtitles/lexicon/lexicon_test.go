package lexicon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pairs are invented aligned lines, as a translator would have them.
var pairs = []Pair{
	{"Mi abuelo manejaba el autobús.", "My grandfather drove the bus."},
	{"El autobús llegaba tarde.", "The bus arrived late."},
	{"Mi abuela compró una licuadora.", "My grandmother bought a blender."},
	{"La licuadora era nueva.", "The blender was new."},
	{"Mi abuelo era chofer.", "My grandfather was a driver."},
	{"El chofer del autobús cantaba.", "The bus driver sang."},
	{"Mi abuela cantaba en la cocina.", "My grandmother sang in the kitchen."},
	{"La cocina olía a mole.", "The kitchen smelled of mole."},
	{"Mi abuela hacía mole.", "My grandmother made mole."},
	{"El abuelo llegaba cansado.", "Grandfather arrived tired."},
}

func TestLearn(t *testing.T) {
	lx := New()
	lx.Add(Learn(pairs, Options{})...)
	for _, tt := range []struct{ lang, word, want string }{
		{"es", "abuelo", "grandfather"},
		{"es", "abuela", "grandmother"},
		{"en", "blender", "licuadora"},
		{"en", "bus", "autobus"},
		{"en", "kitchen", "cocina"},
		{"es", "chofer", "driver"},
	} {
		got := lx.Translations(tt.lang, tt.word)
		if len(got) == 0 || got[0].To != tt.want {
			t.Errorf("%s %s: got %+v, want %s first", tt.lang, tt.word, got, tt.want)
		}
	}
	for _, e := range lx.Translations("es", "abuela") {
		if e.To == "grandfather" {
			t.Errorf("abuela learned as grandfather: %+v", e)
		}
	}
}

func TestGlossaryWins(t *testing.T) {
	lx := New()
	lx.Add(Learn(pairs, Options{})...)
	lx.Add(Entry{FromLang: "es", From: "mija", ToLang: "en", To: "sweetheart", Weight: 1, Source: Glossary})
	lx.Remove("es", "abuelo", "en", "grandfather")
	if got := lx.Translations("es", "Mija"); len(got) != 1 || got[0].To != "sweetheart" {
		t.Errorf("mija: %+v", got)
	}
	lx.Add(Learn(pairs, Options{})...) // relearning does not bring a removed pair back
	for _, e := range append(lx.Translations("es", "abuelo"), lx.Translations("en", "grandfather")...) {
		if e.To == "grandfather" || e.To == "abuelo" {
			t.Errorf("removed pair is back: %+v", e)
		}
	}
	lx.Add(Entry{FromLang: "es", From: "abuelo", ToLang: "en", To: "grandfather", Weight: 1, Source: Glossary})
	if got := lx.Translations("es", "abuelo"); len(got) == 0 || got[0].Source != Glossary {
		t.Errorf("a glossary entry does not lift the removal: %+v", got)
	}
}

// writeDict writes entries as a dictd .dict and .index pair.
func writeDict(t testing.TB, dir string, entries [][2]string) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	enc := func(n int) string {
		s := ""
		for {
			s = string(digits[n%64]) + s
			if n /= 64; n == 0 {
				return s
			}
		}
	}
	var dict, idx strings.Builder
	for _, e := range entries {
		off := dict.Len()
		dict.WriteString(e[1])
		idx.WriteString(e[0] + "\t" + enc(off) + "\t" + enc(dict.Len()-off) + "\n")
	}
	p := filepath.Join(dir, "x.dict")
	if err := os.WriteFile(p, []byte(dict.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.index"), []byte(idx.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadDictd(t *testing.T) {
	p := writeDict(t, t.TempDir(), [][2]string{
		{"00databaseinfo", "00-database-info\n  An invented dictionary.\n"},
		{"abuela", "abuela /aˈβwela/\ngrandmother\n"},
		{"chofer", "chofer /ˈtʃofer/\n1. driver\n2. chauffeur, mecánico (auto)\n"},
		{"a bordo", "a bordo\non board\n"},
	})
	es, err := ReadDictd(p, "es", "en", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.From+">"+e.To)
	}
	if want := "abuela>grandmother chofer>driver chofer>chauffeur chofer>mecánico"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(p), "x.index"), []byte("abuela\tA\t//////\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDictd(p, "es", "en", 0.5); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a lying index: got %v, want an error naming line 1", err)
	}
}

// TestInstalledDictionaries reads Debian's FreeDict files where installed.
func TestInstalledDictionaries(t *testing.T) {
	found := FindDictionaries()
	if len(found) == 0 {
		t.Skip("dict-freedict-spa-eng / -eng-spa not installed")
	}
	for k, p := range found {
		from, to, _ := strings.Cut(k, "-")
		es, err := ReadDictd(p, from, to, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) < 1000 {
			t.Errorf("%s: only %d entries", p, len(es))
		}
	}
}

func FuzzReadDictd(f *testing.F) {
	f.Add("abuela", "abuela /x/\ngrandmother\n")
	f.Add("hola", "hola\n1. hi, hello (informal)\n")
	f.Fuzz(func(t *testing.T, head, body string) {
		if strings.ContainsAny(head, "\t\n") {
			return
		}
		p := writeDict(t, t.TempDir(), [][2]string{{head, body}})
		es, _ := ReadDictd(p, "es", "en", 0.5)
		for _, e := range es {
			if e.From == "" || e.To == "" || strings.Contains(e.To, ",") {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}
