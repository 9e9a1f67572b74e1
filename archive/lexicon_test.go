package archive

import (
	"context"
	"path/filepath"
	"testing"
)

func TestLexiconLearnsFromAlignments(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	dirs, _ := filepath.Glob("../samples/*/interview.yaml")
	for _, y := range dirs {
		src, err := LoadFolder(filepath.Dir(y))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	st, err := a.LearnLexicon(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pairs < 200 || st.Entries == 0 {
		t.Fatalf("learned %+v, want pairs from three interviews", st)
	}
	lx, err := a.Lexicon(ctx)
	if err != nil {
		t.Fatal(err)
	}
	has := func(lang, from, to string) bool {
		for _, e := range lx.Translations(lang, from) {
			if e.To == to && e.Source == "learned" {
				return true
			}
		}
		return false
	}
	for _, c := range [][3]string{{"es", "licuadora", "blender"}, {"en", "grandmother", "abuela"}, {"es", "adobe", "adobe"}} {
		if !has(c[0], c[1], c[2]) {
			t.Errorf("%s %s: got %+v, want %s learned", c[0], c[1], lx.Translations(c[0], c[1]), c[2])
		}
	}
	// The sealed stretch of casa-puerta-azul (a lawyer, a land dispute) is
	// never learned from.
	for _, w := range []string{"abogado", "lawyer"} {
		for _, e := range lx.Translations(map[string]string{"abogado": "es", "lawyer": "en"}[w], w) {
			if e.Source == "learned" {
				t.Errorf("learned %+v from a sealed moment", e)
			}
		}
	}

	// A glossary entry is there at once; a removal keeps a pair out, even
	// after learning again.
	if err := a.SetGlossary(ctx, GlossaryEntry{FromLang: "es", From: "Mija", ToLang: "en", To: "sweetheart", Note: "mi hija"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetGlossary(ctx, GlossaryEntry{FromLang: "es", From: "licuadora", ToLang: "en", To: "blender", Remove: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LearnLexicon(ctx); err != nil {
		t.Fatal(err)
	}
	lx, _ = a.Lexicon(ctx)
	if got := lx.Translations("en", "sweetheart"); len(got) == 0 || got[0].To != "mija" || got[0].Source != "glossary" {
		t.Errorf("sweetheart: got %+v, want mija from the glossary", got)
	}
	for _, e := range lx.Translations("es", "licuadora") {
		if e.To == "blender" {
			t.Errorf("removed pair is back: %+v", e)
		}
	}
	if ok, err := a.DeleteGlossary(ctx, "en", "blender", "es", "licuadora"); !ok || err != nil {
		t.Errorf("DeleteGlossary the other way round: %v %v", ok, err)
	}
	lx, _ = a.Lexicon(ctx)
	if !has("es", "licuadora", "blender") {
		t.Error("forgetting the removal did not bring the learned pair back")
	}
	for _, bad := range []GlossaryEntry{{FromLang: "es", From: "dos palabras", ToLang: "en", To: "x"}, {FromLang: "es", From: "a", ToLang: "es", To: "b"}, {FromLang: "ES", From: "a", ToLang: "en", To: "b"}} {
		if err := a.SetGlossary(ctx, bad); err == nil {
			t.Errorf("SetGlossary(%+v) took it", bad)
		}
	}
}

func TestGlossaryTravelsWithExport(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	src, err := LoadFolder("../samples/abuelo-autobus")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := a.SetGlossary(ctx, GlossaryEntry{FromLang: "es", From: "troca", ToLang: "en", To: "truck", Note: "a pickup"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetGlossary(ctx, GlossaryEntry{FromLang: "es", From: "licuadora", ToLang: "en", To: "mixer", Remove: true}); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "export")
	if _, err := a.Export(ctx, dst, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := Create(filepath.Join(t.TempDir(), "b"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Import(ctx, dst); err != nil {
		t.Fatal(err)
	}
	want, _ := a.Glossary(ctx)
	got, err := b.Glossary(ctx)
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("imported glossary %+v (%v), want %+v", got, err, want)
	}
	lx, _ := b.Lexicon(ctx)
	if tr := lx.Translations("en", "truck"); len(tr) == 0 || tr[0].To != "troca" {
		t.Errorf("the imported glossary is not in the lexicon: %+v", tr)
	}
}
