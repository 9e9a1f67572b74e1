// Package archive is recuerdo's domain: interviews, their tracks, segments
// and alignments, with access levels and sealed stretches, kept in an
// on-disk archive.
//
// An archive is a folder:
//
//	catalogue.db               the catalogue, an SQLite database: the truth
//	objects/sha256/ab/abcd…    every ingested file, byte for byte, named by checksum
//	index/                     the search index (package index), derived and rebuildable
//	lock                       who is writing, while they write
//
// The common case:
//
//	a, err := archive.Open(dir)             // or archive.Create
//	src, err := archive.LoadFolder("samples/abuelo-autobus")
//	res, err := a.Ingest(ctx, src)          // parse, align, store: all or nothing
//	iv, err := a.Interview(ctx, "abuelo-autobus", true)
package archive
