package index

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// sampleArchive builds an archive of every bundled sample and its index.
func sampleArchive(t testing.TB) (*archive.Archive, *Index) {
	t.Helper()
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	dirs, err := filepath.Glob("../samples/*/interview.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, y := range dirs {
		src, err := archive.LoadFolder(filepath.Dir(y))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	return a, syncedIndex(t, a)
}

// TestRelevance runs testdata/relevance.txt: queries and the moments
// they must find.
func TestRelevance(t *testing.T) {
	a, ix := sampleArchive(t)
	f, err := os.Open("testdata/relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line, cases := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.Split(text, "|")
		if len(parts) != 4 {
			t.Fatalf("relevance.txt:%d: want 4 fields separated by |, got %d", line, len(parts))
		}
		class, q, opts, expect := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2]), strings.TrimSpace(parts[3])
		cases++
		t.Run(strconv.Itoa(line)+"_"+class+"_"+q, func(t *testing.T) {
			opt := Options{Audience: archive.Staff, Limit: 3}
			wantPartial := false
			if opts != "-" {
				for _, o := range strings.Fields(opts) {
					k, v, _ := strings.Cut(o, "=")
					switch k {
					case "partial":
						wantPartial = true
					case "lang":
						opt.Lang = v
					case "audience":
						if opt.Audience, err = archive.ParseAccess(v); err != nil {
							t.Fatal(err)
						}
					case "top":
						if opt.Limit, err = strconv.Atoi(v); err != nil {
							t.Fatal(err)
						}
					default:
						t.Fatalf("relevance.txt:%d: unknown option %q", line, o)
					}
				}
			}
			res, err := ix.Search(context.Background(), a, q, opt)
			if err != nil {
				t.Fatalf("relevance.txt:%d: %v", line, err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Interview+"@"+subtitles.FormatTime(ms(h.StartMS))+" "+h.Lang+" "+h.Text)
			}
			if expect == "none" {
				if res.Total != 0 && !res.Partial {
					t.Errorf("relevance.txt:%d: %s: want no hit with every word, got %d:\n%s", line, q, res.Total, strings.Join(got, "\n"))
				}
				return
			}
			if res.Partial != wantPartial {
				t.Errorf("relevance.txt:%d: %s: got partial=%v, want %v", line, q, res.Partial, wantPartial)
			}
			for _, e := range strings.Split(expect, " , ") {
				iv, at, ok := strings.Cut(strings.TrimSpace(e), "@")
				d, err := subtitles.ParseTime(at)
				if !ok || err != nil {
					t.Fatalf("relevance.txt:%d: bad expectation %q", line, e)
				}
				found := false
				for _, h := range res.Hits {
					if h.Interview == iv && ms(h.StartMS) <= d && d <= ms(h.EndMS) {
						found = true
					}
				}
				if !found {
					t.Errorf("relevance.txt:%d: %s: want %s in the top %d, got:\n%s", line, q, e, opt.Limit, strings.Join(got, "\n"))
				}
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cases < 30 {
		t.Errorf("relevance.txt holds %d cases; want at least 30", cases)
	}
}

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// syncedIndex opens a's index, synced with its catalogue, for one test.
func syncedIndex(t testing.TB, a *archive.Archive) *Index {
	t.Helper()
	ix, err := Open(a.IndexDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.sync(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return ix
}

// Matches mark the words found by stem in the hit and in its translation,
// where the index keeps no word positions for stems.
func TestStemHighlights(t *testing.T) {
	a, ix := sampleArchive(t)
	marked := func(text string, ms [][2]int) []string {
		var out []string
		for _, m := range ms {
			out = append(out, text[m[0]:m[1]])
		}
		return out
	}
	for _, tt := range []struct {
		q, own, twin string // a hit's own text and translation must mark these
	}{
		{"autobuses", "autobús", ""},
		{"buses", "", "buses"}, // English, found through the translation
		{"vendia", "vendía", ""},
	} {
		res, err := ix.Search(context.Background(), a, tt.q, Options{Audience: archive.Staff, Limit: 50})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("%s: %v, %d hits", tt.q, err, len(res.Hits))
		}
		ownOK, twinOK := tt.own == "", tt.twin == ""
		for _, h := range res.Hits {
			for _, w := range marked(h.Text, h.Matches) {
				ownOK = ownOK || Fold(w) == Fold(tt.own)
			}
			if h.Translation != nil {
				for _, w := range marked(h.Translation.Text, h.Translation.Matches) {
					twinOK = twinOK || Fold(w) == Fold(tt.twin)
				}
			}
		}
		if !ownOK || !twinOK {
			t.Errorf("%s: marked %q in a hit: %v, %q in a translation: %v", tt.q, tt.own, ownOK, tt.twin, twinOK)
		}
	}
}
