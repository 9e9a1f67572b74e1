package archive

// TrackFor returns the interview's track in lang: its subtitles or, when
// it has none in lang, its transcript; of several, the first added. It is
// nil when the interview has no track in lang. An interview's alignments
// take their source track the same way, in the interview's language.
func (iv *Interview) TrackFor(lang string) *Track {
	var pick *Track
	for i := range iv.Tracks {
		t := &iv.Tracks[i]
		if t.Lang == lang && (pick == nil || pick.Kind != "subtitles" && t.Kind == "subtitles") {
			pick = t
		}
	}
	return pick
}
