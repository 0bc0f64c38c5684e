package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
)

// Negotiation is one negotiation to draw, as NegMAS's Mechanism.plot does:
// in the utility plane of every two parties (one panel per pair), each
// party's offers (and a mediator's proposals) as a trail, the pair's Pareto
// frontier, Nash and Kalai-Smorodinsky points and reservation values, the
// stages by marker shape, and the agreement.
type Negotiation struct {
	Title    string // first line of the figure's title
	Subtitle string // second line, e.g. how it ended ("" for none)
	// Parties names the parties; Profiles gives their profiles in the same
	// order, all over one outcome space.
	Parties  []string
	Profiles []*parley.Profile
	// Stages are the stages the moves refer to (a staged plan's stages);
	// only their names and mechanisms are drawn. Empty means one stage.
	Stages []parley.Stage
	// Moves are the offers and proposals in the order they were made.
	Moves []Move
	// Agreement is the agreed outcome, parley.NoOutcome when none, and
	// AgreementLabel its legend entry ("agreement" when empty; e.g.
	// "agreement, not ratified").
	Agreement      parley.Outcome
	AgreementLabel string
	// Pairs lists the pairs of party indices to draw, one panel each; nil
	// means every pair.
	Pairs [][2]int
}

// Move is an offer by a party or a mediator's proposal.
type Move struct {
	Stage   int            // index into Negotiation.Stages (0 without stages)
	Party   int            // who made it: index into Parties, or -1 for a mediator without a seat
	Outcome parley.Outcome // what was offered or proposed
}

// maxCloud is the most outcomes drawn as the background cloud of a panel;
// larger spaces are drawn at an even stride.
const maxCloud = 4000

// panel is one pair's plot, with what it shows (for the tests).
type panel struct {
	p         *plot.Plot
	a, b      int
	moves     int // points of offers and proposals
	frontier  int // points of the Pareto frontier
	cloud     int // outcomes in the background
	nash, ks  bool
	agreement bool
	note      string // why something is missing
}

// validate checks the negotiation's fields against each other.
func (n *Negotiation) validate() error {
	if len(n.Parties) < 2 || len(n.Profiles) != len(n.Parties) {
		return fmt.Errorf("chart: negotiation: %d parties and %d profiles, need at least 2 of each, as many", len(n.Parties), len(n.Profiles))
	}
	sp := n.Profiles[0].Space
	for i, p := range n.Profiles {
		if p == nil || p.Utility == nil || p.Space == nil {
			return fmt.Errorf("chart: negotiation: party %q has no profile", n.Parties[i])
		}
		if p.Space != sp {
			return fmt.Errorf("chart: negotiation: party %q: profile on another outcome space", n.Parties[i])
		}
	}
	for k, m := range n.Moves {
		if m.Party < -1 || m.Party >= len(n.Parties) {
			return fmt.Errorf("chart: negotiation: move %d: party %d out of range", k, m.Party)
		}
		if m.Stage < 0 || m.Stage >= max(1, len(n.Stages)) {
			return fmt.Errorf("chart: negotiation: move %d: stage %d out of range", k, m.Stage)
		}
		if !sp.Valid(m.Outcome) {
			return fmt.Errorf("chart: negotiation: move %d: outcome %d out of range", k, m.Outcome)
		}
	}
	if n.Agreement != parley.NoOutcome && !sp.Valid(n.Agreement) {
		return fmt.Errorf("chart: negotiation: agreement %d out of range", n.Agreement)
	}
	for _, pr := range n.Pairs {
		if pr[0] == pr[1] || min(pr[0], pr[1]) < 0 || max(pr[0], pr[1]) >= len(n.Parties) {
			return fmt.Errorf("chart: negotiation: pair %v is not two distinct parties", pr)
		}
	}
	return nil
}

// pairs returns the pairs to draw.
func (n *Negotiation) pairs() [][2]int {
	if n.Pairs != nil {
		return n.Pairs
	}
	var ps [][2]int
	for a := range n.Parties {
		for b := a + 1; b < len(n.Parties); b++ {
			ps = append(ps, [2]int{a, b})
		}
	}
	return ps
}

// stageShapes are the markers of stages 1, 2, ...
var stageShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

