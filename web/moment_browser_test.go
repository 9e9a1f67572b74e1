package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// widths are the windows a family reads the page in.
var widths = []struct {
	name          string
	w, h          int64
	playerHeightP int // the player's height the test gives it, as a video's would be
}{
	{"desktop", 1280, 900, 440},
	{"phone", 390, 844, 250},
}

// geometry is where the current line and the player are on screen.
type geometry struct {
	Start                  int64
	Top, Bottom            float64
	PlayerTop, PlayerBot   float64
	ViewHeight             float64
	CueText, CurrentTextEN string
}

const geometryJS = `(() => {
  const r = document.querySelector(".transcript .row.now"), p = document.querySelector(".player");
  if (!r) return {Start: -1};
  const a = r.getBoundingClientRect(), b = p.getBoundingClientRect();
  let cue = "";
  for (const t of document.getElementById("media").textTracks) {
    if (t.mode === "showing" && t.activeCues && t.activeCues.length) cue = t.activeCues[0].text;
  }
  const en = r.querySelector('.cell[lang="en"]');
  return {Start: +r.dataset.start, Top: a.top, Bottom: a.bottom, PlayerTop: b.top, PlayerBot: b.bottom,
    ViewHeight: window.innerHeight, CueText: cue, CurrentTextEN: en ? en.textContent.trim() : ""};
})()`

// visible fails t unless the current line lies whole within the window
// and clear of the player.
func (g geometry) check(t *testing.T, what string) {
	t.Helper()
	if g.Start < 0 {
		t.Errorf("%s: no current line", what)
		return
	}
	overlaps := g.Top < g.PlayerBot && g.Bottom > g.PlayerTop
	if overlaps || g.Top < 0 || g.Bottom > g.ViewHeight {
		t.Errorf("%s: the current line (%.0f to %.0f px) is not clear of the player (%.0f to %.0f px) and within the window (0 to %.0f px)",
			what, g.Top, g.Bottom, g.PlayerTop, g.PlayerBot, g.ViewHeight)
	}
}

// TestBrowserMomentVisible plays cocina-larga as a family would at a
// desktop's and a phone's width: a click on a line's time, a deep link to
// the millisecond and the player following the recording each leave the
// current line whole on screen below the sticky player, and a deep link
// highlights, and the subtitle shows, the line asked for.
func TestBrowserMomentVisible(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t, "cocina-larga")
	ts := httptest.NewServer(f.server(archive.Public))
	defer ts.Close()
	for _, wd := range widths {
		t.Run(wd.name, func(t *testing.T) {
			// The test's recording is a WAV, whose player is a thin bar: give
			// the player a video's height, the case where lines hid under it.
			// (Through the CSSOM, which the page's CSP allows, before the
			// page's deferred script runs.)
			style := fmt.Sprintf(`document.addEventListener("readystatechange", () => { const p = document.querySelector(".player"); if (p) p.style.minHeight = "%dpx"; });`, wd.playerHeightP)
			var g geometry
			ready := chromedp.Poll(`document.getElementById("media").readyState >= 1`, nil, chromedp.WithPollingTimeout(15*time.Second))
			err := chromedp.Run(ctx,
				chromedp.EmulateViewport(wd.w, wd.h),
				chromedp.ActionFunc(func(ctx context.Context) error {
					_, err := cdppage.AddScriptToEvaluateOnNewDocument(style).Do(ctx)
					return err
				}),
			)
			if err != nil {
				t.Fatal(err)
			}
			// A click on a line further down.
			line := 24
			err = chromedp.Run(ctx,
				chromedp.Navigate(ts.URL+"/i/cocina-larga?lang=en"),
				chromedp.WaitVisible(`#media`, chromedp.ByID),
				ready,
				chromedp.Evaluate(fmt.Sprintf(`document.querySelector('.row[data-start="%d"] a.time').click()`, kitchenStart(line)), nil),
				chromedp.Poll(fmt.Sprintf(`document.getElementById("media").currentTime >= %g`, float64(kitchenStart(line))/1000), nil, chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Sleep(300*time.Millisecond),
				chromedp.Evaluate(geometryJS, &g),
			)
			if err != nil {
				t.Fatalf("click: %v", err)
			}
			g.check(t, "after a click")
			if g.Start != kitchenStart(line) {
				t.Errorf("after a click: current line starts at %d ms, want %d", g.Start, kitchenStart(line))
			}
			// Following: the reader scrolls away; the next line comes back into view.
			err = chromedp.Run(ctx,
				chromedp.Evaluate(`window.scrollTo(0, 0)`, nil),
				chromedp.Poll(fmt.Sprintf(`+(document.querySelector(".row.now") || {dataset: {}}).dataset.start === %d`, kitchenStart(line+1)), nil, chromedp.WithPollingTimeout(15*time.Second)),
				chromedp.Sleep(300*time.Millisecond),
				chromedp.Evaluate(geometryJS, &g),
				chromedp.Evaluate(`document.getElementById("media").pause()`, nil),
			)
			if err != nil {
				t.Fatalf("following: %v", err)
			}
			g.check(t, "following the recording")
			// A deep link to the millisecond, to a line that starts 947 ms
			// after the line before it began... in a second of its own.
			line = 11 // starts at 33.417 s; the line before at 30.470 s
			at := float64(kitchenStart(line)) / 1000
			err = chromedp.Run(ctx,
				chromedp.Navigate("about:blank"),
				chromedp.Navigate(fmt.Sprintf("%s/i/cocina-larga?lang=en#t=%s", ts.URL, seconds(kitchenStart(line)))),
				ready,
				chromedp.Poll(fmt.Sprintf(`document.getElementById("media").currentTime >= %g`, at), nil, chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Poll(`(() => { for (const t of document.getElementById("media").textTracks) if (t.mode === "showing" && t.activeCues && t.activeCues.length) return true; return false })()`, nil, chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Sleep(500*time.Millisecond),
				chromedp.Evaluate(geometryJS, &g),
			)
			if err != nil {
				t.Fatalf("deep link: %v", err)
			}
			g.check(t, "after a deep link")
			want := fmt.Sprintf("Line %d:", line+1)
			if g.Start != kitchenStart(line) || !strings.Contains(g.CurrentTextEN, want) {
				t.Errorf("deep link #t=%s: current line starts at %d ms (%q), want %d ms (%s)", seconds(kitchenStart(line)), g.Start, g.CurrentTextEN, kitchenStart(line), want)
			}
			if !strings.Contains(g.CueText, want) {
				t.Errorf("deep link #t=%s: the subtitle shows %q, want line %d", seconds(kitchenStart(line)), g.CueText, line+1)
			}
			screenshot(t, ctx, "deeplink-"+wd.name)
		})
	}
}

// TestBrowserSearchMoments opens '+N more' from a search and plays the
// search's moments in the story in turn.
func TestBrowserSearchMoments(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t, "cocina-larga", "radio-lupe")
	ts := httptest.NewServer(f.server(archive.Public))
	defer ts.Close()
	var more string
	var hits, marks int
	var pos string
	var g geometry
	var starts []int64
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(ts.URL+"/?q=pan&lang=en"),
		chromedp.WaitVisible(`p.more a`),
		chromedp.Text(`p.more a`, &more),
		chromedp.Click(`p.more a`),
		chromedp.WaitVisible(`.moments a.next`),
		chromedp.Evaluate(`document.querySelectorAll(".transcript .row.hit").length`, &hits),
		chromedp.Evaluate(`document.querySelectorAll(".transcript .row.hit mark").length`, &marks),
		chromedp.Poll(`document.getElementById("media").readyState >= 1`, nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Click(`.moments a.next`),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Evaluate(`+document.querySelector(".row.now").dataset.start`, &g.Start),
		chromedp.Click(`.moments a.next`),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Evaluate(`[+document.querySelector(".row.now").dataset.start, Math.round(document.getElementById("media").currentTime * 1000)]`, &starts),
		chromedp.Text(`.moments .pos`, &pos),
		chromedp.Evaluate(geometryJS, &g),
	)
	if err != nil {
		t.Fatal(err)
	}
	if more != "+5 more in this story" {
		t.Errorf("got %q, want +5 more in this story", more)
	}
	if hits != 8 || marks < 8 {
		t.Errorf("the story shows %d lines marked with %d highlighted words, want 8 lines, each with its word", hits, marks)
	}
	// The page lands on the first moment; next goes to the second, then the third.
	if len(starts) != 2 || starts[0] != kitchenStart(12) || starts[1] < kitchenStart(12) || starts[1] > kitchenStart(12)+500 {
		t.Errorf("after next twice: current line and player at %v ms, want the third moment, %d", starts, kitchenStart(12))
	}
	if !strings.HasPrefix(pos, "3 / 8") {
		t.Errorf("moment count reads %q, want 3 / 8 …", pos)
	}
	g.check(t, "a search's moment")
	var back int64
	err = chromedp.Run(ctx,
		chromedp.Click(`.moments a.prev`),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Evaluate(`+document.querySelector(".row.now").dataset.start`, &back),
	)
	if err != nil {
		t.Fatal(err)
	}
	if back != kitchenStart(7) {
		t.Errorf("previous: current line at %d ms, want the second moment, %d", back, kitchenStart(7))
	}
	screenshot(t, ctx, "moments-phone")
}

// screenshot saves the window as a PNG in $RECUERDO_SCREENSHOTS, when set,
// for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("RECUERDO_SCREENSHOTS")
	if dir == "" {
		return
	}
	var b []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&b)); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
		t.Error(err)
	}
}
