package archive

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const esSRT = `1
00:00:01,000 --> 00:00:03,000
LUCÍA: ¿Cuándo empezó a viajar a El Paso?

2
00:00:03,500 --> 00:00:06,000
RAMÓN: En 1968. Cada mes tomaba el autobús.

3
00:00:06,200 --> 00:00:09,000
Llevaba quesos y traía ropa para los niños.
`

const enSRT = `1
00:00:01,000 --> 00:00:03,000
LUCÍA: When did you start travelling to El Paso?

2
00:00:03,500 --> 00:00:04,700
RAMÓN: In 1968.

3
00:00:04,800 --> 00:00:06,000
Every month I took the bus.

4
00:00:06,200 --> 00:00:09,000
I took cheese and brought back clothes for the kids.
`

func testSource(id string) *Source {
	return &Source{
		Interview: Interview{ID: id, Title: "Los viajes", Language: "es", Narrators: []string{"Ramón"}, Interviewers: []string{}, Media: []Media{}, Sealed: []Seal{}},
		HasMeta:   true,
		Files: []File{
			{Name: "es.srt", Lang: "es", Data: []byte(esSRT)},
			{Name: "en.srt", Lang: "en", Data: []byte(enSRT)},
		},
		Origin: "test",
	}
}

// newArchive makes an empty archive for a test: SQLite, or with
// RECUERDO_TEST_CATALOGUE=postgres a PostgreSQL catalogue in a fresh
// schema of RECUERDO_TEST_POSTGRES, so that the archive's tests run on both.
func newArchive(t *testing.T) *Archive {
	t.Helper()
	if os.Getenv("RECUERDO_TEST_CATALOGUE") == "postgres" {
		a, err := CreateWith(filepath.Join(t.TempDir(), "arch"), Config{Catalogue: testPostgres(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		return a
	}
	return newSQLiteArchive(t)
}

// newSQLiteArchive makes an empty archive whose catalogue is SQLite.
func newSQLiteArchive(t *testing.T) *Archive {
	t.Helper()
	a, err := Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestIngestAndReadBack(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	res, err := a.Ingest(ctx, testSource("viajes"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || len(res.Added) != 2 || res.Segments != 7 || res.Alignments != 1 {
		t.Errorf("got %+v, want a new interview with 2 tracks, 7 segments, 1 alignment", res)
	}
	iv, err := a.Interview(ctx, "viajes", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(iv.Tracks) != 2 || iv.Tracks[0].Lang != "es" || len(iv.Tracks[0].Segments) != 3 {
		t.Fatalf("got tracks %+v", iv.Tracks)
	}
	if got := iv.Tracks[0].Segments[1]; got.Speaker != "Ramón" || got.StartMS != 3500 || got.EndMS != 6000 {
		t.Errorf("segment 2: got %+v", got)
	}
	orig, err := a.Original(iv.Tracks[0].SHA256)
	if err != nil || string(orig) != esSRT {
		t.Errorf("original not kept byte for byte: %v", err)
	}
	als, err := a.Alignments(ctx, "viajes")
	if err != nil || len(als) != 1 {
		t.Fatalf("got %d alignments, %v", len(als), err)
	}
	twins := Twins(iv, als)
	tw := twins[SegmentKey{iv.Tracks[0].ID, 2}]
	if tw.Lang != "en" || tw.Text != "In 1968. Every month I took the bus." {
		t.Errorf("twin of segment 2: got %+v, want the two English cues", tw)
	}
	probs, err := a.Check(ctx)
	if err != nil || len(probs) != 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

func TestIngestIdenticalIsNoOp(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	gen, _ := a.Generation(ctx)
	res, err := a.Ingest(ctx, testSource("viajes"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() || len(res.Unchanged) != 2 {
		t.Errorf("re-ingest: got %+v, want unchanged", res)
	}
	if gen2, _ := a.Generation(ctx); gen2 != gen {
		t.Errorf("generation moved from %d to %d on a no-op", gen, gen2)
	}
}

func TestIngestBadFileChangesNothing(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, a)
	src := testSource("otra")
	src.Files[1].Data = []byte("1\n00:00:01,000 --> 00:00:02,000\nbien\n\n2\n00:00:0x,000 --> 00:00:03,000\nmal\n")
	src.Files[1].Path = "otra/en.srt"
	_, err := a.Ingest(ctx, src)
	if err == nil || !strings.Contains(err.Error(), `"otra/en.srt": line 6`) {
		t.Fatalf("got error %v, want one naming otra/en.srt line 6", err)
	}
	if after := snapshot(t, a); after != before {
		t.Errorf("archive changed by a failed ingest:\n%s\nwant\n%s", after, before)
	}
}

// snapshot lists the archive's interviews, generation and object files.
func snapshot(t *testing.T, a *Archive) string {
	t.Helper()
	ctx := context.Background()
	ivs, err := a.Interviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gen, _ := a.Generation(ctx)
	var b strings.Builder
	b.WriteString("generation " + string(rune('0'+gen)) + "\n")
	for _, iv := range ivs {
		b.WriteString(iv.ID + "\n")
	}
	filepath.Walk(filepath.Join(a.Dir(), "objects"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b.WriteString(filepath.Base(p) + "\n")
		}
		return nil
	})
	return b.String()
}

func TestReplacedFileKeepsHistory(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	src := testSource("viajes")
	src.Files[1].Data = []byte(strings.Replace(enSRT, "the bus", "the coach", 1))
	res, err := a.Ingest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replaced) != 1 || res.Replaced[0] != "en.srt" {
		t.Errorf("got %+v, want en.srt replaced", res)
	}
	var n int
	a.db.QueryRow(`SELECT count(*) FROM tracks WHERE interview_id = 'viajes' AND name = 'en.srt'`).Scan(&n)
	if n != 2 {
		t.Errorf("got %d versions of en.srt, want 2", n)
	}
	if _, err := a.Original(Checksum([]byte(enSRT))); err != nil {
		t.Errorf("old version's original gone: %v", err)
	}
	iv, _ := a.Interview(ctx, "viajes", true)
	if len(iv.Tracks) != 2 || !strings.Contains(iv.Tracks[1].Segments[2].Text, "coach") {
		t.Errorf("current en track is not the new one: %+v", iv.Tracks)
	}
}

func TestLooseFilesAddTracks(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	dir := t.TempDir()
	es := filepath.Join(dir, "tio.es.srt")
	en := filepath.Join(dir, "tio.en.srt")
	os.WriteFile(es, []byte(esSRT), 0o644)
	os.WriteFile(en, []byte(enSRT), 0o644)
	src, err := LoadFiles("tio", "", []string{es})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	src, _ = LoadFiles("tio", "", []string{en})
	res, err := a.Ingest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created || len(res.Added) != 1 || res.Alignments != 1 {
		t.Errorf("got %+v, want one track added to the existing interview, aligned", res)
	}
	iv, _ := a.Interview(ctx, "tio", false)
	if iv.Language != "es" || len(iv.Tracks) != 2 || iv.Tracks[1].Lang != "en" {
		t.Errorf("got %+v", iv)
	}
}

func TestCheckFindsDamagedOriginal(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	p := a.objectPath(Checksum([]byte(esSRT)))
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	probs, err := a.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 || probs[0].What != "original" || probs[0].Subject != "viajes/es.srt" {
		t.Errorf("got %v, want one damaged original viajes/es.srt", probs)
	}
}

func TestOpenRefusesNewerFormat(t *testing.T) {
	a := newArchive(t)
	a.db.Exec(`UPDATE meta SET value = '99' WHERE key = 'format_version'`)
	a.Close()
	_, err := Open(a.Dir())
	if !errors.Is(err, ErrNewerFormat) {
		t.Errorf("got %v, want ErrNewerFormat", err)
	}
}

func TestParseSidecar(t *testing.T) {
	good := "id: viajes\ntitle: Los viajes\nlanguage: es\naccess: family\nsealed:\n  - start: \"00:01:00\"\n    end: \"00:02:00\"\n    until: 2045-01-01\n"
	src, err := ParseSidecar("interview.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if iv := src.Interview; iv.Access != Family || len(iv.Sealed) != 1 || iv.Sealed[0].StartMS != 60000 || iv.Sealed[0].Level != Staff {
		t.Errorf("got %+v", src.Interview)
	}
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"missing title", "id: x\nlanguage: es\n", 1, `missing field "title"`},
		{"missing language", "title: T\n", 1, `missing field "language"`},
		{"bad access", "title: T\nlanguage: es\naccess: secret\n", 3, "unknown access level"},
		{"unknown field", "title: T\nlanguage: es\nnarator: [x]\n", 3, "narator"},
		{"bad seal", "title: T\nlanguage: es\nsealed:\n  - start: 00:02:00\n    end: 00:01:00\n    until: 2045-01-01\n", 3, "not after start"},
		{"bad yaml", "title: [unclosed\n", 1, ""},
		{"bad date", "title: T\nlanguage: es\ndate: March 1968\n", 3, "want YYYY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSidecar("interview.yaml", []byte(tt.in))
			var se *SidecarError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want *SidecarError", err)
			}
			if se.Line != tt.line || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("got %q (line %d), want line %d with %q", err, se.Line, tt.line, tt.msg)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iv := &Interview{Access: Family, Sealed: []Seal{{StartMS: 1000, EndMS: 2000, Until: "2030-01-01", Level: Staff}, {StartMS: 5000, EndMS: 6000, Until: "2020-01-01", Level: Staff}}}
	tests := []struct {
		aud        Access
		start, end int64
		want       bool
	}{
		{Public, 0, 500, false},     // interview is for family
		{Family, 0, 500, true},      // before the seal
		{Family, 1500, 2500, false}, // overlaps the seal
		{Staff, 1500, 2500, true},   // staff sees sealed material
		{Family, 5000, 6000, true},  // that seal has lifted
		{Family, 2000, 3000, true},  // touching the end is outside
	}
	for _, tt := range tests {
		if got := NewView(iv, nil, tt.aud, now).Stretch(tt.start, tt.end); got != tt.want {
			t.Errorf("Visible(%s, %d-%d) = %v, want %v", tt.aud, tt.start, tt.end, got, tt.want)
		}
	}
}

func TestGuessLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cada mes tomaba el autobús para ir a El Paso con los quesos.", "es"},
		{"Every month he took the bus to El Paso with the cheese.", "en"},
		{"El Paso", ""},
	}
	for _, tt := range tests {
		if got := GuessLanguage(tt.in); got != tt.want {
			t.Errorf("GuessLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for name, want := range map[string]string{"es.srt": "es", "abuelo.en.vtt": "en", "abuelo_spanish.srt": "es", "abuelo.srt": ""} {
		if got := langFromName(name); got != want {
			t.Errorf("langFromName(%q) = %q, want %q", name, got, want)
		}
	}
}

func FuzzParseSidecar(f *testing.F) {
	f.Add("id: x\ntitle: T\nlanguage: es\n")
	f.Add("title: T\nlanguage: es\nsealed:\n  - start: 00:01:00\n    end: 00:02:00\n    until: 2045-01-01\n")
	f.Add("title: [unclosed\n")
	f.Fuzz(func(t *testing.T, data string) {
		src, err := ParseSidecar("interview.yaml", []byte(data))
		if err != nil {
			var se *SidecarError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SidecarError", err)
			}
			return
		}
		if src.Interview.Title == "" || src.Interview.Language == "" {
			t.Fatalf("accepted without title or language: %+v", src.Interview)
		}
		for _, s := range src.Interview.Sealed {
			if s.EndMS <= s.StartMS {
				t.Fatalf("accepted an empty seal %+v", s)
			}
		}
	})
}

func FuzzLoadManifest(f *testing.F) {
	f.Add("id,title,language,files\nx,X,es,a.srt=es\n")
	f.Add("id;title;language;files;narrators\nx;X;es;a.srt;A; B\n")
	f.Fuzz(func(t *testing.T, data string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "a.srt"), []byte("1\n00:00:01,000 --> 00:00:02,000\nHola\n"), 0o644)
		p := filepath.Join(dir, "m.csv")
		os.WriteFile(p, []byte(data), 0o644)
		srcs, bad, err := LoadManifest(p)
		if err != nil {
			return
		}
		for _, e := range bad {
			var me *ManifestError
			if !errors.As(e, &me) || me.Line < 1 {
				t.Fatalf("row error %v has no line", e)
			}
		}
		for _, s := range srcs {
			if s.Interview.ID == "" || s.Interview.Title == "" || len(s.Files) == 0 {
				t.Fatalf("accepted an incomplete row: %+v", s.Interview)
			}
		}
	})
}

func TestMixed(t *testing.T) {
	es := []string{"Cada mes tomaba el autobús a El Paso.", "Llevaba quesos para los paisanos de El Paso.", "Y traía ropa para los niños."}
	en := []string{"Every month he took the bus to El Paso.", "He took cheese to sell there.", "And brought back clothes for the kids."}
	if m := Mixed("es", es); m != 0 {
		t.Errorf("all Spanish: got %.2f, want 0", m)
	}
	if m := Mixed("es", append(es, en...)); m != 0.5 {
		t.Errorf("half English: got %.2f, want 0.5", m)
	}
}

// A recording in the interview's folder is recorded where it is; one that
// is not there keeps the name the sidecar gives (see also media_test.go).
func TestLoadFolderFindsMedia(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tio-beto")
	if err := os.MkdirAll(filepath.Join(dir, "video"), 0o755); err != nil {
		t.Fatal(err)
	}
	sidecar := "title: Tío Beto\nlanguage: es\nmedia:\n  - file: video/beto.mp4\n  - file: otra.wav\ntracks:\n  - file: es.srt\n    lang: es\n"
	for name, data := range map[string]string{
		SidecarName:      sidecar,
		"es.srt":         "1\n00:00:01,000 --> 00:00:02,000\nHola.\n",
		"video/beto.mp4": "not really a video",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "video", "beto.mp4"), "otra.wav"}
	for i, m := range src.Interview.Media {
		if m.File != want[i] {
			t.Errorf("media %d: got %q, want %q", i+1, m.File, want[i])
		}
	}
}

// TestArchivePathWithURICharacters: a folder named with # or ? (which
// SQLite's file: URIs give a meaning) holds its own catalogue, not one
// at the path cut short there.
func TestArchivePathWithURICharacters(t *testing.T) {
	base := t.TempDir()
	for _, name := range []string{"familia#1", "a?b", "100%"} {
		dir := filepath.Join(base, name)
		a, err := Create(dir)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a.Close()
		if _, err := os.Stat(filepath.Join(dir, "catalogue.db")); err != nil {
			t.Errorf("%s: no catalogue in its own folder: %v", name, err)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(base, "familia")); len(matches) > 0 {
		t.Errorf("a catalogue was created at the path cut at '#': %v", matches)
	}
}
