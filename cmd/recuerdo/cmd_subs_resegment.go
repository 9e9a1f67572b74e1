package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
	"github.com/recuerdo-archive/recuerdo/subtitles/resegment"
)

type subsResegmentOptions struct {
	profile string
	fps     float64
	output  string
}

func newSubsResegmentCmd(g *globals) *cobra.Command {
	var o subsResegmentOptions
	c := &cobra.Command{
		Use:   "resegment INPUT --profile NAME -o OUT",
		Short: "Cut a timed transcript into subtitles that pass QC",
		Long: `Cut a timed transcript or subtitle file (Whisper JSON with word timings,
SRT, WebVTT, a timed transcript, or an archive track INTERVIEW:LANG) into
subtitles within a QC profile's limits: characters per line, lines,
reading speed, minimum and maximum duration, frame gaps.

Subtitles break after sentences, then after clauses and before words
such as "y", "pero", "que", "because", "when", at pauses in speech, and
never where the speaker changes inside a subtitle; lines break at the
best point, balanced, the longer line at the bottom. Each subtitle is
timed from its first word to its last (Whisper's word timings where the
file has them, else in proportion to characters), then lengthened into
free time, or time borrowed from its neighbours, until it can be read.
Words are never changed, dropped or reordered.

Where speech is too fast for the profile, OUT is still written and the
remaining QC errors are counted (see recuerdo subs qc).

--profile defaults to netflix-es-419 for Spanish input, netflix-en
otherwise. OUT's extension picks the format: .srt, .vtt, .ass, .ttml or .stl.

--json prints {"profile", "output", "cues", "qc_errors", "qc_warnings"}.

Examples:
  recuerdo subs resegment whisper.json --profile netflix-es-419 -o es.srt
  recuerdo subs resegment interview.json -o interview.vtt
  recuerdo subs resegment --json abuelo:es --profile bbc -o abuelo.srt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsResegment(cmd.Context(), g, o, args[0])
		},
	}
	addResegmentFlags(c, &o)
	return c
}

func addResegmentFlags(c *cobra.Command, o *subsResegmentOptions) {
	c.Flags().StringVar(&o.profile, "profile", "", "QC profile whose limits to meet (default: by the text's language)")
	c.Flags().Float64Var(&o.fps, "fps", 0, "frame rate for frame gaps (default 23.976)")
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the subtitles: .srt, .vtt, .ass, .ttml or .stl (required)")
	c.MarkFlagRequired("output")
	c.RegisterFlagCompletionFunc("profile", completeProfiles)
}

// resegmentOutput is the --json summary of resegment and translate-timing.
type resegmentOutput struct {
	Profile    string `json:"profile"`
	Output     string `json:"output"`
	Cues       int    `json:"cues"`
	QCErrors   int    `json:"qc_errors"`
	QCWarnings int    `json:"qc_warnings"`
}

func runSubsResegment(ctx context.Context, g *globals, o subsResegmentOptions, input string) error {
	format, err := resegmentFormat(o.output)
	if err != nil {
		return err
	}
	in, err := readSubs(ctx, g, input)
	if err != nil {
		return err
	}
	if err := checkFPS(g, "--fps", o.fps); err != nil {
		return err
	}
	lang, how := inputLanguage(in)
	p, lim, err := profileLimits(o.profile, lang, o.fps)
	if err != nil {
		return err
	}
	if o.profile == "" {
		noteProfile(g, p, lang, how)
	}
	cues, err := resegment.Resegment(in.Track.Cues, in.Track.Words, lim)
	if err != nil {
		return fmt.Errorf("resegment %s: %w", in.Name, err)
	}
	return writeChecked(g, o, format, p, cues)
}

type subsTranslateTimingOptions struct {
	subsResegmentOptions
}

func newSubsTranslateTimingCmd(g *globals) *cobra.Command {
	var o subsTranslateTimingOptions
	c := &cobra.Command{
		Use:   "translate-timing SOURCE TRANSLATION --profile NAME -o OUT",
		Short: "Time an untimed translation after its source, as subtitles that pass QC",
		Long: `Make timed subtitles of an untimed translation: TRANSLATION is plain text,
one sentence or paragraph per line (blank lines are ignored), and SOURCE
the timed subtitles or transcript it translates (a file or an archive
track INTERVIEW:LANG).

The lines are aligned with SOURCE's cues by text (length and shared
numbers, names and cognates, as subs align does), each line takes the
time of the cues it translates, and a line too long for one subtitle is
cut into several, as resegment cuts speech, within a QC profile's limits.
No subtitle holds words of two lines. Subtitles short of reading time
borrow free time from around them.

Where a translation is too long for its time, OUT is still written and
the remaining QC errors are counted (see recuerdo subs qc).

--profile defaults to netflix-es-419 for a Spanish translation,
netflix-en otherwise. OUT's extension picks the format: .srt, .vtt, .ass, .ttml or .stl.

--json prints {"profile", "output", "cues", "qc_errors", "qc_warnings"}.

Examples:
  recuerdo subs translate-timing es.srt translation.txt --profile netflix-en -o en.srt
  recuerdo subs translate-timing abuelo:en traduccion.txt -o es.vtt`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsTranslateTiming(cmd.Context(), g, o, args[0], args[1])
		},
	}
	addResegmentFlags(c, &o.subsResegmentOptions)
	return c
}

func runSubsTranslateTiming(ctx context.Context, g *globals, o subsTranslateTimingOptions, source, translation string) error {
	format, err := resegmentFormat(o.output)
	if err != nil {
		return err
	}
	src, err := readCues(ctx, g, source)
	if err != nil {
		return err
	}
	lines, err := readLines(translation)
	if err != nil {
		return err
	}
	if err := checkFPS(g, "--fps", o.fps); err != nil {
		return err
	}
	lang := subtitles.GuessLanguage(strings.Join(lines, "\n"))
	p, lim, err := profileLimits(o.profile, lang, o.fps)
	if err != nil {
		return err
	}
	if o.profile == "" {
		noteProfile(g, p, lang, "detected from the translation")
	}
	cues, err := resegment.TranslateTiming(src, lines, lim)
	if err != nil {
		return fmt.Errorf("translate timing %s: %w", translation, err)
	}
	return writeChecked(g, o.subsResegmentOptions, format, p, cues)
}

// resegmentFormat is the format OUT's extension names.
func resegmentFormat(out string) (subtitles.Format, error) {
	f, err := subtitles.FormatOf(out)
	if err != nil {
		return "", usageError{fmt.Errorf("-o %s: %w", out, err)}
	}
	return f, nil
}

// profileLimits looks up the named QC profile, or picks one by language,
// and the limits resegment meets for it at the given frame rate.
func profileLimits(name, lang string, fps float64) (qc.Profile, resegment.Limits, error) {
	var p qc.Profile
	var err error
	if name == "" {
		p, err = profileFor(lang)
	} else {
		p, err = lookupProfile(name)
	}
	if err != nil {
		return p, resegment.Limits{}, err
	}
	return p, resegment.ProfileLimits(p, fps), nil
}

// writeChecked writes cues to OUT, checks them with QC and says how many
// errors remain: a limit that could not be met is reported, not hidden.
func writeChecked(g *globals, o subsResegmentOptions, format subtitles.Format, p qc.Profile, cues []subtitles.Cue) error {
	var b bytes.Buffer
	if err := subtitles.Write(&b, format, cues); err != nil {
		return err
	}
	if err := writeAtomic(o.output, b.Bytes()); err != nil {
		return err
	}
	out := resegmentOutput{Profile: p.Name, Output: o.output, Cues: len(cues)}
	for _, is := range qc.Check(cues, p, qc.Options{FPS: o.fps}) {
		if is.Severity == qc.Error {
			out.QCErrors++
		} else {
			out.QCWarnings++
		}
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	fmt.Fprintf(g.stdout, "wrote %s: %d subtitles for %s, %d QC errors, %d warnings\n", o.output, out.Cues, p.Name, out.QCErrors, out.QCWarnings)
	if out.QCErrors > 0 {
		g.note("%d subtitle(s) still break %s's limits (too much text for the time?); recuerdo subs qc --profile %s %s lists them", out.QCErrors, p.Name, p.Name, o.output)
	}
	return nil
}
