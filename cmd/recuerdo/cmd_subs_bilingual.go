package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/bilingual"
)

type subsBilingualOptions struct {
	output  string
	layout  string
	top     string
	srcLang string
	tgtLang string
}

func newSubsBilingualCmd(g *globals) *cobra.Command {
	var o subsBilingualOptions
	c := &cobra.Command{
		Use:   "bilingual SOURCE TARGET -o OUT [--layout stacked|split] [--top LANG]",
		Short: "Put two languages of the same speech in one subtitle file",
		Long: `Pair TARGET's cues (a translation) with SOURCE's by the alignment engine,
as "recuerdo subs align" does: offsets and frame-rate drift are found,
and one cue may pair with two (a translation segmented differently). Each
aligned group becomes one event on the source cues' times; a cue left
unaligned appears alone.

Layouts:
  stacked  one cue per group, the source's lines above the translation's,
           the lower language in italics (the default for .srt and .vtt)
  split    ASS only: one event per language, each with its own style,
           named by the language (e.g. ES at the top in white, EN at the
           bottom in pale yellow italics; the default for .ass)

--top LANG puts that language on top (default: the source's). Languages
are those the files declare (a WebVTT Language header, TTML's xml:lang,
Whisper's "language"), else read from the file names (es.srt, film.en.vtt,
sintel_es.srt, film.fr.srt), the archive track (INTERVIEW:LANG) or the
words; or set them with --source-lang and --target-lang.

Examples:
  recuerdo subs bilingual samples/abuelo-autobus/es.srt samples/abuelo-autobus/en.vtt -o es-en.srt
  recuerdo subs bilingual es.srt en.srt -o es-en.ass --top en
  recuerdo subs bilingual --json abuelo-autobus:es abuelo-autobus:en -o es-en.vtt`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsBilingual(cmd.Context(), g, o, args[0], args[1])
		},
	}
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the bilingual file: .srt, .vtt or .ass (required)")
	c.Flags().StringVar(&o.layout, "layout", "", "stacked or split (default: split for .ass, else stacked)")
	c.Flags().StringVar(&o.top, "top", "", "the language shown on top (default: the source's)")
	c.Flags().StringVar(&o.srcLang, "source-lang", "", "SOURCE's language (default: declared, from its name or its words)")
	c.Flags().StringVar(&o.tgtLang, "target-lang", "", "TARGET's language (default: declared, from its name or its words)")
	c.MarkFlagRequired("output")
	c.RegisterFlagCompletionFunc("layout", cobra.FixedCompletions([]string{"stacked", "split"}, cobra.ShellCompDirectiveNoFileComp))
	return c
}

type bilingualOutput struct {
	Source     string `json:"source"`
	Target     string `json:"target"`
	Output     string `json:"output"`
	Layout     string `json:"layout"`
	Top        string `json:"top"`
	Events     int    `json:"events"`
	Paired     int    `json:"paired"`
	SourceOnly int    `json:"source_only"`
	TargetOnly int    `json:"target_only"`
	Cues       int    `json:"cues"`
}

func runSubsBilingual(ctx context.Context, g *globals, o subsBilingualOptions, srcArg, tgtArg string) error {
	format, err := subtitles.FormatOf(o.output)
	if err != nil || format != subtitles.FormatSRT && format != subtitles.FormatWebVTT && format != subtitles.FormatSSA {
		return usageError{fmt.Errorf("-o %s: a bilingual file is written as .srt, .vtt or .ass", o.output)}
	}
	layout := o.layout
	switch {
	case layout == "" && format == subtitles.FormatSSA:
		layout = "split"
	case layout == "":
		layout = "stacked"
	case layout == "split" && format != subtitles.FormatSSA:
		return usageError{fmt.Errorf("--layout split needs ASS styles: write to an .ass file, or use --layout stacked")}
	case layout != "stacked" && layout != "split":
		return usageError{fmt.Errorf("--layout %q: want stacked or split", layout)}
	}
	srcIn, err := readSubs(ctx, g, srcArg)
	if err != nil {
		return err
	}
	tgtIn, err := readSubs(ctx, g, tgtArg)
	if err != nil {
		return err
	}
	src, tgt := srcIn.Track.Cues, tgtIn.Track.Cues
	srcLang, tgtLang := o.srcLang, o.tgtLang
	if srcLang == "" {
		srcLang, _ = inputLanguage(srcIn)
	}
	if tgtLang == "" {
		tgtLang, _ = inputLanguage(tgtIn)
	}
	targetTop := false
	switch {
	case o.top == "" || isLanguage(o.top, srcLang):
	case isLanguage(o.top, tgtLang):
		targetTop = true
	default:
		return usageError{fmt.Errorf("--top %q: the languages are %q (source) and %q (target); set them with --source-lang and --target-lang", o.top, srcLang, tgtLang)}
	}
	events := bilingual.Pair(src, tgt, bilingual.Options{})
	var cues []subtitles.Cue
	opt := subtitles.WriteOptions{SpeakerLabels: true}
	if layout == "split" {
		s, t := bilingual.Styles(srcLang, tgtLang, targetTop)
		cues, opt.CueStyles = bilingual.Split(events, s, t)
		opt.Styles = []subtitles.Style{s, t}
	} else {
		cues, opt.Italic = bilingual.Stacked(events, targetTop)
	}
	var b bytes.Buffer
	if err := subtitles.WriteWith(&b, format, cues, opt); err != nil {
		return fmt.Errorf("bilingual %s %s: %w", srcArg, tgtArg, err)
	}
	if err := writeAtomic(o.output, b.Bytes()); err != nil {
		return err
	}
	out := bilingualOutput{Source: srcArg, Target: tgtArg, Output: o.output, Layout: layout, Top: srcLang, Events: len(events), Cues: len(cues)}
	if targetTop {
		out.Top = tgtLang
	}
	for _, e := range events {
		switch {
		case len(e.Src) == 0:
			out.TargetOnly++
		case len(e.Tgt) == 0:
			out.SourceOnly++
		default:
			out.Paired++
		}
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	fmt.Fprintf(g.stdout, "%d events (%d paired, %d source only, %d target only), %s layout, %s on top\nwrote %s\n",
		out.Events, out.Paired, out.SourceOnly, out.TargetOnly, layout, strings.ToUpper(out.Top), o.output)
	return nil
}

// isLanguage reports whether --top's value names lang: the same code, or
// its base ("es" for "es-ES").
func isLanguage(top, lang string) bool {
	base, _, _ := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	return strings.EqualFold(top, lang) || strings.EqualFold(top, base)
}
