// Package archive is recuerdo's domain: interviews, their tracks, segments
// and alignments, with access levels and sealed stretches, kept in an
// on-disk archive.
//
// An archive is a folder:
//
//	catalogue.db               the catalogue, an SQLite database: the truth
//	catalogue.db.bak-vN        the catalogue as it was before an upgrade from format N
//	objects/sha256/ab/abcd…    every ingested file, byte for byte, named by checksum
//	index/                     the search index (package index), derived and rebuildable
//	lock                       who is writing, while they write
//
// The catalogue records its format (FormatVersion); Open upgrades an older
// one through the migrations in migrate.go and refuses a newer one. Check
// verifies everything, Repair rebuilds what is derived, and Export and
// Import write and restore a copy in open formats that needs no recuerdo.
//
// The common case:
//
//	a, err := archive.Open(dir)             // or archive.Create
//	src, err := archive.LoadFolder("samples/abuelo-autobus")
//	res, err := a.Ingest(ctx, src)          // parse, align, store: all or nothing
//	iv, err := a.Interview(ctx, "abuelo-autobus", true)
package archive
