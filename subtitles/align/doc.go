// Package align pairs the cues of two timed tracks of the same speech,
// such as Spanish subtitles and their English translation segmented
// differently, by time overlap.
//
// Time first finds how the target's clock maps onto the source's (a
// constant offset and a speed factor from a frame-rate change, detected
// from the cue times), then pairs cues by dynamic programming over time
// overlap, allowing one cue to match two or three on the other side and
// cues to stay unmatched. Every source and target cue appears in exactly
// one pair.
//
//	res := align.Time(spanish.Cues, english.Cues, align.Options{})
//	for _, p := range res.Pairs {
//		fmt.Println(p.Src, p.Tgt, p.Score)
//	}
package align
