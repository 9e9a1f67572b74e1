package export

import (
	"fmt"
	"math"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// rate is a frame rate as the fraction num/den frames per second, exact
// for the NTSC rates that FCPXML writes as 1001/30000s frames.
type rate struct{ num, den int64 }

// rateOf reads a frame rate. 23.976, 29.97, 47.952, 59.94 and 119.88 are
// taken as the NTSC rates 24000/1001 and so on, which they stand for.
func rateOf(fps float64) (rate, error) {
	if !(fps >= 1 && fps <= 1000) {
		return rate{}, fmt.Errorf("frame rate %v: want 1 to 1000 frames a second", fps)
	}
	for _, k := range []int64{24, 30, 48, 60, 120} {
		if math.Abs(fps-float64(k)*1000/1001) < 0.005 {
			return rate{k * 1000, 1001}, nil
		}
	}
	if n := math.Round(fps); math.Abs(fps-n) < 0.001 {
		return rate{int64(n), 1}, nil
	}
	num, den := int64(math.Round(fps*1000)), int64(1000)
	g := gcd(num, den)
	return rate{num / g, den / g}, nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func (r rate) fps() float64 { return float64(r.num) / float64(r.den) }

// seconds writes the time of n frames as FCPXML's rational seconds, with
// the frame rate's own denominator ("3003/30000s"), or whole ("3600s").
func (r rate) seconds(n int) string {
	t := int64(n) * r.den
	if t%r.num == 0 {
		return fmt.Sprintf("%ds", t/r.num)
	}
	return fmt.Sprintf("%d/%ds", t, r.num)
}

// duration is the time of n frames.
func (r rate) duration(n int) time.Duration {
	return time.Duration(math.Round(float64(n) * float64(r.den) * 1e9 / float64(r.num)))
}

// timecode writes frame n as SMPTE timecode.
func (r rate) timecode(n int) string { return subtitles.FramesTimecode(n, r.fps()) }

// timeline is the clips assembled back to back: the "selects".
type timeline struct {
	rate   rate
	start  int // the frame of the record start, 01:00:00:00
	frames int // the timeline's length
	events []event
}

// event is one clip on the timeline. Source frames count from media time
// 0 at the clip's rate (add srcStart for timecode); record frames count
// from the start of the timeline (add timeline.start).
type event struct {
	clip          *Clip
	rate          rate
	srcStart      int // the frames of the media's start timecode
	in, out       int // the source range with handles; out is the first frame after it
	segIn, segOut int // the segment without handles
	recIn, recOut int
}

// sourceTC writes source frame n of the event as timecode.
func (e *event) sourceTC(n int) string { return e.rate.timecode(e.srcStart + n) }

// assemble places the clips back to back, each lasting its segment plus
// handles in whole frames. oneRate refuses clips whose rate differs from
// the timeline's, unless opt.FPS sets a rate for all.
func assemble(clips []Clip, opt Options, oneRate bool) (*timeline, error) {
	if opt.Handles < 0 {
		return nil, fmt.Errorf("handles %v: want 0 or more", opt.Handles)
	}
	if opt.FPS < 0 || math.IsNaN(opt.FPS) {
		return nil, fmt.Errorf("timeline frame rate %v: want 0 (from the clips) or more", opt.FPS)
	}
	fps := opt.FPS
	for i := 0; fps == 0 && i < len(clips); i++ {
		if clips[i].FPS > 0 {
			fps = clips[i].FPS
		}
	}
	if fps == 0 {
		fps = 25
	}
	r, err := rateOf(fps)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	tl := &timeline{rate: r}
	tl.start, _ = subtitles.TimecodeFrames("01:00:00:00", r.fps())
	for i := range clips {
		e, err := tl.place(&clips[i], opt, oneRate)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", clipName(i, &clips[i]), err)
		}
		tl.events = append(tl.events, e)
	}
	return tl, nil
}

// clipName names a clip in errors.
func clipName(i int, c *Clip) string {
	if c.Interview == "" {
		return fmt.Sprintf("clip %d", i+1)
	}
	return fmt.Sprintf("clip %d (interview %s)", i+1, c.Interview)
}

// place adds a clip at the end of the timeline.
func (tl *timeline) place(c *Clip, opt Options, oneRate bool) (event, error) {
	e := event{clip: c, rate: tl.rate}
	switch {
	case c.FPS < 0 || math.IsNaN(c.FPS):
		return e, fmt.Errorf("media frame rate %v", c.FPS)
	case oneRate && opt.FPS > 0:
		// The caller chose one rate for every source.
	case c.FPS > 0:
		r, err := rateOf(c.FPS)
		if err != nil {
			return e, fmt.Errorf("media %w", err)
		}
		if oneRate && r != tl.rate {
			return e, fmt.Errorf("media frame rate %.6g differs from the timeline's %.6g; an EDL has one frame rate: export each interview on its own, or set a timeline frame rate that then times every source",
				r.fps(), tl.rate.fps())
		}
		e.rate = r
	}
	if c.Start < 0 || c.End < c.Start {
		return e, fmt.Errorf("segment %s-%s: want 0 <= start <= end", subtitles.FormatTime(c.Start), subtitles.FormatTime(c.End))
	}
	if c.StartTimecode != "" {
		n, err := subtitles.TimecodeFrames(c.StartTimecode, e.rate.fps())
		if err != nil {
			return e, fmt.Errorf("media start %w", err)
		}
		e.srcStart = n
	}
	fps := e.rate.fps()
	e.segIn = subtitles.FrameAt(c.Start, fps)
	e.segOut = max(subtitles.FrameAt(c.End, fps), e.segIn+1)
	e.in = subtitles.FrameAt(max(c.Start-opt.Handles, 0), fps)
	e.out = max(subtitles.FrameAt(c.End+opt.Handles, fps), e.segOut)
	e.recIn = tl.frames
	e.recOut = e.recIn + max(e.toTimeline(e.out-e.in, tl), 1)
	tl.frames = e.recOut
	return e, nil
}

// toTimeline converts n source frames of the event to timeline frames.
func (e *event) toTimeline(n int, tl *timeline) int {
	if e.rate == tl.rate {
		return n
	}
	return int(math.Round(float64(n) * tl.rate.fps() / e.rate.fps()))
}

// cue returns the record frames of the segment without handles.
func (e *event) cue(tl *timeline) (in, out int) {
	in = min(e.recIn+e.toTimeline(e.segIn-e.in, tl), e.recOut-1)
	out = min(in+max(e.toTimeline(e.segOut-e.segIn, tl), 1), e.recOut)
	return in, out
}
