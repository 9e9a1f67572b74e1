package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/recuerdo-archive/recuerdo/index"
)

// typoNote says that a search's hits were found only by forgiving a typo,
// and with which words, so that mole quietly finding mule is not taken for
// a match of mole.
func typoNote(res *index.Results) string {
	typed := map[string]bool{}
	for _, w := range strings.FieldsFunc(res.Query, func(r rune) bool { return strings.ContainsRune(" \t\"()*~", r) }) {
		typed[index.Fold(w)] = true
	}
	var found []string
	add := func(text string, ms [][2]int) {
		for _, m := range ms {
			if m[0] < 0 || m[1] > len(text) || m[0] >= m[1] {
				continue
			}
			w := strings.ToLower(text[m[0]:m[1]])
			if !typed[index.Fold(w)] && !slices.Contains(found, w) && len(found) < 5 {
				found = append(found, w)
			}
		}
	}
	hits := res.Hits
	for _, g := range res.Groups {
		hits = append(hits, g.Hits...)
	}
	for _, h := range hits {
		if !h.Typo {
			continue
		}
		add(h.Text, h.Matches)
		if h.Translation != nil {
			add(h.Translation.Text, h.Translation.Matches)
		}
	}
	note := "no segment holds the words as typed; these hits forgive a typo"
	if len(found) > 0 {
		note += fmt.Sprintf(" (they have %s)", strings.Join(found, ", "))
	}
	return note
}

// searchError words the index's typed errors for the command line: a
// cursor or a limit is a usage error naming the flag; an index behind the
// catalogue says how to catch it up; anything else (an I/O error) stays
// an error of its own, not a usage error.
func searchError(err error) error {
	var ce *index.CursorError
	var le *index.LimitError
	switch {
	case errors.As(err, &ce):
		return usageError{fmt.Errorf("--after %q: not a cursor of this kind of search (use the \"next\" value of the previous page, with the same --sort and --flat)", ce.Cursor)}
	case errors.As(err, &le):
		return usageError{err}
	case errors.Is(err, index.ErrBehind):
		return hintError{err, "the index is catching up with a change to the archive: run recuerdo reindex, or search again"}
	}
	return err
}
