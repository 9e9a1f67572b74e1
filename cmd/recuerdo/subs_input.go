package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// subsInput is one subtitle or transcript given to a `subs` command: a
// plain file, or an archive track named INTERVIEW:LANG.
type subsInput struct {
	Name  string // the file's path, or "INTERVIEW:LANG/original-name.srt"
	Data  []byte // the bytes as they were given or kept
	Track *subtitles.Track
	Lang  string // an archive track's language; "" for a file
}

// readSubs reads a `subs` command's input. A path that exists is read as a
// file; otherwise INTERVIEW:LANG names the subtitle (or, failing that,
// transcript) track of that language in the archive, read from its original.
func readSubs(ctx context.Context, g *globals, arg string) (*subsInput, error) {
	name, data, err := subsBytes(ctx, g, arg)
	if err != nil {
		return nil, err
	}
	tr, err := subtitles.ReadOrdered(name, data)
	if err != nil {
		return nil, err
	}
	if len(tr.Cues) == 0 {
		return nil, fmt.Errorf("read subtitles %q: no cues found", name)
	}
	in := &subsInput{Name: name, Data: data, Track: tr}
	if name != arg { // an archive track, INTERVIEW:LANG
		_, in.Lang, _ = strings.Cut(arg, ":")
	}
	return in, nil
}

func subsBytes(ctx context.Context, g *globals, arg string) (string, []byte, error) {
	data, err := os.ReadFile(arg)
	if err == nil {
		return arg, data, nil
	}
	id, lang, ok := strings.Cut(arg, ":")
	if !errors.Is(err, fs.ErrNotExist) || !ok || id == "" || lang == "" || strings.ContainsAny(arg, `/\`) {
		return "", nil, err
	}
	if err := checkArchivePath(g, nil); err != nil {
		return "", nil, err
	}
	a, aerr := archive.Open(g.archive)
	if aerr != nil {
		return "", nil, fmt.Errorf("%s is neither a file nor an archive track: %w", arg, aerr)
	}
	defer a.Close()
	iv, err := a.Interview(ctx, id, false)
	if err != nil {
		return "", nil, fmt.Errorf("track %s: %w", arg, err)
	}
	pick := iv.TrackFor(lang)
	if pick == nil {
		var langs []string
		for _, t := range iv.Tracks {
			langs = append(langs, t.Lang)
		}
		return "", nil, usageError{fmt.Errorf("track %s: interview %q has no %q track (it has: %s)", arg, id, lang, strings.Join(langs, ", "))}
	}
	data, err = a.Original(pick.SHA256)
	if err != nil {
		return "", nil, fmt.Errorf("track %s: %w", arg, err)
	}
	// The original name keeps its extension, which format detection uses.
	return arg + "/" + pick.Name, data, nil
}
