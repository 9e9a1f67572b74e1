// Package bilingual puts two languages of the same speech in one subtitle
// file: each line of the source with its translation, paired by the
// alignment engine (subtitles/align), not by cue number, so that
// translations segmented differently, offset or at another frame rate
// still land beside the right words.
//
// Pair gives one Event per aligned group (one-to-one, one-to-two,
// two-to-one…), timed by its source cues; Stacked turns events into
// cues with the two texts one above the other, Split into two styled ASS
// events each:
//
//	events := bilingual.Pair(es.Cues, en.Cues, bilingual.Options{})
//	cues, italic := bilingual.Stacked(events, false)
//	subtitles.WriteWith(w, subtitles.FormatSRT, cues, subtitles.WriteOptions{Italic: italic})
package bilingual
