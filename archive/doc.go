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
//	archive.yaml               where the parts live, when not all here (Config)
//
// An institution's archive keeps its parts on shared servers instead, as
// archive.yaml says: the catalogue in a PostgreSQL database (postgres.go:
// the same schema, formats and transactions through a small dialect
// layer; the write lock an advisory lock, so several machines ingest at
// once without ever half-writing an interview) and the originals in a
// folder every machine reaches. Each machine then has a folder holding
// archive.yaml and its own notes; CreateWith makes the catalogue, or
// joins one another machine made.
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
