package subtitles

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Rate is an exact frame rate, Num/Den frames a second: 25/1, or
// 24000/1001 for the "23.976" of NTSC film.
type Rate struct {
	Num, Den int64
}

// String writes the rate the way people name it: "25", "23.976", "29.97".
func (r Rate) String() string {
	if r.Den == 1 {
		return strconv.FormatInt(r.Num, 10)
	}
	if r.Den == 1001 && r.Num%1000 == 0 {
		s := strconv.FormatFloat(float64(r.Num)/1001, 'f', 3, 64)
		if strings.HasSuffix(s, "0") && !strings.HasSuffix(s, ".000") {
			s = s[:len(s)-1] // 29.970 → 29.97
		}
		return s
	}
	return fmt.Sprintf("%d/%d", r.Num, r.Den)
}

// FPS returns the rate as a float, for display and for APIs that take one.
func (r Rate) FPS() float64 { return float64(r.Num) / float64(r.Den) }

// ParseRate reads a frame rate: an integer ("25"), a fraction
// ("24000/1001"), or a decimal. A decimal that is an NTSC rate N×1000/1001
// written to its decimals ("23.976" or "23.98", "29.97", "47.952",
// "59.94", "119.88") means that exact ratio; other decimals mean what
// they say ("12.5" is 25/2).
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (Rate, error) {
		return Rate{}, fmt.Errorf("frame rate %q: %s (want e.g. 25, 23.976 or 24000/1001)", s, why)
	}
	var r Rate
	if num, den, ok := strings.Cut(s, "/"); ok {
		n, err1 := strconv.ParseInt(num, 10, 64)
		d, err2 := strconv.ParseInt(den, 10, 64)
		if err1 != nil || err2 != nil {
			return bad("not a fraction of integers")
		}
		r = Rate{n, d}
	} else {
		whole, frac, _ := strings.Cut(s, ".")
		if whole == "" || len(frac) > 6 || strings.Trim(whole+frac, "0123456789") != "" {
			return bad("not a number")
		}
		scale := int64(1)
		for range len(frac) {
			scale *= 10
		}
		n, err := strconv.ParseInt(whole+frac, 10, 64)
		if err != nil {
			return bad("not a number")
		}
		r = Rate{n, scale}
		if frac != "" && n%scale != 0 {
			// The NTSC rate nearest to it: round(x × 1.001) × 1000/1001.
			ntsc := (n*1001/scale + 500) / 1000 * 1000
			// Written to len(frac) decimals, does it read as s?
			if ntsc > 0 && (ntsc*scale*2+1001)/(1001*2) == n {
				r = Rate{ntsc, 1001}
			}
		}
	}
	if r.Num <= 0 || r.Den <= 0 || r.Num > 1000*r.Den {
		return bad("out of range")
	}
	g := new(big.Int).GCD(nil, nil, big.NewInt(r.Num), big.NewInt(r.Den)).Int64()
	return Rate{r.Num / g, r.Den / g}, nil
}

// Point is a reference point for Stretch: a time in the file and the time
// it should have.
type Point struct {
	Old, New time.Duration
}

// Shift returns cues with every time at or after from moved by offset
// (from 0: all of them). A cue that starts before from but ends after it
// only has its end moved. Times that would fall below zero become zero.
func Shift(cues []Cue, offset, from time.Duration) []Cue {
	return MapTimes(cues, ShiftFunc(offset, from))
}

// ShiftFunc is Shift's time mapping, for Retime.
func ShiftFunc(offset, from time.Duration) func(time.Duration) time.Duration {
	return func(t time.Duration) time.Duration {
		if t < from {
			return t
		}
		return t + offset
	}
}

