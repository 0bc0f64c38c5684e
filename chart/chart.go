// Package chart draws Parley's figures for papers: a negotiation in the
// utility plane (Negotiation), a tournament leaderboard (Leaderboard) and an
// experiment's arms (Arms). It writes PNG, SVG or PDF, chosen by the output
// file's extension (FormatOf), and is the project's one home of
// gonum.org/v1/plot.
//
// Every figure keeps its legend outside the data, labels every axis with
// its unit, and pads its ranges so that no marker, whisker or bar is cut at
// the edge of a panel.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/parley-dev/parley/internal/outfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Format is an output format: "png", "svg" or "pdf".
type Format string

// The formats this package writes.
const (
	PNG Format = "png"
	SVG Format = "svg"
	PDF Format = "pdf"
)

// pngDPI is the resolution of PNG figures: enough for print at a
// column's width.
const pngDPI = 150

// ErrFormat is wrapped by the error for a file name whose extension names no
// format this package writes.
var ErrFormat = errors.New("want a .png, .svg or .pdf file")

// FormatOf returns the format named by path's extension (case-insensitive).
func FormatOf(path string) (Format, error) {
	switch f := Format(strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")); f {
	case PNG, SVG, PDF:
		return f, nil
	}
	return "", fmt.Errorf("chart: %q: %w", path, ErrFormat)
}

// Figure is a figure this package draws: *Negotiation, *Leaderboard or
// *Arms.
type Figure interface {
	layout() (*figure, error)
}

// figure is a laid-out figure: its size and how to draw it.
type figure struct {
	w, h vg.Length
	draw func(dc draw.Canvas)
}

