package mediator

import (
	"context"
	"errors"

	"github.com/parley-dev/parley"
)

// Relations a Feedback mediator knows between two values a, b of one issue
// for one party: rel = sign(u(b) - u(a)), or unknown.
const (
	relWorse   int8 = -1
	relSame    int8 = 0
	relBetter  int8 = 1
	relUnknown int8 = 2
)

// Feedback is the feedback-based mediator of Aydoğan, Festen, Hindriks and
// Jonker ("Multilateral Mediated Negotiation Protocols with Feedback", SCI
// 535, Springer 2014; GENIUS FeedbackMediator). Each round
// it changes one issue value of the text and learns, from every party's
// feedback (Vote.Feedback; a rejection without feedback counts as worse),
// a partial order of that party's values per issue, closed under
// transitivity. It proposes, in this order: a value never seen in any text
// or proposal (a "missing value"); a value whose order against the text's
// value is still unknown for some party ("incomparable"); a value every
// party is known to like at least as much, and some party more ("may
// improve all"). When none is left it holds the text (and, with Call set,
// calls the final vote early, once per text). The learned orders assume
// that a value's merit does not depend on the other issues, which holds for
// linear-additive preferences.
type Feedback struct {
	mutator
	call bool

	parties int
	off     []int  // per issue: offset of its size×size block in rel
	block   int    // size of one party's blocks
	rel     []int8 // party p, issue i, values a, b: rel[p*block+off[i]+a*size+b]
	seen    []bool // per issue and value (offset by vOff): seen in a text or proposal
	vOff    []int

	prevText, prevProp parley.Outcome
	called             parley.Outcome
}

// NewFeedback returns a feedback-learning mediator; call makes it call the
// final vote when it has nothing left to try.
func NewFeedback(call bool) *Feedback { return &Feedback{call: call} }

// Lock records the issues it must leave alone.
func (m *Feedback) Lock(issues []int) { m.lock(issues) }

// Init reads the space and forgets what it learned.
func (m *Feedback) Init(_ context.Context, s *parley.Session) error {
	if err := m.init("feedback", s); err != nil {
		return err
	}
	if len(s.Names) == 0 {
		return errors.New("mediator: feedback: session names no parties")
	}
	m.parties = len(s.Names)
	n := len(m.g.sizes)
	m.off = resize(m.off, n)
	m.vOff = resize(m.vOff, n)
	m.block = 0
	values := 0
	for i, k := range m.g.sizes {
		m.off[i], m.vOff[i] = m.block, values
		m.block += k * k
		values += k
	}
	m.rel = resize(m.rel, m.parties*m.block)
	for i := range m.rel {
		m.rel[i] = relUnknown
	}
	for p := range m.parties {
		for i, k := range m.g.sizes {
			for a := range k {
				m.rel[p*m.block+m.off[i]+a*k+a] = relSame
			}
		}
	}
	m.seen = resize(m.seen, values)
	clear(m.seen)
	m.prevText, m.prevProp, m.called = parley.NoOutcome, parley.NoOutcome, parley.NoOutcome
	return nil
}

func (m *Feedback) at(p, i, a, b int) *int8 {
	k := m.g.sizes[i]
	return &m.rel[p*m.block+m.off[i]+a*k+b]
}

// learn records that party p judged value b of issue i as f (-1, 0, +1)
// against value a, and closes the issue's order under transitivity.
func (m *Feedback) learn(p, i, a, b int, f int8) {
	*m.at(p, i, a, b), *m.at(p, i, b, a) = f, -f
	k := m.g.sizes[i]
	for changed := true; changed; {
		changed = false
		for x := range k {
			for y := range k {
				if *m.at(p, i, x, y) != relUnknown {
					continue
				}
				for z := range k {
					r1, r2 := *m.at(p, i, x, z), *m.at(p, i, z, y)
					if r1 == relUnknown || r2 == relUnknown {
						continue
					}
					if r1 >= 0 && r2 >= 0 || r1 <= 0 && r2 <= 0 {
						r := r1
						if r == relSame {
							r = r2
						}
						*m.at(p, i, x, y), *m.at(p, i, y, x) = r, -r
						changed = true
						break
					}
				}
			}
		}
	}
}

func (m *Feedback) markSeen(o parley.Outcome) {
	for i := range m.g.sizes {
		m.seen[m.vOff[i]+m.g.value(o, i)] = true
	}
}

// Propose learns from the votes on the previous proposal and changes one
// issue of the text.
func (m *Feedback) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	if !m.ready {
		return parley.NoOutcome, errors.New("mediator: feedback: Propose before Init")
	}
	if m.prevProp != parley.NoOutcome && st.Standing == m.prevProp && len(st.Votes) == m.parties {
		if i := m.g.diff(m.prevText, m.prevProp); i >= 0 {
			a, b := m.g.value(m.prevText, i), m.g.value(m.prevProp, i)
			for p, v := range st.Votes {
				f := v.Feedback
				if f == 0 && !v.Accept {
					f = relWorse
				}
				m.learn(p, i, a, b, max(-1, min(1, f)))
			}
		}
	}
	x := st.Text
	m.markSeen(x)
	prop := m.choose(x)
	m.prevText, m.prevProp = x, prop
	m.markSeen(prop)
	return prop, nil
}

// choose returns the next proposal from text x (x itself when nothing is
// left to try). Each search starts at a random free issue, so that ties
// are broken at random.
func (m *Feedback) choose(x parley.Outcome) parley.Outcome {
	nf := len(m.g.free)
	if nf == 0 {
		return x
	}
	s := m.rand.IntN(nf)
	for pass := range 3 {
		for j := range nf {
			i := m.g.free[(s+j)%nf]
			a := m.g.value(x, i)
			for b := range m.g.sizes[i] {
				if b == a {
					continue
				}
				if m.wanted(pass, i, a, b) {
					return m.g.with(x, i, b)
				}
			}
		}
	}
	return x
}

// wanted reports whether moving issue i from a to b suits search pass
// (0 missing value, 1 incomparable, 2 may improve all).
func (m *Feedback) wanted(pass, i, a, b int) bool {
	switch pass {
	case 0:
		return !m.seen[m.vOff[i]+b]
	case 1:
		for p := range m.parties {
			if *m.at(p, i, a, b) == relUnknown {
				return true
			}
		}
		return false
	}
	better := false
	for p := range m.parties {
		switch *m.at(p, i, a, b) {
		case relBetter:
			better = true
		case relSame:
		default:
			return false
		}
	}
	return better
}

// CallVote calls the final vote when the mediator holds the text for lack
// of anything to try, when Call is set.
func (m *Feedback) CallVote(_ context.Context, st *parley.State) bool {
	if !m.call || m.prevProp != m.prevText || m.called == st.Text {
		return false
	}
	m.called = st.Text
	return true
}

var _ Mediator = (*Feedback)(nil)
