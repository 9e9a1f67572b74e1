// Package resegment turns timed speech into subtitles that a viewer can
// read: it cuts a word stream into subtitles and lines at punctuation,
// clause boundaries and pauses, keeps each subtitle within a profile's
// Limits (characters per line, lines, reading speed, duration, gaps) and
// times it from the words it holds.
//
// Resegment works on a transcript or subtitle track, with Whisper's word
// timings where the track has them:
//
//	tr, err := subtitles.Read("interview.json", data)
//	...
//	cues, err := resegment.Resegment(tr.Cues, tr.Words, resegment.Limits{
//		MaxLineChars: 42, MaxLines: 2, MaxCPS: 17,
//		MinDuration: 833 * time.Millisecond, MaxDuration: 7 * time.Second,
//		MinGap: 84 * time.Millisecond,
//	})
//
// TranslateTiming times an untimed translation (one sentence or paragraph
// per line) after its timed source, with the text alignment of package
// align, and cuts each line into subtitles the same way.
//
// Words are never changed, dropped or reordered: the output's words,
// read in order, are the input's.
package resegment
