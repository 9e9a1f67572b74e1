package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestBrowserSelection makes a selection from the transcript as a family
// member would (☆ beside two lines, a name for it), plays it (the first
// moment, then the next on its own), and opens its print view.
func TestBrowserSelection(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t, "radio-lupe")
	ts := httptest.NewServer(New(f.a, f.live, Options{Audience: archive.Family, MediaDirs: []string{f.src}, Edit: true}))
	defer ts.Close()
	var loc, printed string
	var count int
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(ts.URL+"/i/radio-lupe?lang=es"),
		chromedp.WaitVisible(`.transcript .row[data-start]`),
		chromedp.Evaluate(`document.querySelector('.row[data-start="20000"] a.keep').click()`, nil),
		chromedp.WaitVisible(`form.add input[name=title]`),
		chromedp.SendKeys(`form.add input[name=title]`, "La tormenta"),
		chromedp.SendKeys(`form.add input[name=note]`, "cuando se cayó la antena"),
		chromedp.Submit(`form.add`),
		chromedp.WaitVisible(`.sel-moments .moment`),
		chromedp.Navigate(ts.URL+"/i/radio-lupe?lang=es"),
		chromedp.WaitVisible(`.transcript .row[data-start]`),
		chromedp.Evaluate(`document.querySelector('.row[data-start="25000"] a.keep').click()`, nil),
		chromedp.WaitVisible(`form.add select`),
		chromedp.SetValue(`form.add select`, "la-tormenta"),
		chromedp.Submit(`form.add`),
		chromedp.WaitVisible(`.sel-moments .moment`),
		chromedp.Location(&loc),
		chromedp.Evaluate(`document.querySelectorAll(".sel-moments .moment").length`, &count),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/s/la-tormenta") || count != 2 {
		t.Fatalf("after keeping two moments: at %s with %d moments, want /s/la-tormenta with 2", loc, count)
	}
	var at float64
	var g geometry
	err = chromedp.Run(ctx,
		chromedp.Click(`.player a.next`),
		chromedp.Poll(`document.getElementById("media").currentTime >= 20`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.getElementById("media").currentTime`, &at),
		// The first moment ends at 0:23; the second plays on its own.
		chromedp.Poll(`document.querySelector(".moment.now") && document.querySelector(".moment.now").id === "m-2" && document.getElementById("media").currentTime >= 25`, nil, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Evaluate(`(() => { const r = document.querySelector(".moment.now").getBoundingClientRect(), p = document.querySelector(".player").getBoundingClientRect();
			return {Start: 0, Top: r.top, Bottom: r.bottom, PlayerTop: p.top, PlayerBot: p.bottom, ViewHeight: innerHeight} })()`, &g),
	)
	if err != nil {
		t.Fatalf("playing the selection: %v", err)
	}
	if at < 20 || at > 23 {
		t.Errorf("the first moment played from %.2f s, want 20", at)
	}
	g.check(t, "the selection's second moment")
	screenshot(t, ctx, "selection-phone")
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(ts.URL+"/s/la-tormenta"),
		chromedp.WaitVisible(`.sel-moments`),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "selection-desktop")
	var players int
	err = chromedp.Run(ctx,
		chromedp.Click(`p.actions a`),
		chromedp.WaitVisible(`.selection.printable`),
		chromedp.Text(`.sel-moments`, &printed),
		chromedp.Evaluate(`document.querySelectorAll("video, audio").length`, &players),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Una tormenta tumbó la antena", "cuando se cayó la antena", "Mi hermano la subió"} {
		if !strings.Contains(printed, want) {
			t.Errorf("print view lacks %q:\n%s", want, printed)
		}
	}
	if players != 0 {
		t.Errorf("print view has %d players", players)
	}
	screenshot(t, ctx, "selection-print")
}
