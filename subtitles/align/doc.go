// Package align pairs the cues of two tracks of the same speech, such as
// Spanish subtitles and their English translation segmented differently:
// by time overlap where the timing holds, and by content everywhere.
//
// Time first finds how the target's clock maps onto the source's (a
// constant offset and a speed factor from a frame-rate change, detected
// from the cue times, and cuts where the offset changes), then pairs cues
// by dynamic programming over time overlap and content evidence, allowing
// one cue to match two or three on the other side and cues to stay
// unmatched. Every source and target cue appears in exactly one pair.
//
// Content evidence is one score for every aligner: words that a lexicon
// (Options.Lexicon: learned, a dictionary, a glossary) translates,
// cognates, shared names and numbers, ¿? and ¡!, speaker changes; a
// filler ("Mmm.", "Sí, sí.") or a translator's note may stay unpaired.
// When few paired cues start together (a translation re-timed cue by cue
// to a narrator), Time pairs on content within a time window and re-times
// the target from the pairs (Method "voice-over"). TextWith aligns an
// untimed translation the same way, with a length model in place of time;
// Auto chooses between Time and TextWith by whether the target has times.
// Sync moves a track onto a reference's timing; every result carries
// Regions, each stretch with its own confidence, flagged when its evidence
// disagrees.
//
//	res := align.Time(spanish.Cues, english.Cues, align.Options{Lexicon: lx})
//	for _, p := range res.Pairs {
//		fmt.Println(p.Src, p.Tgt, p.Score)
//	}
package align
