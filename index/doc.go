// Package index is recuerdo's full-text index, derived from the archive's
// catalogue and rebuildable from it at any time. It is the only package
// that knows bleve or OpenSearch; it returns recuerdo's own types. It owns
// the index (owner.go): OpenArchive, CatchUp, Rebuild, Serve and
// CheckArchive are the only ways to an archive's index, each taking the
// locks its purpose needs; the archive's configuration (archive.Config)
// says whether that index is embedded (bleve, in the archive's folder) or
// on an OpenSearch cluster (opensearch*.go), behind the same API.
//
// Each segment of each current track is one document. Spanish and English
// text get their own analyzers, which fold accents and ñ per token before
// stemming, so "autobus", "autobús" and "Autobuses" find the same cues; an
// unstemmed "exact" field serves prefixes and typos, and a "pairs" field
// (each two neighbouring words) quoted phrases. Each document carries its
// aligned twin, so a hit shows its translation, and the years its words
// name (years.go), so year:1982 finds "en el ochenta y dos"; recorded:
// filters by the interview's own date.
//
// bleve builds and stores the index; searches ranked by relevance run on
// its segments' postings through recuerdo's own engine (internal/engine), which
// finds matches, totals and facet counts with bitmap operations and
// scores only what matches. bleve's own searchers read the same
// description of a query (alt), and tests hold the two to the same
// matches. On OpenSearch the same parsed query is compiled to the query
// DSL, with analysers built from the same tables, and hits are finished
// by the same code.
//
// The common case:
//
//	ix, err := index.OpenArchive(ctx, a, index.OpenOptions{What: "search"}) // caught up with the catalogue
//	res, err := ix.Search(ctx, a, `autobus "El Paso"`, index.Options{Audience: archive.Staff})
package index