// ChangeFPS returns cues retimed from one frame rate to another: what was
// at frame n at rate from is at frame n at rate to, so times are scaled by
// from/to in exact rational arithmetic and rounded half away from zero to
// the millisecond. 25 → 23.976 (undoing PAL speed-up) lengthens times.
//
// Round trips, for millisecond times t, writing f for from→to and g for
// to→from: when f lengthens times (from > to), g(f(t)) = t exactly,
// because f(t) is within ½ ms of t×k (k = from/to > 1), so f(t)/k is
// within 1/(2k) < ½ ms of t and g rounds it back to t. When f shortens
// times, two times ½/k ms apart can round to the same millisecond, so
// g(f(t)) may differ from t, by at most ½ + 1/(2k) ms (1 ms for every
// pair of rates up to 2.5 apart, such as 23.976 and 59.94); but since
// g lengthens, f(g(f(t))) = f(t): converting back and forth again
// changes nothing after the first round trip.
func ChangeFPS(cues []Cue, from, to Rate) ([]Cue, error) {
	f, err := FPSFunc(from, to)
	if err != nil {
		return nil, err
	}
	return MapTimes(cues, f), nil
}

// FPSFunc is ChangeFPS's time mapping, for Retime.
func FPSFunc(from, to Rate) (func(time.Duration) time.Duration, error) {
	if from.Num <= 0 || from.Den <= 0 || to.Num <= 0 || to.Den <= 0 {
		return nil, fmt.Errorf("change frame rate: bad rate %v or %v", from, to)
	}
	// t × (from.Num/from.Den) / (to.Num/to.Den)
	num := new(big.Int).Mul(big.NewInt(from.Num), big.NewInt(to.Den))
	den := new(big.Int).Mul(big.NewInt(from.Den), big.NewInt(to.Num))
	return func(t time.Duration) time.Duration {
		return scaleMS(big.NewInt(int64(t)), num, den)
	}, nil
}

// Stretch returns cues retimed linearly so that time p.Old becomes p.New
// and q.Old becomes q.New: the offset and speed change between two
// references, such as the first and last line of a film in two releases.
// Times are rounded half away from zero to the millisecond.
func Stretch(cues []Cue, p, q Point) ([]Cue, error) {
	f, err := StretchFunc(p, q)
	if err != nil {
		return nil, err
	}
	return MapTimes(cues, f), nil
}

// StretchFunc is Stretch's time mapping, for Retime.
func StretchFunc(p, q Point) (func(time.Duration) time.Duration, error) {
	if p.Old == q.Old {
		return nil, errors.New("stretch: the two reference points are at the same time")
	}
	if (q.New-p.New < 0) != (q.Old-p.Old < 0) || q.New == p.New {
		return nil, errors.New("stretch: the reference points would reverse or collapse time (the later point must stay later)")
	}
	num := big.NewInt(int64(q.New - p.New))
	den := big.NewInt(int64(q.Old - p.Old))
	return func(t time.Duration) time.Duration {
		// (p.New×den + (t - p.Old)×num) / den, rounded as a whole.
		x := new(big.Int).Mul(big.NewInt(int64(p.New)), den)
		x.Add(x, new(big.Int).Mul(big.NewInt(int64(t-p.Old)), num))
		return scaleMS(x, big.NewInt(1), den)
	}, nil
}

// scaleMS returns x×num/den nanoseconds rounded half away from zero to
// the millisecond.
func scaleMS(x, num, den *big.Int) time.Duration {
	n := new(big.Int).Mul(x, num)
	d := new(big.Int).Mul(den, big.NewInt(int64(time.Millisecond)))
	if d.Sign() < 0 {
		n.Neg(n)
		d.Neg(d)
	}
	neg := n.Sign() < 0
	n.Abs(n)
	// (2n + d) / 2d: half up on the magnitude, so half away from zero.
	n.Mul(n, big.NewInt(2)).Add(n, d)
	q := n.Quo(n, d.Mul(d, big.NewInt(2)))
	if neg {
		q.Neg(q)
	}
	return time.Duration(q.Int64()) * time.Millisecond
}

// MapTimes returns a copy of cues with every start and end mapped through
// f; times below zero become zero and an end never comes before its start.
func MapTimes(cues []Cue, f func(time.Duration) time.Duration) []Cue {
	out := make([]Cue, len(cues))
	for i, c := range cues {
		c.Start, c.End = max(f(c.Start), 0), max(f(c.End), 0)
		c.End = max(c.End, c.Start)
		out[i] = c
	}
	return out
}
