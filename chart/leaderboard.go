package chart

import (
	"errors"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Leaderboard is a tournament's mean utility and advantage per agent, with
// their 95% intervals, in rank order.
type Leaderboard struct {
	Title string
	Rows  []LeaderboardRow
}

// LeaderboardRow is one agent's line of a Leaderboard.
type LeaderboardRow struct {
	Agent     string
	Utility   Interval // mean utility per seat
	Advantage Interval // mean utility minus reservation value per seat
}

// build makes the panel and the legend.
func (l *Leaderboard) build() (p *plot.Plot, leg plot.Legend, entries []string, err error) {
	if len(l.Rows) == 0 {
		return nil, leg, nil, errors.New("chart: leaderboard: no agent has a stored run")
	}
	names := make([]string, len(l.Rows))
	ut, adv := make([]Interval, len(l.Rows)), make([]Interval, len(l.Rows))
	for i, r := range l.Rows {
		names[i], ut[i], adv[i] = r.Agent, r.Utility, r.Advantage
	}
	p = plot.New()
	p.X.Label.Text = "agent (in rank order)"
	p.Y.Label.Text = "mean per seat (utility, 0 to 1 scale)"
	p.Add(plotter.NewGrid())
	su, err := series(p, ut, -0.12, colour(0), draw.CircleGlyph{})
	if err != nil {
		return nil, leg, nil, err
	}
	sa, err := series(p, adv, 0.12, colour(1), draw.SquareGlyph{})
	if err != nil {
		return nil, leg, nil, err
	}
	categories(p, names)
	lo, hi := extent(ut, adv)
	lo, hi = min(lo, 0), max(hi, 0)
	// Whole ticks at both ends; gonum pads the canvas for the markers and
	// caps, so none is cut at a range's end.
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = niceRange(lo, hi, 6)

	leg = newLegend()
	entries = []string{"utility (95% CI)", "advantage over reservation (95% CI)"}
	leg.Add(entries[0], su)
	leg.Add(entries[1], sa)
	return p, leg, entries, nil
}

// layout implements Figure.
func (l *Leaderboard) layout() (*figure, error) {
	p, leg, entries, err := l.build()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(l.Rows))
	for i, r := range l.Rows {
		names[i] = r.Agent
	}
	lw := legendWidth(leg, entries)
	w := categoryWidth(names, 5*vg.Inch) + lw
	rows := titleRows(w, l.Title)
	h := 4.2*vg.Inch + titleHeight(rows)
	return &figure{w: w, h: h, draw: func(dc draw.Canvas) {
		body := drawTitle(dc, rows)
		area := draw.Crop(body, vg.Points(6), -lw, vg.Points(6), 0)
		p.Draw(area)
		leg.Draw(draw.Crop(body, body.Max.X-body.Min.X-lw, 0, 0, -vg.Points(10)))
	}}, nil
}
