package export

import (
	"bytes"
	"encoding/xml"
	"math/big"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// The parts of an FCPXML document the test reads back.
type (
	xDoc struct {
		Version string `xml:"version,attr"`
		Formats []struct {
			ID            string `xml:"id,attr"`
			FrameDuration string `xml:"frameDuration,attr"`
		} `xml:"resources>format"`
		Assets []struct {
			ID     string `xml:"id,attr"`
			Name   string `xml:"name,attr"`
			Start  string `xml:"start,attr"`
			Format string `xml:"format,attr"`
			Rep    struct {
				Src string `xml:"src,attr"`
			} `xml:"media-rep"`
		} `xml:"resources>asset"`
		Project struct {
			Name     string `xml:"name,attr"`
			Sequence struct {
				Format   string `xml:"format,attr"`
				Duration string `xml:"duration,attr"`
				TCStart  string `xml:"tcStart,attr"`
				TCFormat string `xml:"tcFormat,attr"`
				Spine    struct {
					Clips []xClip `xml:",any"`
				} `xml:"spine"`
			} `xml:"sequence"`
		} `xml:"library>event>project"`
	}
	xClip struct {
		XMLName  xml.Name
		Ref      string `xml:"ref,attr"`
		Offset   string `xml:"offset,attr"`
		Start    string `xml:"start,attr"`
		Duration string `xml:"duration,attr"`
		Markers  []struct {
			Start    string `xml:"start,attr"`
			Duration string `xml:"duration,attr"`
			Value    string `xml:"value,attr"`
			Note     string `xml:"note,attr"`
		} `xml:"marker"`
	}
)

// seconds reads an FCPXML time such as "1001/30000s" or "3600s".
func seconds(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(strings.TrimSuffix(s, "s"))
	if !ok || !strings.HasSuffix(s, "s") {
		t.Fatalf("time %q: want a rational number of seconds", s)
	}
	return r
}

// frames checks that time s is a whole number of frames of frame duration
// fd, and returns it.
func frames(t *testing.T, s string, fd *big.Rat) int64 {
	t.Helper()
	n := new(big.Rat).Quo(seconds(t, s), fd)
	if !n.IsInt() {
		t.Fatalf("time %s is not a whole number of %s s frames", s, fd.RatString())
	}
	return n.Num().Int64()
}

func TestFCPXML(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clips := tc.clips()
			out := output(t, FormatFCPXML, clips, tc.opt)
			if !bytes.HasPrefix(out, []byte(xml.Header+"<!DOCTYPE fcpxml>\n")) {
				t.Errorf("want an XML header and DOCTYPE, got %.60q", out)
			}
			var doc xDoc
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != "1.9" {
				t.Errorf("version %q, want 1.9", doc.Version)
			}
			fds := map[string]*big.Rat{}
			for _, f := range doc.Formats {
				fds[f.ID] = seconds(t, f.FrameDuration)
			}
			seq := doc.Project.Sequence
			fd := fds[seq.Format]
			fps := timelineFPS(tc.opt, clips)
			if fd == nil || new(big.Rat).Inv(fd).FloatString(3) != big.NewRat(int64(fps*1000+0.5), 1000).FloatString(3) {
				t.Fatalf("sequence format %q: frame duration %v, want 1/%.3f s", seq.Format, fd, fps)
			}
			if want := map[bool]string{true: "DF", false: "NDF"}[subtitles.DropFrame(fps)]; seq.TCFormat != want {
				t.Errorf("tcFormat %s, want %s", seq.TCFormat, want)
			}
			start, _ := subtitles.TimecodeFrames("01:00:00:00", fps)
			if n := frames(t, seq.TCStart, fd); n != int64(start) {
				t.Errorf("tcStart %s is frame %d, want %d (01:00:00:00)", seq.TCStart, n, start)
			}
			items := seq.Spine.Clips
			if len(items) != len(clips) {
				t.Fatalf("got %d clips on the spine, want %d", len(items), len(clips))
			}
			next := frames(t, seq.TCStart, fd)
			for i, it := range items {
				c := clips[i]
				if off := frames(t, it.Offset, fd); off != next {
					t.Errorf("clip %d: offset frame %d, want %d (right after the previous clip)", i+1, off, next)
				}
				d := frames(t, it.Duration, fd)
				if d <= 0 {
					t.Errorf("clip %d: duration %s", i+1, it.Duration)
				}
				next += d
				if len(it.Markers) != 1 {
					t.Fatalf("clip %d: %d markers, want 1", i+1, len(it.Markers))
				}
				m := it.Markers[0]
				if m.Value != label(&c) || m.Note != c.Translation {
					t.Errorf("clip %d: marker %q (note %q), want %q (note %q)", i+1, m.Value, m.Note, label(&c), c.Translation)
				}
				if c.Media == "" {
					if it.XMLName.Local != "gap" {
						t.Errorf("clip %d without media: got <%s>, want <gap>", i+1, it.XMLName.Local)
					}
					continue
				}
				if it.XMLName.Local != "asset-clip" {
					t.Fatalf("clip %d: got <%s>, want <asset-clip>", i+1, it.XMLName.Local)
				}
				var asset *big.Rat
				var afd *big.Rat
				for _, a := range doc.Assets {
					if a.ID == it.Ref {
						if a.Name != baseName(c.Media) || a.Rep.Src != mediaURL(c.Media) {
							t.Errorf("clip %d: asset %s %q at %q, want %q", i+1, a.ID, a.Name, a.Rep.Src, c.Media)
						}
						asset, afd = seconds(t, a.Start), fds[a.Format]
					}
				}
				if asset == nil || afd == nil {
					t.Fatalf("clip %d: ref %q names no asset with a format", i+1, it.Ref)
				}
				cfps := rateFor(c, clips, tc.opt, false)
				base := frames(t, asset.RatString()+"s", afd)
				if want := base + int64(subtitles.FrameAt(max(c.Start-tc.opt.Handles, 0), cfps)); frames(t, it.Start, afd) != want {
					t.Errorf("clip %d: start %s, want frame %d", i+1, it.Start, want)
				}
				if want := base + int64(subtitles.FrameAt(c.Start, cfps)); frames(t, m.Start, afd) != want {
					t.Errorf("clip %d: marker at %s, want frame %d", i+1, m.Start, want)
				}
			}
			if end := frames(t, seq.TCStart, fd) + frames(t, seq.Duration, fd); next != end {
				t.Errorf("clips end at frame %d, the sequence at %d", next, end)
			}
		})
	}
}
