package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// Verify checks the files of the index in dir without opening it with
// bleve, which trusts them: a flipped bit in a segment can make a search
// return wrong hits or panic. Every segment file (zap) the index lists
// ends with a CRC-32 of all its other bytes, which is recomputed here; the
// bolt file that lists the segments gets bolt's own consistency check, and
// index_meta.json must parse. A missing index has no problems (it is
// built when needed). While it reads, Verify holds a shared lock on the
// index, so no writer changes a file under it; an index another process
// has open is reported with ErrBusy.
func Verify(dir string) ([]archive.Problem, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var probs []archive.Problem
	add := func(file, format string, args ...any) {
		rel, err := filepath.Rel(filepath.Dir(dir), file)
		if err != nil {
			rel = file
		}
		probs = append(probs, archive.Problem{What: "index", Subject: filepath.ToSlash(rel), Msg: fmt.Sprintf(format, args...) + " (run recuerdo check --repair)"})
	}
	meta := filepath.Join(dir, "index_meta.json")
	if data, err := os.ReadFile(meta); err != nil {
		add(meta, "cannot be read: %v", err)
	} else if !json.Valid(data) {
		add(meta, "is damaged: not JSON")
	}
	store := filepath.Join(dir, "store")
	root := filepath.Join(store, "root.bolt")
	if _, err := os.Stat(root); err != nil {
		add(root, "cannot be read: %v", err)
		return probs, nil
	}
	db, err := bolt.Open(root, 0o600, &bolt.Options{ReadOnly: true, Timeout: openTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("verify index %s: %w", dir, ErrBusy)
	}
	if err != nil {
		add(root, "is damaged: %v", err)
		return probs, nil
	}
	defer db.Close()
	if err := checkBolt(db); err != nil {
		add(root, "is damaged: %v", err)
		return probs, nil
	}
	// Only the segments the index's latest snapshot lists: a file a killed
	// writer left half written is not part of the index (bleve removes it).
	names, err := liveSegments(db)
	if err != nil {
		add(root, "is damaged: %v", err)
		return probs, nil
	}
	for _, name := range names {
		p := filepath.Join(store, filepath.Base(name))
		if err := checkZap(p); errors.Is(err, fs.ErrNotExist) {
			add(p, "is missing")
		} else if err != nil {
			add(p, "is damaged: %v", err)
		}
	}
	return probs, nil
}

// liveSegments returns the file names of the segments scorch's latest
// snapshot lists in root.bolt: bucket "s" holds a bucket per snapshot,
// by epoch, and each snapshot a bucket per segment, with its file name
// under "p" ("i" holds internal values, "m" the snapshot's metadata).
func liveSegments(db *bolt.DB) (names []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	err = db.View(func(tx *bolt.Tx) error {
		snapshots := tx.Bucket([]byte{'s'})
		if snapshots == nil {
			return nil
		}
		c := snapshots.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			snap := snapshots.Bucket(k)
			if v != nil || snap == nil || snap.Bucket([]byte{'m'}) == nil {
				continue // not a snapshot (the vector trainer's bucket)
			}
			return snap.ForEach(func(k, v []byte) error {
				if v != nil || len(k) == 0 || k[0] == 'i' || k[0] == 'm' {
					return nil
				}
				seg := snap.Bucket(k)
				p := seg.Get([]byte{'p'})
				if p == nil {
					return fmt.Errorf("segment %x of the latest snapshot has no file", k)
				}
				names = append(names, string(p))
				return nil
			})
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}

// checkBolt runs bolt's consistency check, which a damaged page can make
// panic.
func checkBolt(db *bolt.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return db.View(func(tx *bolt.Tx) error {
		var msgs []string
		for e := range tx.Check() {
			msgs = append(msgs, e.Error())
		}
		if len(msgs) > 0 {
			return errors.New(strings.Join(msgs, "; "))
		}
		return nil
	})
}

// checkZap compares the CRC-32 (IEEE) a zap segment file ends with, big
// endian, with that of every byte before it, reading the file once.
func checkZap(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	n := fi.Size() - 4
	if n < 0 {
		return fmt.Errorf("%d bytes: too short for a segment", fi.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, n); err != nil {
		return err
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil {
		return err
	}
	if want, got := binary.BigEndian.Uint32(tail[:]), h.Sum32(); got != want {
		return fmt.Errorf("its CRC-32 is %08x, its footer says %08x", got, want)
	}
	return nil
}
