package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// browser starts headless Chromium for one test, or skips the test when
// no Chromium is installed (.ci/run installs Debian's chromium).
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no chromium on PATH: install Debian's chromium (apt-get install chromium) to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(390, 844), // a phone
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}

func TestBrowserSearchShowsCard(t *testing.T) {
	ctx := browser(t)
	ts := httptest.NewServer(shared(t).server(archive.Public))
	defer ts.Close()
	var title, lines string
	var marks int
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?lang=en"),
		chromedp.WaitVisible(`#q`, chromedp.ByID),
		chromedp.SendKeys(`#q`, "autobús", chromedp.ByID),
		chromedp.Submit(`#q`, chromedp.ByID),
		chromedp.WaitVisible(`li.card h2 a`),
		chromedp.Text(`li.card h2 a`, &title),
		chromedp.Text(`li.card ul.lines`, &lines),
		chromedp.Evaluate(`document.querySelectorAll("li.card mark").length`, &marks),
	)
	if err != nil {
		t.Fatal(err)
	}
	if title != "The trips to El Paso" {
		t.Errorf("got card title %q, want The trips to El Paso", title)
	}
	if !strings.Contains(lines, "autobús") || !strings.Contains(lines, "bus") || marks == 0 {
		t.Errorf("card lines lack highlighted matches in both languages: %q (%d marks)", lines, marks)
	}
}

func TestBrowserInterviewBothLanguages(t *testing.T) {
	ctx := browser(t)
	ts := httptest.NewServer(shared(t).server(archive.Public))
	defer ts.Close()
	var es, en string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/i/abuelo-autobus"),
		chromedp.WaitVisible(`.transcript .row[data-start]`),
		chromedp.Text(`.transcript .row[data-start] .cell[lang="es"]`, &es),
		chromedp.Text(`.transcript .row[data-start] .cell[lang="en"]`, &en),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(es, "Abuelo, ¿ya está grabando?") || !strings.Contains(en, "Grandpa, is it recording?") {
		t.Errorf("first row: got es %q and en %q", es, en)
	}
}

// TestBrowserClickPlays clicks a line of the transcript and watches the
// player move there and the line become the current one.
func TestBrowserClickPlays(t *testing.T) {
	ctx := browser(t)
	ts := httptest.NewServer(shared(t).server(archive.Public))
	defer ts.Close()
	var before, after float64
	var current string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/i/radio-lupe?lang=en"),
		chromedp.WaitVisible(`#media`, chromedp.ByID),
		chromedp.Poll(`document.getElementById("media").readyState >= 1`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.getElementById("media").currentTime`, &before),
		chromedp.Click(`#t\=20 a.time`),
		chromedp.Poll(`document.getElementById("media").currentTime >= 20`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.getElementById("media").currentTime`, &after),
		chromedp.Poll(`document.querySelector(".row.now") !== null`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Text(`.row.now .cell[lang="en"]`, &current),
		chromedp.Evaluate(`location.hash`, new(string)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if before != 0 || after < 20 || after > 29 {
		t.Errorf("player time: %.2f before the click, %.2f after; want 0, then from 20", before, after)
	}
	if !strings.Contains(current, "A storm knocked the antenna") {
		t.Errorf("current line: got %q", current)
	}
	// A deep link starts the player at its moment.
	var at float64
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/i/radio-lupe#t=12"),
		chromedp.Poll(`document.getElementById("media").readyState >= 1 && document.getElementById("media").currentTime >= 12`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`document.getElementById("media").currentTime`, &at),
	)
	if err != nil {
		t.Fatalf("deep link: %v", err)
	}
	if at < 12 || at > 13 {
		t.Errorf("deep link #t=12: player at %.2f", at)
	}
}

// TestBrowserSealedNeverSent loads the sealed interview as the family
// would, fetches its subtitle tracks and searches for the sealed words,
// and checks every response the browser received.
func TestBrowserSealedNeverSent(t *testing.T) {
	ctx := browser(t)
	f := shared(t)
	ts := httptest.NewServer(f.server(archive.Family))
	defer ts.Close()
	var mu sync.Mutex
	var ids []network.RequestID
	urls := map[network.RequestID]string{}
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok {
			mu.Lock()
			ids = append(ids, e.RequestID)
			urls[e.RequestID] = e.Response.URL
			mu.Unlock()
		}
	})
	es, en := trackID(t, f, "casa-puerta-azul", "es"), trackID(t, f, "casa-puerta-azul", "en")
	fetch := fmt.Sprintf(`Promise.all([%q, %q, "/api/search?q=abogado", "/api/search?q=lawyer&flat=1&context=3", "/api/search?q=Manuel&context=5"].map(u => fetch(u).then(r => r.text()))).then(a => a.join("\n"))`,
		fmt.Sprintf("/i/casa-puerta-azul/vtt/%d", es), fmt.Sprintf("/i/casa-puerta-azul/vtt/%d", en))
	var bodies, bodyURLs []string
	// collect reads the bodies of the responses seen so far (before the
	// next navigation evicts them).
	collect := chromedp.ActionFunc(func(ctx context.Context) error {
		mu.Lock()
		got := append([]network.RequestID(nil), ids...)
		ids = nil
		mu.Unlock()
		for _, id := range got {
			b, err := network.GetResponseBody(id).Do(ctx)
			if err != nil {
				continue // a redirect or a response without a body
			}
			bodies = append(bodies, content(string(b)))
			bodyURLs = append(bodyURLs, urls[id])
		}
		return nil
	})
	var page, fetched string
	err := chromedp.Run(ctx,
		network.Enable(),
		chromedp.Navigate(ts.URL+"/i/casa-puerta-azul?lang=en"),
		chromedp.WaitVisible(`.transcript .row[data-start]`),
		chromedp.OuterHTML(`html`, &page),
		chromedp.Evaluate(fetch, &fetched, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Sleep(200*time.Millisecond),
		collect,
		chromedp.Navigate(ts.URL+"/?q=terreno"),
		chromedp.WaitVisible(`li.card`),
		chromedp.Sleep(200*time.Millisecond),
		collect,
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fetched, "WEBVTT") || !strings.Contains(page, "¿Y la puerta azul?") {
		t.Fatalf("the page or its tracks did not load:\n%.300s", fetched)
	}
	if len(bodies) < 9 {
		t.Errorf("saw %d response bodies, want two pages, their assets and the 5 fetches", len(bodies))
	}
	bodies, bodyURLs = append(bodies, content(page), fetched), append(bodyURLs, "the page's DOM", "fetch()")
	for i, b := range bodies {
		for _, s := range []string{"abogado", "lawyer", "Manuel decía que el terreno", "Manuel said", "Asunto familiar privado", "casa-video"} {
			if strings.Contains(b, s) {
				t.Errorf("the browser received %q from %s:\n%.200s", s, bodyURLs[i], b)
			}
		}
	}
}
