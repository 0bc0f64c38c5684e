package chart

import (
	"errors"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Arms is an experiment's agreement rates (signed and ratified) and
// welfare per arm, with their 95% intervals: two panels side by side.
type Arms struct {
	Title   string
	XLabel  string // what an arm is, e.g. "protocol variant" ("arm" when empty)
	Welfare string // whose welfare, e.g. "welfare of RU+UA" ("welfare" when empty)
	Rows    []ArmRow
}

// ArmRow is one arm of an experiment.
type ArmRow struct {
	Name      string
	Agreement Interval // share of runs that signed an agreement (Wilson CI)
	Ratified  Interval // share of runs whose agreement was ratified (Wilson CI)
	Welfare   Interval // mean sum of the negotiators' utilities (t CI)
}

// build makes the two panels and the legend.
func (a *Arms) build() (pa, pw *plot.Plot, leg plot.Legend, entries []string, err error) {
	n := len(a.Rows)
	if n == 0 {
		return nil, nil, leg, nil, errors.New("chart: arms: no arms")
	}
	names := make([]string, n)
	agree, rat, wel := make([]Interval, n), make([]Interval, n), make([]Interval, n)
	for i, r := range a.Rows {
		names[i], agree[i], rat[i], wel[i] = r.Name, r.Agreement, r.Ratified, r.Welfare
	}
	xl := a.XLabel
	if xl == "" {
		xl = "arm"
	}
	wl := a.Welfare
	if wl == "" {
		wl = "welfare"
	}

	pa = plot.New()
	pa.Title.Text = "agreement rate (95% Wilson CI)"
	pa.Y.Label.Text = "share of runs (0 to 1)"
	pa.Y.Min, pa.Y.Max = 0, 1 // a rate never exceeds 1
	pa.Y.Tick.Marker = ticker(5)
	ss, err := series(pa, agree, -0.1, colour(0), draw.CircleGlyph{})
	if err != nil {
		return nil, nil, leg, nil, err
	}
	sr, err := series(pa, rat, 0.1, colour(1), draw.SquareGlyph{})
	if err != nil {
		return nil, nil, leg, nil, err
	}

	pw = plot.New()
	pw.Title.Text = wl + " (95% CI)"
	pw.Y.Label.Text = "mean sum of utilities (0 to 1 each)"
	sw, err := series(pw, wel, 0, colour(2), draw.TriangleGlyph{})
	if err != nil {
		return nil, nil, leg, nil, err
	}
	lo, hi := extent(wel)
	pw.Y.Min, pw.Y.Max, pw.Y.Tick.Marker = niceRange(math.Max(0, lo), hi, 5)

	for _, p := range []*plot.Plot{pa, pw} {
		p.Add(plotter.NewGrid())
		p.X.Label.Text = xl
		p.Title.TextStyle.Font.Size = vg.Points(11)
		categories(p, names)
	}

	leg = newLegend()
	entries = []string{"signed", "ratified", "welfare"}
	leg.Add(entries[0], ss)
	leg.Add(entries[1], sr)
	leg.Add(entries[2], sw)
	return pa, pw, leg, entries, nil
}

// layout implements Figure.
func (a *Arms) layout() (*figure, error) {
	pa, pw, leg, entries, err := a.build()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(a.Rows))
	for i, r := range a.Rows {
		names[i] = r.Name
	}
	lw := legendWidth(leg, entries)
	panelW := categoryWidth(names, 4.2*vg.Inch)
	w := 2*panelW + lw
	rows := titleRows(w, a.Title)
	h := 4.3*vg.Inch + titleHeight(rows)
	return &figure{w: w, h: h, draw: func(dc draw.Canvas) {
		body := drawTitle(dc, rows)
		area := draw.Crop(body, 0, -lw, 0, 0)
		tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(24), PadTop: vg.Points(2),
			PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
		cs := plot.Align([][]*plot.Plot{{pa, pw}}, tiles, area)
		pa.Draw(cs[0][0])
		pw.Draw(cs[0][1])
		leg.Draw(draw.Crop(body, body.Max.X-body.Min.X-lw, 0, 0, -vg.Points(10)))
	}}, nil
}
