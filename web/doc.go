// Package web is recuerdo's local web page, where a family finds and
// reads its stories: a search box (any language, accents and typos
// forgiven) with story cards and facets, each interview's transcript in
// Spanish and English side by side with its recording, deep links to a
// moment to the millisecond (/i/ID#t=34.947), a search's moments marked
// in a story and played in turn (/i/ID?q=...), a printable view,
// selections of moments with notes (/s/ID: played in order, printed,
// exported for editing software; changed from the page with
// Options.Edit), and a JSON API mirroring recuerdo search --json
// (GET /api/search?q=...). Rendered pages are kept per catalogue
// generation, so many visitors at once cost little.
//
// The server shows one audience's view of the archive, fixed when it
// starts: interviews above the audience and sealed stretches still in
// force never reach the browser (pages, results, counts, JSON, WebVTT
// tracks, selections); the recording of an interview with a seal in force is not
// served at all, since time ranges cannot be cut out of its bytes. Media
// files are only those the catalogue names. Templates, CSS and a small
// script are embedded; pages work without the script.
//
// The common case:
//
//	live, err := index.Serve(ctx, a, index.ServeOptions{URL: url}) // the index, held for this server
//	srv := web.New(a, live, web.Options{Audience: archive.Family})
//	go live.Follow(ctx, time.Second, nil) // keep the index up with the catalogue
//	http.ListenAndServe("127.0.0.1:8080", srv)
package web
