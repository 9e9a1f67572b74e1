package index

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Holder is a process that has an archive's index open: bleve lets one
// process at a time open it for writing, so the others, finding it busy,
// read who has it from the note the holder leaves beside it.
type Holder struct {
	PID      int       `json:"pid"`
	What     string    `json:"what"`               // the command: "serve", "search", "ingest", "reindex", ...
	URL      string    `json:"url,omitempty"`      // a server's address
	Audience string    `json:"audience,omitempty"` // a server's audience
	Since    time.Time `json:"since"`
}

// Serving reports whether the holder is a running recuerdo serve, which
// keeps the index for as long as it runs (and catches it up itself).
func (h Holder) Serving() bool { return h.What == "serve" }

func (h Holder) String() string {
	if h.Serving() {
		return fmt.Sprintf("a running recuerdo serve (pid %d, %s)", h.PID, h.URL)
	}
	return fmt.Sprintf("recuerdo %s (pid %d) since %s", h.What, h.PID, h.Since.Format(time.RFC3339))
}

// holderName is the holder's note, in the archive's folder beside the
// index (not inside it: a rebuild swaps the index folder).
const holderName = "index.holder"

// HolderOf returns who has the index of the archive in dir open, as its
// note says; false when there is no note or its process has gone (a
// killed holder leaves its note, and the operating system its locks).
func HolderOf(dir string) (Holder, bool) {
	var h Holder
	b, err := os.ReadFile(filepath.Join(dir, holderName))
	if err != nil || json.Unmarshal(b, &h) != nil || h.PID <= 0 {
		return h, false
	}
	return h, alive(h.PID)
}

// writeHolder leaves h's note in dir. Only the process that has the index
// open writes it, so notes never race: the next holder opens the index
// only after this one closed it, which it does after removing its note.
func writeHolder(dir string, h Holder) error {
	b, _ := json.Marshal(h)
	p := filepath.Join(dir, holderName)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("note the index's holder: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("note the index's holder: %w", err)
	}
	return nil
}

// removeHolder deletes the note if it is still this process's.
func removeHolder(dir string) {
	if h, ok := HolderOf(dir); ok && h.PID == os.Getpid() {
		os.Remove(filepath.Join(dir, holderName))
	}
}

// BusyError says that another process has the index open, naming it
// when its note does. It is ErrBusy.
type BusyError struct {
	Dir    string        // the index's folder
	Holder *Holder       // who has it, when known
	Waited time.Duration // how long this process waited (0: a server is not waited for)
}

func (e *BusyError) Error() string {
	s := "the search index is open in another recuerdo"
	if e.Holder != nil {
		s = "the search index is open in " + e.Holder.String()
	}
	if e.Waited > 0 {
		s += fmt.Sprintf(" (waited %s)", e.Waited.Round(time.Millisecond))
	}
	return s
}

// Is makes a BusyError match ErrBusy.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }
