package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/align"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

func newSubsCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "subs",
		Short: "Work on subtitle files directly, without an archive",
	}
	c.AddCommand(newSubsAlignCmd(g), newSubsSyncCmd(g), newSubsQCCmd(g), newSubsFixCmd(g), newSubsResegmentCmd(g), newSubsTranslateTimingCmd(g), newSubsConvertCmd(g), newSubsShiftCmd(g), newSubsFPSCmd(g), newSubsStretchCmd(g), newSubsBilingualCmd(g))
	return c
}

type subsAlignOptions struct {
	gold   string
	output string
}

func newSubsAlignCmd(g *globals) *cobra.Command {
	var o subsAlignOptions
	c := &cobra.Command{
		Use:   "align SOURCE TARGET",
		Short: "Pair the cues of a translation with those of its source",
		Long: `Align two timed subtitle files of the same speech (e.g. Spanish subtitles and
their English translation, segmented differently): find the offset and
frame-rate speed between them, then pair cues one-to-one, one-to-two,
two-to-one and so on, by time overlap. Works on plain files; no archive.

When TARGET is plain text (one sentence or utterance per line), its lines
are aligned with SOURCE's cues by length and shared anchors (numbers,
names, cognates, ¿? and ¡!) instead ("method": "text"), and -o writes them
as subtitles timed to follow SOURCE's speech.

Content counts too, wherever there is time: words the installed
Spanish-English dictionary translates (Debian's dict-freedict-spa-eng and
-eng-spa, read in place), cognates, shared names and numbers, ¿? and ¡!.
A filler left untranslated ("Mmm.", "Sí, sí.") or a translator's note
("[Translator's note: …]") stays unpaired. When the target was re-timed
cue by cue (a voice-over), the cues are paired on content within a time
window ("method": "voice-over").

--json prints {"method", "offset_ms", "scale", "pairs": [{"src": [1,2],
"tgt": [1], "score": 0.93}, ...], "unaligned": {"src": [...], "tgt": [...]},
"regions": [{"from_ms", "to_ms", "cues", "offset_ms", "confidence",
"flagged", "why"}]} with 1-based cue numbers in file order. Together the
pairs cover every cue of both files exactly once; each region is a stretch
of TARGET (between cuts) and how far its pairs are trusted, flagged when
the evidence disagrees.

--gold FILE scores the alignment against a gold pairing (a TSV with a
header line, then "1,2<TAB>1" per pair, as in samples/*/gold.tsv).

Examples:
  recuerdo subs align samples/abuelo-autobus/es.srt samples/abuelo-autobus/en.vtt
  recuerdo subs align --json es.srt en.srt
  recuerdo subs align --gold samples/abuelo-autobus/gold.tsv samples/abuelo-autobus/es.srt samples/abuelo-autobus/en.vtt
  recuerdo subs align es.srt translation.txt -o en.srt`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsAlign(cmd.Context(), g, o, args[0], args[1])
		},
	}
	c.Flags().StringVar(&o.gold, "gold", "", "score against this gold pairing (TSV)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "with an untimed TARGET: write it as timed subtitles (.srt or .vtt) following SOURCE")
	return c
}

type jsonPair struct {
	Src   []int   `json:"src"`
	Tgt   []int   `json:"tgt"`
	Score float64 `json:"score"`
}

type alignOutput struct {
	Method    string         `json:"method"`
	OffsetMS  int64          `json:"offset_ms"`
	Scale     float64        `json:"scale"`
	Pairs     []jsonPair     `json:"pairs"`
	Unaligned map[string]any `json:"unaligned"`
	Scores    *align.Scores  `json:"scores,omitempty"`
	Regions   []jsonRegion   `json:"regions"`
}

// jsonRegion is a stretch of the target (or sync's input) and how far it is trusted.
type jsonRegion struct {
	FromMS     int64   `json:"from_ms"`
	ToMS       int64   `json:"to_ms"`
	Cues       int     `json:"cues"`
	OffsetMS   int64   `json:"offset_ms"`
	Confidence float64 `json:"confidence"`
	Flagged    bool    `json:"flagged"`
	Why        string  `json:"why"`
}

func jsonRegions(rs []align.Region) []jsonRegion {
	out := []jsonRegion{}
	for _, r := range rs {
		out = append(out, jsonRegion{FromMS: r.From.Milliseconds(), ToMS: r.To.Milliseconds(), Cues: r.Cues, OffsetMS: r.Offset.Milliseconds(), Confidence: round3(r.Confidence), Flagged: r.Flagged, Why: r.Why})
	}
	return out
}

// installedDictionary is the installed FreeDict Spanish-English
// dictionaries as a lexicon for the aligner (read in place), or nil.
func installedDictionary() *lexicon.Lexicon {
	es, _ := lexicon.ReadInstalled(0.5) // a dictionary that cannot be read is left out
	if len(es) == 0 {
		return nil
	}
	lx := lexicon.New()
	lx.Add(es...)
	return lx
}

