// Package qc checks subtitles against a style guide's limits and makes the
// safe fixes: the quality control a translator runs before delivery.
//
// A Profile holds one guide's limits (line length, lines, reading speed in
// characters per second or words per minute, minimum and maximum duration,
// the frame gap between events, the speaker-dash style), each with its
// citation. The profiles are data, kept in profiles.yaml: Netflix English
// (USA), Netflix Spanish (Latin America and Spain), adult and children's,
// and the BBC.
//
// Check lists the issues of a track; Fix closes small gaps, opens overlaps,
// extends cues too short into the free time after them and re-breaks lines,
// without ever changing a word, and lists what it changed.
//
//	p, err := qc.Lookup("netflix-es-419")
//	if err != nil {
//		return err
//	}
//	for _, is := range qc.Check(track.Cues, p, qc.Options{FPS: 25}) {
//		fmt.Println(is.Cue, is.Severity, is.Check, is.Message)
//	}
//	fixed, changes := qc.Fix(track.Cues, p, qc.Options{FPS: 25})
package qc
