package archive

import (
	"strings"
	"testing"
	"time"
)

// offsetInterview is a Spanish track and an English translation whose
// times run 20 s late, aligned line by line, with a seal over the Spanish
// times of lines 2 and 3.
func offsetInterview() (*Interview, []Alignment) {
	es := Track{ID: 1, Lang: "es"}
	en := Track{ID: 2, Lang: "en"}
	for i := 1; i <= 6; i++ {
		start := int64(i-1) * 10_000
		es.Segments = append(es.Segments, Segment{Seq: i, StartMS: start, EndMS: start + 9_000, Text: "es"})
		en.Segments = append(en.Segments, Segment{Seq: i, StartMS: start + 20_000, EndMS: start + 29_000, Text: "en"})
	}
	iv := &Interview{ID: "x", Access: Public, Language: "es", Tracks: []Track{es, en},
		Sealed: []Seal{{StartMS: 10_000, EndMS: 29_000, Until: "2099-01-01", Level: Family, Reason: "private"}}}
	al := Alignment{Src: 1, Tgt: 2}
	for i := 1; i <= 6; i++ {
		al.Pairs = append(al.Pairs, Pair{SrcFrom: i, SrcTo: i, TgtFrom: i, TgtTo: i})
	}
	return iv, []Alignment{al}
}

func TestViewHidesMomentsInEveryLanguage(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iv, als := offsetInterview()
	v := NewView(iv, als, Public, now)
	tests := []struct {
		track int64
		seq   int
		want  bool
	}{
		{1, 1, true},
		{1, 2, false}, // under the seal
		{1, 3, false},
		{2, 2, false}, // its times (30-39 s) are outside the seal, but it translates es 2
		{2, 3, false},
		{2, 1, false}, // its own times (20-29 s) touch the seal
		{1, 1, true},
		{1, 4, true},
		{2, 4, true},
	}
	// es 1 is aligned with en 1, whose times touch the seal: the moment is hidden.
	tests[0].want, tests[6].want = false, false
	for _, tt := range tests {
		if got := v.Segment(tt.track, tt.seq); got != tt.want {
			t.Errorf("Segment(%d, %d) = %v, want %v", tt.track, tt.seq, got, tt.want)
		}
	}
	if v.Hidden() != 6 {
		t.Errorf("Hidden() = %d, want 6", v.Hidden())
	}
	if got := NewView(iv, als, Family, now); got.Partial() || got.Withheld() {
		t.Errorf("family view: partial %v, withheld %v; want neither", got.Partial(), got.Withheld())
	}
	if got := NewView(iv, als, Public, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)); got.Partial() {
		t.Error("a lifted seal still hides moments")
	}
	// Stretches: the hidden English times (20-39 s) are hidden too.
	if v.Stretch(35_000, 36_000) {
		t.Error("Stretch(35s) visible; it is the time of a hidden translation")
	}
	if !v.Stretch(59_500, 60_000) {
		t.Error("Stretch(59.5s) hidden; nothing is sealed there")
	}
	cp := v.Interview()
	if n := len(cp.Tracks[0].Segments) + len(cp.Tracks[1].Segments); n != 6 {
		t.Errorf("filtered copy has %d segments, want 6", n)
	}
	if cp.Sealed[0].Reason != "" {
		t.Errorf("filtered copy shows the seal's reason %q to the public", cp.Sealed[0].Reason)
	}
	if iv.Sealed[0].Reason == "" || len(iv.Tracks[0].Segments) != 6 {
		t.Error("Interview() changed the original")
	}
	pairs := v.Alignments(als)[0].Pairs
	if len(pairs) != 3 || pairs[0].SrcFrom != 4 {
		t.Errorf("visible pairs = %+v, want 4, 5, 6", pairs)
	}
}

func TestViewTouchingSealHidesTwin(t *testing.T) {
	// Unmodified times: the Spanish line touches the seal by 2 ms, its
	// English twin does not; both are one moment.
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iv := &Interview{Access: Public, Tracks: []Track{
		{ID: 1, Lang: "es", Segments: []Segment{{Seq: 1, StartMS: 0, EndMS: 5002}}},
		{ID: 2, Lang: "en", Segments: []Segment{{Seq: 1, StartMS: 0, EndMS: 4990}}},
	}, Sealed: []Seal{{StartMS: 5000, EndMS: 9000, Until: "2099-01-01", Level: Staff}}}
	als := []Alignment{{Src: 1, Tgt: 2, Pairs: []Pair{{SrcFrom: 1, SrcTo: 1, TgtFrom: 1, TgtTo: 1}}}}
	v := NewView(iv, als, Family, now)
	if v.Segment(1, 1) || v.Segment(2, 1) {
		t.Errorf("es visible %v, en visible %v; want both hidden", v.Segment(1, 1), v.Segment(2, 1))
	}
}

func TestMomentsIgnoreBadPairs(t *testing.T) {
	iv, _ := offsetInterview()
	als := []Alignment{{Src: 1, Tgt: 2, Pairs: []Pair{{SrcFrom: -3, SrcTo: 2, TgtFrom: 5, TgtTo: 900}, {SrcFrom: 7, SrcTo: 1 << 30, TgtFrom: -1 << 30, TgtTo: -3}}},
		{Src: 1, Tgt: 99, Pairs: []Pair{{SrcFrom: 1, SrcTo: 1, TgtFrom: 1, TgtTo: 1}}}}
	m := NewMoments(iv, als)
	if len(m.Seals(1, 1)) == 0 || len(m.Seals(2, 6)) == 0 {
		t.Error("clamped pair did not join es 1-2 with en 5-6")
	}
	v := NewView(iv, als, Public, time.Now())
	v.Alignments(als)
}

func TestStrictest(t *testing.T) {
	level, day := Strictest([]Seal{{Level: Family, Until: "2030-01-01"}, {Level: Staff, Until: "2029-01-01"}, {Level: Family, Until: "bad"}})
	if level != Staff || day != 1<<40 {
		t.Errorf("Strictest = %s, %d; want staff, sealed for good", level, day)
	}
}

// TestViewLeavesOutChaptersAndReasons: a chapter that begins in a hidden
// stretch, in any language's times, is left out of the copy an audience
// gets, with the reason of a seal that hides anything from it.
func TestViewLeavesOutChaptersAndReasons(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iv, als := offsetInterview()
	iv.Tracks[0].Chapters = []Chapter{{StartMS: 0, Title: "before"}, {StartMS: 15_000, Title: "the dispute"}, {StartMS: 55_000, Title: "after"}}
	iv.Tracks[1].Chapters = []Chapter{{StartMS: 35_000, Title: "the dispute, in English times"}}
	got := NewView(iv, als, Public, now).Interview()
	var titles []string
	for _, tr := range got.Tracks {
		for _, c := range tr.Chapters {
			titles = append(titles, c.Title)
		}
	}
	if strings.Join(titles, "|") != "after" {
		t.Errorf("public chapters %q, want only \"after\" (the others begin in hidden moments)", titles)
	}
	if got.Sealed[0].Reason != "" {
		t.Errorf("public sees the reason %q", got.Sealed[0].Reason)
	}
	if staff := NewView(iv, als, Staff, now).Interview(); len(staff.Tracks[0].Chapters) != 3 || staff.Sealed[0].Reason == "" {
		t.Errorf("staff lost chapters or the reason: %+v", staff.Tracks[0].Chapters)
	}
}