// readCues reads a timed subtitle file or archive track, with cues in file order.
func readCues(ctx context.Context, g *globals, arg string) ([]subtitles.Cue, error) {
	in, err := readSubs(ctx, g, arg)
	if err != nil {
		return nil, err
	}
	return in.Track.Cues, nil
}

func runSubsAlign(ctx context.Context, g *globals, o subsAlignOptions, srcPath, tgtPath string) error {
	src, err := readCues(ctx, g, srcPath)
	if err != nil {
		return err
	}
	opt := align.Options{Lexicon: installedDictionary()}
	tgt, err := readCues(ctx, g, tgtPath)
	switch {
	case errors.Is(err, subtitles.ErrUnknownFormat):
		// Not a subtitle format: an untimed translation, one line each.
		lines, err := readLines(tgtPath)
		if err != nil {
			return err
		}
		tgt = make([]subtitles.Cue, len(lines))
		for i, l := range lines {
			tgt[i] = subtitles.Cue{Text: l, Estimated: true}
		}
	case err != nil:
		return err
	case o.output != "" && !align.Untimed(tgt):
		return usageError{fmt.Errorf("-o is for an untimed TARGET; %s is already timed (see subs sync)", tgtPath)}
	}
	res := align.Auto(src, tgt, opt)
	out := alignOutput{Method: res.Method, OffsetMS: res.Offset.Milliseconds(), Scale: math.Round(res.Scale*1e6) / 1e6, Pairs: []jsonPair{}, Regions: jsonRegions(res.Regions)}
	var unS, unT []int
	for _, p := range res.Pairs {
		jp := jsonPair{Src: plus1(p.Src), Tgt: plus1(p.Tgt), Score: round3(p.Score)}
		if len(p.Tgt) == 0 {
			unS = append(unS, jp.Src...)
		}
		if len(p.Src) == 0 {
			unT = append(unT, jp.Tgt...)
		}
		out.Pairs = append(out.Pairs, jp)
	}
	out.Unaligned = map[string]any{"src": nonNil(unS), "tgt": nonNil(unT)}
	if o.gold != "" {
		f, err := os.Open(o.gold)
		if err != nil {
			return err
		}
		gold, err := align.ReadGold(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("read gold %q: %w", o.gold, err)
		}
		sc := align.Evaluate(res.Pairs, gold)
		out.Scores = &sc
	}
	if o.output != "" {
		format := subtitles.FormatSRT
		if strings.EqualFold(filepath.Ext(o.output), ".vtt") {
			format = subtitles.FormatWebVTT
		}
		var b bytes.Buffer
		if err := subtitles.Write(&b, format, align.TransferTiming(src, align.Lines(tgt), res.Pairs)); err != nil {
			return err
		}
		if err := writeAtomic(o.output, b.Bytes()); err != nil {
			return err
		}
		g.note("wrote %s: %d timed lines", o.output, len(tgt))
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	w := g.stdout
	fmt.Fprintf(w, "%d source and %d target cues: %d pairs", len(src), len(tgt), len(out.Pairs))
	fmt.Fprintf(w, "; offset %+.3f s; speed ×%.4f\n", res.Offset.Seconds(), res.Scale)
	if res.Method == "voice-over" {
		fmt.Fprintf(w, "voice-over: paired on content, %s\n", res.Mapping.Explain())
	}
	for _, r := range res.Regions {
		if r.Flagged {
			fmt.Fprintf(w, "check %s–%s (%d cues): confidence %.0f%%; %s\n", clockMS(r.From.Milliseconds()), clockMS(r.To.Milliseconds()), r.Cues, 100*r.Confidence, r.Why)
		}
	}
	for _, p := range out.Pairs {
		var l, r []string
		for _, i := range p.Src {
			l = append(l, strings.ReplaceAll(src[i-1].Text, "\n", " "))
		}
		for _, j := range p.Tgt {
			r = append(r, strings.ReplaceAll(tgt[j-1].Text, "\n", " "))
		}
		fmt.Fprintf(w, "%-9s %-9s %.2f  %s  |  %s\n", ints(p.Src), ints(p.Tgt), p.Score, strings.Join(l, " "), strings.Join(r, " "))
	}
	if out.Scores != nil {
		s := out.Scores
		fmt.Fprintf(w, "strict P %.4f R %.4f F1 %.4f; lax P %.4f R %.4f F1 %.4f\n", s.Precision, s.Recall, s.F1, s.LaxP, s.LaxR, s.LaxF1)
	}
	return nil
}

// readLines reads an untimed translation: its non-empty lines, trimmed.
func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text, _, err := subtitles.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("read %s: no text", path)
	}
	return lines, nil
}

func plus1(idx []int) []int {
	out := make([]int, len(idx))
	for i, v := range idx {
		out[i] = v + 1
	}
	return out
}

func nonNil(v []int) []int {
	if v == nil {
		return []int{}
	}
	return v
}

func ints(v []int) string {
	if len(v) == 0 {
		return "-"
	}
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }
