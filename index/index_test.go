package index

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

const esSRT = `1
00:00:01,000 --> 00:00:03,000
LUCÍA: ¿Cuándo empezó a viajar a El Paso?

2
00:00:03,500 --> 00:00:06,000
RAMÓN: En 1968. Cada mes tomaba el autobús.

3
00:00:06,200 --> 00:00:09,000
Los autobuses no tenían aire. Sin agua, sin nada.

4
00:01:00,000 --> 00:01:04,000
Pintamos la puerta azul, como quería tu abuela.
`

const enSRT = `1
00:00:01,000 --> 00:00:03,000
LUCÍA: When did you start travelling to El Paso?

2
00:00:03,500 --> 00:00:06,000
RAMÓN: In 1968. Every month I took the bus.

3
00:00:06,200 --> 00:00:09,000
The buses had no air conditioning. No water, nothing.

4
00:01:00,000 --> 00:01:04,000
We painted the door blue, the way your grandmother wanted.
`

// setup builds an archive with one interview and an index synced to it.
func setup(t *testing.T, sealed []archive.Seal, access archive.Access) (*archive.Archive, *Index) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "arch")
	a, err := archive.Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	src := &archive.Source{
		Interview: archive.Interview{ID: "viajes", Title: "Los viajes", Language: "es", Date: "2019-03-14", Place: "Durango",
			Narrators: []string{"Ramón Herrera"}, Interviewers: []string{}, Media: []archive.Media{}, Sealed: sealed, Access: access},
		HasMeta: true,
		Files: []archive.File{
			{Name: "es.srt", Lang: "es", Data: []byte(esSRT)},
			{Name: "en.srt", Lang: "en", Data: []byte(enSRT)},
		},
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	return a, syncedIndex(t, a)
}

type want struct {
	lang string
	seq  int
}

func TestSearch(t *testing.T) {
	a, ix := setup(t, nil, archive.Public)
	tests := []struct {
		q    string
		opt  Options
		want []want // every hit, in any order
	}{
		{"autobus", Options{}, []want{{"es", 2}, {"es", 3}}},
		{"autobús", Options{}, []want{{"es", 2}, {"es", 3}}},
		{"Autobuses", Options{}, []want{{"es", 2}, {"es", 3}}},
		{"AUTOBUSES", Options{Lang: "es"}, []want{{"es", 2}, {"es", 3}}},
		{"bus", Options{}, []want{{"es", 2}, {"es", 3}}},           // one moment each: the Spanish line, found through its English twin
		{"bus", Options{Lang: "en"}, []want{{"en", 2}, {"en", 3}}}, // "buses" is the plural of "bus" (forms.go)
		{"buses", Options{Lang: "en"}, []want{{"en", 2}, {"en", 3}}},
		{"bus", Options{Lang: "es"}, []want{{"es", 2}, {"es", 3}}}, // English words find Spanish speech
		{"autobus", Options{Lang: "en"}, []want{{"en", 2}, {"en", 3}}},
		{`"the bus"`, Options{Lang: "es"}, []want{{"es", 2}}},
		{"month", Options{}, []want{{"es", 2}}},
		{"painting", Options{}, []want{{"es", 4}}},
		{`"puerta azul"`, Options{}, []want{{"es", 4}}},
		{`"azul puerta"`, Options{}, nil},
		{`"sin agua"`, Options{}, []want{{"es", 3}}},
		{"cuando", Options{}, []want{{"es", 1}}},
		{"abeula", Options{}, []want{{"es", 4}}}, // typo
		{"autob*", Options{}, []want{{"es", 2}, {"es", 3}}},
		{"autobus -aire", Options{}, []want{{"es", 2}}},
		{"abuela OR grandmother", Options{}, []want{{"es", 4}}},
		{"1968 lang:en", Options{}, []want{{"en", 2}}},
		{"paso speaker:lucia", Options{}, []want{{"es", 1}}},
		{"paso recorded:1960..1970", Options{}, nil},
		{"paso recorded:2019", Options{}, []want{{"es", 1}}},
		{"paso place:durango narrator:ramon", Options{}, []want{{"es", 1}}},
		{"paso lang:en", Options{}, []want{{"en", 1}}},
		{"paso -lang:en", Options{}, []want{{"es", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			tt.opt.Limit = 20
			res, err := ix.Search(context.Background(), a, tt.q, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Lang+":"+string(rune('0'+h.Seq)))
			}
			var exp []string
			for _, w := range tt.want {
				exp = append(exp, w.lang+":"+string(rune('0'+w.seq)))
			}
			if !sameSet(got, exp) || int(res.Total) != len(exp) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, exp)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestHitHasTranslationAndMatches(t *testing.T) {
	a, ix := setup(t, nil, archive.Public)
	res, err := ix.Search(context.Background(), a, "autobús", Options{Lang: "es", Limit: 1})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("got %v, %v", res, err)
	}
	h := res.Hits[0]
	if h.Translation == nil || h.Translation.Lang != "en" || !strings.Contains(h.Translation.Text, "bus") {
		t.Errorf("translation: got %+v", h.Translation)
	}
	if len(h.Matches) == 0 {
		t.Fatalf("no match offsets in %+v", h)
	}
	m := h.Matches[0]
	if got := strings.ToLower(h.Text[m[0]:m[1]]); !strings.HasPrefix(got, "autob") {
		t.Errorf("match offsets point at %q", got)
	}
}

func TestAccessAndSeals(t *testing.T) {
	seal := []archive.Seal{{StartMS: 59000, EndMS: 65000, Until: "2999-01-01", Level: archive.Staff}}
	a, ix := setup(t, seal, archive.Family)
	ctx := context.Background()
	for _, tt := range []struct {
		aud  archive.Access
		q    string
		want int
	}{
		{archive.Public, "paso", 0}, // the interview is for family
		{archive.Family, "paso", 1}, // ok: one moment in two languages
		{archive.Family, "azul", 0}, // sealed
		{archive.Staff, "azul", 1},  // staff sees sealed material
		{archive.Family, "grandmother", 0},
	} {
		res, err := ix.Search(ctx, a, tt.q, Options{Audience: tt.aud})
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != tt.want || len(res.Hits) != tt.want {
			t.Errorf("%s as %s: got total %d, %d hits; want %d", tt.q, tt.aud, res.Total, len(res.Hits), tt.want)
		}
	}
	// A seal that has lifted no longer hides anything.
	res, _ := ix.Search(ctx, a, "azul", Options{Audience: archive.Family, Now: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if res.Total != 1 {
		t.Errorf("after the seal lifts: got %d, want 1", res.Total)
	}
}

func TestQueryErrors(t *testing.T) {
	a, ix := setup(t, nil, archive.Public)
	for _, tt := range []struct {
		q   string
		pos int
	}{
		{`casa "puerta azul`, 6},
		{`year:19x0`, 1},
		{`year:1975..1960`, 1},
		{`OR casa`, 1},
		{`casa OR`, 7},
		{``, 1},
	} {
		_, err := ix.Search(context.Background(), a, tt.q, Options{})
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Pos != tt.pos {
			t.Errorf("%q: got %v, want a QueryError at %d", tt.q, err, tt.pos)
		}
	}
}

func TestSyncAndCheck(t *testing.T) {
	a, ix := setup(t, nil, archive.Public)
	ctx := context.Background()
	if probs, err := ix.Check(ctx, a); err != nil || len(probs) != 0 {
		t.Fatalf("fresh index: %v %v", probs, err)
	}
	if stale, _ := ix.stale(ctx, a); stale {
		t.Error("fresh index reported stale")
	}
	// Change the catalogue behind the index's back: the index must notice.
	src := &archive.Source{Interview: archive.Interview{ID: "otra", Title: "Otra", Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []archive.Media{}, Sealed: []archive.Seal{}},
		HasMeta: true, Files: []archive.File{{Name: "es.srt", Lang: "es", Data: []byte(esSRT)}}}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	if stale, _ := ix.stale(ctx, a); !stale {
		t.Error("index not reported stale after an ingest")
	}
	if probs, _ := ix.Check(ctx, a); len(probs) == 0 {
		t.Error("check did not report the stale index")
	}
	n, err := ix.sync(ctx, a)
	if err != nil || n != 1 {
		t.Fatalf("sync: got %d, %v; want 1 interview", n, err)
	}
	if probs, err := ix.Check(ctx, a); err != nil || len(probs) != 0 {
		t.Errorf("after sync: %v %v", probs, err)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Autobús": "autobus", "AÑO": "ano", "pingüino": "pinguino", "El Paso": "el paso", "niño": "nino"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearchByTime(t *testing.T) {
	a, ix := setup(t, nil, archive.Public)
	res, err := ix.Search(context.Background(), a, "paso OR abuela OR autobus", Options{ByTime: true, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].StartMS < res.Hits[i-1].StartMS {
			t.Fatalf("hit %d starts at %d, before hit %d at %d", i+1, res.Hits[i].StartMS, i, res.Hits[i-1].StartMS)
		}
	}
	if len(res.Hits) < 3 {
		t.Errorf("got %d hits, want at least 3", len(res.Hits))
	}
}

func TestTimecodesAndContext(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	src := &archive.Source{
		Interview: archive.Interview{ID: "v", Title: "V", Language: "es", Narrators: []string{}, Interviewers: []string{},
			Media: []archive.Media{{File: "v.mov", FPS: 25, StartTimecode: "10:00:00:00"}}, Sealed: []archive.Seal{{StartMS: 0, EndMS: 3000, Until: "2999-01-01", Level: archive.Staff}}},
		HasMeta: true,
		Files:   []archive.File{{Name: "es.srt", Lang: "es", Data: []byte(esSRT)}},
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(a.IndexDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.sync(ctx, a); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, a, "autobús", Options{Context: 1, Audience: archive.Family, Limit: 5, ByTime: true})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("got %+v, %v", res, err)
	}
	h := res.Hits[0] // segment 2, 3.5 s: segment 1 before it is sealed for family
	if h.TimecodeStart != "10:00:03:12" || h.TimecodeEnd != "10:00:06:00" {
		t.Errorf("timecodes: got %s-%s, want 10:00:03:12-10:00:06:00", h.TimecodeStart, h.TimecodeEnd)
	}
	if len(h.Before) != 0 || len(h.After) != 1 || h.After[0].Seq != 3 {
		t.Errorf("context: got before %+v after %+v; want nothing sealed before, segment 3 after", h.Before, h.After)
	}
	res, _ = ix.Search(ctx, a, "autobús", Options{FPS: 30000.0 / 1001, Audience: archive.Staff, ByTime: true})
	if got := res.Hits[0].TimecodeStart; got != "10:00:03;14" {
		t.Errorf("--fps 29.97: got %s, want 10:00:03;14", got)
	}
}
