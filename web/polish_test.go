package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley-dev/parley/catalog"
)

// TestPaletteOnce: the Okabe–Ito palette lives once, in style.css; the
// pages' TypeScript reads it from the CSS variables (scatter.ts's
// cssColour) and names none of its colours itself.
func TestPaletteOnce(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("src", "style.css"))
	if err != nil {
		t.Fatal(err)
	}
	palette := map[string]string{"--oi-black": "#000000", "--oi-orange": "#e69f00", "--oi-sky-blue": "#56b4e9", "--oi-bluish-green": "#009e73",
		"--oi-yellow": "#f0e442", "--oi-blue": "#0072b2", "--oi-vermillion": "#d55e00", "--oi-reddish-purple": "#cc79a7"}
	for name, hex := range palette {
		if !strings.Contains(strings.ToLower(string(css)), name+": "+hex) {
			t.Errorf("style.css does not define %s: %s", name, hex)
		}
	}
	files, err := filepath.Glob(filepath.Join("src", "*.ts"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	hexes := regexp.MustCompile(`#[0-9a-fA-F]{6}\b`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range hexes.FindAllString(line, -1) {
				for name, hex := range palette {
					if strings.EqualFold(m, hex) && !(name == "--oi-black" && strings.Contains(line, "return \"#000000\"")) {
						t.Errorf("%s:%d: names %s (%s) instead of reading it from style.css", f, i+1, m, name)
					}
				}
			}
		}
	}
}