// Write draws f in format to w.
func Write(w io.Writer, format Format, f Figure) error {
	fg, err := f.layout()
	if err != nil {
		return err
	}
	var c vg.CanvasWriterTo
	if format == PNG {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(fg.w, fg.h), vgimg.UseDPI(pngDPI))}
	} else {
		var err error
		if c, err = draw.NewFormattedCanvas(fg.w, fg.h, string(format)); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	fg.draw(dc)
	if format != PDF {
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		return nil
	}
	// The PDF writer stamps the wall clock; a fixed date of the same length
	// (so that the cross-reference offsets hold) makes the same figure the
	// same bytes.
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	if _, err := w.Write(pdfDate.ReplaceAll(b.Bytes(), []byte("/$1 (D:20000101000000)"))); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

// pdfDate matches the dates in a PDF's information dictionary.
var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:[0-9]{14}\)`)

// Save draws f to the file path, in the format its extension names.
func Save(path string, f Figure) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	err = outfile.Write(path, func(w io.Writer) error { return Write(w, format, f) })
	if errors.As(err, new(*fs.PathError)) { // creating or closing the file
		return fmt.Errorf("chart: %w", err)
	}
	return err
}

// palette is the Tableau-10 palette, colour-blind safer than plain RGB.
var palette = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255},  // blue
	color.RGBA{R: 255, G: 127, B: 14, A: 255},  // orange
	color.RGBA{R: 44, G: 160, B: 44, A: 255},   // green
	color.RGBA{R: 148, G: 103, B: 189, A: 255}, // purple
	color.RGBA{R: 140, G: 86, B: 75, A: 255},   // brown
	color.RGBA{R: 227, G: 119, B: 194, A: 255}, // pink
	color.RGBA{R: 188, G: 189, B: 34, A: 255},  // olive
	color.RGBA{R: 23, G: 190, B: 207, A: 255},  // cyan
}

var (
	black = color.Black
	grey  = color.Gray{Y: 150}
	light = color.Gray{Y: 215}
	red   = color.RGBA{R: 214, G: 39, B: 40, A: 255}
)

// colour returns the i-th colour of the palette, cycling.
func colour(i int) color.Color { return palette[i%len(palette)] }

// font returns the default font at size points.
func font(size float64) draw.TextStyle {
	f := plot.DefaultFont
	f.Size = vg.Points(size)
	return draw.TextStyle{Color: black, Font: f, Handler: plot.DefaultTextHandler}
}

// titleRow is one line of a figure's title.
type titleRow struct {
	text string
	sty  draw.TextStyle
}

// titleRows lays out a title (13 pt) and subtitles (10 pt) centred in
// width, breaking a line that does not fit after a comma or a space.
func titleRows(width vg.Length, title string, subs ...string) []titleRow {
	var rows []titleRow
	for k, l := range append([]string{title}, subs...) {
		sty := font(13)
		if k > 0 {
			sty = font(10)
		}
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		for _, part := range wrap(l, width-vg.Points(24), sty) {
			rows = append(rows, titleRow{part, sty})
		}
	}
	return rows
}

// wrap breaks s into lines no wider than w in sty, after spaces.
func wrap(s string, w vg.Length, sty draw.TextStyle) []string {
	if s == "" || sty.Width(s) <= w {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range strings.SplitAfter(s, " ") {
		if line != "" && sty.Width(strings.TrimSpace(line+word)) > w {
			lines = append(lines, strings.TrimSpace(line))
			line = ""
		}
		line += word
	}
	return append(lines, strings.TrimSpace(line))
}

// titleHeight is the height drawTitle takes for rows.
func titleHeight(rows []titleRow) vg.Length {
	h := vg.Points(12)
	for _, r := range rows {
		h += r.sty.Height(r.text) + vg.Points(4)
	}
	return h
}

// drawTitle writes rows centred at the top of dc and returns the canvas
// below them.
func drawTitle(dc draw.Canvas, rows []titleRow) draw.Canvas {
	y := dc.Max.Y - vg.Points(8)
	for _, r := range rows {
		dc.FillText(r.sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: y}, r.text)
		y -= r.sty.Height(r.text) + vg.Points(4)
	}
	return draw.Crop(dc, 0, 0, 0, y-dc.Max.Y-vg.Points(4))
}

// legendWidth is the width a legend's entries take, with a fifth more for
// the text: an SVG viewer without the font substitutes a wider one.
func legendWidth(l plot.Legend, names []string) vg.Length {
	w := vg.Length(0)
	for _, n := range names {
		w = max(w, l.TextStyle.Width(n))
	}
	return w*1.2 + l.ThumbnailWidth + l.Padding + vg.Points(12)
}

// newLegend returns a legend in the figures' style.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.Top = true
	l.Left = true
	l.TextStyle.Font.Size = vg.Points(10)
	l.ThumbnailWidth = vg.Points(18)
	l.Padding = vg.Points(3)
	return l
}

// niceStep returns a round step (1, 2, 2.5 or 5 times a power of ten)
// giving about n steps over [lo, hi].
func niceStep(lo, hi float64, n int) float64 {
	raw := (hi - lo) / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// niceRange widens [lo, hi] to whole steps of about n ticks, so that the
// axis ends on a labelled tick.
// It returns the range and a ticker labelling every step.
func niceRange(lo, hi float64, n int) (float64, float64, plot.Ticker) {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		lo, hi = lo-0.5, hi+0.5
	}
	step := niceStep(lo, hi, n)
	lo, hi = math.Floor(lo/step+1e-9)*step, math.Ceil(hi/step-1e-9)*step
	return lo, hi, plot.TickerFunc(func(a, b float64) []plot.Tick { return stepTicks(a, b, step) })
}

// niceTicks returns about n labelled ticks over [lo, hi] at a round step
// (1, 2, 2.5 or 5 times a power of ten), labelled with just enough
// decimals to tell them apart, and unlabelled minor ticks halfway.
func niceTicks(lo, hi float64, n int) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) || math.IsNaN(hi-lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	return stepTicks(lo, hi, niceStep(lo, hi, n))
}

// stepTicks labels the multiples of step over [lo, hi], with unlabelled
// minor ticks halfway.
func stepTicks(lo, hi, step float64) []plot.Tick {
	dec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	if r := step / math.Pow(10, -float64(dec)); math.Abs(r-math.Round(r)) > 1e-9 {
		dec++ // 2.5·10^k needs one more digit
	}
	var ts []plot.Tick
	k0 := math.Ceil(lo/step - 1e-9)
	for k := k0; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if v == 0 {
			v = 0 // not -0
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', dec, 64)})
		if m := v + step/2; m <= hi {
			ts = append(ts, plot.Tick{Value: m})
		}
	}
	if m := k0*step - step/2; m >= lo {
		ts = append(ts, plot.Tick{Value: m})
	}
	return ts
}

// ticker is a plot.Ticker giving about n nice ticks over the axis range.
func ticker(n int) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(lo, hi, n) })
}

// joinNames joins names as "a, b and c".
func joinNames(ns []string) string {
	var b strings.Builder
	for i, n := range ns {
		switch {
		case i == 0:
		case i == len(ns)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(n)
	}
	return b.String()
}
