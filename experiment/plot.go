package experiment

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// errPoints are points with vertical error bars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

var (
	blue   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	orange = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

// series adds points with CI bars at x = i + dx, in colour c.
func series(p *plot.Plot, ys []float64, cis [][2]float64, dx float64, c color.Color, shape draw.GlyphDrawer, label string) error {
	d := errPoints{XYs: make(plotter.XYs, len(ys)), YErrors: make(plotter.YErrors, len(ys))}
	for i, y := range ys {
		d.XYs[i].X, d.XYs[i].Y = float64(i)+dx, y
		d.YErrors[i].Low, d.YErrors[i].High = y-cis[i][0], cis[i][1]-y
	}
	sc, err := plotter.NewScatter(d)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Color, sc.GlyphStyle.Radius, sc.GlyphStyle.Shape = c, vg.Points(3.5), shape
	eb, err := plotter.NewYErrorBars(d)
	if err != nil {
		return err
	}
	eb.LineStyle.Color, eb.LineStyle.Width = c, vg.Points(1.2)
	p.Add(eb, sc)
	if label != "" {
		p.Legend.Add(label, sc)
	}
	return nil
}

// WritePNG draws the report's agreement rate (signed and ratified, with
// Wilson 95% intervals) and welfare (with t 95% intervals) per arm, side by
// side, and writes the image as PNG.
func WritePNG(w io.Writer, r *Report) error {
	n := len(r.Arms)
	if n == 0 {
		return fmt.Errorf("experiment: plot: no arms")
	}
	names := make([]string, n)
	agree, ratified, welfare := make([]float64, n), make([]float64, n), make([]float64, n)
	agreeCI, ratCI, welCI := make([][2]float64, n), make([][2]float64, n), make([][2]float64, n)
	long := 0
	for i := range r.Arms {
		a := &r.Arms[i]
		names[i] = a.Name
		long = max(long, len(a.Name))
		agree[i], agreeCI[i] = a.AgreementRate.Mean, [2]float64{a.AgreementRate.Low, a.AgreementRate.High}
		ratified[i], ratCI[i] = a.RatifiedRate.Mean, [2]float64{a.RatifiedRate.Low, a.RatifiedRate.High}
		welfare[i], welCI[i] = a.Welfare.Mean, [2]float64{a.Welfare.Low, a.Welfare.High}
		if !a.Welfare.HasCI {
			welCI[i] = [2]float64{a.Welfare.Mean, a.Welfare.Mean}
		}
	}
	title := fmt.Sprintf("%s %s, %d runs per arm, seed %d", r.Experiment, r.Scenario, r.Runs, r.Seed)

	pa := plot.New()
	pa.Title.Text = "agreement rate (95% Wilson CI)"
	pa.Y.Label.Text = "share of runs"
	// Headroom above 1 keeps the legend clear of the points.
	pa.Y.Min, pa.Y.Max = 0, 1.18
	pa.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(0, 1, 4) })
	if err := series(pa, agree, agreeCI, -0.1, blue, draw.CircleGlyph{}, "signed"); err != nil {
		return fmt.Errorf("experiment: plot: %w", err)
	}
	if err := series(pa, ratified, ratCI, 0.1, orange, draw.BoxGlyph{}, "ratified"); err != nil {
		return fmt.Errorf("experiment: plot: %w", err)
	}
	pa.Legend.Top = true

	pw := plot.New()
	pw.Title.Text = "welfare of " + joinNames(r.Negotiators) + " (95% CI)"
	pw.Y.Label.Text = "mean sum of utilities"
	if err := series(pw, welfare, welCI, 0, blue, draw.CircleGlyph{}, ""); err != nil {
		return fmt.Errorf("experiment: plot: %w", err)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range welCI {
		lo, hi = min(lo, c[0]), max(hi, c[1])
	}
	pad := max(0.05, (hi-lo)*0.15)
	pw.Y.Min, pw.Y.Max = max(0, lo-pad), hi+pad
	pw.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick { return niceTicks(lo, hi, 5) })

	for _, p := range []*plot.Plot{pa, pw} {
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.6, float64(n)-0.4
		p.Add(plotter.NewGrid())
		if long > 10 || n > 4 {
			p.X.Tick.Label.Rotation = math.Pi / 6
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YTop
		}
	}

	width := vg.Length(max(9, 2+float64(n)*1.4)) * vg.Inch
	height := 4.5 * vg.Inch
	img := vgimg.New(width, height)
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	// A title line over both panels.
	tf := plot.DefaultFont
	tf.Size = vg.Points(13)
	sty := draw.TextStyle{Color: color.Black, Font: tf, XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
	dc.FillText(sty, vg.Point{X: width / 2, Y: height - vg.Points(6)}, title)
	body := draw.Crop(dc, 0, 0, 0, -vg.Points(26))

	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(20), PadTop: vg.Points(4),
		PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(10)}
	cs := plot.Align([][]*plot.Plot{{pa, pw}}, tiles, body)
	pa.Draw(cs[0][0])
	pw.Draw(cs[0][1])
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("experiment: plot: %w", err)
	}
	return nil
}

// niceTicks returns about n labelled ticks over [lo, hi] at a round step
// (1, 2, 2.5 or 5 times a power of ten), labelled with just enough
// decimals to tell them apart.
func niceTicks(lo, hi float64, n int) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	raw := (hi - lo) / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * p
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
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
	}
	return ts
}

func joinNames(ns []string) string {
	s := ""
	for i, n := range ns {
		switch {
		case i == 0:
		case i == len(ns)-1:
			s += " and "
		default:
			s += ", "
		}
		s += n
	}
	return s
}
