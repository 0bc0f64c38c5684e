package web_test

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHomeStages: the home form asks only for the seats and the
// mediator that act in the chosen protocol (GET /catalog's stages): the
// ceasefire's bilateral_only hides the mediator's box and the US's seat,
// mediated_from_start shows the box, naming the US as the mediator, and
// plain alternating offers (sao) seats all three parties with no
// mediator. A negotiation created with the mediator box hidden gets no
// mediator seat.
func TestBrowserHomeStages(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	run(t, bctx, "opening the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#new-negotiation")))
	choose := func(protocol string) {
		t.Helper()
		eval[bool](t, bctx, "choosing "+protocol, `(() => { const s = document.getElementById("protocol"); s.value = "`+protocol+`"; return s.dispatchEvent(new Event("change")); })()`)
	}
	type form struct {
		Mediator bool     `json:"mediator"`
		Legend   string   `json:"legend"`
		Seats    []string `json:"seats"`
		Idle     string   `json:"idle"`
	}
	read := func() form {
		t.Helper()
		return eval[form](t, bctx, "reading the form", `(() => {
  const vis = (e) => !!e && e.offsetParent !== null;
  return { mediator: vis(document.getElementById("mediator")),
    legend: document.querySelector("#mediator legend").textContent,
    seats: [...document.querySelectorAll("#seats .seat")].filter(vis).map((r) => r.querySelector(".party").textContent),
    idle: document.getElementById("seats-idle")?.textContent ?? "" };
})()`)
	}
	for _, c := range []struct {
		protocol string
		want     form
	}{
		{"staged:bilateral_only", form{Mediator: false, Legend: "Mediator", Seats: []string{"RU", "UA"}, Idle: "US takes no part in this protocol."}},
		{"staged:mediated_from_start", form{Mediator: true, Legend: "Mediator (US, who mediates with interests of its own)", Seats: []string{"RU", "UA"},
			Idle: "US mediates: choose who takes its chair below."}},
		{"sao", form{Mediator: false, Legend: "Mediator", Seats: []string{"RU", "UA", "US"}}},
		{"staged:bilateral_only", form{Mediator: false, Legend: "Mediator", Seats: []string{"RU", "UA"}, Idle: "US takes no part in this protocol."}},
	} {
		choose(c.protocol)
		got := read()
		if got.Mediator != c.want.Mediator || got.Idle != c.want.Idle || (c.want.Mediator && got.Legend != c.want.Legend) || !slices.Equal(got.Seats, c.want.Seats) {
			t.Errorf("%s: the form shows %+v, want %+v", c.protocol, got, c.want)
		}
	}

	// Created under bilateral_only with a person chosen for the mediator's
	// chair before the box was hidden: no mediator seat, and US keeps a
	// built-in seat (no join link).
	choose("staged:mediated_from_start")
	run(t, bctx, "choosing a person as the mediator, then bilateral_only",
		chromedp.SetValue(chromedp.CSS("#mediator-kind"), "person"),
		chromedp.SetValue(chromedp.CSS(`select[name="seat-2-kind"]`), "person"))
	choose("staged:bilateral_only")
	run(t, bctx, "creating the negotiation",
		chromedp.Click(chromedp.CSS(`#new-negotiation button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#created h2")))
	if n := eval[int](t, bctx, "counting the join links", `document.querySelectorAll("#join-links li").length`); n != 0 {
		t.Errorf("%d join links for a negotiation of built-in RU and UA seats, want none: %s", n, text(t, bctx, "#join-links"))
	}
}
