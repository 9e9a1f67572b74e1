package archive

import "strings"

// SegmentKey names one segment: its track and 1-based position.
type SegmentKey struct {
	Track int64
	Seq   int
}

// Twin is what a segment is aligned with in another language.
type Twin struct {
	Lang    string  `json:"lang"`
	Track   int64   `json:"track"`
	From    int     `json:"from"` // first aligned segment, 1-based
	To      int     `json:"to"`   // last aligned segment, inclusive
	StartMS int64   `json:"start_ms"`
	EndMS   int64   `json:"end_ms"`
	Text    string  `json:"text"`
	Score   float64 `json:"score"`
	// Lead is set on the first segment of its side of the pair: the one
	// that carries the twin's words in the search index, so a moment
	// split over several segments is found once.
	Lead bool `json:"-"`
	// Translation is set when this segment is the translation side of the
	// pair and the twin its source.
	Translation bool `json:"-"`
}

// Twins maps each aligned segment of iv (loaded with segments) to its
// counterpart. A source segment aligned with two translations keeps the
// first; segments aligned with nothing are absent.
func Twins(iv *Interview, als []Alignment) map[SegmentKey]Twin {
	tracks := map[int64]*Track{}
	for i := range iv.Tracks {
		tracks[iv.Tracks[i].ID] = &iv.Tracks[i]
	}
	out := map[SegmentKey]Twin{}
	for _, al := range als {
		src, tgt := tracks[al.Src], tracks[al.Tgt]
		if src == nil || tgt == nil {
			continue
		}
		for _, p := range al.Pairs {
			// Unpaired sides (0-0) have no twin; and a damaged or crafted
			// catalogue may hold any numbers: only ranges of segments that
			// exist are followed.
			if !within(p.SrcFrom, p.SrcTo, len(src.Segments)) || !within(p.TgtFrom, p.TgtTo, len(tgt.Segments)) {
				continue
			}
			toTgt := twinOf(tgt, p.TgtFrom, p.TgtTo, p.Score)
			toSrc := twinOf(src, p.SrcFrom, p.SrcTo, p.Score)
			for s := p.SrcFrom; s <= p.SrcTo; s++ {
				k := SegmentKey{src.ID, s}
				if _, ok := out[k]; !ok {
					tw := toTgt
					tw.Lead = s == p.SrcFrom
					out[k] = tw
				}
			}
			for s := p.TgtFrom; s <= p.TgtTo; s++ {
				tw := toSrc
				tw.Lead, tw.Translation = s == p.TgtFrom, true
				out[SegmentKey{tgt.ID, s}] = tw
			}
		}
	}
	return out
}

// within reports whether [from, to] is a range of segments of a track of n.
func within(from, to, n int) bool { return 1 <= from && from <= to && to <= n }

func twinOf(t *Track, from, to int, score float64) Twin {
	tw := Twin{Lang: t.Lang, Track: t.ID, From: from, To: to, Score: score}
	var texts []string
	for s := from; s <= to && s <= len(t.Segments); s++ {
		seg := t.Segments[s-1]
		if s == from {
			tw.StartMS = seg.StartMS
		}
		tw.EndMS = seg.EndMS
		texts = append(texts, seg.Text)
	}
	tw.Text = strings.Join(texts, " ")
	return tw
}