func stageShape(k int) draw.GlyphDrawer { return stageShapes[k%len(stageShapes)] }

// proposerColour is the colour of a party's moves (black for a mediator
// without a seat).
func proposerColour(p int) color.Color {
	if p < 0 {
		return black
	}
	return colour(p)
}

// starGlyph is a filled five-pointed star with a dark outline.
type starGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (starGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	r := sty.Radius
	for k := range 10 {
		rr := r
		if k%2 == 1 {
			rr = r * 0.45
		}
		a := math.Pi/2 + float64(k)*math.Pi/5
		q := vg.Point{X: pt.X + vg.Length(math.Cos(a))*rr, Y: pt.Y + vg.Length(math.Sin(a))*rr}
		if k == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: black, Width: vg.Points(0.8)})
	c.Stroke(p)
}

// build makes one panel per pair and the shared legend.
func (n *Negotiation) build() ([]panel, plot.Legend, []string, error) {
	if err := n.validate(); err != nil {
		return nil, plot.Legend{}, nil, err
	}
	sp := n.Profiles[0].Space
	stages := n.Stages
	if len(stages) == 0 {
		stages = []parley.Stage{{}}
	}
	leg := newLegend()
	var names []string
	add := func(name string, th ...plot.Thumbnailer) {
		leg.Add(name, th...)
		names = append(names, name)
	}
	var panels []panel
	legendDone := false
	for _, pr := range n.pairs() {
		a, b := pr[0], pr[1]
		pa, pb := n.Profiles[a], n.Profiles[b]
		pn := panel{a: a, b: b, p: plot.New()}
		p := pn.p
		p.X.Label.Text = n.Parties[a] + "'s utility (0 to 1)"
		p.Y.Label.Text = n.Parties[b] + "'s utility (0 to 1)"
		p.X.Tick.Marker, p.Y.Tick.Marker = ticker(5), ticker(5)
		p.Add(plotter.NewGrid())
		xy := func(o parley.Outcome) plotter.XY {
			return plotter.XY{X: pa.Utility.Utility(o), Y: pb.Utility.Utility(o)}
		}
		lo, hi := 0.0, 1.0
		grow := func(v float64) { lo, hi = min(lo, v), max(hi, v) }

		// The outcomes, at an even stride in large spaces.
		if sp.Enumerable() {
			stride := max(1, sp.Size()/maxCloud)
			var cloud plotter.XYs
			for o := 0; o < sp.Size(); o += stride {
				q := xy(parley.Outcome(o))
				grow(q.X)
				grow(q.Y)
				cloud = append(cloud, q)
			}
			sc, err := plotter.NewScatter(cloud)
			if err != nil {
				return nil, leg, nil, fmt.Errorf("chart: negotiation: %w", err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: light, Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			pn.cloud = len(cloud)
			if !legendDone {
				what := "outcomes"
				if stride > 1 {
					what = fmt.Sprintf("outcomes (1 in %d)", stride)
				}
				add(what, sc)
			}
		}

		// The pair's frontier and bargaining solutions.
		rep, err := analysis.Analyze(sp, []*parley.Profile{pa, pb})
		var nash, ks *analysis.Point
		if err != nil {
			pn.note = "no Pareto frontier: " + shortReason(err)
		} else {
			nash, ks = rep.Nash, rep.KalaiSmorodinsky
			front := make(plotter.XYs, len(rep.Frontier))
			for i, q := range rep.Frontier {
				front[i] = plotter.XY{X: q.U[0], Y: q.U[1]}
			}
			slices.SortFunc(front, func(u, v plotter.XY) int {
				if u.X != v.X {
					return cmpFloat(u.X, v.X)
				}
				return cmpFloat(v.Y, u.Y)
			})
			pn.frontier = len(front)
			if len(front) > 0 {
				l, s, err := plotter.NewLinePoints(front)
				if err != nil {
					return nil, leg, nil, fmt.Errorf("chart: negotiation: %w", err)
				}
				l.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1.2)}
				s.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
				p.Add(l, s)
				if !legendDone {
					add("Pareto frontier", l, s)
				}
			}
		}

		// Reservation values: a vertical line for a, a horizontal one for b.
		resv := func(vertical bool, r float64, c color.Color) (*plotter.Line, error) {
			pts := plotter.XYs{{X: r, Y: -1e9}, {X: r, Y: 1e9}}
			if !vertical {
				pts = plotter.XYs{{X: -1e9, Y: r}, {X: 1e9, Y: r}}
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			l.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
			return l, nil
		}
		ra, err := resv(true, pa.Reservation, proposerColour(a))
		if err != nil {
			return nil, leg, nil, fmt.Errorf("chart: negotiation: %w", err)
		}
		rb, err := resv(false, pb.Reservation, proposerColour(b))
		if err != nil {
			return nil, leg, nil, fmt.Errorf("chart: negotiation: %w", err)
		}
		// Lines that reach far out must not widen the axes.
		p.Add(clipped{ra}, clipped{rb})

		// Offers and proposals: one trail per proposer and stage.
		type key struct{ party, stage int }
		trails := map[key]plotter.XYs{}
		var order []key
		for _, m := range n.Moves {
			k := key{m.Party, m.Stage}
			if _, ok := trails[k]; !ok {
				order = append(order, k)
			}
			q := xy(m.Outcome)
			grow(q.X)
			grow(q.Y)
			trails[k] = append(trails[k], q)
		}
		for _, k := range order {
			pts := trails[k]
			c := proposerColour(k.party)
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, leg, nil, fmt.Errorf("chart: negotiation: %w", err)
			}
			l.LineStyle = draw.LineStyle{Color: fade(c), Width: vg.Points(0.8)}
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, leg, nil, fmt.Errorf("chart: negotiation: %w", err)
			}
			s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: stageShape(k.stage)}
			p.Add(l, s)
			pn.moves += len(pts)
		}

		// Solutions and the agreement on top.
		mark := func(pt []float64, shape draw.GlyphDrawer, c color.Color, r float64) *plotter.Scatter {
			s, _ := plotter.NewScatter(plotter.XYs{{X: pt[0], Y: pt[1]}})
			s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(r), Shape: shape}
			return s
		}
		var nashMark, ksMark, agreeMark *plotter.Scatter
		if nash != nil {
			nashMark = mark(nash.U, thick{draw.RingGlyph{}}, black, 6)
			p.Add(nashMark)
			pn.nash = true
		}
		if ks != nil {
			ksMark = mark(ks.U, thick{draw.SquareGlyph{}}, black, 6)
			p.Add(ksMark)
			pn.ks = true
		}
		if n.Agreement != parley.NoOutcome {
			q := xy(n.Agreement)
			agreeMark = mark([]float64{q.X, q.Y}, starGlyph{}, red, 9)
			p.Add(agreeMark)
			pn.agreement = true
		}

		pad := 0.02 * (hi - lo)
		p.X.Min, p.X.Max = lo-pad, hi+pad
		p.Y.Min, p.Y.Max = lo-pad, hi+pad
		if len(n.pairs()) > 1 {
			p.Title.Text = n.Parties[a] + " and " + n.Parties[b]
		}
		switch {
		case pn.note != "" && p.Title.Text != "":
			p.Title.Text += " (" + pn.note + ")"
		case pn.note != "":
			p.Title.Text = pn.note
		}
		p.Title.TextStyle.Font.Size = vg.Points(11)

		if !legendDone {
			add("reservation values (dashed)", ra)
			// Legend markers fit a line of text.
			if nashMark != nil {
				add("Nash point", mark([]float64{0, 0}, thick{draw.RingGlyph{}}, black, 4.5))
			}
			if ksMark != nil {
				add("Kalai-Smorodinsky point", mark([]float64{0, 0}, thick{draw.SquareGlyph{}}, black, 4.5))
			}
			if agreeMark != nil {
				label := n.AgreementLabel
				if label == "" {
					label = "agreement"
				}
				add(label, mark([]float64{0, 0}, starGlyph{}, red, 6))
			}
		}
		legendDone = true
		panels = append(panels, pn)
	}

	// Who moved, then the stages' markers.
	var movers []int
	for _, m := range n.Moves {
		if !slices.Contains(movers, m.Party) {
			movers = append(movers, m.Party)
		}
	}
	slices.Sort(movers)
	if movers != nil && movers[0] == -1 {
		movers = append(movers[1:], -1)
	}
	for _, who := range movers {
		name, verb := "mediator", "proposals"
		if who >= 0 {
			name, verb = n.Parties[who], n.verb(who)
		}
		s, _ := plotter.NewScatter(plotter.XYs{{}})
		s.GlyphStyle = draw.GlyphStyle{Color: proposerColour(who), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		add(name+" "+verb, s)
	}
	if len(n.Stages) > 1 {
		for k, st := range n.Stages {
			s, _ := plotter.NewScatter(plotter.XYs{{}})
			s.GlyphStyle = draw.GlyphStyle{Color: black, Radius: vg.Points(3.5), Shape: stageShape(k)}
			kind := "offers"
			if st.Mechanism == parley.MechanismMediated { // a mediator's proposals
				kind = "proposals"
			}
			add(fmt.Sprintf("stage %d %s: %s", k+1, st.Name, kind), s)
		}
	}
	return panels, leg, names, nil
}

// verb says what a party's moves are: offers, proposals (as a mediator) or
// both.
func (n *Negotiation) verb(who int) string {
	var offers, proposals bool
	for _, m := range n.Moves {
		if m.Party != who {
			continue
		}
		if m.Stage < len(n.Stages) && n.Stages[m.Stage].Mechanism == parley.MechanismMediated {
			proposals = true
		} else {
			offers = true
		}
	}
	switch {
	case offers && proposals:
		return "offers and proposals"
	case proposals:
		return "proposals"
	}
	return "offers"
}

// layout implements Figure.
func (n *Negotiation) layout() (*figure, error) {
	panels, leg, names, err := n.build()
	if err != nil {
		return nil, err
	}
	cols := min(len(panels), 3)
	rows := (len(panels) + cols - 1) / cols
	side := 4.2 * vg.Inch
	if len(panels) == 1 {
		side = 5 * vg.Inch
	}
	lw := legendWidth(leg, names)
	w := side*vg.Length(cols) + lw
	var title []titleRow
	if n.Subtitle != "" {
		title = titleRows(w, n.Title, n.Subtitle)
	} else {
		title = titleRows(w, n.Title)
	}
	h := side*vg.Length(rows) + titleHeight(title)
	return &figure{w: w, h: h, draw: func(dc draw.Canvas) {
		body := drawTitle(dc, title)
		plots := make([][]*plot.Plot, rows)
		for r := range plots {
			plots[r] = make([]*plot.Plot, cols)
		}
		for k, pn := range panels {
			plots[k/cols][k%cols] = pn.p
		}
		area := draw.Crop(body, 0, -lw, 0, 0)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(18), PadY: vg.Points(14),
			PadTop: vg.Points(2), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
		cs := plot.Align(plots, tiles, area)
		for r := range plots {
			for c, p := range plots[r] {
				if p != nil {
					p.Draw(cs[r][c])
				}
			}
		}
		lc := draw.Crop(body, body.Max.X-body.Min.X-lw, 0, 0, -vg.Points(10))
		leg.Draw(lc)
	}}, nil
}

// clipped draws a line across the data area without letting it widen the
// axes (it has no DataRange).
type clipped struct{ l *plotter.Line }

// Plot implements plot.Plotter.
func (c clipped) Plot(dc draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&dc)
	pts := make([]vg.Point, len(c.l.XYs))
	for i, q := range c.l.XYs {
		pts[i] = vg.Point{X: x(max(p.X.Min, min(p.X.Max, q.X))), Y: y(max(p.Y.Min, min(p.Y.Max, q.Y)))}
	}
	dc.StrokeLines(c.l.LineStyle, dc.ClipLinesXY(pts)...)
}

// thick draws a glyph's outline at a heavier line.
type thick struct{ draw.GlyphDrawer }

// DrawGlyph implements draw.GlyphDrawer.
func (t thick) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	for _, d := range []vg.Length{0, vg.Points(0.5), vg.Points(1)} {
		s := sty
		s.Radius -= d
		t.GlyphDrawer.DrawGlyph(c, s, pt)
	}
}

// fade returns c at a third of its opacity.
func fade(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 110}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// shortReason says in a few words why the analysis failed.
func shortReason(err error) string {
	if errors.Is(err, parley.ErrTooLarge) {
		return "space too large"
	}
	s := err.Error()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
