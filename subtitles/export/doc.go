// Package export writes a selection of timed moments from interviews
// ("clips", such as search hits) in the formats editing software reads:
// CSV and JSON tables, a CMX3600 EDL, DaVinci Resolve timeline markers,
// Final Cut Pro XML, and SRT or WebVTT subtitles.
//
// The clips are assembled back to back on a "selects" timeline that starts
// at record timecode 01:00:00:00. Each clip lasts its segment plus
// Options.Handles on both sides (never before media time 0), in whole
// frames of the timeline's rate, so events neither overlap nor leave gaps.
// Source timecodes are the media time at the clip's frame rate, counted
// from its start timecode, as subtitles.SMPTE writes them (drop-frame at
// 29.97 and 59.94). NTSC rates written 23.976, 29.97 or 59.94 are taken as
// 24000/1001, 30000/1001 and 60000/1001.
//
//	err := export.Write(os.Stdout, export.FormatEDL, clips, export.Options{Handles: 2 * time.Second})
//
// The formats:
//
//   - csv: a header, then a row per clip: interview, title, media, lang,
//     speaker, start_ms, end_ms, source_in, source_out, record_in,
//     record_out, text, translation. start_ms and end_ms are the segment's
//     media time without handles; source_in and source_out include them.
//   - json: an array of objects with the CSV's fields as keys.
//   - edl: a CMX3600 EDL of the selects, one cut per clip on the video
//     track "V" only. The reel is the media's base name without extension,
//     upper case, [A-Z0-9_], at most 8 characters ("AX" without media);
//     "* FROM CLIP NAME:" gives the media's name and "* COMMENT:" the
//     speaker and text. An EDL has one frame rate: clips at another rate
//     than the timeline's are an error, unless Options.FPS is set, which
//     then times every source too.
//   - resolve-edl: DaVinci Resolve timeline markers (Timeline > Import >
//     Timeline Markers from EDL), one per clip at its segment's source
//     timecode without handles, so that they land on the interview's own
//     timeline; the marker is named after the speaker and text, notes the
//     translation and lasts the segment. Clips of different media are all
//     written, each at its own media timecodes.
//   - fcpxml: a Final Cut Pro XML 1.9 project of the selects: an asset per
//     media, an asset-clip per clip (a gap for a clip without media) with a
//     marker at the segment's start. Formats are declared 1920x1080, since
//     the media's size is not known.
//   - srt, vtt: each segment as a cue where it plays on the selects
//     timeline, counted from 0, so it lines up with the EDL and FCPXML
//     assemblies; WebVTT keeps the speaker as a voice.
//
// ReadEDL reads CMX3600 EDLs, ours and others, back into an EDL.
package export
