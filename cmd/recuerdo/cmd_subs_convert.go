package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

type subsConvertOptions struct {
	output   string
	to       string
	encoding string
	bom      bool
	crlf     bool
	fps      float64
}

func newSubsConvertCmd(g *globals) *cobra.Command {
	var o subsConvertOptions
	c := &cobra.Command{
		Use:   "convert INPUT -o OUT [--to FORMAT]",
		Short: "Convert a subtitle file to SRT, WebVTT, ASS, TTML or EBU STL",
		Long: `Read INPUT (any subtitle or transcript format recuerdo reads, or an archive
track INTERVIEW:LANG) and write its cues to OUT in the format named by
--to or, without it, by OUT's extension: srt, vtt, ass (or ssa), ttml (or
dfxp) or stl.

Times are rounded to what the format holds (milliseconds; ASS
centiseconds; STL frames at --fps 25 or 30), never truncated, and never
negative. Speakers go into WebVTT voices and the ASS Name field, and
elsewhere into a "SPEAKER:" label where the speaker changes. Styling of
the input is not carried over.

The output is UTF-8 without a byte-order mark and with "\n" line endings
unless --encoding (utf-8, utf-16le, utf-16be, windows-1252,
iso-8859-1), --bom or --crlf say otherwise. A character the encoding
cannot hold is an error naming the cue, not a silent "?".

Examples:
  recuerdo subs convert es.srt -o es.ass
  recuerdo subs convert en.vtt -o en.srt --encoding windows-1252 --crlf
  recuerdo subs convert abuelo-autobus:es -o es.ttml
  recuerdo subs convert --json es.srt --to stl --fps 25 -o es.stl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSubsConvert(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringVarP(&o.output, "output", "o", "", "where to write the converted file (required)")
	c.Flags().StringVar(&o.to, "to", "", "output format: srt, vtt, ass, ttml or stl (default: from OUT's extension)")
	c.Flags().StringVar(&o.encoding, "encoding", "utf-8", "character encoding: "+strings.Join(subtitles.Encodings, ", "))
	c.Flags().BoolVar(&o.bom, "bom", false, "start the file with a byte-order mark (UTF-8 and UTF-16)")
	c.Flags().BoolVar(&o.crlf, "crlf", false, "end lines with CR LF, as Windows tools expect")
	c.Flags().Float64Var(&o.fps, "fps", 25, "EBU STL frame rate: 25 or 30")
	c.MarkFlagRequired("output")
	c.RegisterFlagCompletionFunc("to", cobra.FixedCompletions([]string{"srt", "vtt", "ass", "ttml", "stl"}, cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("encoding", cobra.FixedCompletions(subtitles.Encodings, cobra.ShellCompDirectiveNoFileComp))
	return c
}

type convertOutput struct {
	Input    string `json:"input"`
	From     string `json:"from"`
	Output   string `json:"output"`
	To       string `json:"to"`
	Encoding string `json:"encoding"`
	Cues     int    `json:"cues"`
	Bytes    int    `json:"bytes"`
}

func runSubsConvert(ctx context.Context, g *globals, o subsConvertOptions, input string) error {
	format, err := convertFormat(o.output, o.to)
	if err != nil {
		return err
	}
	opt := subtitles.WriteOptions{Encoding: o.encoding, BOM: o.bom, CRLF: o.crlf, SpeakerLabels: true}
	if format == subtitles.FormatSTL {
		if o.encoding != "utf-8" || o.bom || o.crlf {
			return usageError{fmt.Errorf("convert: EBU STL has its own character set and binary layout; --encoding, --bom and --crlf do not apply")}
		}
		opt.Encoding, opt.FPS = "", o.fps
	} else if o.fps != 25 {
		g.note("--fps sets the frame rate of EBU STL output only; it does not apply to %s", strings.ToUpper(string(format)))
	}
	in, err := readSubs(ctx, g, input)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := subtitles.WriteWith(&b, format, in.Track.Cues, opt); err != nil {
		return fmt.Errorf("convert %s: %w", in.Name, err)
	}
	if err := writeAtomic(o.output, b.Bytes()); err != nil {
		return err
	}
	out := convertOutput{Input: in.Name, From: string(in.Track.Format), Output: o.output, To: string(format), Encoding: o.encoding, Cues: len(in.Track.Cues), Bytes: b.Len()}
	if format == subtitles.FormatSTL {
		out.Encoding = "stl"
	}
	if g.json {
		return json.NewEncoder(g.stdout).Encode(out)
	}
	fmt.Fprintf(g.stdout, "wrote %s: %d cues, %s, %s\n", o.output, out.Cues, strings.ToUpper(out.To), out.Encoding)
	return nil
}

// convertFormat is --to's format, or else the one OUT's extension names.
func convertFormat(output, to string) (subtitles.Format, error) {
	if to != "" {
		f, err := subtitles.ParseFormat(to)
		if err != nil {
			return "", usageError{fmt.Errorf("--to: %w", err)}
		}
		return f, nil
	}
	f, err := subtitles.FormatOf(output)
	if err != nil {
		return "", usageError{fmt.Errorf("%w; name the format with --to", err)}
	}
	return f, nil
}
