package archive

import (
	"fmt"
	"strings"
	"time"
)

// Access is who may see an interview or a sealed stretch of it.
type Access int

// Access levels, from the widest audience to the narrowest.
const (
	Public Access = iota // anyone
	Family               // the family and people they trust
	Staff                // the archivists
)

var accessNames = [...]string{"public", "family", "staff"}

func (a Access) String() string {
	if a < Public || a > Staff {
		return fmt.Sprintf("access(%d)", int(a))
	}
	return accessNames[a]
}

// ParseAccess reads "public", "family" or "staff".
func ParseAccess(s string) (Access, error) {
	for i, n := range accessNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Access(i), nil
		}
	}
	return 0, fmt.Errorf("unknown access level %q (want public, family or staff)", s)
}

// MarshalText writes the level's name.
func (a Access) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads a level's name.
func (a *Access) UnmarshalText(b []byte) error {
	v, err := ParseAccess(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Interview is one recorded conversation and what is known about it.
type Interview struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	TitleEN      string   `json:"title_en,omitempty"`
	Narrators    []string `json:"narrators"`
	Interviewers []string `json:"interviewers"`
	Date         string   `json:"date,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD
	Place        string   `json:"place,omitempty"`
	Collection   string   `json:"collection,omitempty"`
	Language     string   `json:"language"` // language of the original speech
	Access       Access   `json:"access"`
	Summary      string   `json:"summary,omitempty"`
	SummaryEN    string   `json:"summary_en,omitempty"`
	Media        []Media  `json:"media"`
	Sealed       []Seal   `json:"sealed"`
	Tracks       []Track  `json:"tracks,omitempty"`
	Version      int64    `json:"version"` // bumped each time the interview changes
}

// Media is a reference to the interview's audio or video.
type Media struct {
	File          string  `json:"file"`
	FPS           float64 `json:"fps,omitempty"`
	StartTimecode string  `json:"start_timecode,omitempty"` // SMPTE, e.g. 01:00:00:00
}

// Seal hides a stretch of an interview from audiences below Level until a date.
type Seal struct {
	StartMS int64  `json:"start_ms"`
	EndMS   int64  `json:"end_ms"`
	Until   string `json:"until"` // YYYY-MM-DD; the seal lifts at the start of that day (UTC)
	Level   Access `json:"level"` // the narrowest audience that may still see it
	Reason  string `json:"reason,omitempty"`
}

// Active reports whether the seal still holds at now.
func (s Seal) Active(now time.Time) bool {
	until, err := time.Parse("2006-01-02", s.Until)
	if err != nil {
		return true // an unreadable date keeps the seal: never unseal by accident
	}
	return now.Before(until)
}

// InForce reports whether the seal hides anything from audience at now.
// What it hides is decided per moment, in every language: see View.
func (s Seal) InForce(audience Access, now time.Time) bool {
	return audience < s.Level && s.Active(now)
}

// Track is one file of an interview: a transcript or subtitles in one language.
type Track struct {
	ID        int64     `json:"id"`
	Interview string    `json:"interview"`
	Lang      string    `json:"lang"`
	Kind      string    `json:"kind"`   // "subtitles" or "transcript"
	Format    string    `json:"format"` // e.g. "srt", "vtt"
	Name      string    `json:"name"`   // the original file's name
	SHA256    string    `json:"sha256"` // checksum of the original bytes
	Size      int64     `json:"size"`
	Encoding  string    `json:"encoding"`
	AddedAt   time.Time `json:"added_at"`
	Segments  []Segment `json:"segments,omitempty"`
	Chapters  []Chapter `json:"chapters,omitempty"`
	Words     *Words    `json:"words,omitempty"` // the word accounting of its ingest; nil when its words were not counted
}

// Chapter is a titled stretch of an interview from an index (OHMS), in
// the track's language and an alternate one.
type Chapter struct {
	StartMS     int64    `json:"start_ms"`
	Title       string   `json:"title"`
	TitleAlt    string   `json:"title_alt,omitempty"`
	Synopsis    string   `json:"synopsis,omitempty"`
	SynopsisAlt string   `json:"synopsis_alt,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	KeywordsAlt []string `json:"keywords_alt,omitempty"`
	Subjects    []string `json:"subjects,omitempty"`
	SubjectsAlt []string `json:"subjects_alt,omitempty"`
}

// Segment is one timed piece of a track.
type Segment struct {
	Seq       int    `json:"seq"` // 1-based position in the track
	StartMS   int64  `json:"start_ms"`
	EndMS     int64  `json:"end_ms"`
	Speaker   string `json:"speaker"`
	Text      string `json:"text"`
	Estimated bool   `json:"estimated,omitempty"` // times interpolated, not read from the file
}

// Alignment pairs the segments of a translation with those of its source.
type Alignment struct {
	ID        int64   `json:"id"`
	Interview string  `json:"interview"`
	Src       int64   `json:"src_track"`
	Tgt       int64   `json:"tgt_track"`
	Method    string  `json:"method"`
	OffsetMS  int64   `json:"offset_ms"`
	Scale     float64 `json:"scale"`
	Pairs     []Pair  `json:"pairs"`
}

// Pair links source segments [SrcFrom, SrcTo] to target segments [TgtFrom,
// TgtTo], both 1-based and inclusive; a side with no segments is 0, 0.
type Pair struct {
	SrcFrom int     `json:"src_from"`
	SrcTo   int     `json:"src_to"`
	TgtFrom int     `json:"tgt_from"`
	TgtTo   int     `json:"tgt_to"`
	Score   float64 `json:"score"`
}
