package archive

import (
	"context"
	"sort"
	"sync"
	"time"
)

// This file is the one home of the access rule. Every read path (the
// CLI's show and search, the web pages, their JSON and VTT, media, exports
// of hits, the index's filters) asks a View or Moments; none compares seals
// with times itself.
//
// The rule: an audience below the interview's access level sees nothing of
// it. Otherwise a seal in force for the audience hides a moment: every
// segment whose own times touch the seal, and every segment tied to one of
// those by an alignment, in any language and through any chain of pairs. A
// translation whose times are offset from its source is hidden with the
// source line it translates, and the reverse.

// Moments knows which seals touch each segment's moment: the segment and
// everything aligned with it.
type Moments struct {
	iv    *Interview
	seals map[SegmentKey][]int // by segment: indices into iv.Sealed, nil when none
}

// NewMoments groups the segments of iv (loaded with segments) into moments
// by its alignments and finds the seals that touch each. Pairs that point
// outside their tracks are ignored.
func NewMoments(iv *Interview, als []Alignment) *Moments {
	m := &Moments{iv: iv, seals: map[SegmentKey][]int{}}
	if len(iv.Sealed) == 0 {
		return m
	}
	own := map[SegmentKey][]int{}
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			for i, seal := range iv.Sealed {
				if touches(seal, s.StartMS, s.EndMS) {
					k := SegmentKey{t.ID, s.Seq}
					own[k] = append(own[k], i)
				}
			}
		}
	}
	if len(own) == 0 {
		return m
	}
	// Union-find over the segments that alignments tie together.
	parent := map[SegmentKey]SegmentKey{}
	var find func(k SegmentKey) SegmentKey
	find = func(k SegmentKey) SegmentKey {
		p, ok := parent[k]
		if !ok || p == k {
			return k
		}
		r := find(p)
		parent[k] = r
		return r
	}
	union := func(a, b SegmentKey) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[ra] = rb
		}
	}
	counts := map[int64]int{}
	for _, t := range iv.Tracks {
		counts[t.ID] = len(t.Segments)
	}
	for _, al := range als {
		ns, okS := counts[al.Src]
		nt, okT := counts[al.Tgt]
		if !okS || !okT {
			continue
		}
		for _, p := range al.Pairs {
			keys := pairKeys(al.Src, p.SrcFrom, p.SrcTo, ns)
			keys = append(keys, pairKeys(al.Tgt, p.TgtFrom, p.TgtTo, nt)...)
			for _, k := range keys[min(1, len(keys)):] {
				union(keys[0], k)
			}
		}
	}
	byRoot := map[SegmentKey][]int{}
	for k, idx := range own {
		r := find(k)
		byRoot[r] = mergeIdx(byRoot[r], idx)
	}
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			k := SegmentKey{t.ID, s.Seq}
			if idx := byRoot[find(k)]; len(idx) > 0 {
				m.seals[k] = idx
			}
		}
	}
	return m
}

// pairKeys lists the segments [from, to] of a track of n segments, kept
// within 1..n; a side with no segments (0, 0) or wholly outside gives none.
func pairKeys(track int64, from, to, n int) []SegmentKey {
	from, to = max(from, 1), min(to, n)
	if from > to || to-from > n {
		return nil
	}
	keys := make([]SegmentKey, 0, to-from+1)
	for s := from; s <= to; s++ {
		keys = append(keys, SegmentKey{track, s})
	}
	return keys
}

func mergeIdx(a, b []int) []int {
	for _, x := range b {
		found := false
		for _, y := range a {
			found = found || x == y
		}
		if !found {
			a = append(a, x)
		}
	}
	sort.Ints(a)
	return a
}

// touches reports whether [startMS, endMS) meets the seal; a segment of no
// duration counts as one millisecond long, so it is never outside a seal it
// starts in.
func touches(s Seal, startMS, endMS int64) bool {
	endMS = max(endMS, startMS+1)
	return startMS < s.EndMS && endMS > s.StartMS
}

// Seals returns the seals that touch the moment of a segment: its own and
// those of every segment aligned with it.
func (m *Moments) Seals(track int64, seq int) []Seal {
	idx := m.seals[SegmentKey{track, seq}]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Seal, len(idx))
	for i, k := range idx {
		out[i] = m.iv.Sealed[k]
	}
	return out
}

// Strictest combines seals into the narrowest level among them and the
// latest day any of them lifts, as a day number since 1970 (an unreadable
// date seals for good). A moment under several seals is never shown too
// early or too widely by a filter that keeps one level and one date.
func Strictest(seals []Seal) (level Access, untilDay int64) {
	for _, s := range seals {
		level = max(level, s.Level)
		day := int64(1 << 40)
		if u, err := time.Parse("2006-01-02", s.Until); err == nil {
			day = u.Unix() / 86400
		}
		untilDay = max(untilDay, day)
	}
	return level, untilDay
}

// View is an interview as one audience sees it at one time.
type View struct {
	iv     *Interview
	aud    Access
	now    time.Time
	m      *Moments
	hiding bool       // some seal in force hides something from the audience
	spans  [][2]int64 // times hidden in any language, sorted and merged
	hidden map[SegmentKey]bool
	once   sync.Once
	cp     *Interview
}

// NewView decides what audience may see of iv (loaded with segments when
// any seal applies) at now, given its alignments.
func NewView(iv *Interview, als []Alignment, aud Access, now time.Time) *View {
	v := &View{iv: iv, aud: aud, now: now, hidden: map[SegmentKey]bool{}}
	if !v.Allowed() {
		return v
	}
	for _, s := range iv.Sealed {
		if s.InForce(aud, now) {
			v.hiding = true
			v.spans = append(v.spans, [2]int64{s.StartMS, s.EndMS})
		}
	}
	if !v.hiding {
		return v
	}
	v.m = NewMoments(iv, als)
	for _, t := range iv.Tracks {
		for _, s := range t.Segments {
			k := SegmentKey{t.ID, s.Seq}
			for _, seal := range v.m.Seals(t.ID, s.Seq) {
				if seal.InForce(aud, now) {
					v.hidden[k] = true
					v.spans = append(v.spans, [2]int64{s.StartMS, max(s.EndMS, s.StartMS+1)})
					break
				}
			}
		}
	}
	v.spans = mergeSpans(v.spans)
	return v
}