// TestBrowserFirstVisit walks the UI as someone who has read no docs: the
// home page says what Parley does and starts the ceasefire in one click,
// as UA against the built-in RU, then says what to do next; the protocols
// are named in words; the seat says whose turn it is and what to do,
// explains utility, reservation value and red line, shows the issues and
// values in words, and links home. The second quick start puts the person
// in the US mediator's chair, whose console starts composing from the
// current text and explains its information level and rule.
func TestBrowserFirstVisit(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	run(t, bctx, "opening the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#quick-play")))
	if got := text(t, bctx, "#intro"); !strings.HasPrefix(got, "Parley runs negotiations between people and built-in negotiating strategies.") {
		t.Errorf("intro %q", got)
	}
	labels := eval[[]string](t, bctx, "reading the protocols", `[...document.querySelectorAll("#protocol option")].map(o => o.textContent)`)
	for _, want := range []string{"In stages, as the scenario declares them (120 rounds)", "Direct talks only (bilateral_only, 120 rounds)",
		"Mediation from the start (mediated_from_start, 120 rounds)", "Direct talks, then mediation (bilateral_then_mediated, 120 rounds)",
		"Direct talks, then mediation; nothing carried over between them (bilateral_then_mediated_carry_none, 120 rounds)"} {
		if !strings.Contains(strings.Join(labels, "\n"), want) {
			t.Errorf("the protocols %q lack %q", labels, want)
		}
	}
	if got := text(t, bctx, "#deadline-hint"); got != "" {
		t.Errorf("with alternating offers, the deadline says %q", got)
	}
	run(t, bctx, "playing UA in one click", chromedp.Click(chromedp.CSS("#quick-play")), chromedp.WaitVisible(chromedp.CSS("#join-links a.join")))
	if got := text(t, bctx, "#deadline-hint"); got != "The protocol's stages set their own rounds." {
		t.Errorf("with a staged protocol, the deadline says %q", got)
	}
	if got := text(t, bctx, "#next-step"); !strings.HasPrefix(got, "Next: open a link below now to take that seat: each turn has a time limit of 10 minutes") {
		t.Errorf("next step %q", got)
	}
	if got := text(t, bctx, "#join-links li"); !strings.HasPrefix(got, "Play UA: ") {
		t.Errorf("join link %q, want UA's", got)
	}
	join := eval[string](t, bctx, "reading the join link", `document.querySelector("#join-links a.join").getAttribute("href")`)
	id := strings.Split(strings.TrimPrefix(join, "#/seat/"), "/")[0]
	stored := eval[string](t, bctx, "reading the seats", `localStorage.getItem("parley.tokens.`+id+`")`)
	if !strings.Contains(stored, `"seats":["",`) {
		t.Errorf("the one-click start stored seats %s: want RU built-in and UA a person's", stored)
	}

	// The list names the seat by its party.
	waitFor(t, bctx, "the list links UA's seat", `[...document.querySelectorAll("#negotiations a.seat-link")].some(a => a.textContent === "UA's seat" && a.getAttribute("href") === "`+join+`")`)

	tab, _ := openSeat(t, bctx, ts.URL, join, "#offer:not([disabled])")
	if got := text(t, tab, "#turn"); !strings.HasPrefix(got, "Your turn: accept the offer on the table, make a counter-offer below, or walk away.") ||
		!strings.HasSuffix(got, "If the time runs out, the negotiation ends.") {
		t.Errorf("turn %q", got)
	}
	// The form's time per turn (10 minutes), not the server's default
	// minute, is the turn's deadline.
	var left int
	if got := text(t, tab, "#timer"); func() bool { _, err := fmt.Sscanf(got, "%d s left to answer.", &left); return err != nil }() || left <= 540 || left > 600 {
		t.Errorf("timer %q on the first turn, want about 600 s (the form's 10 minutes)", got)
	}
	if got := text(t, tab, "#explain-utility summary"); got != "What do “utility”, “reservation value” and “red line” mean?" {
		t.Errorf("explanation %q", got)
	}
	if got := eval[string](t, tab, "reading the explanation", `document.querySelector("#explain-utility p").textContent`); !strings.HasPrefix(got, "A utility says how much you value an outcome, from 0") {
		t.Errorf("explanation %q", got)
	}
	if got := eval[string](t, tab, "reading the home link", `document.querySelector(".home-link").getAttribute("href")`); got != "#/" {
		t.Errorf("home link %q", got)
	}
	// Issues and values in words, on the table and in the builder.
	if got := eval[string](t, tab, "reading the table", `document.getElementById("standing").textContent`); strings.Contains(got, "_") {
		t.Errorf("the offer on the table shows raw names: %q", got)
	}
	if got := eval[string](t, tab, "reading the builder", `document.getElementById("builder").textContent`); strings.Contains(got, "_") {
		t.Errorf("the builder shows raw names: %q", got)
	}
	checkReadable(t, tab, "the seat of a first visit")
	// After UA's offer, the page says whom it waits for.
	step := eval[string](t, tab, "reading the turn's step", `document.getElementById("table-h").dataset.step`)
	run(t, tab, "making an offer", chromedp.Click(chromedp.CSS("#offer")))
	waitFor(t, tab, "the page waits for RU, or UA has its next turn",
		`document.getElementById("turn").textContent.startsWith("Waiting for RU to answer") || !!document.querySelector('#table-h:not([data-step="`+step+`"])')`)
	// (clicks in the page: the page draws itself again as events arrive)
	waitFor(t, tab, "UA's next turn", `!!document.querySelector('#table-h:not([data-step="`+step+`"])') && !!document.querySelector("#walk:not([disabled])")`)
	eval[bool](t, tab, "walking away", `(document.getElementById("walk").click(), true)`)
	waitFor(t, tab, "the confirmation", `!!document.getElementById("walk-confirm")`)
	eval[bool](t, tab, "confirming", `(document.getElementById("walk-confirm").click(), true)`)
	waitFor(t, tab, "the ending", `!!document.getElementById("next")`)
	if got := text(t, tab, "#next"); !strings.HasPrefix(got, "What next: the home page lists this negotiation") {
		t.Errorf("after the ending %q", got)
	}

	// The mediator's chair in one click.
	run(t, bctx, "mediating in one click", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#quick-mediate")),
		chromedp.Click(chromedp.CSS("#quick-mediate")), chromedp.WaitVisible(chromedp.CSS("#mediator-link")))
	mjoin := eval[string](t, bctx, "reading the mediator's link", `document.getElementById("mediator-link").getAttribute("href")`)
	// The list links back to the mediator's chair (and to the ended game's replay).
	waitFor(t, bctx, "the list links the mediator's chair", `[...document.querySelectorAll("#negotiations a.mediator-link")].some(a => a.getAttribute("href") === "`+mjoin+`")`)
	waitFor(t, bctx, "the list links the ended game's replay", `[...document.querySelectorAll("#negotiations a.watch")].some(a => a.textContent === "watch the replay")`)
	med := newTab(t, bctx)
	run(t, med, "opening the mediator's chair", chromedp.Navigate(ts.URL+"/"+mjoin), chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")))
	if got := text(t, med, "#clock"); !strings.HasPrefix(got, "Stage mediated: you mediate between RU and UA") {
		t.Errorf("clock %q", got)
	}
	if got := text(t, med, "#info"); !strings.Contains(got, "Rule unanimous: every voter must accept a text for it to become the text.") {
		t.Errorf("info %q", got)
	}
	if got := text(t, med, "#how"); !strings.HasPrefix(got, "How it works: you compose one text") {
		t.Errorf("how %q", got)
	}
	if got := text(t, med, "#text li.own"); !strings.HasPrefix(got, "Yours (US's own interests): ") {
		t.Errorf("the mediator's own utility reads %q", got)
	}
	// The composer starts from the current text.
	cur := outcomeText(t, med, "current-text")
	composed := eval[string](t, med, "reading the composer", `[...document.querySelectorAll("#composer select")].map(s => s.labels[0].textContent + ": " + s.selectedOptions[0].textContent).join("; ")`)
	if cur != composed || strings.Contains(cur, "_") {
		t.Errorf("the composer starts at %q, the current text is %q", composed, cur)
	}
	checkReadable(t, med, "the mediator's console of a first visit")
	// Sending the current text to a vote, then calling the final vote on
	// it: RU rejects (seed 1), and the console says that the final vote
	// did not pass.
	step = eval[string](t, med, "reading the step", `document.getElementById("text-h").dataset.step`)
	run(t, med, "sending the text to a vote", chromedp.Click(chromedp.CSS("#propose")),
		chromedp.WaitVisible(chromedp.CSS(`#text-h:not([data-step="`+step+`"])`)), chromedp.WaitVisible(chromedp.CSS("#final-vote:not([disabled])")))
	if n := eval[int](t, med, "looking for the note", `document.querySelectorAll("#final-failed").length`); n != 0 {
		t.Error("the console says a final vote failed before any was called")
	}
	clickWhenReady(t, med, "calling the final vote", "#final-vote:not([disabled])")
	waitFor(t, med, "the console says how the final vote went", `!!document.getElementById("final-failed") || !!document.getElementById("ended")`)
	if got := textNow(t, med, "#final-failed"); !strings.HasPrefix(got, "The final vote did not pass") {
		t.Errorf("after the final vote on a text RU rejects: %q (the ending: %q)", got, textNow(t, med, "#ended"))
	}
}

// reservationsOf is each ceasefire party's reservation value, as the
// chart's lines carry them (data-party, data-y).
func reservationsOf(t *testing.T) []string {
	t.Helper()
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, p := range s.Parties {
		out = append(out, fmt.Sprintf("%d %v", i, p.Profile.Reservation))
	}
	return out
}
