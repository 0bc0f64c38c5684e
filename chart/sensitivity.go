package chart

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sensitivity is a global sensitivity analysis: the total-effect Sobol
// index of each assumption on each contrast, with its interval; one
// marker per contrast over each assumption.
type Sensitivity struct {
	Title       string
	Subtitle    string   // a line under the title, e.g. what the indices are of
	YLabel      string   // the y axis ("total-effect index ST" when empty)
	Assumptions []string // the x categories
	Contrasts   []SensitivityContrast
}

// SensitivityContrast is one contrast's indices, one per assumption.
type SensitivityContrast struct {
	Name    string
	Indices []Interval
}

var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

// layout implements Figure.
func (s *Sensitivity) layout() (*figure, error) {
	if len(s.Assumptions) == 0 || len(s.Contrasts) == 0 {
		return nil, errors.New("chart: sensitivity: no assumptions or no contrasts")
	}
	p := plot.New()
	p.Y.Label.Text = s.YLabel
	if p.Y.Label.Text == "" {
		p.Y.Label.Text = "total-effect index ST"
	}
	p.X.Label.Text = "assumption"
	p.Add(plotter.NewGrid())
	leg := newLegend()
	var entries []string
	var all [][]Interval
	n := len(s.Contrasts)
	for i, c := range s.Contrasts {
		if len(c.Indices) != len(s.Assumptions) {
			return nil, fmt.Errorf("chart: sensitivity: contrast %q has %d indices for %d assumptions", c.Name, len(c.Indices), len(s.Assumptions))
		}
		dx := 0.0
		if n > 1 {
			dx = -0.3 + 0.6*float64(i)/float64(n-1)
		}
		sc, err := series(p, c.Indices, dx, colour(i), glyphs[i%len(glyphs)])
		if err != nil {
			return nil, err
		}
		leg.Add(c.Name, sc)
		entries = append(entries, c.Name)
		all = append(all, c.Indices)
	}
	lo, hi := extent(all...)
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = niceRange(min(0, lo), max(hi, 0.1), 5)
	categories(p, s.Assumptions)
	lw := legendWidth(leg, entries)
	w := categoryWidth(s.Assumptions, 5*vg.Inch) + lw
	rows := titleRows(w, s.Title, s.Subtitle)
	h := 4.5*vg.Inch + titleHeight(rows)
	return &figure{w: w, h: h, draw: func(dc draw.Canvas) {
		body := drawTitle(dc, rows)
		p.Draw(draw.Crop(body, vg.Points(6), -lw-vg.Points(6), vg.Points(6), 0))
		leg.Draw(draw.Crop(body, body.Max.X-body.Min.X-lw, 0, 0, -vg.Points(10)))
	}}, nil
}