func mergeSpans(sp [][2]int64) [][2]int64 {
	sort.Slice(sp, func(i, j int) bool { return sp[i][0] < sp[j][0] })
	var out [][2]int64
	for _, s := range sp {
		if n := len(out); n > 0 && s[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}

// Audience is who the view is for.
func (v *View) Audience() Access { return v.aud }

// Level is the interview's access level: the widest audience that may see it.
func (v *View) Level() Access { return v.iv.Access }

// Allowed reports whether the audience may see the interview at all.
func (v *View) Allowed() bool { return v.aud >= v.iv.Access }

// Segment reports whether the audience may see a segment of a track.
func (v *View) Segment(track int64, seq int) bool {
	return v.Allowed() && !v.hidden[SegmentKey{track, seq}]
}

// Stretch reports whether the audience may see a stretch of time in every
// language: it meets no seal in force for the audience and no hidden
// moment's times. Chapters and recordings are decided by it.
func (v *View) Stretch(startMS, endMS int64) bool {
	if !v.Allowed() {
		return false
	}
	endMS = max(endMS, startMS+1)
	for _, s := range v.spans {
		if startMS < s[1] && endMS > s[0] {
			return false
		}
	}
	return true
}

// Withheld reports whether the recording is kept back: while any seal in
// force hides a moment from the audience, its sound could tell what the
// transcript leaves out.
func (v *View) Withheld() bool { return !v.Allowed() || v.hiding }

// Partial reports whether some moments are left out for the audience.
func (v *View) Partial() bool { return len(v.hidden) > 0 }

// Hidden returns how many segments are left out for the audience.
func (v *View) Hidden() int { return len(v.hidden) }

// Visible returns the segments of t the audience may see.
func (v *View) Visible(t *Track) []Segment {
	if !v.Allowed() {
		return nil
	}
	out := make([]Segment, 0, len(t.Segments))
	for _, s := range t.Segments {
		if !v.hidden[SegmentKey{t.ID, s.Seq}] {
			out = append(out, s)
		}
	}
	return out
}

// Interview returns a copy of the interview as the audience may see it:
// hidden segments left out (the others keep their Seq), chapters that begin
// in a hidden stretch left out, and the reasons of seals that hide anything
// from the audience removed. It is nil when the audience may not see the
// interview at all. Callers share the copy: they must not change it.
func (v *View) Interview() *Interview {
	if !v.Allowed() {
		return nil
	}
	v.once.Do(v.copyInterview)
	return v.cp
}

func (v *View) copyInterview() {
	cp := *v.iv
	cp.Tracks = make([]Track, len(v.iv.Tracks))
	for i := range v.iv.Tracks {
		t := v.iv.Tracks[i]
		if t.Segments != nil {
			t.Segments = v.Visible(&v.iv.Tracks[i])
		}
		var chs []Chapter
		for _, c := range t.Chapters {
			if v.Stretch(c.StartMS, c.StartMS+1) {
				chs = append(chs, c)
			}
		}
		t.Chapters = chs
		cp.Tracks[i] = t
	}
	cp.Sealed = make([]Seal, len(v.iv.Sealed))
	for i, s := range v.iv.Sealed {
		if v.aud < s.Level {
			s.Reason = ""
		}
		cp.Sealed[i] = s
	}
	v.cp = &cp
}

// Alignments returns the pairs of als whose segments the audience may all
// see (a pair is one moment, so it is seen or hidden whole).
func (v *View) Alignments(als []Alignment) []Alignment {
	out := make([]Alignment, 0, len(als))
	for _, al := range als {
		cp := al
		cp.Pairs = make([]Pair, 0, len(al.Pairs))
		for _, p := range al.Pairs {
			if v.pairVisible(al, p) {
				cp.Pairs = append(cp.Pairs, p)
			}
		}
		out = append(out, cp)
	}
	return out
}

func (v *View) pairVisible(al Alignment, p Pair) bool {
	if !v.Allowed() {
		return false
	}
	for s := max(p.SrcFrom, 1); s <= p.SrcTo && s-p.SrcFrom < 1<<20; s++ {
		if v.hidden[SegmentKey{al.Src, s}] {
			return false
		}
	}
	for s := max(p.TgtFrom, 1); s <= p.TgtTo && s-p.TgtFrom < 1<<20; s++ {
		if v.hidden[SegmentKey{al.Tgt, s}] {
			return false
		}
	}
	return true
}

// View loads interview id as audience sees it at now. Segments and
// alignments are read when segments is true or when a seal applies (the
// rule needs them); ErrNotFound when there is no such interview. A view
// whose audience may not see the interview is returned too: callers answer
// as for one that does not exist.
func (a *Archive) View(ctx context.Context, id string, aud Access, now time.Time, segments bool) (*View, error) {
	iv, err := a.Interview(ctx, id, segments)
	if err != nil {
		return nil, err
	}
	if aud < iv.Access {
		return NewView(iv, nil, aud, now), nil
	}
	needs := false
	for _, s := range iv.Sealed {
		needs = needs || s.InForce(aud, now)
	}
	if !needs {
		return NewView(iv, nil, aud, now), nil
	}
	if !segments {
		if iv, err = a.Interview(ctx, id, true); err != nil {
			return nil, err
		}
	}
	als, err := a.Alignments(ctx, id)
	if err != nil {
		return nil, err
	}
	return NewView(iv, als, aud, now), nil
}
