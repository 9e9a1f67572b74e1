package bilingual

import (
	"sort"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/align"
)

// Event is one aligned group of cues: source cues and the target cues
// that translate them, either side possibly empty.
type Event struct {
	Start, End time.Duration // the source cues' span; the target's, mapped onto the source clock, when there are none
	Speaker    string        // the first cue's speaker
	Source     string        // the source cues' text, one cue a line
	Target     string        // the target cues' text, one cue a line
	Src, Tgt   []int         // the cue indexes, ascending
	Score      float64       // the alignment's confidence in the pairing, 0 to 1
}

// Options tune Pair.
type Options struct {
	Align align.Options // passed to align.Time
}

// Pair aligns target with source (align.Time: offset, frame-rate drift,
// one-to-many pairs) and returns one event per aligned group, in time
// order. Every cue of both sides is in exactly one event; a cue left
// unaligned is an event of its own.
func Pair(src, tgt []subtitles.Cue, opt Options) []Event {
	res := align.Time(src, tgt, opt.Align)
	events := make([]Event, 0, len(res.Pairs))
	for _, p := range res.Pairs {
		e := Event{Src: p.Src, Tgt: p.Tgt, Score: p.Score}
		switch {
		case len(p.Src) > 0:
			e.Start, e.End = src[p.Src[0]].Start, src[p.Src[0]].End
			for _, i := range p.Src {
				e.Start, e.End = min(e.Start, src[i].Start), max(e.End, src[i].End)
			}
			e.Speaker = src[p.Src[0]].Speaker
		case len(p.Tgt) > 0:
			first, last := tgt[p.Tgt[0]], tgt[p.Tgt[len(p.Tgt)-1]]
			e.Start = max(res.Mapping.Apply(first.Start), 0)
			e.End = max(res.Mapping.Apply(last.End), e.Start)
			e.Speaker = first.Speaker
		default:
			continue
		}
		e.Source = join(src, p.Src)
		e.Target = join(tgt, p.Tgt)
		events = append(events, e)
	}
	// A target-only event sits where its mapped time puts it.
	sort.SliceStable(events, func(i, j int) bool { return events[i].Start < events[j].Start })
	return events
}

func join(cues []subtitles.Cue, idx []int) string {
	lines := make([]string, 0, len(idx))
	for _, i := range idx {
		if t := strings.TrimSpace(cues[i].Text); t != "" {
			lines = append(lines, t)
		}
	}
	return strings.Join(lines, "\n")
}

// Stacked returns one cue per event, its source lines above its target
// lines (target above source when targetFirst), and for each cue how many
// of its last lines are the translation, for WriteOptions.Italic; with
// targetFirst the source, below, is what is set in italics.
func Stacked(events []Event, targetFirst bool) (cues []subtitles.Cue, italic []int) {
	cues = make([]subtitles.Cue, len(events))
	italic = make([]int, len(events))
	for i, e := range events {
		top, bottom := e.Source, e.Target
		if targetFirst {
			top, bottom = bottom, top
		}
		text := strings.TrimSpace(top + "\n" + bottom)
		cues[i] = subtitles.Cue{Start: e.Start, End: e.End, Speaker: e.Speaker, Text: text}
		if bottom != "" && top != "" {
			italic[i] = strings.Count(bottom, "\n") + 1
		}
	}
	return cues, italic
}

// Styles returns the two ASS styles Split uses, named by the languages
// (e.g. "ES" and "EN"): the source white, the target pale yellow and in
// italics; the source at the top of the picture and the target at the
// bottom, or the other way round with targetTop.
func Styles(srcLang, tgtLang string, targetTop bool) (src, tgt subtitles.Style) {
	src = subtitles.Style{Name: styleName(srcLang, "SRC"), Alignment: 8}
	tgt = subtitles.Style{Name: styleName(tgtLang, "TGT"), Colour: "#FFF2A8", Italic: true, Alignment: 2}
	if targetTop {
		src.Alignment, tgt.Alignment = 2, 8
	}
	if src.Name == tgt.Name {
		src.Name, tgt.Name = src.Name+"1", tgt.Name+"2"
	}
	return src, tgt
}

func styleName(lang, fallback string) string {
	lang = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ',' || r == '\n' || r == ' ' {
			return -1
		}
		return r
	}, lang))
	if lang == "" {
		return fallback
	}
	return lang
}

// Split returns two cues per event, the source's and the target's, both
// on the event's times, and each one's style name (src or tgt), for
// WriteOptions.CueStyles: one ASS event per language.
func Split(events []Event, src, tgt subtitles.Style) (cues []subtitles.Cue, styles []string) {
	for _, e := range events {
		if e.Source != "" {
			cues = append(cues, subtitles.Cue{Start: e.Start, End: e.End, Speaker: e.Speaker, Text: e.Source})
			styles = append(styles, src.Name)
		}
		if e.Target != "" {
			cues = append(cues, subtitles.Cue{Start: e.Start, End: e.End, Speaker: e.Speaker, Text: e.Target})
			styles = append(styles, tgt.Name)
		}
	}
	return cues, styles
}
