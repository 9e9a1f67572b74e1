package subtitles

import (
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		str  string
	}{
		{"25", Rate{25, 1}, "25"},
		{"23.976", Rate{24000, 1001}, "23.976"},
		{"23.98", Rate{24000, 1001}, "23.976"},
		{"24000/1001", Rate{24000, 1001}, "23.976"},
		{"29.97", Rate{30000, 1001}, "29.97"},
		{"30000/1001", Rate{30000, 1001}, "29.97"},
		{"47.952", Rate{48000, 1001}, "47.952"},
		{"59.94", Rate{60000, 1001}, "59.94"},
		{"119.88", Rate{120000, 1001}, "119.88"},
		{"50", Rate{50, 1}, "50"},
		{"50/2", Rate{25, 1}, "25"},
		{"25.000", Rate{25, 1}, "25"},
		{"12.5", Rate{25, 2}, "25/2"},
		{"23.976000", Rate{2997, 125}, "2997/125"},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if err != nil || got != tt.want || got.String() != tt.str {
			t.Errorf("ParseRate(%q) = %v (%s), %v; want %v (%s)", tt.in, got, got, err, tt.want, tt.str)
		}
	}
	for _, bad := range []string{"", "abc", "0", "-25", "25/0", "1/x", "1e3", "30000.5", ".5", "25.1234567"} {
		if r, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) = %v, want an error", bad, r)
		}
	}
}

var listedRates = []string{"23.976", "24", "25", "29.97", "30", "50", "59.94"}

// TestFPSRoundTrip proves on every millisecond of the first ten seconds,
// and on a sample up to 27 hours, for every pair of listed rates, what
// ChangeFPS's doc comment promises: a lengthening conversion and its
// inverse give back every time exactly; a shortening one is off by at
// most one millisecond and stable after the first round trip.
func TestFPSRoundTrip(t *testing.T) {
	var times []time.Duration
	for ms := int64(0); ms <= 10000; ms++ {
		times = append(times, time.Duration(ms)*time.Millisecond)
	}
	for ms := int64(10001); ms < 27*3600*1000; ms += 9973 {
		times = append(times, time.Duration(ms)*time.Millisecond)
	}
	for _, a := range listedRates {
		for _, b := range listedRates {
			ra, _ := ParseRate(a)
			rb, _ := ParseRate(b)
			f, _ := FPSFunc(ra, rb)
			g, _ := FPSFunc(rb, ra)
			lengthens := ra.Num*rb.Den >= rb.Num*ra.Den
			for _, x := range times {
				y := f(x)
				back := g(y)
				if y%time.Millisecond != 0 {
					t.Fatalf("%s→%s: %v is not whole milliseconds", a, b, y)
				}
				if lengthens && back != x {
					t.Fatalf("%s→%s→%s: %v became %v", a, b, a, x, back)
				}
				if d := back - x; d > time.Millisecond || d < -time.Millisecond {
					t.Fatalf("%s→%s→%s: %v became %v", a, b, a, x, back)
				}
				if f(back) != y {
					t.Fatalf("%s→%s→%s→%s: %v: not stable (%v, then %v)", a, b, a, b, x, y, f(back))
				}
			}
		}
	}
}

func TestChangeFPS(t *testing.T) {
	r25, _ := ParseRate("25")
	r23, _ := ParseRate("23.976")
	cues := []Cue{{Start: time.Hour, End: time.Hour + 2*time.Second, Text: "a"}}
	got, err := ChangeFPS(cues, r25, r23)
	if err != nil {
		t.Fatal(err)
	}
	// 3600 s × 25 × 1001 / 24000 = 3753.75 s
	if got[0].Start != 3753750*time.Millisecond || got[0].End != 3755835*time.Millisecond || cues[0].Start != time.Hour {
		t.Errorf("got %v-%v, want 1h2m33.75s-1h2m35.835s (and the input untouched)", got[0].Start, got[0].End)
	}
	if _, err := ChangeFPS(cues, Rate{}, r25); err == nil {
		t.Error("zero rate: want an error")
	}
}

func TestShiftStretch(t *testing.T) {
	cues := []Cue{
		{Start: time.Second, End: 2 * time.Second},
		{Start: 10 * time.Second, End: 12 * time.Second},
		{Start: 20 * time.Second, End: 21 * time.Second},
	}
	ms := func(cs []Cue) string {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(FormatTime(c.Start) + "-" + FormatTime(c.End) + " ")
		}
		return b.String()
	}
	tests := []struct {
		name string
		got  []Cue
		want string
	}{
		{"shift all", Shift(cues, -1500*time.Millisecond, 0), "00:00:00.000-00:00:00.500 00:00:08.500-00:00:10.500 00:00:18.500-00:00:19.500 "},
		{"shift from 11s", Shift(cues, 3*time.Second, 11*time.Second), "00:00:01.000-00:00:02.000 00:00:10.000-00:00:15.000 00:00:23.000-00:00:24.000 "},
		{"stretch", must(Stretch(cues, Point{10 * time.Second, 11 * time.Second}, Point{20 * time.Second, 23 * time.Second})),
			"00:00:00.200-00:00:01.400 00:00:11.000-00:00:13.400 00:00:23.000-00:00:24.200 "},
		{"stretch thirds", must(Stretch(cues, Point{0, 0}, Point{3 * time.Second, 4 * time.Second})),
			"00:00:01.333-00:00:02.667 00:00:13.333-00:00:16.000 00:00:26.667-00:00:28.000 "},
	}
	for _, tt := range tests {
		if got := ms(tt.got); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
	for _, pq := range [][2]Point{{{time.Second, 0}, {time.Second, 5}}, {{0, 10}, {time.Second, 5}}, {{0, 5}, {time.Second, 5}}} {
		if _, err := Stretch(cues, pq[0], pq[1]); err == nil {
			t.Errorf("Stretch(%v): want an error", pq)
		}
	}
}

func must(c []Cue, err error) []Cue {
	if err != nil {
		panic(err)
	}
	return c
}

func TestRetimeFile(t *testing.T) {
	ass := "\ufeff[Script Info]\r\nTitle: x\r\n\r\n[Events]\r\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r\nDialogue: 0,0:00:01.00,0:00:02.50,Default,Ana,0,0,0,,{\\i1}Hola{\\i0}, qué tal\r\nComment: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,nota\r\n"
	out, clamped, err := RetimeFile("a.ass", []byte(ass), ShiftFunc(-1005*time.Millisecond, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("0:00:01.00,0:00:02.50", "0:00:00.00,0:00:01.50", "0:00:03.00,0:00:04.00", "0:00:02.00,0:00:03.00").Replace(ass)
	if string(out) != want || clamped != 1 {
		t.Errorf("got %q (%d clamped), want %q (1)", out, clamped, want)
	}
	ttml := []byte(`<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="00:00:01.000" end="00:00:02.000">Hola</p></div></body></tt>`)
	out, _, err = RetimeFile("a.ttml", ttml, ShiftFunc(time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	if tr, err := Read("a.ttml", out); err != nil || tr.Cues[0].Start != 2*time.Second || tr.Cues[0].Text != "Hola" {
		t.Errorf("ttml: got %v, %v", tr, err)
	}
}
