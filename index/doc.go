// Package index is recuerdo's full-text index, derived from the archive's
// catalogue and rebuildable from it at any time. It is the only package
// that knows bleve; it returns recuerdo's own types.
//
// Each segment of each current track is one document. Spanish and English
// text get their own analyzers, which fold accents and ñ per token before
// stemming, so "autobus", "autobús" and "Autobuses" find the same cues; an
// unstemmed "exact" field serves quoted phrases, prefixes and typos. Each
// document carries its aligned twin, so a hit shows its translation.
//
// The common case:
//
//	ix, err := index.Open(a.IndexDir())
//	_, err = ix.Sync(ctx, a)               // catch up with the catalogue
//	res, err := ix.Search(ctx, a, `autobus "El Paso"`, index.Options{Audience: archive.Staff})
package index
