package subtitles

import "testing"

// TestTTMLNewlineIsSpace: a newline in a TTML paragraph is a space, so the
// words on each side of it stay two words, as in the text a span follows.
func TestTTMLNewlineIsSpace(t *testing.T) {
	const doc = `<tt xmlns="http://www.w3.org/ns/ttml"><body><div>
<p begin="00:00:01.000" end="00:00:02.000">
    Hola
    <span>abuela</span><br/>adiós
</p>
</div></body></tt>`
	tr, err := Read("x.ttml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Cues) != 1 || tr.Cues[0].Text != "Hola abuela\nadiós" {
		t.Fatalf("got %+v, want one cue \"Hola abuela\\nadiós\"", tr.Cues)
	}
}
