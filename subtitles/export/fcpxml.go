package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
)

// The FCPXML 1.9 elements written, with the attributes in the order Final
// Cut Pro writes them.
type (
	fcpxmlDoc struct {
		XMLName   xml.Name     `xml:"fcpxml"`
		Version   string       `xml:"version,attr"`
		Resources fcpResources `xml:"resources"`
		Event     fcpEvent     `xml:"library>event"`
	}
	fcpResources struct {
		Formats []fcpFormat `xml:"format"`
		Assets  []fcpAsset  `xml:"asset"`
	}
	fcpFormat struct {
		ID            string `xml:"id,attr"`
		Name          string `xml:"name,attr,omitempty"`
		FrameDuration string `xml:"frameDuration,attr"`
		Width         int    `xml:"width,attr"`
		Height        int    `xml:"height,attr"`
	}
	fcpAsset struct {
		ID       string      `xml:"id,attr"`
		Name     string      `xml:"name,attr"`
		Start    string      `xml:"start,attr"`
		Duration string      `xml:"duration,attr"`
		HasVideo string      `xml:"hasVideo,attr"`
		HasAudio string      `xml:"hasAudio,attr"`
		Format   string      `xml:"format,attr"`
		MediaRep fcpMediaRep `xml:"media-rep"`
	}
	fcpMediaRep struct {
		Kind string `xml:"kind,attr"`
		Src  string `xml:"src,attr"`
	}
	fcpEvent struct {
		Name    string     `xml:"name,attr"`
		Project fcpProject `xml:"project"`
	}
	fcpProject struct {
		Name     string      `xml:"name,attr"`
		Sequence fcpSequence `xml:"sequence"`
	}
	fcpSequence struct {
		Format      string   `xml:"format,attr"`
		Duration    string   `xml:"duration,attr"`
		TCStart     string   `xml:"tcStart,attr"`
		TCFormat    string   `xml:"tcFormat,attr"`
		AudioLayout string   `xml:"audioLayout,attr"`
		AudioRate   string   `xml:"audioRate,attr"`
		Spine       fcpSpine `xml:"spine"`
	}
	fcpSpine struct {
		Clips []fcpClip // named by their XMLName
	}
	// fcpClip is an asset-clip, or a gap for a clip without media.
	fcpClip struct {
		XMLName  xml.Name
		Ref      string      `xml:"ref,attr,omitempty"`
		Offset   string      `xml:"offset,attr"`
		Name     string      `xml:"name,attr"`
		Start    string      `xml:"start,attr"`
		Duration string      `xml:"duration,attr"`
		TCFormat string      `xml:"tcFormat,attr,omitempty"`
		Markers  []fcpMarker `xml:"marker"`
	}
	fcpMarker struct {
		Start    string `xml:"start,attr"`
		Duration string `xml:"duration,attr"`
		Value    string `xml:"value,attr"`
		Note     string `xml:"note,attr,omitempty"`
	}
)

// formatNames are Final Cut Pro's names of 1080p formats.
var formatNames = map[rate]string{
	{24000, 1001}: "FFVideoFormat1080p2398", {24, 1}: "FFVideoFormat1080p24", {25, 1}: "FFVideoFormat1080p25",
	{30000, 1001}: "FFVideoFormat1080p2997", {30, 1}: "FFVideoFormat1080p30", {50, 1}: "FFVideoFormat1080p50",
	{60000, 1001}: "FFVideoFormat1080p5994", {60, 1}: "FFVideoFormat1080p60",
}

// writeFCPXML writes the selects as a Final Cut Pro project: a format per
// frame rate (the timeline's first, 1920x1080 since the media's size is not
// known), an asset per media, and on the project's spine an asset-clip per
// clip (a gap for a clip without media) with a marker at the segment.
func (tl *timeline) writeFCPXML(w *bytes.Buffer, title string) error {
	doc := fcpxmlDoc{Version: "1.9"}
	formats := map[rate]string{}
	format := func(r rate) string {
		if id, ok := formats[r]; ok {
			return id
		}
		id := fmt.Sprintf("r%d", len(formats)+1)
		formats[r] = id
		doc.Resources.Formats = append(doc.Resources.Formats, fcpFormat{
			ID: id, Name: formatNames[r], FrameDuration: r.seconds(1), Width: 1920, Height: 1080,
		})
		return id
	}
	format(tl.rate)
	for _, e := range tl.events {
		if e.clip.Media != "" {
			format(e.rate)
		}
	}

	type assetKey struct {
		media string
		rate  rate
		start int
	}
	assets := map[assetKey]int{} // index in doc.Resources.Assets
	var rates []rate             // each asset's frame rate
	var ends []int               // and the end of the media it needs
	tcFormat := func(r rate) string {
		if dropFrame(r) {
			return "DF"
		}
		return "NDF"
	}
	seq := fcpSequence{
		Format: formats[tl.rate], Duration: tl.rate.seconds(tl.frames),
		TCStart: tl.rate.seconds(tl.start), TCFormat: tcFormat(tl.rate),
		AudioLayout: "stereo", AudioRate: "48k",
	}
	for _, e := range tl.events {
		c := e.clip
		marker := fcpMarker{Value: label(c), Note: oneLine(c.Translation)}
		clip := fcpClip{
			Offset:   tl.rate.seconds(tl.start + e.recIn),
			Duration: tl.rate.seconds(e.recOut - e.recIn),
		}
		if c.Media == "" {
			// A gap has no media and counts its time from 0 at the
			// timeline's rate.
			in, _ := e.cue(tl)
			clip.XMLName.Local, clip.Name, clip.Start = "gap", oneLine(c.Interview), "0s"
			marker.Start, marker.Duration = tl.rate.seconds(in-e.recIn), tl.rate.seconds(1)
		} else {
			k := assetKey{c.Media, e.rate, e.srcStart}
			i, ok := assets[k]
			if !ok {
				i = len(doc.Resources.Assets)
				assets[k] = i
				rates, ends = append(rates, e.rate), append(ends, 0)
				doc.Resources.Assets = append(doc.Resources.Assets, fcpAsset{
					ID:   fmt.Sprintf("r%d", len(formats)+i+1),
					Name: baseName(c.Media), Start: e.rate.seconds(e.srcStart),
					HasVideo: "1", HasAudio: "1", Format: formats[e.rate],
					MediaRep: fcpMediaRep{Kind: "original-media", Src: mediaURL(c.Media)},
				})
			}
			ends[i] = max(ends[i], e.out)
			clip.XMLName.Local, clip.Ref = "asset-clip", doc.Resources.Assets[i].ID
			clip.Name, clip.Start, clip.TCFormat = baseName(c.Media), e.rate.seconds(e.srcStart+e.in), tcFormat(e.rate)
			marker.Start, marker.Duration = e.rate.seconds(e.srcStart+e.segIn), e.rate.seconds(1)
		}
		clip.Markers = []fcpMarker{marker}
		seq.Spine.Clips = append(seq.Spine.Clips, clip)
	}
	for i := range doc.Resources.Assets {
		doc.Resources.Assets[i].Duration = rates[i].seconds(ends[i])
	}
	doc.Event = fcpEvent{Name: title, Project: fcpProject{Name: title, Sequence: seq}}

	w.WriteString(xml.Header + "<!DOCTYPE fcpxml>\n\n")
	enc := xml.NewEncoder(w)
	enc.Indent("", "    ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	w.WriteString("\n")
	return nil
}

// mediaURL is the media-rep src of a media name: a file URL for an
// absolute path, a URL as it is, and a relative name as a relative URL
// (which editors resolve next to the FCPXML file, or let relink).
func mediaURL(media string) string {
	if strings.Contains(media, "://") {
		return media
	}
	p := strings.ReplaceAll(media, `\`, "/")
	if len(p) > 2 && p[1] == ':' && p[2] == '/' && (p[0]|0x20) >= 'a' && (p[0]|0x20) <= 'z' { // C:/Users/…
		p = "/" + p
	}
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
	}
	return u.String()
}
