package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Interval is an estimate with its confidence interval.
type Interval struct {
	Mean, Low, High float64
	HasCI           bool // false: Low and High are not known (fewer than two samples)
}

// bounds returns the interval's extent, the mean alone without a CI.
func (iv Interval) bounds() (lo, hi float64) {
	if !iv.HasCI {
		return iv.Mean, iv.Mean
	}
	return min(iv.Low, iv.Mean), max(iv.High, iv.Mean)
}

// errPoints are points with vertical error bars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// series adds one estimate per category at x = i + dx, with whiskers, in
// colour c, and returns the markers (for the legend).
func series(p *plot.Plot, ivs []Interval, dx float64, c color.Color, shape draw.GlyphDrawer) (*plotter.Scatter, error) {
	d := errPoints{XYs: make(plotter.XYs, len(ivs)), YErrors: make(plotter.YErrors, len(ivs))}
	for i, iv := range ivs {
		if math.IsNaN(iv.Mean) || math.IsInf(iv.Mean, 0) {
			return nil, fmt.Errorf("chart: category %d: estimate %v is not a number", i, iv.Mean)
		}
		lo, hi := iv.bounds()
		d.XYs[i].X, d.XYs[i].Y = float64(i)+dx, iv.Mean
		d.YErrors[i].Low, d.YErrors[i].High = iv.Mean-lo, hi-iv.Mean
	}
	sc, err := plotter.NewScatter(d)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(3.5), shape
	eb, err := plotter.NewYErrorBars(d)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	eb.LineStyle.Color, eb.LineStyle.Width = c, vg.Points(1.2)
	eb.CapWidth = vg.Points(7)
	p.Add(eb, sc)
	return sc, nil
}

// extent returns the smallest and largest value the intervals reach.
func extent(ivss ...[]Interval) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, ivs := range ivss {
		for _, iv := range ivs {
			l, h := iv.bounds()
			lo, hi = min(lo, l), max(hi, h)
		}
	}
	return lo, hi
}

// categories labels the x axis with names, rotating long labels, and
// leaves half a category of room at both ends for the whiskers' caps.
func categories(p *plot.Plot, names []string) {
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	long := 0
	for _, n := range names {
		long = max(long, len(n))
	}
	if long > 20 {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YTop
	} else if long > 10 || len(names) > 5 && long > 5 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YTop
	}
}

// categoryWidth is a panel's width for n categories with names.
func categoryWidth(names []string, min vg.Length) vg.Length {
	return max(min, vg.Length(len(names))*0.9*vg.Inch+1.2*vg.Inch)
}
